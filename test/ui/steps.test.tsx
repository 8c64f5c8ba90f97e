/**
 * Each step on its own, with ink-testing-library: keys in, frames out, waiting for content, never for time.
 */
import { describe, expect, it, vi } from 'vitest';
import { ScreenContext } from '../../source/ui/context.js';
import { SymptomStep } from '../../source/ui/SymptomStep.js';
import { SecretStep } from '../../source/ui/SecretStep.js';
import { PrincipalStep } from '../../source/ui/PrincipalStep.js';
import { ReadValueStep } from '../../source/ui/ReadValueStep.js';
import { ReportStep } from '../../source/ui/ReportStep.js';
import { FixStep } from '../../source/ui/FixStep.js';
import { SummaryStep } from '../../source/ui/SummaryStep.js';
import type { Lookup, FixState } from '../../source/wizard/state.js';
import type { FixEvent, Proposal } from '../../source/fixes/protocol.js';
import type { PrincipalListing, ResponsePlanListing, SecretListing } from '../../source/facts/discovery.js';
import { painter } from '../../source/report/paint.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { AFTER, BEFORE, brokenDiagnosis, CALLER, CREATOR, PRINCIPALS, SECRET } from './fixtures.js';
import type { ReactElement } from 'react';

const screen = { width: 79, height: 30, paint: painter(false), color: false, keysReady: true };
const at80 = (tree: ReactElement, height = 30) => render(<ScreenContext.Provider value={{ ...screen, height }}>{tree}</ScreenContext.Provider>);

const secrets = (names: string[]): Lookup<SecretListing> => ({
  state: 'done',
  result: {
    available: true,
    value: {
      region: 'us-east-1',
      truncated: false,
      secrets: names.map((name) => ({ name, arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf` })),
    },
  },
});
const noPlans: Lookup<ResponsePlanListing> = {
  state: 'done',
  result: { available: false, reason: 'ssm-incidents:ListResponsePlans is not allowed for these credentials' },
};

/** The frame's text on one line, for phrases that the layout may wrap. */
const flat = (frame: string) => plain(frame).replace(/\s+/g, ' ');

function widest(frame: string): number {
  return Math.max(
    ...plain(frame)
      .split('\n')
      .map((l) => [...l].length),
  );
}

describe('SymptomStep', () => {
  it('lists the five symptoms and "not sure" in the words the user saw, with the keys', async () => {
    const onChoose = vi.fn();
    const r = at80(<SymptomStep position="1 of 4" isActive onChoose={onChoose} />);
    const frame = plain(await r.waitForFrame('Which error do you see?'));
    expect(frame).toContain('❯ ValidationException – We were unable to validate the AWS Secrets Manager');
    expect(frame).toContain('"access denied" when sending a request with temporary security credentials');
    expect(frame).toContain('"cannot generate a data key with an asymmetric CMK" when creating a secret');
    expect(frame).toContain('not sure: run every check that the given inputs allow');
    expect(frame).toContain('↑↓ move · Enter choose · Ctrl-C quit');
    expect(widest(frame)).toBeLessThanOrEqual(80);
    // When moving down once and choosing
    await r.press(KEYS.down, KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('access-denied'));
  });

  it('focuses the answer given before, in the list order, so Enter keeps it', async () => {
    const onChoose = vi.fn();
    const r = at80(<SymptomStep current="changes-not-visible" position="1 of 2" isActive onChoose={onChoose} />);
    expect(plain(await r.waitForFrame('Which error'))).toContain("❯ changes I make aren't always immediately visible");
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('changes-not-visible'));
  });

  it('reads no keys when inactive', async () => {
    const onChoose = vi.fn();
    const r = at80(<SymptomStep position="1 of 4" isActive={false} onChoose={onChoose} />);
    await r.waitForFrame('Which error');
    await r.press(KEYS.enter);
    expect(onChoose).not.toHaveBeenCalled();
  });
});

describe('SecretStep', () => {
  const names = [SECRET, 'prod/database', 'staging/pagerduty'];

  it('filters the list as you type and chooses the focused secret', async () => {
    const onChoose = vi.fn();
    const r = at80(
      <SecretStep
        symptom="incident-manager-secret"
        secrets={secrets(names)}
        plans={noPlans}
        position="2 of 4"
        isActive
        onChoose={onChoose}
        onBack={() => {}}
      />,
    );
    const first = plain(await r.waitForFrame('Which secret?'));
    expect(first).toContain('3 of 3 secrets in us-east-1 match');
    expect(flat(first)).toContain('Secrets that response plans use: not available (ssm-incidents:ListResponsePlans is not allowed');
    // When typing "pager"
    await r.press('p', 'a', 'g', 'e', 'r');
    const filtered = plain(await r.waitForFrame((f) => f.includes('2 of 3 secrets')));
    expect(filtered).toContain(SECRET);
    expect(filtered).toContain('staging/pagerduty');
    expect(filtered).not.toContain('prod/database');
    // Then ↓ Enter picks the second match
    await r.press(KEYS.down, KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('staging/pagerduty'));
  });

  it('takes what was typed exactly, whitespace included, when nothing is listed for it', async () => {
    const onChoose = vi.fn();
    const r = at80(
      <SecretStep symptom="access-denied" secrets={secrets(names)} plans={noPlans} position="2 of 3" isActive onChoose={onChoose} onBack={() => {}} />,
    );
    await r.waitForFrame('Which secret?');
    await r.press(...'other/secret ');
    const frame = plain(await r.waitForFrame('exactly as typed'));
    expect(frame).toContain('Use "other/secret␠" exactly as typed');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('other/secret '));
  });

  it('starts with the given secret, exact match first, and lists the secrets response plans use', async () => {
    const onChoose = vi.fn();
    const plans: Lookup<ResponsePlanListing> = {
      state: 'done',
      result: {
        available: true,
        value: {
          region: 'us-east-1',
          plans: 1,
          unreadable: 0,
          truncated: false,
          references: [{ secretId: 'staging/pagerduty', planName: 'critical', planArn: 'arn' }],
        },
      },
    };
    const r = at80(
      <SecretStep
        symptom="incident-manager-secret"
        secrets={secrets(names)}
        plans={plans}
        current={SECRET}
        position="2 of 4"
        isActive
        onChoose={onChoose}
        onBack={() => {}}
      />,
    );
    const frame = plain(await r.waitForFrame('Which secret?'));
    expect(frame).toContain(`❯ ${SECRET}`);
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith(SECRET));
    const all = at80(
      <SecretStep symptom="incident-manager-secret" secrets={secrets(names)} plans={plans} position="2 of 4" isActive onChoose={() => {}} onBack={() => {}} />,
    );
    expect(plain(await all.waitForFrame('response plan'))).toContain('❯ staging/pagerduty  (response plan "critical")');
  });

  it('still works when the account cannot be listed: you type the ID', async () => {
    const onChoose = vi.fn();
    const unavailable: Lookup<SecretListing> = {
      state: 'done',
      result: { available: false, reason: 'secretsmanager:ListSecrets is not allowed for these credentials' },
    };
    const r = at80(
      <SecretStep symptom="access-denied" secrets={unavailable} plans={noPlans} position="2 of 3" isActive onChoose={onChoose} onBack={() => {}} />,
    );
    expect(plain(await r.waitForFrame('Type a secret name or ARN'))).toContain(
      'The list of secrets is not available (secretsmanager:ListSecrets is not allowed',
    );
    await r.press(...'prod/x');
    await r.waitForFrame('exactly as typed');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('prod/x'));
  });

  it('goes back on Esc', async () => {
    const onBack = vi.fn();
    const r = at80(
      <SecretStep symptom="access-denied" secrets={secrets(names)} plans={noPlans} position="2 of 3" isActive onChoose={() => {}} onBack={onBack} />,
    );
    await r.waitForFrame('Which secret?');
    await r.press(KEYS.escape);
    await vi.waitFor(() => expect(onBack).toHaveBeenCalled());
  });
});

describe('PrincipalStep', () => {
  const caller = { state: 'done' as const, result: { available: true as const, value: CALLER } };
  const listed = (extra: Partial<PrincipalListing> = {}): Lookup<PrincipalListing> => ({
    state: 'done',
    result: { available: true, value: { entries: PRINCIPALS, roles: { listed: true, truncated: false }, users: { listed: true, truncated: false }, ...extra } },
  });
  const step = (props: Partial<Parameters<typeof PrincipalStep>[0]> & { onChoose: (p: unknown) => void }) =>
    at80(<PrincipalStep caller={caller} principals={listed()} forIncidentManager={false} position="3 of 3" isActive onBack={() => {}} {...props} />);

  it("offers the given principal first, then the caller, then the account's roles and users", async () => {
    const onChoose = vi.fn();
    const r = step({ current: { kind: 'arn', arn: CREATOR }, forIncidentManager: true, position: '3 of 4', onChoose });
    const frame = plain(await r.waitForFrame('Roles and users: '));
    expect(frame).toContain(`❯ ${CREATOR}`);
    expect(flat(frame)).toContain(`The caller (these credentials): ${CALLER}`);
    expect(frame).toContain('role/Ops');
    expect(frame).toContain('user/alice');
    // The given one is not listed twice
    expect(frame.match(/ResponsePlanCreator/g)).toHaveLength(1);
    expect(frame).toContain('Roles and users: 3 of 4 match.');
    expect(frame).toContain('(who creates the response plan)');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith({ kind: 'arn', arn: CREATOR }));
  });

  it('filters the roles and users as you type, and chooses one by its ARN', async () => {
    const onChoose = vi.fn();
    const r = step({ onChoose });
    await r.waitForFrame('Roles and users: ');
    await r.press(...'support');
    const frame = plain(await r.waitForFrame('Roles and users: 1 of 4 match.'));
    expect(frame).toContain('❯ role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport');
    expect(frame).not.toContain('The caller');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith({ kind: 'arn', arn: PRINCIPALS[2]!.arn }));
  });

  it('says at once that a typed role does not exist, and uses it only on a second Enter', async () => {
    const onChoose = vi.fn();
    const r = step({ onChoose });
    await r.waitForFrame('Roles and users: ');
    // When typing an ARN with a typo, before Enter
    await r.press(...'arn:aws:iam::123456789012:role/ops');
    const said = flat(await r.waitForFrame((f) => flat(f).includes('No role named ops')));
    expect(said).toContain('No role named ops in account 123456789012 (there is Ops): check the name, or choose from the list. Enter twice to use it anyway.');
    expect(said).toContain('❯ Use arn:aws:iam::123456789012:role/ops as typed');
    // Then the first Enter does not take it
    await r.press(KEYS.enter);
    await r.waitForFrame((f) => flat(f).includes('Enter again to use it anyway'));
    expect(onChoose).not.toHaveBeenCalled();
    expect(flat(r.lastFrame() ?? '')).toContain('as typed anyway: Enter');
    // And the second does
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith({ kind: 'arn', arn: 'arn:aws:iam::123456789012:role/ops' }));
  });

  it("takes a listed ARN typed whole at once, and another account's ARN as typed, with a note", async () => {
    const listedOne = vi.fn();
    const r = step({ onChoose: listedOne });
    await r.waitForFrame('Roles and users: ');
    await r.press(...CREATOR, KEYS.enter);
    await vi.waitFor(() => expect(listedOne).toHaveBeenCalledWith({ kind: 'arn', arn: CREATOR }));
    const other = vi.fn();
    const o = step({ onChoose: other });
    await o.waitForFrame('Roles and users: ');
    await o.press(...'arn:aws:iam::210987654321:role/Deployer');
    expect(flat(await o.waitForFrame((f) => flat(f).includes('Account 210987654321')))).toContain(
      "Account 210987654321 is not the caller's (123456789012): its roles and users cannot be listed from here, so the ARN is used as typed.",
    );
    await o.press(KEYS.enter);
    await vi.waitFor(() => expect(other).toHaveBeenCalledWith({ kind: 'arn', arn: 'arn:aws:iam::210987654321:role/Deployer' }));
  });

  it('gives no verdict where the list is cut short or refused, and still takes a typed ARN', async () => {
    const onChoose = vi.fn();
    const r = step({ principals: listed({ roles: { listed: true, truncated: true } }), onChoose });
    await r.waitForFrame('Roles and users: 4 of 4+ match.');
    await r.press(...'arn:aws:iam::123456789012:role/Elsewhere');
    expect(flat(await r.waitForFrame((f) => flat(f).includes('could not all be listed')))).not.toContain('No role named');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith({ kind: 'arn', arn: 'arn:aws:iam::123456789012:role/Elsewhere' }));
    const refused: Lookup<PrincipalListing> = {
      state: 'done',
      result: { available: false, reason: 'iam:ListRoles and iam:ListUsers are not allowed for these credentials' },
    };
    const u = step({ principals: refused, onChoose: () => {} });
    expect(flat(await u.waitForFrame('not available'))).toContain(
      'The roles and users are not available (iam:ListRoles and iam:ListUsers are not allowed for these credentials): type an ARN.',
    );
  });

  it('says when the text is not an IAM or STS ARN, and Esc goes back', async () => {
    const onChoose = vi.fn();
    const onBack = vi.fn();
    const r = step({ onChoose, onBack });
    await r.waitForFrame('Roles and users: ');
    await r.press(...'arn:aws:s3:::bucket', KEYS.enter);
    expect(flat(await r.waitForFrame((f) => flat(f).includes('not an IAM or STS ARN')))).toContain('Nothing matches');
    expect(onChoose).not.toHaveBeenCalled();
    await r.press(KEYS.escape);
    await vi.waitFor(() => expect(onBack).toHaveBeenCalled());
  });
});

describe('ReadValueStep', () => {
  it('says the read is logged in CloudTrail; Enter means no unless --read-value', async () => {
    const onAnswer = vi.fn();
    const r = at80(<ReadValueStep current={false} position="4 of 4" isActive onAnswer={onAnswer} onBack={() => {}} />);
    const frame = flat(await r.waitForFrame('y/N'));
    expect(frame).toContain('CloudTrail logs the read under your name');
    expect(frame).toContain('never shown or stored');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onAnswer).toHaveBeenLastCalledWith(false));
    const yes = vi.fn();
    const r2 = at80(<ReadValueStep current position="4 of 4" isActive onAnswer={yes} onBack={() => {}} />);
    await r2.waitForFrame('Y/n');
    await r2.press(KEYS.enter);
    await vi.waitFor(() => expect(yes).toHaveBeenLastCalledWith(true));
  });
});

describe('ReportStep', () => {
  it('opens on what to do first, then the failures with labelled evidence, and says which key continues', async () => {
    const onContinue = vi.fn();
    const r = at80(
      <ReportStep
        diagnosis={brokenDiagnosis()}
        fixes={['secret-policy', 'key-policy']}
        isActive
        onContinue={onContinue}
        onBack={() => {}}
        onLeave={() => {}}
        onSave={() => {}}
      />,
      40,
    );
    const frame = plain(await r.waitForFrame('Report'));
    const lines = frame.split('\n');
    const todo = lines.indexOf('What to do first');
    const firstFail = lines.findIndex((l) => l.startsWith('FAIL'));
    expect(todo).toBeGreaterThan(0);
    expect(firstFail).toBeGreaterThan(todo);
    expect(frame).toMatch(/evidence:\n +api: secretsmanager:GetResourcePolicy/);
    expect(frame).toContain('1. secret-policy-incident-manager: review and apply the secret-policy fix,');
    expect(frame).toContain('↑↓ scroll · Enter review 2 fixes · Esc back · s save · q quit · Ctrl-C quit');
    expect(widest(frame)).toBeLessThanOrEqual(80);
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onContinue).toHaveBeenCalled());
  });

  it('scrolls when the report is longer than the terminal', async () => {
    const r = at80(
      <ReportStep
        diagnosis={brokenDiagnosis()}
        fixes={['secret-policy', 'key-policy']}
        isActive
        onContinue={() => {}}
        onBack={() => {}}
        onLeave={() => {}}
        onSave={() => {}}
      />,
      14,
    );
    // (14 rows: the title, the keys, their gaps, the scroll position and the last row leave 8)
    const top = plain(await r.waitForFrame('lines 1-8 of'));
    expect(top).toContain('Error: ValidationException');
    await r.press(KEYS.pageDown);
    const next = plain(await r.waitForFrame('lines 8-15 of'));
    expect(next).not.toContain('Error: ValidationException');
  });
});

describe('FixStep', () => {
  const base: FixState = { fix: 'secret-policy', ticket: 1, phase: 'review', includeCreator: false, events: [], writing: false };
  const proposal: Proposal = {
    fix: 'secret-policy',
    kind: 'secret-policy',
    label: 'the resource policy',
    name: SECRET,
    description: 'add "AllowIncidentManagerToReadSecret" to the resource policy of secret prod/pagerduty',
    before: BEFORE,
    after: AFTER,
  };

  it('shows the diff, then asks, default no', async () => {
    const onAnswer = vi.fn();
    const fix: FixState = {
      ...base,
      proposal,
      events: [{ type: 'backed-up', path: '/tmp/b.json' }],
      question: 'Apply this change to the resource policy of secret prod/pagerduty?',
    };
    const r = at80(<FixStep fix={fix} position="1 of 2" more isActive onCreator={() => {}} onAnswer={onAnswer} onNext={() => {}} onBack={() => {}} />);
    const frame = plain(await r.waitForFrame('y/N'));
    expect(frame).toContain('Fix 1 of 2: secret-policy');
    expect(frame).toContain('+       "Sid": "AllowIncidentManagerToReadSecret",');
    expect(frame).toContain('Backup: /tmp/b.json');
    expect(frame).toContain('y apply · n or Enter skip');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onAnswer).toHaveBeenLastCalledWith(false));
    await r.press('y');
    await vi.waitFor(() => expect(onAnswer).toHaveBeenLastCalledWith(true));
  });

  it('asks whether to add the creator to the key policy, default no', async () => {
    const onCreator = vi.fn();
    const r = at80(
      <FixStep
        fix={{ ...base, fix: 'key-policy', phase: 'creator' }}
        creator={CREATOR}
        position="2 of 2"
        more={false}
        isActive
        onCreator={onCreator}
        onAnswer={() => {}}
        onNext={() => {}}
        onBack={() => {}}
      />,
    );
    expect(plain(await r.waitForFrame("Also add the creator's statement?"))).toContain(`Creator: ${CREATOR}`);
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onCreator).toHaveBeenCalledWith(false));
  });

  it('shows the progress (the backup among it), the result and the undo command, and Enter moves on', async () => {
    const onNext = vi.fn();
    const undo = 'secrets-doctor restore-policy --secret-id arn --region us-east-1 --from /tmp/b.json';
    const events: FixEvent[] = [
      { type: 'backed-up', path: '/tmp/b.json' },
      { type: 'rereading' },
      { type: 'writing' },
      { type: 'written', waitSeconds: 60 },
      { type: 'verifying', attempt: 1 },
      { type: 'verified', passed: true, seconds: 0.4 },
    ];
    const fix: FixState = {
      ...base,
      proposal,
      events,
      phase: 'done',
      applied: {
        fix: 'secret-policy',
        status: 'applied',
        message: `Applied and verified in 0.4 s. Undo with: ${undo}`,
        backup: '/tmp/b.json',
        undo,
        verified: true,
      },
    };
    const r = at80(<FixStep fix={fix} position="1 of 1" more={false} isActive onCreator={() => {}} onAnswer={() => {}} onNext={onNext} onBack={() => {}} />);
    const frame = flat(await r.waitForFrame('Enter summary'));
    expect(frame).toContain('✔ Applied and verified in 0.4 s.');
    expect(frame).toContain('Backup: /tmp/b.json');
    expect(frame).toContain(`Undo: ${undo}`);
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onNext).toHaveBeenCalled());
  });
});

describe('SummaryStep', () => {
  it('lists each fix with its backup and undo, and the checks after the fixes', async () => {
    const onLeave = vi.fn();
    const applied = [
      {
        fix: 'secret-policy' as const,
        status: 'applied' as const,
        message: 'ok',
        backup: '/tmp/b.json',
        undo: 'secrets-doctor restore-policy --from /tmp/b.json',
        verified: true,
      },
      { fix: 'key-policy' as const, status: 'declined' as const, message: 'Declined: nothing was changed.', backup: '/tmp/k.json' },
    ];
    const r = at80(<SummaryStep applied={applied} after={{ state: 'done', diagnosis: brokenDiagnosis() }} isActive onLeave={onLeave} />);
    const frame = plain(await r.waitForFrame('Summary'));
    expect(frame).toContain('secret-policy: applied, verified');
    expect(frame).toContain('Backup: /tmp/b.json');
    expect(frame).toContain('Undo:   secrets-doctor restore-policy --from /tmp/b.json');
    expect(frame).toContain('key-policy: declined');
    expect(frame).not.toContain('/tmp/k.json');
    expect(frame).toContain('After the fixes: 2 fail');
    expect(frame).toContain('Still failing:');
    await r.press('q');
    await vi.waitFor(() => expect(onLeave).toHaveBeenCalled());
  });
});
