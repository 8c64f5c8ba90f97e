/**
 * The fix protocol's input and output for the command line: the plan and results to stdout (stderr with
 * --json), progress to stderr, questions on the terminal; the events worded as every front-end words them.
 */
import { painter } from '../report/paint.js';
import type { FixIo } from '../fixes/protocol.js';
import { planText, progressLine, questionText } from '../fixes/wording.js';
import { Interruption, type Notice } from '../fixes/interruption.js';
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

/** Where a fix command's plans and results go: stdout, or stderr when stdout carries the JSON. */
export function cliShow(args: Args, io: Io): (text: string) => void {
  const show = args.json ? io.stderr : io.stdout;
  return (text) => show(text.endsWith('\n') ? text : `${text}\n`);
}

export function cliFixIo(args: Args, io: Io): FixIo {
  const show = cliShow(args, io);
  const paint = painter(args.color);
  return {
    event(event) {
      if (event.type === 'planned') return show(planText(event.proposal, paint));
      const line = progressLine(event);
      if (line !== undefined) io.stderr(`${visibleLines(line)}\n`);
    },
    async confirm(proposal) {
      const { confirm } = await import('@inquirer/prompts');
      try {
        return await confirm({ message: visible(questionText(proposal)), default: false }, { output: process.stderr });
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

/** What to say on leaving after Ctrl-C: the change under way (if any), then the changes made before it. */
export function noticeText(notice: Notice): string {
  const lines = ['Interrupted.', ...notice.lines];
  for (const w of notice.earlier) lines.push(`Changed earlier in this run: ${w.label}.${w.backup ? ` Backup: ${w.backup}` : ''} Undo: ${w.undo}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Ctrl-C (and SIGTERM, SIGHUP) while a command may write: a write not yet sent is cancelled; one in flight
 * is waited for (so is a second Ctrl-C); then the notice is printed and the process exits 130. `leave`
 * prints the notice (once) and resolves to 130, for a command that notices the interruption itself.
 */
export function exitOnInterrupt(interruption: Interruption, io: Io): { stop(): void; leave(): Promise<number> } {
  let leaving: Promise<number> | undefined;
  const leave = () =>
    (leaving ??= interruption.interrupt().then((notice) => {
      io.stderr(`\n${noticeText(notice)}`);
      return 130;
    }));
  const onSignal = () => {
    if (interruption.waiting) io.stderr('\nWaiting for the write in progress to return (a change is never left half done)...\n');
    if (leaving) return;
    void leave().then((code) => process.exit(code));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  return {
    stop() {
      for (const s of signals) process.off(s, onSignal);
    },
    leave,
  };
}

/** Runs a command that writes under Ctrl-C handling (SPEC.md, "Interruption"): `leave` ends it with 130. */
export async function withInterruption(io: Io, run: (interruption: Interruption, leave: () => Promise<number>) => Promise<number>): Promise<number> {
  const interruption = new Interruption();
  const handling = exitOnInterrupt(interruption, io);
  try {
    return await run(interruption, handling.leave);
  } finally {
    handling.stop();
  }
}
