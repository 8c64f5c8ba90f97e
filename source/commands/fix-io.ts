/** The fix protocol's input and output for the command line: text to stdout (stderr with --json), questions on the terminal. */
import { painter } from '../report/text.js';
import type { FixIo } from '../fixes/protocol.js';
import { defaultBackupDir } from '../fixes/backup.js';
import { UsageError, type Args } from './args.js';
import type { Io } from './status.js';
import { visible, visibleLines } from '../visible.js';

/** Ctrl-C at a question: the command stops there (exit 130); what was done before stays, nothing after runs. */
export class Interrupted extends Error {
  override name = 'Interrupted';
}

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env.CI);
}

/** Changes need consent: --yes, or a terminal to ask on (not needed for --dry-run). */
export function requireConsent(args: Args, command: string): void {
  if (!args.yes && !args.dryRun && !canAsk()) {
    throw new UsageError(`\`secrets-doctor ${command}\` changes your account: pass --yes to apply without a terminal (or --dry-run to see the plan).`);
  }
}

export function cliFixIo(args: Args, io: Io): FixIo {
  const show = args.json ? io.stderr : io.stdout;
  return {
    show: (text) => show(text.endsWith('\n') ? text : `${text}\n`),
    progress: (text) => io.stderr(`${visibleLines(text)}\n`),
    paint: painter(args.color),
    async confirm(question) {
      const { confirm } = await import('@inquirer/prompts');
      try {
        return await confirm({ message: visible(question), default: false }, { output: process.stderr });
      } catch (error) {
        // Ctrl-C at the prompt (inquirer reads it as a key in raw mode): stop everything here.
        if ((error as Error).name === 'ExitPromptError') throw new Interrupted('Interrupted at a question.');
        // A terminal that went away: the answer is no.
        return false;
      }
    },
  };
}

export function backupDirOf(args: Args): string {
  return args.backupDir ?? defaultBackupDir();
}
