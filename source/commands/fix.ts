/**
 * `secrets-doctor fix --symptom ID`: diagnose, apply the fixes the findings offer (or those named) through
 * the fix protocol, then diagnose again. Exit 1 when something still fails.
 */
import type { Diagnosis } from '../diagnose.js';
import type { Applied } from '../fixes/protocol.js';
import { UsageError, type Args } from './args.js';
import { errorMessageNote, inputsFromArgs } from './inputs.js';
import { openSession } from './diagnose.js';
import { exitStatus, type Io } from './status.js';
import { cliFixIo, cliShow, requireConsent, backupDirOf, Interrupted, withInterruption } from './fix-io.js';
import type { Interruption } from '../fixes/interruption.js';
import { renderReport } from '../report/text.js';
import { renderDiagnosis, reportSink } from '../report/output.js';
import { jsonLine } from '../report/json.js';
import { visible } from '../visible.js';

export interface FixDocument extends Diagnosis {
  applied: Applied[];
}

export async function runFix(args: Args, io: Io): Promise<number> {
  if (args.symptom === 'not-sure') throw new UsageError('`secrets-doctor fix` needs --symptom (not not-sure): the fixes depend on the error you see.');
  if (args.secretIds.length !== 1) throw new UsageError('`secrets-doctor fix` needs exactly one --secret-id.');
  requireConsent(args, 'fix');
  return withInterruption(io, (interruption, leave) => fixWith(args, io, interruption, leave));
}

async function fixWith(args: Args, io: Io, interruption: Interruption, leave: () => Promise<number>): Promise<number> {
  const session = await openSession(args, io);
  if (typeof session === 'number') return session;
  const { diagnose } = await import('../diagnose.js');
  const { runFixes } = await import('../fixes/index.js');
  const inputs = await inputsFromArgs(args, args.secretIds[0]);
  const note = await errorMessageNote(args);
  if (note) io.stderr(`${note}\n`);

  const before = await diagnose(session, inputs);
  if (exitStatus(before, false) === 3) {
    io.stderr(`${visible(before.findings[0]?.summary ?? 'The AWS credentials do not work.')}\n`);
    if (args.json) io.stdout(jsonLine({ ...before, applied: [] }));
    return 3;
  }
  const fixIo = cliFixIo(args, io);
  const show = cliShow(args, io);
  if (!args.json) show(renderReport(before, { color: args.color }));
  let applied: Awaited<ReturnType<typeof runFixes>>;
  try {
    applied = await runFixes(session, inputs, before, fixIo, {
      only: args.fixes,
      includeCreator: args.includeCreator,
      dryRun: args.dryRun,
      yes: args.yes,
      backupDir: backupDirOf(args),
      waitMs: args.waitMs,
      interruption,
    });
  } catch (error) {
    // Ctrl-C at the question (a key, in the prompt's raw mode): the change asked about is not made.
    if (!(error instanceof Interrupted)) throw error;
    return leave();
  }
  // Ctrl-C during a write or its verification: the notice says what was written; nothing more runs.
  if (interruption.requested) return leave();
  for (const a of applied) show(`${a.fix}: ${a.status}. ${visible(a.message)}\n`);
  if (!applied.length) show('No fix to apply: no failing check offers one.\n');

  const after = args.dryRun ? before : await diagnose(session, inputs);
  const sink = reportSink(args, io.stdout, io.stderr);
  if (args.format === 'json') sink.write(jsonLine({ ...after, applied } satisfies FixDocument));
  else if (args.format === 'markdown') {
    const fixes = applied.map((a) => `- ${a.fix}: ${a.status}${a.backup ? ` (backup ${a.backup})` : ''}`);
    sink.write(`${renderDiagnosis(after, args)}\n## Fixes\n\n${fixes.join('\n') || '- none applied'}\n`);
  } else if (!args.dryRun || args.output) sink.write(`${args.output ? '' : '\nAfter the fixes:\n'}${renderDiagnosis(after, args)}`);
  const problem = sink.close();
  if (problem) io.stderr(`${problem}\n`);
  const failedFix = applied.some((a) => a.status === 'failed');
  return Math.max(exitStatus(after, args.strict), failedFix ? 1 : 0, problem ? 2 : 0);
}
