#!/usr/bin/env node
/**
 * The launcher: flags, the terminal gate, and a lazy import of what the command needs. --help and
 * --version import neither the SDK nor Ink: the build makes this file and the flag parser one CommonJS
 * file that loads no other (scripts/build.mjs). No stack trace reaches the user.
 */
import process from 'node:process';
import { parse, UsageError } from './source/commands/args.js';
import { helpText } from './source/commands/help.js';
import { version } from './source/version.js';
import { guardTerminal, RESET, visibleLines } from './source/visible.js';

// The SDK warns about Node 20 on every run; that is not the user's to act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Every line the commands print passes the guard: nothing from outside reaches the terminal raw.
const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(guardTerminal(text));
const io = { stdout: write(process.stdout), stderr: write(process.stderr) };

/** A usage error found by a command (an unreadable file, a missing flag) is one sentence and exit 2. */
function usage(run: Promise<number>): Promise<number> {
  return run.catch((error: unknown) => {
    if ((error as Error)?.name === 'UsageError') {
      io.stderr(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  });
}

/**
 * Text attributes back to normal at every exit (done, error, Ctrl-C) on a terminal that was given colour,
 * whatever a line or a prompt left set.
 */
let colour = false;
process.on('exit', () => {
  const tty = process.stdout.isTTY ? process.stdout : process.stderr.isTTY ? process.stderr : undefined;
  if (colour && tty && process.env.TERM !== 'dumb') tty.write(RESET);
});

function interrupted(): void {
  process.stderr.write('\nInterrupted.\n');
  process.exit(130);
}
process.on('SIGINT', interrupted);

async function main(): Promise<number> {
  // The fastest path: nothing but the version.
  const argv = process.argv.slice(2);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.stdout(`${version}\n`);
    return 0;
  }
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2), process.env, Boolean(process.stdout.isTTY));
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  colour = args.color;
  if (args.help || args.command === 'help') {
    io.stdout(helpText(args.helpTopic));
    return 0;
  }
  if (args.version) {
    io.stdout(`${version}\n`);
    return 0;
  }
  switch (args.command) {
    case 'diagnose':
      return usage(import('./source/commands/diagnose.js').then((m) => m.runDiagnose(args, io)));
    case 'fix':
      // fix and restore-policy handle Ctrl-C themselves: a write in flight returns before they leave.
      process.off('SIGINT', interrupted);
      return usage(import('./source/commands/fix.js').then((m) => m.runFix(args, io)));
    case 'restore-policy':
      process.off('SIGINT', interrupted);
      return usage(import('./source/commands/restore-policy.js').then((m) => m.runRestorePolicy(args, io)));
    case 'wizard': {
      // Interactive only on a terminal, decided once, here; Ink is imported only on this path.
      const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      if (!terminal || process.env.CI) {
        io.stderr(
          terminal
            ? 'CI is set, so the wizard does not start (it would wait for keys no one types): unset CI, or run `secrets-doctor diagnose` or `secrets-doctor fix --symptom ID --yes`.\n'
            : 'The wizard needs a terminal: run `secrets-doctor diagnose` (add --json for scripts), or `secrets-doctor fix --symptom ID --yes`.\n',
        );
        return 2;
      }
      // The wizard handles Ctrl-C and signals itself: a write in progress returns before it leaves.
      process.off('SIGINT', interrupted);
      const symptomGiven = process.argv.slice(2).some((a) => a === '--symptom' || a.startsWith('--symptom='));
      let code: number;
      if (args.plain) code = await usage(import('./source/plain/main.js').then((m) => m.runPlain(args, io, symptomGiven)));
      else {
        // Ink's colours (chalk) follow NO_COLOR and --no-color only through FORCE_COLOR, read when it loads.
        if (!args.color) process.env.FORCE_COLOR = '0';
        code = await usage(import('./source/ui/run.js').then((m) => m.runWizard(args, io, symptomGiven)));
      }
      // Work that no longer matters may still be pending (a verification polling after Ctrl-C): end here.
      process.exit(code);
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const debug = process.argv.includes('--debug');
    process.stderr.write(
      `secrets-doctor stopped on an unexpected error (${visibleLines(String((error as Error)?.name ?? 'Error'))}); run again with --debug and report it.\n`,
    );
    if (debug) process.stderr.write(`${visibleLines((error as Error)?.stack ?? String(error))}\n`);
    process.exitCode = 3;
  },
);
