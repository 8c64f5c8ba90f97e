/** The wizard's flow as a reducer, without Ink: every transition, what Esc does, and how Ctrl-C leaves. */
import { describe, expect, it } from 'vitest';
import {
  finalDiagnosis,
  initialState,
  inputsOf,
  offeredFixes,
  questionsFor,
  reduce,
  type WizardEvent,
  type WizardState,
} from '../../source/ui/flow.js';
import type { Applied } from '../../source/fixes/protocol.js';
import { brokenDiagnosis, CREATOR, diagnosis, finding, healthyDiagnosis, SECRET } from './fixtures.js';

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

describe('the questions', () => {
  it('asks which error, which secret, whose permissions and (for Incident Manager) whether to read the value', () => {
    expect(questionsFor('incident-manager-secret')).toEqual(['symptom', 'secret', 'principal', 'read-value']);
    expect(questionsFor('changes-not-visible')).toEqual(['symptom', 'secret']);
    expect(questionsFor('asymmetric-kms-key')).toEqual(['symptom']);
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
      { type: 'fix-planned', ticket: 1, change: { description: 'add', label: 'policy', before: null, after: '{}' } },
      { type: 'fix-progress', ticket: 1, text: 'Backup: /b.json' },
      { type: 'fix-question', ticket: 1, question: 'Apply?' },
    );
    expect(s.fix).toMatchObject({ phase: 'review', question: 'Apply?', progress: ['Backup: /b.json'] });
    s = run(s, { type: 'fix-answered', yes: true });
    expect(s.fix).toMatchObject({ phase: 'applying', question: undefined });
    s = run(s, { type: 'fix-finished', ticket: 1, applied: APPLIED });
    expect(s.fix?.phase).toBe('done');
    // Then Enter moves to key-policy, which first asks about the creator
    s = run(s, { type: 'fix-next' });
    expect(s.fix).toMatchObject({ fix: 'key-policy', phase: 'creator', ticket: 2 });
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
    const declined = run(base, { type: 'fix-finished', ticket: 1, applied: { ...APPLIED, status: 'declined' } }, { type: 'fix-next' }, { type: 'creator-answered', includeCreator: false });
    const skippedAll = run(declined, { type: 'fix-finished', ticket: 2, applied: { fix: 'key-policy', status: 'skipped', message: '' } }, { type: 'fix-next' });
    expect(skippedAll).toMatchObject({ step: 'summary', after: undefined });
    const applied = run(base, { type: 'fix-finished', ticket: 1, applied: APPLIED }, { type: 'fix-next' }, { type: 'back' }, { type: 'report-continue' });
    // (Esc from the creator question went back to the report; the fixes start over)
    expect(applied.fix?.fix).toBe('secret-policy');
    const done = run(applied, { type: 'fix-finished', ticket: applied.fix!.ticket, applied: APPLIED }, { type: 'fix-next' }, { type: 'creator-answered', includeCreator: false });
    const summary = run(done, { type: 'fix-finished', ticket: done.fix!.ticket, applied: { fix: 'key-policy', status: 'declined', message: '' } }, { type: 'fix-next' });
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
      { type: 'fix-writing', ticket: 1, active: true },
    );
    // When Ctrl-C comes
    const leaving = reduce(writing, { type: 'interrupt' });
    // Then it waits, and leaves when the write call returns
    expect(leaving.leaving).toBe(true);
    expect(leaving.exit).toBeUndefined();
    expect(reduce(leaving, { type: 'fix-writing', ticket: 1, active: false }).exit).toEqual({ interrupted: true });
  });

  it('q leaves from the report; nothing happens after leaving', () => {
    const left = reduce(reported(), { type: 'leave' });
    expect(left.exit).toEqual({ interrupted: false });
    expect(reduce(left, { type: 'back' })).toBe(left);
    expect(reduce(answered(), { type: 'leave' }).exit).toBeUndefined();
  });

  it('knows every event: an unknown one is a programming error', () => {
    expect(() => reduce(initialState(), { type: 'no-such-event' } as unknown as WizardEvent)).toThrow(/Unhandled wizard event/);
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
