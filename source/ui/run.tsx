/**
 * `secrets-doctor` on a terminal: renders the Ink wizard, waits until it leaves, and turns its final
 * state into an exit status and a few lines to keep (how to undo what was applied). Imported lazily by
 * cli.tsx, so no other command loads Ink.
 */
import { render } from 'ink';
import type { Args } from '../commands/args.js';
import { exitStatus, type Io } from '../commands/status.js';
import { painter } from '../report/text.js';
import { App } from './App.js';
import { KeyStream } from './key-stream.js';
import { finalDiagnoses, type WizardState } from './flow.js';
import { forwardSignals, prepareWizard } from './setup.js';
import { appliedLines } from './summary.js';
import { rerunCommand } from '../report/model.js';
import { visible } from '../visible.js';

export async function runWizard(args: Args, io: Io, symptomGiven: boolean): Promise<number> {
  const prepared = await prepareWizard(args, io, symptomGiven);
  if (typeof prepared === 'number') return prepared;
  const { services, presets, base, outside, debugLines, interruption } = prepared;
  let final: WizardState | undefined;
  const stopSignals = forwardSignals(outside);
  const instance = render(
    <App services={services} presets={presets} base={base} color={args.color} outside={outside} onExit={(state) => (final = state)} />,
    // Keys one at a time, each once React is done with the one before (key-stream.ts).
    { exitOnCtrlC: false, stdin: new KeyStream(process.stdin) as unknown as NodeJS.ReadStream },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    stopSignals();
  }
  for (const line of debugLines) io.stderr(`${line}\n`);
  const state = final;
  const changed = state?.applied.filter((a) => a.status === 'applied') ?? [];
  if (!state || state.exit?.interrupted) {
    // The flow has waited for a write in flight; the notice says what became of it.
    const notice = await interruption.interrupt();
    io.stderr(`${['Interrupted.', ...notice.lines].join('\n')}\n`);
    const others = changed.filter((a) => !a.undo || !notice.lines.some((l) => l.includes(a.undo!)));
    if (others.length) io.stderr(`${appliedLines(others, 0, painter(false)).join('\n')}\n`);
    return 130;
  }
  // The summary stays on screen; the undo commands are printed again unwrapped, to copy.
  if (changed.length) io.stdout(`${appliedLines(changed, 0, painter(args.color)).join('\n')}\n`);
  // One secret: the command that runs the same diagnosis without the wizard, to keep or share.
  const diagnoses = finalDiagnoses(state);
  if (diagnoses.length === 1) {
    const inputs = { action: state.action, errorMessage: state.errorMessage, kmsKeyId: state.kmsKeyId, changed: state.changed, expectVersionId: state.expectVersionId };
    io.stdout(`The same diagnosis without the wizard:\n  ${visible(rerunCommand(diagnoses[0]!, inputs))}\n`);
  }
  // Many secrets: the worst of their statuses (3 before 1: nothing could be checked).
  const codes = diagnoses.map((d) => exitStatus(d, args.strict));
  return codes.includes(3) ? 3 : Math.max(0, ...codes);
}
