/**
 * A running check's progress in the wizard: the reducer keeps the latest 'progress' text on the check's row
 * (never once the check has finished), and the checks screen shows it next to the running check instead of
 * its title. Frames are waited for, never time.
 */
import { describe, expect, it } from 'vitest';
import { ScreenContext } from '../../source/ui/context.js';
import { ChecksStep } from '../../source/ui/ChecksStep.js';
import { reduce } from '../../source/wizard/flow.js';
import { initialState, type WizardEvent, type WizardState } from '../../source/wizard/state.js';
import { painter } from '../../source/report/paint.js';
import { plain, render } from '../helpers/render.js';
import { finding, SECRET } from './fixtures.js';

const run = (state: WizardState, ...events: WizardEvent[]) => events.reduce(reduce, state);
const progress = (text: string): WizardEvent => ({ type: 'diagnosis-progress', run: 1, event: { type: 'progress', check: 'propagation', text } });

function checking(): WizardState {
  return run(
    initialState(),
    { type: 'symptom-chosen', symptom: 'changes-not-visible' },
    { type: 'changed-chosen', changed: 'value' },
    { type: 'expect-version-entered', versionId: 'v2' },
    { type: 'secret-chosen', secretId: SECRET },
    {
      type: 'diagnosis-progress',
      run: 1,
      event: {
        type: 'plan',
        checks: [
          { id: 'secret-exists', title: 'The secret exists' },
          { id: 'propagation', title: 'The change has propagated' },
        ],
      },
    },
  );
}

describe('progress of a running check', () => {
  it('the reducer keeps the latest text on the running row, and none once the check has finished', () => {
    const s = checking();
    expect(s.step).toBe('checks');
    const waiting = run(
      s,
      progress('waiting for version v2 to become AWSCURRENT: 1 s, 2 reads'),
      progress('waiting for version v2 to become AWSCURRENT: 2 s, 3 reads'),
    );
    expect(waiting.checks.find((r) => r.id === 'propagation')?.progress).toBe('waiting for version v2 to become AWSCURRENT: 2 s, 3 reads');
    expect(waiting.checks.find((r) => r.id === 'secret-exists')?.progress).toBeUndefined();
    const done = run(waiting, { type: 'diagnosis-progress', run: 1, event: { type: 'finding', finding: finding('propagation', 'pass') } }, progress('late'));
    expect(done.checks.find((r) => r.id === 'propagation')?.progress).not.toBe('late');
    // An abandoned run's progress is ignored
    expect(run(s, { ...progress('old run'), run: 0 } as WizardEvent).checks.find((r) => r.id === 'propagation')?.progress).toBeUndefined();
  });

  it('the checks screen shows the latest text next to the running check instead of its title', async () => {
    const s = run(checking(), progress('waiting for version v2 to become AWSCURRENT: 12 s, 5 reads'));
    const screen = { width: 79, height: 30, paint: painter(false), color: false, keysReady: true };
    const r = render(
      <ScreenContext.Provider value={screen}>
        <ChecksStep rows={s.checks} isActive onBack={() => {}} />
      </ScreenContext.Provider>,
    );
    const frame = plain(await r.waitForFrame('waiting for version'));
    expect(frame).toContain('propagation  waiting for version v2 to become AWSCURRENT: 12 s, 5 reads');
    expect(frame).not.toContain('The change has propagated');
    expect(frame).toContain('secret-exists  The secret exists');
  });
});
