/**
 * The steps that ask what a symptom needs, and the many-secrets screens, each on its own with
 * ink-testing-library: keys in, frames out, waiting for content, never for time; every frame within 80 columns.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ReactElement } from 'react';
import { ScreenContext } from '../../source/ui/context.js';
import { ActionStep } from '../../source/ui/ActionStep.js';
import { ErrorMessageStep } from '../../source/ui/ErrorMessageStep.js';
import { ChangedStep } from '../../source/ui/ChangedStep.js';
import { ExpectVersionStep } from '../../source/ui/ExpectVersionStep.js';
import { KmsKeyStep } from '../../source/ui/KmsKeyStep.js';
import { SecretStep } from '../../source/ui/SecretStep.js';
import { ManyChecksStep } from '../../source/ui/ManyChecksStep.js';
import { ManyListStep } from '../../source/ui/ManyListStep.js';
import type { Lookup, ManyState } from '../../source/wizard/state.js';
import type { KmsKeyListing, ResponsePlanListing, SecretListing } from '../../source/facts/discovery.js';
import { painter } from '../../source/report/paint.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { diagnosis, finding, KEYS as KMS_KEYS, RSA_KEY, SECRET } from './fixtures.js';

const screen = { width: 79, height: 30, paint: painter(false), color: false, keysReady: true };
const at80 = (tree: ReactElement, height = 30) => render(<ScreenContext.Provider value={{ ...screen, height }}>{tree}</ScreenContext.Provider>);
const widest = (frame: string) =>
  Math.max(
    ...plain(frame)
      .split('\n')
      .map((l) => [...l].length),
  );
const flat = (frame: string) => plain(frame).replace(/\s+/g, ' ');

describe('ActionStep', () => {
  it('lists the operations, GetSecretValue first, filters as you type, and chooses secretsmanager:Name', async () => {
    const onChoose = vi.fn();
    const r = at80(<ActionStep position="step 2 of 5" isActive onChoose={onChoose} onBack={() => {}} />);
    const first = plain(await r.waitForFrame('Which operation was denied?'));
    expect(first).toContain('❯ GetSecretValue');
    expect(first).toContain('BatchGetSecretValue');
    expect(first).toContain('type to filter · ↑↓ PgUp PgDn move · Enter choose · Esc back · Ctrl-C quit');
    expect(widest(first)).toBeLessThanOrEqual(80);
    // When typing "policy"
    await r.press(...'policy');
    const filtered = plain(await r.waitForFrame((f) => f.includes('PutResourcePolicy') && !f.includes('GetSecretValue')));
    expect(filtered).toContain('❯ GetResourcePolicy');
    await r.press(KEYS.down, KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('secretsmanager:PutResourcePolicy'));
  });

  it("focuses the answer given before, in the list's order (Enter keeps it), and goes back on Esc", async () => {
    const onChoose = vi.fn();
    const onBack = vi.fn();
    const r = at80(<ActionStep current="secretsmanager:DescribeSecret" position="step 2 of 5" isActive onChoose={onChoose} onBack={onBack} />);
    const frame = plain(await r.waitForFrame('Which operation'));
    expect(frame).toContain('❯ DescribeSecret');
    // (the list keeps its order: GetSecretValue, listed first, is above it, out of focus)
    expect(frame.indexOf('  GetSecretValue')).toBeGreaterThan(-1);
    expect(frame.indexOf('  GetSecretValue')).toBeLessThan(frame.indexOf('❯ DescribeSecret'));
    await r.press(KEYS.escape);
    expect(onBack).toHaveBeenCalled();
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('secretsmanager:DescribeSecret'));
  });
});

describe('ErrorMessageStep', () => {
  const MESSAGE =
    'User: arn:aws:iam::123456789012:user/app is not authorized to perform: secretsmanager:PutSecretValue on resource: prod/db because no identity-based policy allows the secretsmanager:PutSecretValue action';

  it('skips on Enter with nothing typed', async () => {
    const onSubmit = vi.fn();
    const r = at80(<ErrorMessageStep action="secretsmanager:GetSecretValue" position="step 3 of 5" isActive onSubmit={onSubmit} onBack={() => {}} />);
    const frame = plain(await r.waitForFrame('Paste the error message you got (optional)'));
    expect(frame).toContain('Enter skip · Esc back · Ctrl-C quit');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith(''));
  });

  it('shows what the checks take from a pasted message, and says when it names another operation', async () => {
    const onSubmit = vi.fn();
    const r = at80(<ErrorMessageStep action="secretsmanager:GetSecretValue" position="step 3 of 5" isActive onSubmit={onSubmit} onBack={() => {}} />);
    await r.waitForFrame('Paste the error message');
    await r.press(MESSAGE);
    const frame = await r.waitForFrame((f) => flat(f).includes('From the message:'));
    expect(flat(frame)).toContain('principal arn:aws:iam::123456789012:user/app, action secretsmanager:PutSecretValue, resource prod/db.');
    expect(flat(frame)).toContain('Denied: no identity-based policy allows it.');
    expect(flat(frame)).toContain('The message names secretsmanager:PutSecretValue, but the operation chosen is secretsmanager:GetSecretValue');
    expect(flat(frame)).toContain('Enter confirm');
    expect(widest(frame)).toBeLessThanOrEqual(80);
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith(MESSAGE));
  });
});

describe('ChangedStep and ExpectVersionStep', () => {
  it('offers the four kinds of change in their order, the current one focused', async () => {
    const onChoose = vi.fn();
    const r = at80(<ChangedStep current="key-policy" position="step 2" isActive onChoose={onChoose} onBack={() => {}} />);
    const frame = plain(await r.waitForFrame('What did you change?'));
    const rows = frame.split('\n').filter((l) => /^(❯| ) /.test(l));
    expect(rows).toEqual([
      '  The value: a new version (PutSecretValue, UpdateSecret, a rotation)',
      "  The secret's resource policy",
      "❯ The key policy of the secret's KMS key",
      '  Metadata: description, tags, KMS key ID, rotation settings',
    ]);
    expect(frame).toContain('↑↓ move · Enter choose · Esc back · Ctrl-C quit');
    await r.press(KEYS.down, KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('metadata'));
  });

  it('takes an optional version ID (pre-filled from the flag); Esc goes back', async () => {
    const onSubmit = vi.fn();
    const onBack = vi.fn();
    const r = at80(<ExpectVersionStep current="v-given" position="step 3 of 4" isActive onSubmit={onSubmit} onBack={onBack} />);
    const frame = plain(await r.waitForFrame('Which version should be AWSCURRENT now? (optional)'));
    expect(frame).toContain('Version ID: v-given');
    expect(frame).toContain('Enter confirm · Esc back');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledWith('v-given'));
    await r.press(KEYS.escape);
    expect(onBack).toHaveBeenCalled();
  });
});

describe('KmsKeyStep', () => {
  const listing = (keys = KMS_KEYS): Lookup<KmsKeyListing> => ({
    state: 'done',
    result: { available: true, value: { region: 'us-east-1', keys, listed: keys.length + 1, awsManaged: 1, notDescribed: 0, truncated: false } },
  });

  it("lists the Region's keys with aliases, spec and ID, filters as you type and chooses the key's ARN", async () => {
    const onChoose = vi.fn();
    const r = at80(<KmsKeyStep keys={listing()} position="step 2 of 2" isActive onChoose={onChoose} onBack={() => {}} />);
    const frame = plain(await r.waitForFrame('Which KMS key did you give CreateSecret?'));
    expect(frame).toContain(`alias/secrets  SYMMETRIC_DEFAULT  66666666-7777-8888-9999-000000000000`);
    expect(frame).toContain(`alias/signing  RSA_2048  ${RSA_KEY.keyId}`);
    expect(frame).toContain('2 of 2 keys in us-east-1 match (AWS managed keys not listed).');
    expect(widest(frame)).toBeLessThanOrEqual(80);
    await r.press(...'rsa');
    await r.waitForFrame((f) => f.includes('1 of 2 keys'));
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith(RSA_KEY.arn));
  });

  it('takes a key typed as it is when the list is not available', async () => {
    const onChoose = vi.fn();
    const unavailable: Lookup<KmsKeyListing> = { state: 'done', result: { available: false, reason: 'kms:ListKeys is not allowed for these credentials' } };
    const r = at80(<KmsKeyStep keys={unavailable} position="step 2 of 2" isActive onChoose={onChoose} onBack={() => {}} />);
    expect(flat(await r.waitForFrame('not available'))).toContain('The list of keys is not available (kms:ListKeys is not allowed for these credentials)');
    await r.press(...'alias/mine');
    await r.waitForFrame('exactly as typed');
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('alias/mine'));
  });
});

describe('many secrets', () => {
  const names = [SECRET, 'prod/database', 'staging/pagerduty'];
  const secrets: Lookup<SecretListing> = {
    state: 'done',
    result: {
      available: true,
      value: {
        region: 'us-east-1',
        truncated: false,
        secrets: names.map((name) => ({ name, arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf` })),
      },
    },
  };
  const plans: Lookup<ResponsePlanListing> = {
    state: 'done',
    result: {
      available: true,
      value: { region: 'us-east-1', plans: 1, unreadable: 0, truncated: false, references: [{ secretId: SECRET, planName: 'critical', planArn: 'arn' }] },
    },
  };

  it('the secret step offers all secrets, and all that response plans use', async () => {
    const onMany = vi.fn();
    const r = at80(
      <SecretStep
        symptom="incident-manager-secret"
        secrets={secrets}
        plans={plans}
        position="step 2 of 4"
        isActive
        onChoose={() => {}}
        onMany={onMany}
        onBack={() => {}}
      />,
    );
    const frame = plain(await r.waitForFrame('Which secret?'));
    expect(frame).toContain('❯ All secrets that response plans use (1 in us-east-1)');
    expect(frame).toContain('All 3 secrets in us-east-1');
    await r.press(KEYS.down, KEYS.enter);
    await vi.waitFor(() => expect(onMany).toHaveBeenCalledWith('all', names));
  });

  const state = (over: Partial<ManyState> = {}): ManyState => ({
    source: 'all',
    secretIds: names,
    done: 0,
    failing: 0,
    results: [],
    finished: false,
    focus: 0,
    ...over,
  });

  it('shows a progress bar with done / total and the failures so far', async () => {
    const onBack = vi.fn();
    const r = at80(<ManyChecksStep many={state({ done: 2, failing: 1 })} title="access denied" isActive onBack={onBack} />);
    const frame = plain(await r.waitForFrame('secrets checked'));
    expect(frame).toContain('Checking 3 secrets: access denied');
    expect(frame).toMatch(/█+░+ {2}67%/);
    expect(frame).toContain('2 of 3 secrets checked · 1 with failures');
    expect(frame).toContain('Esc back (the checks only read) · Ctrl-C quit');
    expect(widest(frame)).toBeLessThanOrEqual(80);
    await r.press(KEYS.escape);
    expect(onBack).toHaveBeenCalled();
  });

  it('lists the secrets worst first with their counts; Enter opens one; the hints say no fixes from here', async () => {
    const onOpen = vi.fn();
    const results = [
      diagnosis([finding('caller-permission', 'fail'), finding('kms-key-usable', 'fail')], 'prod/database'),
      diagnosis([finding('caller-permission', 'warn')], 'staging/pagerduty'),
      diagnosis([finding('caller-permission', 'pass')], SECRET),
    ];
    const r = at80(
      <ManyListStep many={state({ done: 3, failing: 1, finished: true, results })} isActive onOpen={onOpen} onBack={() => {}} onLeave={() => {}} />,
    );
    const frame = plain(await r.waitForFrame('secrets checked, worst first'));
    const rows = frame.split('\n').filter((l) => / fail · /.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[l.trim().startsWith('❯') ? 1 : 0])).toEqual(['prod/database', 'staging/pagerduty', SECRET]);
    expect(rows[0]).toMatch(/^❯ prod\/database\s+2 fail · 0 warn · 0 unknown$/);
    expect(frame).toContain('1 with failures');
    expect(flat(frame)).toContain('No fix is offered from this list');
    expect(frame).toContain('Enter open its report · Esc back · q quit · Ctrl-C quit');
    expect(widest(frame)).toBeLessThanOrEqual(80);
    await r.press(KEYS.down, KEYS.enter);
    await vi.waitFor(() => expect(onOpen).toHaveBeenCalledWith(1));
  });
});
