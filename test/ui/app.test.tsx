/**
 * The whole Ink wizard with fake services (no AWS): the flow from the first question to the summary, the
 * live check rows, Esc, Ctrl-C (also during a write), the MFA prompt, and an 80-column layout.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../source/ui/App.js';
import type { Presets, WizardState } from '../../source/wizard/state.js';
import type { DiagnoseEvent } from '../../source/diagnose.js';
import { proposalOf } from '../../source/fixes/protocol.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { brokenDiagnosis, CREATOR, deferred, fakeServices, healthyDiagnosis, RSA_KEY, SECRET } from './fixtures.js';

const presets = { symptom: 'incident-manager-secret' as const, secretId: SECRET, principal: CREATOR };

function start(services = fakeServices(), options: { outside?: EventEmitter; columns?: number; rows?: number } = {}) {
  const exits: WizardState[] = [];
  const r = render(
    <App
      services={services}
      presets={presets}
      outside={options.outside}
      size={{ columns: options.columns ?? 100, rows: options.rows ?? 40 }}
      onExit={(state) => exits.push(state)}
    />,
  );
  return { ...r, services, exits };
}

/** Enter through the four questions, keeping the pre-selected answers. */
async function throughQuestions(r: ReturnType<typeof start>) {
  await r.waitForFrame('Which error do you see?');
  await r.press(KEYS.enter);
  await r.waitForFrame('Which secret?');
  await r.press(KEYS.enter);
  await r.waitForFrame('Whose permissions?');
  await r.press(KEYS.enter);
  await r.waitForFrame("Also check the secret value's format?");
  await r.press(KEYS.enter);
}

describe('saving the report', () => {
  it('s saves the report on screen as Markdown, shows where, and the wizard remembers it for the exit', async () => {
    const r = start();
    await throughQuestions(r);
    await r.waitForFrame('Report');
    await r.press('s');
    const saved = plain(await r.waitForFrame('Report saved as Markdown:'));
    expect(saved).toContain('Report saved as Markdown: /reports/secrets-doctor-report-1.md');
    expect(r.services.saved).toEqual([{ secretId: SECRET, extra: expect.objectContaining({ action: undefined }) }]);
    await r.press('q');
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
    expect(r.exits[0]!.reports).toEqual(['/reports/secrets-doctor-report-1.md']);
  });

  it('says in one line why a report could not be saved, and the report stays', async () => {
    const r = start(fakeServices({ saveFails: true }));
    await throughQuestions(r);
    await r.waitForFrame('Report');
    await r.press('s');
    const frame = plain(await r.waitForFrame('could not be saved'));
    expect(frame).toContain("The report could not be saved: EACCES: permission denied, open '/reports/secrets-doctor-report.md'");
    expect(frame).toContain('What to do first');
  });
});

describe('the Ink wizard', () => {
  it('goes from the first question to the summary on the on-screen keys alone', async () => {
    // Given the demo's answers pre-selected
    const r = start();
    await throughQuestions(r);
    // Then the report shows the failures, and Enter reviews the first fix
    const report = plain(await r.waitForFrame('Report'));
    expect(report).toContain('FAIL    secret-policy-incident-manager');
    expect(r.services.diagnoseCalls[0]).toMatchObject({ symptom: 'incident-manager-secret', secretId: SECRET, principal: CREATOR, readValue: false });
    await r.press(KEYS.enter);
    const review = plain(await r.waitForFrame('y/N'));
    expect(review).toContain('Fix 1 of 2: secret-policy');
    expect(review).toContain('+       "Sid": "AllowIncidentManagerToReadSecret",');
    // When accepting it
    await r.press('y');
    expect(plain(await r.waitForFrame('Enter next fix'))).toContain('✔ Applied and verified in 0.1 s.');
    await r.press(KEYS.enter);
    // Then key-policy shows its change (kms-policy-caller passed: no question about the creator); declining it
    await r.waitForFrame((f) => f.includes('Fix 2 of 2') && f.includes('y/N'));
    await r.press('n');
    await r.waitForFrame('Enter summary');
    expect(r.services.planCalls).toEqual([
      { fix: 'secret-policy', includeCreator: false },
      { fix: 'key-policy', includeCreator: false },
    ]);
    await r.press(KEYS.enter);
    // Then the summary has the backup, the undo command and the checks run again
    const summary = plain(await r.waitForFrame('After the fixes'));
    expect(summary).toContain('secret-policy: applied, verified');
    expect(summary).toContain('Undo:   secrets-doctor restore-policy');
    expect(summary).toContain('key-policy: declined');
    expect(r.services.diagnoseCalls).toHaveLength(2);
    await r.press(KEYS.enter);
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
    expect(r.exits[0]!.exit).toEqual({ interrupted: false });
    expect(r.exits[0]!.applied.map((a) => a.status)).toEqual(['applied', 'declined']);
  });

  it('shows a spinner per running check and keeps finished rows above, in table order', async () => {
    // Given a diagnosis that the test lets finish one check at a time
    const d = brokenDiagnosis();
    const gate = deferred<void>();
    const services = fakeServices();
    services.diagnose = async (_inputs, onEvent: (e: DiagnoseEvent) => void) => {
      onEvent({ type: 'plan', checks: d.findings.map((f) => ({ id: f.id, title: f.title })) });
      onEvent({ type: 'finding', finding: d.findings[0]! });
      await gate.promise;
      for (const f of d.findings.slice(1)) onEvent({ type: 'finding', finding: f });
      return d;
    };
    const r = start(services);
    await throughQuestions(r);
    // Then the first row is printed and the others spin
    const running = plain(await r.waitForFrame('PASS    credentials'));
    expect(running).toContain('secret-exists  title of secret-exists');
    expect(running).toContain('Esc back (the checks only read) · Ctrl-C quit');
    // When the rest finish
    gate.resolve();
    const report = plain(await r.waitForFrame('Report'));
    // Then every row stays above the report, in table order
    const rows = report
      .split('\n')
      .filter((l) => /^(PASS|FAIL|SKIP) /.test(l))
      .slice(0, d.findings.length);
    expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(d.findings.map((f) => f.id));
    expect(report.indexOf('Checks for "prod/pagerduty": ValidationException')).toBeLessThan(report.indexOf('Report'));
  });

  it('goes back a step on Esc, and back from a fix to the report (declining it)', async () => {
    const apply = deferred<void>();
    const services = fakeServices();
    const answers: boolean[] = [];
    services.applyFix = async (plan, hooks) => {
      const yes = await hooks.confirm(proposalOf(plan.request));
      answers.push(yes);
      apply.resolve();
      return { fix: plan.fix, status: yes ? 'applied' : 'declined', message: '' };
    };
    const r = start(services);
    await r.waitForFrame('Which error do you see?');
    await r.press(KEYS.enter);
    await r.waitForFrame('Which secret?');
    await r.press(KEYS.escape);
    await r.waitForFrame('Which error do you see?');
    await throughQuestions(r);
    await r.waitForFrame('Report');
    await r.press(KEYS.enter);
    await r.waitForFrame('Apply this change');
    await r.press(KEYS.escape);
    await r.waitForFrame((f) => f.includes('Report') && !f.includes('Apply this change'));
    await apply.promise;
    expect(answers).toEqual([false]);
  });

  it('leaves on Ctrl-C at any step', async () => {
    for (const step of ['Which error do you see?', 'Which secret?', 'Report']) {
      const r = start();
      await r.waitForFrame('Which error do you see?');
      if (step === 'Which secret?') await r.press(KEYS.enter);
      if (step === 'Report') await throughQuestions(r);
      await r.waitForFrame(step);
      await r.press(KEYS.ctrlC);
      await vi.waitFor(() => expect(r.exits).toHaveLength(1));
      expect(r.exits[0]!.exit).toEqual({ interrupted: true });
    }
  });

  it('on Ctrl-C during a write, lets the write return and then leaves; after consent, no write starts', async () => {
    // Given a write that the test holds open
    const write = deferred<void>();
    const services = fakeServices();
    let wrote = false;
    services.applyFix = async (plan, hooks) => {
      if (!(await hooks.confirm(proposalOf(plan.request)))) return { fix: plan.fix, status: 'declined', message: '' };
      hooks.event({ type: 'writing' });
      await write.promise;
      wrote = true;
      hooks.event({ type: 'written', waitSeconds: 60 });
      return { fix: plan.fix, status: 'applied', message: 'Applied.' };
    };
    const r = start(services);
    await throughQuestions(r);
    await r.waitForFrame('Report');
    await r.press(KEYS.enter);
    await r.waitForFrame('Apply this change');
    await r.press('y');
    await r.waitForFrame('Writing...');
    // When Ctrl-C comes mid-write
    await r.press(KEYS.ctrlC);
    // Then it says it waits, and does not leave yet
    expect(plain(await r.waitForFrame('Leaving as soon as the write in progress returns'))).toBeTruthy();
    expect(r.exits).toHaveLength(0);
    // When the write returns, it leaves
    write.resolve();
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
    expect(wrote).toBe(true);
    expect(r.exits[0]!.exit).toEqual({ interrupted: true });
  });

  it('asks for an MFA code in the flow when the session needs one', async () => {
    const outside = new EventEmitter();
    const r = start(fakeServices(), { outside });
    await r.waitForFrame('Which error do you see?');
    const code = new Promise<string>((resolve, reject) => outside.emit('mfa', 'arn:aws:iam::123456789012:mfa/alice', resolve, reject));
    expect(plain(await r.waitForFrame('MFA code needed'))).toContain('arn:aws:iam::123456789012:mfa/alice');
    await r.press(...'12345', KEYS.enter);
    await r.waitForFrame('six digits');
    await r.press('6', KEYS.enter);
    expect(await code).toBe('123456');
    await r.waitForFrame('Which error do you see?');
  });

  it('treats a signal as Ctrl-C', async () => {
    const outside = new EventEmitter();
    const r = start(fakeServices(), { outside });
    await r.waitForFrame('Which error do you see?');
    outside.emit('interrupt');
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
    expect(r.exits[0]!.exit).toEqual({ interrupted: true });
  });

  it('fits an 80-column terminal on every screen', async () => {
    const r = start(fakeServices(), { columns: 80, rows: 30 });
    const frames: string[] = [];
    const keep = async (text: string) => frames.push(plain(await r.waitForFrame(text)));
    await keep('Which error do you see?');
    await r.press(KEYS.enter);
    await keep('Which secret?');
    await r.press(KEYS.enter);
    await keep('Whose permissions?');
    await r.press(KEYS.enter);
    await keep('y/N');
    await r.press(KEYS.enter);
    await keep('Report');
    await r.press(KEYS.enter);
    await keep('Apply this change');
    await r.press('y');
    await keep('Enter next fix');
    for (const frame of frames) {
      for (const line of frame.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    }
  });
});

describe("the Ink wizard: each symptom's own questions and many secrets", () => {
  function bare(services = fakeServices(), presetsGiven: Presets = {}) {
    const exits: WizardState[] = [];
    const r = render(<App services={services} presets={presetsGiven} size={{ columns: 80, rows: 30 }} onExit={(state) => exits.push(state)} />);
    return { ...r, services, exits };
  }
  const widest = (frame: string) =>
    Math.max(
      ...plain(frame)
        .split('\n')
        .map((l) => [...l].length),
    );

  it('access-denied: asks the operation and the message, and passes them to the checks', async () => {
    const r = bare();
    await r.waitForFrame('Which error do you see?');
    await r.press(KEYS.down, KEYS.enter);
    const action = plain(await r.waitForFrame('Which operation was denied?'));
    expect(action).toContain('step 2 of 5');
    await r.press(...'PutSecret');
    await r.waitForFrame((f) => plain(f).includes('❯ PutSecretValue'));
    await r.press(KEYS.enter);
    await r.waitForFrame('Paste the error message');
    await r.press(...'User: arn:aws:iam::123456789012:user/app is not authorized to perform: secretsmanager:PutSecretValue');
    await r.waitForFrame((f) => plain(f).includes('From the message'));
    await r.press(KEYS.enter);
    await r.waitForFrame('Which secret?');
    // Esc goes back through the message to the operation, keeping the answers
    await r.press(KEYS.escape);
    expect(plain(await r.waitForFrame('Paste the error message'))).toContain('Message: User: arn:aws:iam');
    await r.press(KEYS.escape);
    expect(plain(await r.waitForFrame('Which operation was denied?'))).toContain('❯ PutSecretValue');
    await r.press(KEYS.enter);
    await r.waitForFrame('Paste the error message');
    await r.press(KEYS.enter);
    await r.waitForFrame('Which secret?');
    await r.press(...SECRET);
    await r.waitForFrame((f) => plain(f).includes(`❯ ${SECRET}`));
    await r.press(KEYS.enter);
    await r.waitForFrame('Whose permissions?');
    await r.press(KEYS.enter);
    await r.waitForFrame('Report');
    expect(r.services.diagnoseCalls[0]).toMatchObject({
      symptom: 'access-denied',
      action: 'secretsmanager:PutSecretValue',
      errorMessage: 'User: arn:aws:iam::123456789012:user/app is not authorized to perform: secretsmanager:PutSecretValue',
      secretId: SECRET,
    });
  });

  it('asymmetric-kms-key: chooses a key from the list and goes straight to the checks', async () => {
    const r = bare(fakeServices(), { symptom: 'asymmetric-kms-key' });
    await r.waitForFrame('Which error do you see?');
    await r.press(KEYS.enter);
    const keys = plain(await r.waitForFrame('alias/signing'));
    expect(keys).toContain('step 2 of 2');
    expect(widest(keys)).toBeLessThanOrEqual(80);
    await r.press(...'signing', KEYS.enter);
    await r.waitForFrame('Report');
    expect(r.services.diagnoseCalls[0]).toMatchObject({ symptom: 'asymmetric-kms-key', kmsKeyId: RSA_KEY.arn, secretId: undefined, principal: undefined });
  });

  it('many secrets: a progress bar, then the list worst first; a report opens and Esc returns to the list', async () => {
    const gate = deferred<void>();
    const services = fakeServices({
      manyDiagnosis: (id) => (id === 'prod/database' ? brokenDiagnosis() : healthyDiagnosis()),
      manyGate: (id) => (id === 'staging/pagerduty' ? gate.promise : Promise.resolve()),
    });
    const r = bare(services, { symptom: 'access-denied-temporary-credentials' });
    await r.waitForFrame('Which error do you see?');
    await r.press(KEYS.enter);
    await r.waitForFrame('All 3 secrets in us-east-1');
    await r.press(KEYS.enter);
    await r.waitForFrame('Whose permissions?');
    await r.press(KEYS.enter);
    // Then the progress stops at the gate: 2 of 3 done, 1 with failures
    const progress = plain(await r.waitForFrame('2 of 3 secrets checked'));
    expect(progress).toContain('1 with failures');
    expect(widest(progress)).toBeLessThanOrEqual(80);
    gate.resolve();
    const list = plain(await r.waitForFrame('secrets checked, worst first'));
    expect(list).toMatch(/❯ prod\/database\s+2 fail · 0 warn · 0 unknown/);
    expect(widest(list)).toBeLessThanOrEqual(80);
    expect(services.manyCalls[0]!.inputs).toMatchObject({ symptom: 'access-denied-temporary-credentials' });
    await r.press(KEYS.enter);
    const report = plain(await r.waitForFrame('Report'));
    expect(report).toContain('Esc back to the list · s save');
    expect(report).not.toContain('review');
    await r.press(KEYS.enter); // no fix from here: Enter does nothing
    await r.press(KEYS.escape);
    await r.waitForFrame('secrets checked, worst first');
    await r.press('q');
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
    expect(r.exits[0]!.many?.results).toHaveLength(3);
  });
});
