/**
 * `secrets-doctor fix --symptom ID`: diagnose, apply the fixes the findings offer (or those named) through
 * the fix protocol, then diagnose again. Exit 1 when something still fails.
 */
import type { Diagnosis } from '../diagnose.js';
import type { Applied } from '../fixes/protocol.js';
import { UsageError, type Args } from './args.js';
import { inputsFromArgs } from './inputs.js';
import { openSession } from './diagnose.js';
import { exitStatus, type Io } from './status.js';
import { cliFixIo, requireConsent, backupDirOf, Interrupted } from './fix-io.js';
import { renderReport } from '../report/text.js';
import { jsonLine } from '../report/json.js';
import { visible } from '../visible.js';

export interface FixDocument extends Diagnosis {
  applied: Applied[];
}

export async function runFix(args: Args, io: Io): Promise<number> {
  if (args.symptom === 'not-sure') throw new UsageError('`secrets-doctor fix` needs --symptom (not not-sure): the fixes depend on the error you see.');
  if (args.secretIds.length !== 1) throw new UsageError('`secrets-doctor fix` needs exactly one --secret-id.');
  requireConsent(args, 'fix');
  const session = await openSession(args, io);
  if (typeof session === 'number') return session;
  const { diagnose } = await import('../diagnose.js');
  const { runFixes } = await import('../fixes/index.js');
  const inputs = await inputsFromArgs(args, args.secretIds[0]);

  const before = await diagnose(session, inputs);
  if (exitStatus(before, false) === 3) {
    io.stderr(`${visible(before.findings[0]?.summary ?? 'The AWS credentials do not work.')}\n`);
    if (args.json) io.stdout(jsonLine({ ...before, applied: [] }));
    return 3;
  }
  const fixIo = cliFixIo(args, io);
  if (!args.json) fixIo.show(renderReport(before, { color: args.color }));
  let applied;
  try {
    applied = await runFixes(session, inputs, before, fixIo, {
      only: args.fixes,
      includeCreator: args.includeCreator,
      dryRun: args.dryRun,
      yes: args.yes,
      backupDir: backupDirOf(args),
      waitMs: args.waitMs,
    });
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    io.stderr('Interrupted: the change that was being asked about was not made (its backup is kept); fixes applied before it stay applied.\n');
    return 130;
  }
  for (const a of applied) fixIo.show(`${a.fix}: ${a.status}. ${visible(a.message)}\n`);
  if (!applied.length) fixIo.show('No fix to apply: no failing check offers one.\n');

  const after = args.dryRun ? before : await diagnose(session, inputs);
  if (args.json) io.stdout(jsonLine({ ...after, applied } satisfies FixDocument));
  else if (!args.dryRun) io.stdout(`\nAfter the fixes:\n${renderReport(after, { color: args.color })}`);
  const failedFix = applied.some((a) => a.status === 'failed');
  return Math.max(exitStatus(after, args.strict), failedFix ? 1 : 0);
}
