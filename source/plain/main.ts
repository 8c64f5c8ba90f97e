/**
 * `secrets-doctor --plain`: the wizard as line-by-line prompts (@inquirer/prompts), for screen readers and
 * simple terminals. It drives the same runner and reducer as the Ink wizard (wizard/runner.ts): each step
 * of the state is a prompt whose answer is an event, or a wait while the runner works; what the runner
 * reports (each finished check, a fix's progress) is printed as it arrives. Questions and results on
 * stdout, progress on stderr. "Back" is a choice where Esc would be in the Ink wizard. Never Ink.
 */
import type { Args } from '../commands/args.js';
import type { Io } from '../commands/status.js';
import { progressLine } from '../fixes/wording.js';
import { throttledLines } from '../progress-lines.js';
import { badge } from '../report/text.js';
import { painter } from '../report/paint.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { visible, visibleLines } from '../visible.js';
import { finishWizard } from '../wizard/finish.js';
import { WizardRunner } from '../wizard/runner.js';
import { pacedInput } from './paced-input.js';
import { prepareWizard } from '../wizard/setup.js';
import type { WizardState } from '../wizard/state.js';
import { plainSteps, type PlainIo, type Prompts } from './steps.js';

/** Ctrl-C at a prompt (inquirer's ExitPromptError), or a prompt closed because the wizard is leaving. */
function isLeaving(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}

export async function runPlain(args: Args, io: Io, symptomGiven: boolean): Promise<number> {
  const prepared = await prepareWizard(args, io, symptomGiven);
  if (typeof prepared === 'number') return prepared;
  const { services, presets, base, outside, session, debugLines, interruption } = prepared;
  const inquirer = await import('@inquirer/prompts');
  const runner = new WizardRunner(services, presets, base, outside);
  // Progress is never painted: all of it is shown as text, whatever a name or a message holds.
  const progress = (text: string) => io.stderr(`${visibleLines(text)}\n`);
  const plainIo: PlainIo = {
    out: (text = '') => io.stdout(`${text}\n`),
    progress,
    paint: painter(args.color),
    // Lines are not cut to the terminal's width here: it wraps them, and a screen reader reads whole lines
    // (an ARN or a command stays in one piece, to copy).
    width: Number.POSITIVE_INFINITY,
  };

  // Every prompt closes when the wizard leaves from outside (a signal): nothing waits for an answer then.
  const leaving = new AbortController();
  // Every key counts, in order: the prompts read the terminal one key at a time (paced-input.ts).
  const input = pacedInput(process.stdin);
  const prompts = inquirerWith(inquirer, { signal: leaving.signal, input: input.stream });
  const unsubscribe = runner.subscribe(printer(runner, io, progress));
  const offLeaving = runner.subscribe((state) => {
    if (state.exit) leaving.abort();
  });
  // Outside a prompt, Ctrl-C is a signal: the runner leaves, but never in the middle of a write.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = () => outside.emit('interrupt');
  for (const s of signals) process.on(s, onSignal);

  const steps = plainSteps(runner, prompts, plainIo);
  try {
    runner.start();
    // An MFA code is asked before anything else runs, so two prompts never share the terminal; the
    // credentials check says what is wrong with credentials that do not resolve.
    let ready = false;
    const credentials = session
      .identityCredentials()
      .catch(() => undefined)
      .finally(() => (ready = true));
    while (!ready && !runner.state.exit) {
      await Promise.race([credentials, runner.until((s) => Boolean(s.mfa || s.exit))]);
      if (runner.state.mfa && !runner.state.exit) await steps.mfa(runner.state.mfa.serial);
    }
    for (let state = runner.state; !state.exit; state = runner.state) {
      if (state.leaving) await runner.until((s) => Boolean(s.exit));
      else if (state.mfa) await steps.mfa(state.mfa.serial);
      else await steps.show(state);
    }
  } catch (error) {
    if (!isLeaving(error)) throw error;
    runner.interrupt();
    await runner.until((s) => Boolean(s.exit));
  } finally {
    for (const s of signals) process.off(s, onSignal);
    unsubscribe();
    offLeaving();
    runner.stop();
    input.close();
    for (const line of debugLines) io.stderr(`${line}\n`);
  }
  // The summary printed the undo commands whole already.
  return finishWizard(runner.state, interruption, io, { color: args.color, strict: args.strict, repeatCommands: false });
}

/** The prompts, reading `input`, each closed by `signal` when the wizard leaves. */
function inquirerWith(inquirer: typeof import('@inquirer/prompts'), context: { signal: AbortSignal; input: NodeJS.ReadableStream }): Prompts {
  return {
    select: (config) => inquirer.select(config, context),
    search: (config) => inquirer.search(config, context),
    input: (config) => inquirer.input(config, context),
    confirm: (config) => inquirer.confirm(config, context),
  };
}

/**
 * Prints what the runner reports as it arrives: each run's title and finished checks, a many-secrets
 * run's progress (rewritten in place on a terminal), a fix's progress (stderr), and that Ctrl-C waits for
 * a write in flight.
 */
function printer(runner: WizardRunner, io: Io, progress: (text: string) => void): (state: WizardState) => void {
  let printed = runner.state.printed.length;
  let fix = { ticket: 0, events: 0 };
  let many = { run: -1, done: -1 };
  let leaving = false;
  const said = new Map<string, string>();
  const throttled = throttledLines(5_000, progress);
  const waiting = (check: string, text: string) => {
    said.set(check, text);
    throttled(`${check}  ${text}`);
  };
  const tty = Boolean(process.stderr.isTTY);
  return (state) => {
    if (state.leaving && !leaving) progress('Leaving as soon as the write in progress returns (a change is never left half done)...');
    leaving = state.leaving;
    // A check that waits (propagation) says so every few seconds: a handful of lines for a minute's wait.
    for (const row of state.checks) if (row.progress && !row.finding && row.progress !== said.get(row.id)) waiting(row.id, row.progress);
    for (const item of state.printed.slice(printed)) {
      if (item.kind === 'title') progress(`Checking: ${SYMPTOM_CATALOGUE[item.symptom].label}`);
      else progress(`${badge(item.finding.status, painter(false))} ${item.finding.id}  ${visible(item.finding.summary)}`);
    }
    printed = state.printed.length;
    if (state.fix) {
      if (state.fix.ticket !== fix.ticket) fix = { ticket: state.fix.ticket, events: 0 };
      // Worded as every front-end words them; the plan itself is the review step's (steps.ts).
      for (const event of state.fix.events.slice(fix.events)) {
        const line = progressLine(event);
        if (line !== undefined) progress(line);
      }
      fix = { ticket: fix.ticket, events: state.fix.events.length };
    }
    if (state.step === 'many-checks' && state.many && (state.run !== many.run || state.many.done !== many.done)) {
      if (state.run !== many.run) progress(`Checking ${state.many.secretIds.length} secrets: ${SYMPTOM_CATALOGUE[state.symptom ?? 'not-sure'].label}`);
      many = { run: state.run, done: state.many.done };
      const line = `Checked ${state.many.done} of ${state.many.secretIds.length} secrets, ${state.many.failing} with failures.`;
      io.stderr(tty ? `\r\u001b[2K${line}` : `${line}\n`);
    }
    if (tty && state.step === 'many-list' && many.run === state.run) {
      io.stderr('\n');
      many = { run: -1, done: -1 };
    }
  };
}
