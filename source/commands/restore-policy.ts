/**
 * `secrets-doctor restore-policy (--secret-id ID | --kms-key-id K) --from FILE`: puts a backup back,
 * through the same protocol as a fix (diff, backup of what is there now, consent, re-read, write, verify).
 * Exit 0 when the document is restored (or already equal), 1 when it is not.
 */
import { classify, sentence } from '../aws/errors.js';
import { REGION, UsageError, type Args } from './args.js';
import { shown } from './shown.js';
import { openSession } from './diagnose.js';
import type { Io } from './status.js';
import { cliFixIo, cliShow, requireConsent, backupDirOf, Interrupted, withInterruption } from './fix-io.js';
import type { Interruption } from '../fixes/interruption.js';
import { jsonLine } from '../report/json.js';
import { visible } from '../visible.js';

export async function runRestorePolicy(args: Args, io: Io): Promise<number> {
  return withInterruption(io, (interruption, leave) => restoreWith(args, io, interruption, leave));
}

async function restoreWith(args: Args, io: Io, interruption: Interruption, leave: () => Promise<number>): Promise<number> {
  const { readBackup, backupText, BackupError } = await import('../fixes/backup.js');
  if (!args.from) throw new UsageError('`secrets-doctor restore-policy` needs --from FILE, a backup that secrets-doctor wrote.');
  if ((args.secretIds.length === 1) === Boolean(args.kmsKeyId) || args.secretIds.length > 1) {
    throw new UsageError('`secrets-doctor restore-policy` needs exactly one of --secret-id ID or --kms-key-id K.');
  }
  let backup: Awaited<ReturnType<typeof readBackup>>;
  try {
    backup = await readBackup(args.from);
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
  const wanted = args.kmsKeyId ? 'key-policy' : 'secret-policy';
  if (backup.kind !== wanted) {
    throw new UsageError(
      `${shown(args.from)} is a backup of a ${visible(String(backup.kind))}, not of a ${wanted}: use ${backup.kind === 'key-policy' ? '--kms-key-id' : '--secret-id'}.`,
    );
  }
  // The backup's Region names where the document lives: one that is not a Region code is a bad file (exit 2).
  if (!args.region && !REGION.test(backup.region)) {
    throw new UsageError(
      `${shown(args.from)} names the Region ${shown(backup.region)}, which is not a Region code such as us-east-1: correct the file, or pass --region.`,
    );
  }
  requireConsent(args, 'restore-policy');
  const session = await openSession({ ...args, region: args.region ?? backup.region }, io);
  if (typeof session === 'number') return session;
  const { secretPolicyTarget, keyPolicyTarget } = await import('../fixes/targets.js');
  const { applyChange } = await import('../fixes/protocol.js');
  const { sameDocument } = await import('../fixes/document.js');
  const region = await session.region();

  // The target as AWS names it, which must be the backup's.
  let target: ReturnType<typeof secretPolicyTarget>;
  try {
    if (args.kmsKeyId) {
      const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
      const out = await (await session.kms(region)).send(new DescribeKeyCommand({ KeyId: args.kmsKeyId }));
      target = keyPolicyTarget(session, out.KeyMetadata!.Arn!, region);
    } else {
      const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
      const out = await (await session.secretsManager(region)).send(new DescribeSecretCommand({ SecretId: args.secretIds[0]!.trim() }));
      target = secretPolicyTarget(session, out.ARN!, region, out.Name ?? out.ARN!);
    }
  } catch (error) {
    io.stderr(`The ${wanted === 'key-policy' ? 'key' : 'secret'} could not be looked up: ${sentence(classify(error), args.profile)}\n`);
    return 1;
  }
  if (target.arn !== backup.target) {
    throw new UsageError(`${shown(args.from)} is a backup of ${visible(String(backup.target))}, not of ${visible(target.arn)}.`);
  }
  const show = cliShow(args, io);
  let current: string | null;
  try {
    current = await target.read();
  } catch (error) {
    io.stderr(`${target.label} could not be read: ${sentence(classify(error), args.profile)}\n`);
    return 1;
  }
  const wantedText = backupText(backup);
  if (sameDocument(current, wantedText)) {
    show(`${visible(target.label)} already matches the backup taken at ${visible(String(backup.takenAt))}; nothing to do.\n`);
    return 0;
  }
  let result: Awaited<ReturnType<typeof applyChange>>;
  try {
    result = await applyChange(
      {
        fix: 'restore-policy',
        target,
        before: current,
        after: wantedText,
        description: `put back the ${backup.kind} backed up at ${backup.takenAt}${wantedText === null ? ' (no policy: delete it)' : ''}`,
        passes: async () => true,
      },
      cliFixIo(args, io),
      { backupDir: backupDirOf(args), dryRun: args.dryRun, yes: args.yes, waitMs: args.waitMs, interruption },
    );
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    return leave();
  }
  if (interruption.requested) return leave();
  if (args.json) io.stdout(jsonLine({ applied: [result] }));
  show(`restore-policy: ${result.status}. ${visible(result.message)}\n`);
  return result.status === 'applied' || (args.dryRun && result.status === 'skipped') ? 0 : 1;
}
