/**
 * `secrets-doctor` on a terminal: renders the Ink wizard, waits until it leaves, and hands its final state
 * to finishWizard (what to say after Ctrl-C, the undo and re-run commands to copy, the exit status).
 * Imported lazily by cli.tsx, so no other command loads Ink.
 */
import { render } from 'ink';
import type { Args } from '../commands/args.js';
import type { Io } from '../commands/status.js';
import { finishWizard } from '../wizard/finish.js';
import { forwardSignals, prepareWizard } from '../wizard/setup.js';
import type { WizardState } from '../wizard/state.js';
import { App } from './App.js';
import { KeyStream } from './key-stream.js';

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
  // The screens wrap long lines: the commands to copy are printed again whole.
  return finishWizard(final, interruption, io, { color: args.color, strict: args.strict, repeatCommands: true });
}
