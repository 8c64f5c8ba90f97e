/**
 * The fix protocol for documents (SPEC.md, "Fixes"), every step, for every fix and every front-end:
 * diff, validate, back up, ask, re-read, write, verify, undo. The plan (step 1) is the caller's: a fix's
 * planner, or a backup for restore-policy.
 */
import { classify, sentence } from '../aws/errors.js';
import { pollUntil } from '../poll.js';
import type { Paint } from '../report/paint.js';
import type { FixId } from '../types.js';
import { writeBackup } from './backup.js';
import { documentDiff } from './diff.js';
import { publicStatements, sameDocument, documentValue, SIZE_LIMITS } from './document.js';
import type { Interruption, Outcome } from './interruption.js';
import type { DocumentTarget } from './targets.js';
import { visible } from '../visible.js';

export type FixStatus = 'applied' | 'declined' | 'failed' | 'skipped';

export interface Applied {
  fix: FixId | 'restore-policy';
  status: FixStatus;
  /** What happened, in one sentence. */
  message: string;
  backup?: string | undefined;
  verified?: boolean | undefined;
  seconds?: number | undefined;
  undo?: string | undefined;
}

/** What a front-end provides: where text goes and how a person is asked. */
export interface FixIo {
  /** Plans, diffs, results. */
  show(text: string): void;
  /** Step-by-step progress. */
  progress(text: string): void;
  /** A yes/no question whose default answer is no. */
  confirm(question: string): Promise<boolean>;
  paint: Paint;
}

export interface ChangeOptions {
  backupDir: string;
  dryRun: boolean;
  /** Non-interactive consent (--yes). */
  yes: boolean;
  /** How long verification may poll. */
  waitMs: number;
  /** Ctrl-C: cancels a write not yet sent; one in flight is waited for (SPEC.md, "Interruption"). */
  interruption?: Interruption | undefined;
}

export interface ChangeRequest {
  fix: FixId | 'restore-policy';
  target: DocumentTarget;
  /** The document as read when planning (step 1); null when there was none. */
  before: string | null;
  /** The planned document; null deletes it. */
  after: string | null;
  /** One line: what the change does. */
  description: string;
  /** Whether the check this change is for passes now (step 8); reads afresh each call. */
  passes(): Promise<boolean>;
}

/** Local validation (step 3): JSON, size, public access. Returns problems; none means valid. */
export function localProblems(request: ChangeRequest): string[] {
  const { after, target } = request;
  if (after === null) return [];
  const problems: string[] = [];
  const value = documentValue(after);
  if (typeof value !== 'object' || value === null) problems.push('the document is not a JSON object');
  const limit = SIZE_LIMITS[target.kind];
  if (after.length > limit) problems.push(`it is ${after.length} characters long; the limit is ${limit.toLocaleString('en-US')}`);
  const open = publicStatements(value);
  if (open.length) problems.push(`statement ${open.map((i) => `#${i}`).join(', ')} would allow anyone (public access)`);
  return problems;
}

export async function applyChange(request: ChangeRequest, io: FixIo, options: ChangeOptions): Promise<Applied> {
  const { target, fix } = request;
  const result = (status: FixStatus, message: string, extra: Partial<Applied> = {}): Applied => ({ fix, status, message, ...extra });

  // 2. The change, as a diff of the pretty-printed documents.
  io.show(`${io.paint('bold', `${fix}: ${visible(request.description)}`)}\n${visible(target.label)}:\n${documentDiff(request.before, request.after, io.paint)}\n`);

  // 3. Validation: locally, and by Secrets Manager where the caller may ask it.
  const problems = localProblems(request);
  if (problems.length) return result('failed', `Not written: ${problems.join('; ')}.`);
  if (request.after !== null) {
    const remote = await target.validateRemote(request.after);
    if (!remote.available) io.progress(`Remote validation not available: ${remote.reason}`);
    else if (!remote.passed) return result('failed', `Not written: AWS's validation refused it (${remote.messages.join('; ') || 'no reason given'}).`);
    else io.progress('Validated by AWS (ValidateResourcePolicy).');
  }
  if (options.dryRun) return result('skipped', 'Dry run: nothing was changed.');

  // 4. The backup, before anything changes.
  let backup: string;
  try {
    backup = await writeBackup(options.backupDir, target.kind, target.arn, target.region, request.before);
  } catch (error) {
    return result('failed', `Not written: the backup could not be saved in ${options.backupDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  io.progress(`Backup: ${backup}`);
  const interruption = options.interruption;
  interruption?.preparing(target.label, backup);
  // Once interrupted, the phase stays as it is: the front-end's notice describes it.
  const end = (applied: Applied): Applied => {
    if (!interruption?.requested) interruption?.idle();
    return applied;
  };

  // 5. Consent; the default is no.
  const consent = options.yes || (await io.confirm(`Apply this change to ${visible(target.label)}?`));
  if (!consent) return end(result('declined', 'Declined: nothing was changed.', { backup }));

  // 6. Re-read just before writing: stop if someone changed it since the plan.
  try {
    const now = await target.read();
    if (!sameDocument(now, request.before)) {
      return end(result('failed', `Not written: ${target.label} changed since it was read; run again to plan on the current document.`, { backup }));
    }
  } catch (error) {
    return end(result('failed', `Not written: ${target.label} could not be re-read (${sentence(classify(error))}).`, { backup }));
  }

  // 7. Write, unless Ctrl-C came after the consent: the last moment to cancel.
  if (interruption?.requested) return result('failed', 'Interrupted before the write: nothing was changed.', { backup });
  const undo = target.undoCommand(backup);
  const started = performance.now();
  let settled: (outcome: Outcome) => void = () => {};
  interruption?.writing(target.label, backup, undo, new Promise<Outcome>((resolve) => (settled = resolve)));
  try {
    await target.write(request.after);
    settled('written');
  } catch (error) {
    // A failed call may still have been applied (a 5xx after the change, a lost answer): look, and say which.
    const [outcome, state] = await target.read().then(
      (now): [Outcome, string] =>
        sameDocument(now, request.before)
          ? ['not-written', `${target.label} is as it was`]
          : sameDocument(now, request.after)
            ? ['written', `${target.label} was changed all the same`]
            : ['written', `${target.label} now holds something else`],
      (): [Outcome, string] => ['unknown', `${target.label} could not be read back, so its state is unknown`],
    );
    settled(outcome);
    return end(result('failed', `The write failed (${sentence(classify(error))}); ${state}. Backup: ${backup}`, { backup }));
  }
  // Interrupted during the write: it was let finish; the front-end says so and leaves without verifying.
  if (interruption?.requested) return result('applied', `Written (not verified: interrupted). Undo with: ${undo}`, { backup, verified: false, undo });
  interruption?.verifying(target.label, backup, undo);
  io.progress(`Written. Verifying (up to ${Math.round(options.waitMs / 1000)} s)...`);

  // 8. Verify: re-run the check until it passes or the wait ends; notice a document someone else wrote.
  const verification = await pollUntil(
    async () => {
      try {
        const current = await target.read();
        if (!sameDocument(current, request.after)) return { foreign: true, passed: false };
        return { foreign: false, passed: await request.passes() };
      } catch (error) {
        return { foreign: false, passed: false, unreadable: sentence(classify(error)) };
      }
    },
    (v) => v.foreign || v.passed,
    { timeoutMs: options.waitMs, initialDelayMs: 500 },
  );
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  // 9. The undo command.
  if (!interruption?.requested) interruption?.idle();
  if (verification.value.foreign) {
    return result('applied', `Written, but ${target.label} now reads differently: someone else changed it meanwhile. Undo with: ${undo}`, {
      backup,
      verified: false,
      seconds,
      undo,
    });
  }
  const unreadable = 'unreadable' in verification.value ? verification.value.unreadable : undefined;
  return result(
    'applied',
    verification.satisfied
      ? `Applied and verified in ${seconds} s. Undo with: ${undo}`
      : unreadable
        ? `Written, but ${target.label} could not be read back to verify it (${unreadable}); check it by hand. Undo with: ${undo}`
        : `Applied, but the check did not pass within ${Math.round(options.waitMs / 1000)} s (changes can take a while to propagate). Undo with: ${undo}`,
    { backup, verified: verification.satisfied, seconds, undo },
  );
}
