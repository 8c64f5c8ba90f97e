/**
 * What both wizards do once the flow has decided to leave: after Ctrl-C, say what became of a write in
 * flight (the interruption waited for it) and of the changes applied before; otherwise print the saved
 * reports' paths, and whole, to copy: the report, the undo commands and the command that runs the same
 * diagnosis without the wizard; then the exit status (SPEC.md, "Exit status" and "Interruption").
 */
import { exitStatus, type Io } from '../commands/status.js';
import type { Interruption } from '../fixes/interruption.js';
import { rerunCommand } from '../report/model.js';
import { painter } from '../report/paint.js';
import { renderReport } from '../report/text.js';
import { visible } from '../visible.js';
import { finalDiagnoses, rerunInputsOf, type WizardState } from './state.js';
import { appliedLines } from './summary.js';

export interface FinishOptions {
  color: boolean;
  strict: boolean;
  /**
   * Print the report (the final diagnosis's text report) and the applied fixes' undo commands again, whole:
   * the Ink screens wrap them and keep only what fitted; --plain printed them whole already.
   */
  repeatCommands: boolean;
}

export async function finishWizard(state: WizardState | undefined, interruption: Interruption, io: Io, options: FinishOptions): Promise<number> {
  const changed = state?.applied.filter((a) => a.status === 'applied') ?? [];
  if (!state || state.exit?.interrupted) {
    const notice = await interruption.interrupt();
    io.stderr(`${['Interrupted.', ...notice.lines].join('\n')}\n`);
    const others = changed.filter((a) => !a.undo || !notice.lines.some((l) => l.includes(a.undo!)));
    if (others.length) io.stderr(`${appliedLines(others, 0, painter(false)).join('\n')}\n`);
    return 130;
  }
  for (const report of state.reports) io.stdout(`The report is in ${visible(report)}\n`);
  if (changed.length && options.repeatCommands) io.stdout(`${appliedLines(changed, 0, painter(options.color)).join('\n')}\n`);
  const diagnoses = finalDiagnoses(state);
  // The screen kept only what fitted: the whole report stays in the scrollback, its commands unwrapped.
  if (diagnoses.length === 1 && options.repeatCommands) io.stdout(`\n${renderReport(diagnoses[0]!, { color: options.color, ...rerunInputsOf(state) })}\n`);
  // One secret: the command that runs the same diagnosis without the wizard, to keep or share.
  if (diagnoses.length === 1) {
    io.stdout(`The same diagnosis without the wizard:\n  ${visible(rerunCommand(diagnoses[0]!, rerunInputsOf(state)))}\n`);
  }
  // The checks could not run at all: nothing was decided.
  if (!diagnoses.length && state.failure) return 3;
  // Many secrets: the worst of their statuses (3 before 1: nothing could be checked).
  const codes = diagnoses.map((d) => exitStatus(d, options.strict));
  return codes.includes(3) ? 3 : Math.max(0, ...codes);
}
