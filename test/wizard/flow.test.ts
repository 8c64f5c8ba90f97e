/** The wizard's flow as a reducer, without Ink: every transition, what Esc does, and how Ctrl-C leaves. */
import { describe, expect, it } from 'vitest';
import { reduce } from '../../source/wizard/flow.js';
import {
  byWorst,
  finalDiagnoses,
  finalDiagnosis,
  initialState,
  inputsOf,
  offeredFixes,
  questionsFor,
  type WizardEvent,
  type WizardState,
} from '../../source/wizard/state.js';
import type { Applied, Proposal } from '../../source/fixes/protocol.js';
import { brokenDiagnosis, CREATOR, diagnosis, finding, healthyDiagnosis, SECRET } from '../ui/fixtures.js';

const run = (state: WizardState, ...events: WizardEvent[]) => events.reduce(reduce, state);

/** Answers every question of the Incident Manager symptom. */
function answered(principal = CREATOR): WizardState {
  return run(
    initialState(),
    { type: 'symptom-chosen', symptom: 'incident-manager-secret' },
    { type: 'secret-chosen', secretId: SECRET },
    { type: 'principal-chosen', principal: { kind: 'arn', arn: principal } },
    { type: 'read-value-answered', readValue: false },
  );
}

function reported(): WizardState {
  const s = answered();
  return run(s, { type: 'diagnosis-done', run: s.run, diagnosis: brokenDiagnosis() });
}

const APPLIED: Applied = { fix: 'secret-policy', status: 'applied', message: 'Applied.', backup: '/b.json', undo: 'undo', verified: true };
const PROPOSAL: Proposal = { fix: 'secret-policy', kind: 'secret-policy', label: 'policy', name: SECRET, description: 'add', before: null, after: '{}' };

describe('the questions', () => {
  it('asks which error, which secret, whose permissions and (for Incident Manager) whether to read the value', () => {
    expect(questionsFor('incident-manager-secret')).toEqual(['symptom', 'secret', 'principal', 'read-value']);
    expect(questionsFor('access-denied')).toEqual(['symptom', 'action', 'error-message', 'secret', 'principal']);
    expect(questionsFor('access-denied-temporary-credentials')).toEqual(['symptom', 'secret', 'principal']);
    expect(questionsFor('changes-not-visible')).toEqual(['symptom', 'changed', 'secret']);
    expect(questionsFor('changes-not-visible', 'value')).toEqual(['symptom', 'changed', 'expect-version', 'secret']);
    // asymmetric-kms-key needs no secret and no principal: its checks use neither
    expect(questionsFor('asymmetric-kms-key')).toEqual(['symptom', 'kms-key']);
    expect(questionsFor(undefined)).toEqual(['symptom']);
  });

  it('starts at the first question even with every answer given on the command line, and keeps those answers', () => {
    // Given presets from the flags
    const state = initialState({ symptom: 'incident-manager-secret', secretId: SECRET, principal: CREATOR, readValue: true });
    // Then the first question is shown, with the answers pre-selected
    expect(state.step).toBe('symptom');
    expect([state.symptom, state.secretId, state.principal, state.readValue]).toEqual(['incident-manager-secret', SECRET, { kind: 'arn', arn: CREATOR }, true]);
  });

  it('goes forward on each answer and back on Esc; Esc on the first question stays', () => {
    let s = run(initialState(), { type: 'symptom-chosen', symptom: 'incident-manager-secret' });
    expect(s.step).toBe('secret');
    s = run(s, { type: 'secret-chosen', secretId: `${SECRET} ` });
    expect(s.step).toBe('principal');
    expect(s.secretId).toBe(`${SECRET} `); // never trimmed
    s = run(s, { type: 'back' });
    expect(s.step).toBe('secret');
    s = run(s, { type: 'back' }, { type: 'back' });
    expect(s.step).toBe('symptom');
  });

  it('ignores an answer to a question that is not on screen', () => {
    const s = initialState();
    expect(reduce(s, { type: 'secret-chosen', secretId: 'x' })).toBe(s);
  });
});

describe("each symptom's own questions", () => {
  it('access-denied: the operation, then the message (Enter on nothing skips), then the secret; Esc goes back through them', () => {
    // Given access-denied chosen
    let s = run(initialState(), { type: 'symptom-chosen', symptom: 'access-denied' });
    expect(s.step).toBe('action');
    // When choosing PutSecretValue and skipping the message
    s = run(s, { type: 'action-chosen', action: 'secretsmanager:PutSecretValue' });
    expect(s.step).toBe('error-message');
    s = run(s, { type: 'error-message-entered', text: '   ' });
    expect(s).toMatchObject({ step: 'secret', action: 'secretsmanager:PutSecretValue', errorMessage: undefined });
    // Then Esc goes back to the message, then to the operation, then to the error
    s = run(s, { type: 'back' });
    expect(s.step).toBe('error-message');
    s = run(s, { type: 'error-message-entered', text: 'User: arn:aws:iam::123456789012:user/a is not authorized' });
    expect(s.errorMessage).toBe('User: arn:aws:iam::123456789012:user/a is not authorized');
    s = run(s, { type: 'back' }, { type: 'back' });
    expect(s.step).toBe('action');
    s = run(s, { type: 'back' });
    expect(s.step).toBe('symptom');
  });

  it('access-denied: the secret and the principal the message names are pre-selected, unless given', () => {
    const message = `User: ${CREATOR} is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/db because no identity-based policy allows the secretsmanager:GetSecretValue action`;
    const at = (presets = {}) =>
      run(initialState(presets), { type: 'symptom-chosen', symptom: 'access-denied' }, { type: 'action-chosen', action: 'secretsmanager:GetSecretValue' });
    expect(run(at(), { type: 'error-message-entered', text: message })).toMatchObject({ secretId: 'prod/db', principal: { kind: 'arn', arn: CREATOR } });
    expect(run(at({ secretId: SECRET }), { type: 'error-message-entered', text: message })).toMatchObject({ secretId: SECRET });
  });

  it('changes-not-visible: what was changed, and the expected version only for a value', () => {
    let s = run(initialState(), { type: 'symptom-chosen', symptom: 'changes-not-visible' });
    expect(s.step).toBe('changed');
    expect(run(s, { type: 'changed-chosen', changed: 'resource-policy' }).step).toBe('secret');
    s = run(s, { type: 'changed-chosen', changed: 'value' });
    expect(s.step).toBe('expect-version');
    s = run(s, { type: 'expect-version-entered', versionId: ' v-1 ' });
    expect(s).toMatchObject({ step: 'secret', expectVersionId: 'v-1' });
    expect(run(s, { type: 'back' }).step).toBe('expect-version');
    s = run(s, { type: 'secret-chosen', secretId: SECRET });
    expect(s.step).toBe('checks');
    expect(inputsOf(s, {})).toMatchObject({ symptom: 'changes-not-visible', changed: 'value', expectVersionId: 'v-1', secretId: SECRET });
    // A version ID is no expectation for a policy
    const policy = { ...s, changed: 'resource-policy' as const };
    expect(inputsOf(policy, {}).expectVersionId).toBeUndefined();
  });

  it('asymmetric-kms-key: the key, then straight to the checks, with neither secret nor principal', () => {
    let s = run(initialState({ secretId: SECRET, principal: CREATOR }), { type: 'symptom-chosen', symptom: 'asymmetric-kms-key' });
    expect(s.step).toBe('kms-key');
    s = run(s, { type: 'keys-found', result: { available: false, reason: 'kms:ListKeys is not allowed for these credentials' } });
    expect(s.keys).toMatchObject({ state: 'done' });
    s = run(s, { type: 'kms-key-chosen', kmsKeyId: 'alias/signing' });
    expect(s.step).toBe('checks');
    expect(inputsOf(s, {})).toMatchObject({ symptom: 'asymmetric-kms-key', kmsKeyId: 'alias/signing', secretId: undefined, principal: undefined });
    expect(run(s, { type: 'back' }).step).toBe('kms-key');
  });

  it('pre-selects the answers given as flags, and takes what was asked over them', () => {
    const s = initialState({ action: 'secretsmanager:DescribeSecret', errorMessage: 'denied', changed: 'metadata', expectVersionId: 'v', kmsKeyId: 'k' });
    expect(s).toMatchObject({ action: 'secretsmanager:DescribeSecret', errorMessage: 'denied', changed: 'metadata', expectVersionId: 'v', kmsKeyId: 'k' });
    // A message skipped in the wizard is no message, even with --error-message in the base
    const asked = run(
      initialState(),
      { type: 'symptom-chosen', symptom: 'access-denied' },
      { type: 'action-chosen', action: 'secretsmanager:GetSecretValue' },
      { type: 'error-message-entered', text: '' },
    );
    expect(inputsOf(asked, { errorMessage: 'from a flag' }).errorMessage).toBeUndefined();
    // A symptom that does not ask passes the command line's on
    const notSure = run(initialState(), { type: 'symptom-chosen', symptom: 'not-sure' });
    expect(inputsOf(notSure, { kmsKeyId: 'alias/x', action: 'secretsmanager:PutSecretValue' })).toMatchObject({
      kmsKeyId: 'alias/x',
      action: 'secretsmanager:PutSecretValue',
    });
  });

  it('ignores an answer to a symptom question that is not on screen', () => {
    const s = run(initialState(), { type: 'symptom-chosen', symptom: 'access-denied' });
    for (const e of [
      { type: 'kms-key-chosen', kmsKeyId: 'k' },
      { type: 'changed-chosen', changed: 'value' },
      { type: 'expect-version-entered', versionId: 'v' },
      { type: 'error-message-entered', text: 'x' },
    ] as WizardEvent[]) {
      expect(reduce(s, e)).toBe(s);
    }
  });
});

describe('many secrets', () => {
  const IDS = ['a', 'b', 'c'];
  const manyAt = () =>
    run(
      initialState(),
      { type: 'symptom-chosen', symptom: 'access-denied-temporary-credentials' },
      { type: 'many-chosen', source: 'all', secretIds: IDS },
      { type: 'principal-chosen', principal: { kind: 'caller' } },
    );
  const d = (id: string, fail: number, warn = 0) =>
    diagnosis(
      [...Array.from({ length: fail }, () => finding('caller-permission', 'fail')), ...Array.from({ length: warn }, () => finding('clock-skew', 'warn'))],
      id,
    );

  it('asks the remaining questions, then checks each secret with progress, then lists them worst first', () => {
    let s = manyAt();
    expect(s).toMatchObject({ step: 'many-checks', run: 1, many: { done: 0, failing: 0, secretIds: IDS } });
    s = run(s, { type: 'many-progress', run: 1, diagnosis: d('a', 0, 1), done: 1 }, { type: 'many-progress', run: 1, diagnosis: d('b', 2), done: 2 });
    expect(s.many).toMatchObject({ done: 2, failing: 1 });
    s = run(s, { type: 'many-progress', run: 1, diagnosis: d('c', 1), done: 3 }, { type: 'many-done', run: 1 });
    expect(s.step).toBe('many-list');
    expect(s.many!.results.map((r) => r.input.secretId)).toEqual(['b', 'c', 'a']);
  });

  it('opens a report from the list without fixes; Esc returns to the list, and Esc from the list to the questions', () => {
    const listed = run(manyAt(), { type: 'many-progress', run: 1, diagnosis: brokenDiagnosis(), done: 1 }, { type: 'many-done', run: 1 });
    const opened = run(listed, { type: 'many-open', index: 0 });
    expect(opened).toMatchObject({ step: 'report', queue: [], many: { focus: 0 } });
    expect(opened.diagnosis).toBe(listed.many!.results[0]);
    // Enter offers no fix from here
    expect(reduce(opened, { type: 'report-continue' })).toBe(opened);
    expect(run(opened, { type: 'back' }).step).toBe('many-list');
    const back = run(listed, { type: 'back' });
    expect(back).toMatchObject({ step: 'principal', run: 2 });
    // and the abandoned run's late events are ignored
    expect(reduce(back, { type: 'many-progress', run: 1, diagnosis: brokenDiagnosis(), done: 2 })).toBe(back);
    // q leaves from the list
    expect(reduce(listed, { type: 'leave' }).exit).toEqual({ interrupted: false });
  });

  it('a failure stops the run and lists what was checked; choosing one secret again leaves many-secrets mode', () => {
    const failed = run(manyAt(), { type: 'many-progress', run: 1, diagnosis: d('a', 1), done: 1 }, { type: 'many-failed', run: 1, message: 'boom' });
    expect(failed).toMatchObject({ step: 'many-list', many: { failure: 'boom', finished: true } });
    const single = run(
      failed,
      { type: 'back' },
      { type: 'back' },
      { type: 'secret-chosen', secretId: SECRET },
      { type: 'principal-chosen', principal: { kind: 'caller' } },
    );
    expect(single).toMatchObject({ step: 'checks', many: undefined });
  });

  it('needs at least one secret', () => {
    const s = run(initialState(), { type: 'symptom-chosen', symptom: 'access-denied-temporary-credentials' });
    expect(reduce(s, { type: 'many-chosen', source: 'all', secretIds: [] })).toBe(s);
  });

  it('keeps the worst exit status of them all', () => {
    const listed = run(manyAt(), { type: 'many-progress', run: 1, diagnosis: d('a', 1), done: 1 }, { type: 'many-done', run: 1 });
    expect(finalDiagnoses(listed).map((x) => x.input.secretId)).toEqual(['a']);
    expect(byWorst([d('x', 0, 2), d('y', 0, 3), d('w', 1)]).map((x) => x.input.secretId)).toEqual(['w', 'y', 'x']);
  });
});

describe('the checks and the report', () => {
  it('starts a run after the last answer and shows each finding as it arrives', () => {
    // Given every answer
    const s = answered();
    expect(s.step).toBe('checks');
    expect(s.run).toBe(1);
    // When the plan and a finding arrive
    const d = brokenDiagnosis();
    const next = run(
      s,
      { type: 'diagnosis-progress', run: 1, event: { type: 'plan', checks: d.findings.map((f) => ({ id: f.id, title: f.title })) } },
      { type: 'diagnosis-progress', run: 1, event: { type: 'finding', finding: d.findings[0]! } },
    );
    // Then there is a row per check, the first finished and printed once, after the run's title
    expect(next.checks).toHaveLength(d.findings.length);
    expect(next.checks.filter((c) => c.finding).map((c) => c.id)).toEqual(['credentials']);
    expect(next.printed.map((p) => p.key)).toEqual(['1:title', '1:credentials']);
  });

  it('ignores the events of a run abandoned with Esc', () => {
    // Given checks running, then Esc
    const s = run(answered(), { type: 'back' });
    expect(s.step).toBe('read-value');
    // When the abandoned run finishes
    const late = run(s, { type: 'diagnosis-done', run: 1, diagnosis: brokenDiagnosis() });
    // Then nothing changes
    expect(late).toBe(s);
  });

  it('offers the fixes the failing findings name, in the protocol order', () => {
    const d = diagnosis([
      finding('kms-policy-incident-manager', 'fail', { fix: 'key-policy' }),
      finding('secret-policy-incident-manager', 'fail', { fix: 'secret-policy' }),
      finding('secret-exists', 'fail', { fix: 'restore-secret' }),
    ]);
    expect(offeredFixes(d)).toEqual(['restore-secret', 'secret-policy', 'key-policy']);
    expect(offeredFixes(healthyDiagnosis())).toEqual([]);
  });

  it('shows the report with the fixes queued; a failure to run is a report too', () => {
    expect(reported()).toMatchObject({ step: 'report', queue: ['secret-policy', 'key-policy'] });
    const s = answered();
    expect(run(s, { type: 'diagnosis-failed', run: 1, message: 'boom' })).toMatchObject({ step: 'report', failure: 'boom', queue: [] });
  });

  it('goes back from the report to the last question, and a new run starts from there', () => {
    const s = run(reported(), { type: 'back' });
    expect(s.step).toBe('read-value');
    expect(run(s, { type: 'read-value-answered', readValue: true })).toMatchObject({ step: 'checks', run: 3, readValue: true, checks: [] });
  });
});

describe('the fixes', () => {
  it('asks about the creator for key-policy only when there is a creator, then plans, shows, asks, applies', () => {
    // Given the report, Enter
    let s = run(reported(), { type: 'report-continue' });
    expect(s).toMatchObject({ step: 'fix', current: 0, fix: { fix: 'secret-policy', phase: 'planning', ticket: 1 } });
    // When planned, asked and answered yes
    s = run(
      s,
      { type: 'fix-event', ticket: 1, event: { type: 'planned', proposal: PROPOSAL } },
      { type: 'fix-event', ticket: 1, event: { type: 'backed-up', path: '/b.json' } },
      { type: 'fix-question', ticket: 1, question: 'Apply?' },
    );
    expect(s.fix).toMatchObject({ phase: 'review', question: 'Apply?', proposal: PROPOSAL, events: [{ type: 'backed-up', path: '/b.json' }] });
    s = run(s, { type: 'fix-answered', yes: true });
    expect(s.fix).toMatchObject({ phase: 'applying', question: undefined });
    s = run(s, { type: 'fix-finished', ticket: 1, applied: APPLIED });
    expect(s.fix?.phase).toBe('done');
    // Then Enter moves to key-policy: kms-policy-caller passed, so the creator's statement is not asked about
    s = run(s, { type: 'fix-next' });
    expect(s.fix).toMatchObject({ fix: 'key-policy', phase: 'planning', ticket: 2, includeCreator: false });
  });

  it('asks about the creator for key-policy when the key policy does not let the creator use the key', () => {
    const s0 = answered();
    const d = diagnosis([finding('kms-policy-incident-manager', 'fail', { fix: 'key-policy' }), finding('kms-policy-caller', 'fail')]);
    let s = run(s0, { type: 'diagnosis-done', run: s0.run, diagnosis: d }, { type: 'report-continue' });
    expect(s.fix).toMatchObject({ fix: 'key-policy', phase: 'creator' });
    s = run(s, { type: 'creator-answered', includeCreator: true });
    expect(s.fix).toMatchObject({ phase: 'planning', includeCreator: true });
  });

  it('does not ask about the creator when the principal is the caller', () => {
    const s0 = run(
      initialState({ symptom: 'incident-manager-secret', secretId: SECRET }),
      { type: 'symptom-chosen', symptom: 'incident-manager-secret' },
      { type: 'secret-chosen', secretId: SECRET },
      { type: 'principal-chosen', principal: { kind: 'caller' } },
      { type: 'read-value-answered', readValue: false },
    );
    const d = diagnosis([finding('kms-policy-incident-manager', 'fail', { fix: 'key-policy' })]);
    const s = run(s0, { type: 'diagnosis-done', run: s0.run, diagnosis: d }, { type: 'report-continue' });
    expect(s.fix).toMatchObject({ fix: 'key-policy', phase: 'planning' });
  });

  it('goes back to the report on Esc before consent, and ignores what the abandoned attempt says later', () => {
    let s = run(reported(), { type: 'report-continue' }, { type: 'fix-question', ticket: 1, question: 'Apply?' });
    s = run(s, { type: 'back' });
    expect(s).toMatchObject({ step: 'report', fix: undefined });
    expect(run(s, { type: 'fix-finished', ticket: 1, applied: { ...APPLIED, status: 'declined' } })).toBe(s);
    // and a second Enter starts a new attempt
    expect(run(s, { type: 'report-continue' }).fix).toMatchObject({ fix: 'secret-policy', ticket: 2 });
  });

  it('has no way back while a change is being applied', () => {
    const s = run(reported(), { type: 'report-continue' }, { type: 'fix-question', ticket: 1, question: 'Apply?' }, { type: 'fix-answered', yes: true });
    expect(run(s, { type: 'back' })).toBe(s);
  });

  it('ends with a summary, and runs the checks again only when something was applied', () => {
    const base = run(reported(), { type: 'report-continue' });
    const declined = run(
      base,
      { type: 'fix-finished', ticket: 1, applied: { ...APPLIED, status: 'declined' } },
      { type: 'fix-next' },
      { type: 'creator-answered', includeCreator: false },
    );
    const skippedAll = run(declined, { type: 'fix-finished', ticket: 2, applied: { fix: 'key-policy', status: 'skipped', message: '' } }, { type: 'fix-next' });
    expect(skippedAll).toMatchObject({ step: 'summary', after: undefined });
    const applied = run(base, { type: 'fix-finished', ticket: 1, applied: APPLIED }, { type: 'fix-next' }, { type: 'back' }, { type: 'report-continue' });
    // (Esc from the creator question went back to the report; the fixes start over)
    expect(applied.fix?.fix).toBe('secret-policy');
    const done = run(
      applied,
      { type: 'fix-finished', ticket: applied.fix!.ticket, applied: APPLIED },
      { type: 'fix-next' },
      { type: 'creator-answered', includeCreator: false },
    );
    const summary = run(
      done,
      { type: 'fix-finished', ticket: done.fix!.ticket, applied: { fix: 'key-policy', status: 'declined', message: '' } },
      { type: 'fix-next' },
    );
    expect(summary).toMatchObject({ step: 'summary', after: { state: 'running' } });
    expect(summary.applied.map((a) => a.status)).toEqual(['applied', 'declined']);
    const after = run(summary, { type: 'after-done', diagnosis: healthyDiagnosis() });
    expect(finalDiagnosis(after)?.summary.fail).toBe(0);
    expect(run(after, { type: 'leave' }).exit).toEqual({ interrupted: false });
  });
});

describe('leaving', () => {
  it('leaves at once on Ctrl-C when no write is running, from any step', () => {
    for (const s of [initialState(), answered(), reported(), run(reported(), { type: 'report-continue' })]) {
      expect(reduce(s, { type: 'interrupt' }).exit).toEqual({ interrupted: true });
    }
  });

  it('lets a write that has started return before leaving (never half-applied)', () => {
    // Given a write in progress
    const writing = run(
      reported(),
      { type: 'report-continue' },
      { type: 'fix-question', ticket: 1, question: 'Apply?' },
      { type: 'fix-answered', yes: true },
      { type: 'fix-event', ticket: 1, event: { type: 'rereading' } },
      { type: 'fix-event', ticket: 1, event: { type: 'writing' } },
    );
    expect(writing.fix?.writing).toBe(true);
    // When Ctrl-C comes
    const leaving = reduce(writing, { type: 'interrupt' });
    // Then it waits, and leaves when the write call returns
    expect(leaving.leaving).toBe(true);
    expect(leaving.exit).toBeUndefined();
    expect(reduce(leaving, { type: 'fix-event', ticket: 1, event: { type: 'written', waitSeconds: 60 } }).exit).toEqual({ interrupted: true });
    expect(reduce(leaving, { type: 'fix-event', ticket: 1, event: { type: 'write-failed' } }).exit).toEqual({ interrupted: true });
    // An event of an abandoned attempt does not end the wait
    expect(reduce(leaving, { type: 'fix-event', ticket: 9, event: { type: 'written', waitSeconds: 60 } }).exit).toBeUndefined();
  });

  it('q leaves from the report; nothing happens after leaving', () => {
    const left = reduce(reported(), { type: 'leave' });
    expect(left.exit).toEqual({ interrupted: false });
    expect(reduce(left, { type: 'back' })).toBe(left);
    expect(reduce(answered(), { type: 'leave' }).exit).toBeUndefined();
  });

  it('knows every event: an unknown one is a programming error', () => {
    expect(() => reduce(initialState(), { type: 'no-such-event' } as unknown as WizardEvent)).toThrow(/Unhandled case/);
  });
});

describe('inputs', () => {
  it('passes only the answers the symptom asks for, the secret exactly as typed', () => {
    const s = answered();
    expect(inputsOf({ ...s, secretId: ` ${SECRET} ` }, { region: 'us-east-1' })).toMatchObject({
      symptom: 'incident-manager-secret',
      secretId: ` ${SECRET} `,
      principal: CREATOR,
      readValue: false,
      region: 'us-east-1',
    });
    const kms = { ...s, symptom: 'asymmetric-kms-key' as const };
    expect(inputsOf(kms, {})).toMatchObject({ secretId: undefined, principal: undefined, readValue: false });
    expect(inputsOf({ ...s, principal: { kind: 'caller' } }, {}).principal).toBeUndefined();
  });
});
