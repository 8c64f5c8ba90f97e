/**
 * Leaving the wizard (both front-ends): the commands to copy are printed whole, the saved reports named,
 * and the exit status says what the final diagnosis says (SPEC.md, "Exit status"); a run whose checks
 * could not run at all exits 3, not 0.
 */
import { describe, expect, it } from 'vitest';
import { Interruption } from '../../source/fixes/interruption.js';
import { reduce } from '../../source/wizard/flow.js';
import { finishWizard } from '../../source/wizard/finish.js';
import { initialState, type WizardEvent, type WizardState } from '../../source/wizard/state.js';
import { brokenDiagnosis, CREATOR, SECRET } from '../ui/fixtures.js';

function io() {
  const out = { stdout: '', stderr: '' };
  const stdout = (t: string) => {
    out.stdout += t;
  };
  const stderr = (t: string) => {
    out.stderr += t;
  };
  return { out, io: { stdout, stderr } };
}

function through(...events: WizardEvent[]): WizardState {
  return events.reduce(reduce, initialState({ symptom: 'incident-manager-secret', secretId: SECRET, principal: CREATOR }));
}

const QUESTIONS: WizardEvent[] = [
  { type: 'symptom-chosen', symptom: 'incident-manager-secret' },
  { type: 'secret-chosen', secretId: SECRET },
  { type: 'principal-chosen', principal: { kind: 'arn', arn: CREATOR } },
  { type: 'read-value-answered', readValue: false },
];

describe('leaving the wizard', () => {
  it('prints what to do first and the re-run command whole, and the saved report; exit 1 on failures', async () => {
    const d = brokenDiagnosis();
    const state = through(
      ...QUESTIONS,
      { type: 'diagnosis-done', run: 1, diagnosis: d },
      { type: 'report-save' },
      { type: 'report-saved', path: '/r/a.md' },
      { type: 'leave' },
    );
    const { out, io: sink } = io();
    const code = await finishWizard(state, new Interruption(), sink, { color: false, strict: false, repeatCommands: true });
    expect(code).toBe(1);
    expect(out.stdout).toContain('The report is in /r/a.md\n');
    // The whole report, its fix commands each on one line, not wrapped
    expect(out.stdout).toContain('secrets-doctor: ValidationException');
    expect(out.stdout).toMatch(
      /What to do first\n[\s\S]*\n {7}secrets-doctor fix --symptom incident-manager-secret --secret-id prod\/pagerduty --region us-east-1 --principal \S+ --fixes secret-policy\n/,
    );
    expect(out.stdout).toMatch(
      /The same diagnosis without the wizard:\n {2}secrets-doctor diagnose --symptom incident-manager-secret --secret-id prod\/pagerduty /,
    );
  });

  it('--plain printed them already: only the re-run command', async () => {
    const state = through(...QUESTIONS, { type: 'diagnosis-done', run: 1, diagnosis: brokenDiagnosis() }, { type: 'leave' });
    const { out, io: sink } = io();
    await finishWizard(state, new Interruption(), sink, { color: false, strict: false, repeatCommands: false });
    expect(out.stdout).not.toContain('What to do first');
    expect(out.stdout).toContain('The same diagnosis without the wizard:');
  });

  it('exits 3 when the checks could not run at all', async () => {
    const state = through(...QUESTIONS, { type: 'diagnosis-failed', run: 1, message: 'no credentials' }, { type: 'leave' });
    const { io: sink } = io();
    expect(await finishWizard(state, new Interruption(), sink, { color: false, strict: false, repeatCommands: true })).toBe(3);
  });

  it('exits 130 after Ctrl-C, and says so', async () => {
    const state = through(...QUESTIONS, { type: 'interrupt' });
    const { out, io: sink } = io();
    expect(await finishWizard(state, new Interruption(), sink, { color: false, strict: false, repeatCommands: true })).toBe(130);
    expect(out.stderr).toMatch(/^Interrupted\./);
  });
});
