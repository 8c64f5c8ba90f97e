/**
 * The fix protocol (SPEC.md, "Fixes"), every step, for every fix and every front-end: show, validate,
 * back up, ask, re-read, write, verify, undo. The plan (step 1) is the caller's: a fix's planner, or a
 * backup for restore-policy. A document change takes every step; restore-secret (a secret's scheduled
 * deletion, cancelled) takes those that apply to it: no validation, and no backup since nothing is lost.
 * Progress goes out as events (`FixEvent`), never as text: the front-ends word them (fixes/wording.ts).
 */
import { classify, sentence } from '../aws/errors.js';
import { pollUntil } from '../poll.js';
import type { FixId } from '../types.js';
import { writeBackup } from './backup.js';
import { publicStatements, sameDocument, documentValue, SIZE_LIMITS } from './document.js';
import type { Interruption, Outcome } from './interruption.js';
import { isDocument, type ChangeKind, type ChangeTarget, type RemoteValidation } from './targets.js';

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

/** A change as the protocol shows it (step 2) and asks about it (step 5): data, worded by each front-end. */
export interface Proposal {
  fix: FixId | 'restore-policy';
  kind: ChangeKind;
  /** What is changed, e.g. `the resource policy of secret prod/pd`. */
  label: string;
  /** What a person knows it by: the secret's name, the key's ARN. */
  name: string;
  /** One line: what the change does. */
  description: string;
  /** The state read when planning and the state planned (a document; a deletion date, then null). */
  before: string | null;
  after: string | null;
}

/**
 * What the protocol reports as it goes, in its order, as data: each front-end words and colours it
 * (fixes/wording.ts). The outcome is the `Applied` that `applyChange` returns.
 */
export type FixEvent =
  /** Step 2: the change, before anything else happens. */
  | { type: 'planned'; proposal: Proposal }
  /** Step 3: Secrets Manager's validation of a secret policy, or why there was none (KMS has none). */
  | { type: 'remote-validation'; result: RemoteValidation }
  /** Step 4: the backup of what is there now. */
  | { type: 'backed-up'; path: string }
  /** Step 6: the re-read just before the write. */
  | { type: 'rereading' }
  /** Step 7: the write call is sent; Ctrl-C waits until it returns. */
  | { type: 'writing' }
  /** Step 7: the write returned; verification runs for up to `waitSeconds`. */
  | { type: 'written'; waitSeconds: number }
  /** Step 7: the write returned an error; what is there is read back to say whether it changed. */
  | { type: 'write-failed' }
  /** Step 8: a verification read, counted from 1. */
  | { type: 'verifying'; attempt: number }
  /** Step 8: verification is over: whether it passed, and the time since the write began. */
  | { type: 'verified'; passed: boolean; seconds: number };

/** What a front-end provides: where the events go and how a person is asked. */
export interface FixIo {
  event(event: FixEvent): void;
  /** Whether to make the change proposed; the default answer is no. */
  confirm(proposal: Proposal): Promise<boolean>;
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
  target: ChangeTarget;
  /** The state as read when planning (step 1): a document (null: none), a deletion date. */
  before: string | null;
  /** The planned state: a document (null deletes it); null for a cancelled deletion. */
  after: string | null;
  /** One line: what the change does. */
  description: string;
  /** Whether the check this change is for passes now (step 8); reads afresh each call. */
  passes(): Promise<boolean>;
}

/** Local validation (step 3): JSON, size, public access. Returns problems; none means valid. */
export function localProblems(request: ChangeRequest): string[] {
  const { after, target } = request;
  if (after === null || !isDocument(target)) return [];
  const problems: string[] = [];
  const value = documentValue(after);
  if (typeof value !== 'object' || value === null) problems.push('the document is not a JSON object');
  const limit = SIZE_LIMITS[target.kind];
  if (after.length > limit) problems.push(`it is ${after.length} characters long; the limit is ${limit.toLocaleString('en-US')}`);
  const open = publicStatements(value);
  if (open.length) problems.push(`statement ${open.map((i) => `#${i}`).join(', ')} would allow anyone (public access)`);
  return problems;
}

export function proposalOf(request: ChangeRequest): Proposal {
  const { fix, target, description, before, after } = request;
  return { fix, kind: target.kind, label: target.label, name: target.name, description, before, after };
}

export async function applyChange(request: ChangeRequest, io: FixIo, options: ChangeOptions): Promise<Applied> {
  const { target, fix } = request;
  const document = isDocument(target) ? target : undefined;
  // A document is the same when JSON-equal; a deletion date when it is the same date.
  const same = (a: string | null, b: string | null) => (document ? sameDocument(a, b) : a === b);
  const result = (status: FixStatus, message: string, extra: Partial<Applied> = {}): Applied => ({ fix, status, message, ...extra });

  // 2. The change: the front-end shows it (a document as a diff of the pretty-printed documents).
  const proposal = proposalOf(request);
  io.event({ type: 'planned', proposal });

  // 3. Validation: locally, and by Secrets Manager where the caller may ask it.
  const problems = localProblems(request);
  if (problems.length) return result('failed', `Not written: ${problems.join('; ')}.`);
  if (document && request.after !== null) {
    const remote = await document.validateRemote(request.after);
    io.event({ type: 'remote-validation', result: remote });
    if (remote.available && !remote.passed)
      return result('failed', `Not written: AWS's validation refused it (${remote.messages.join('; ') || 'no reason given'}).`);
  }
  if (options.dryRun) return result('skipped', 'Dry run: nothing was changed.');

  // 4. The backup, before anything changes (a document's; a cancelled deletion loses nothing).
  let backup: string | undefined;
  if (document) {
    try {
      backup = await writeBackup(options.backupDir, document.kind, target.arn, target.region, request.before);
    } catch (error) {
      return result(
        'failed',
        `Not written: the backup could not be saved in ${options.backupDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      );
    }
    io.event({ type: 'backed-up', path: backup });
  }
  const kept = backup === undefined ? {} : { backup };
  const interruption = options.interruption;
  interruption?.preparing(target.label, backup);
  // Once interrupted, the phase stays as it is: the front-end's notice describes it.
  const end = (applied: Applied): Applied => {
    if (!interruption?.requested) interruption?.idle();
    return applied;
  };

  // 5. Consent; the default is no.
  const consent = options.yes || (await io.confirm(proposal));
  if (!consent) return end(result('declined', document ? 'Declined: nothing was changed.' : 'Declined: the secret stays scheduled for deletion.', kept));

  // 6. Re-read just before writing: stop if someone changed it since the plan.
  io.event({ type: 'rereading' });
  try {
    const now = await target.read();
    if (!same(now, request.before)) {
      return end(
        result(
          'failed',
          `Not written: ${target.label} changed since it was read; run again to plan on ${document ? 'the current document' : 'what is there now'}.`,
          kept,
        ),
      );
    }
  } catch (error) {
    return end(result('failed', `Not written: ${target.label} could not be re-read (${sentence(classify(error))}).`, kept));
  }

  // 7. Write, unless Ctrl-C came after the consent: the last moment to cancel.
  if (interruption?.requested) return result('failed', 'Interrupted before the write: nothing was changed.', kept);
  const undo = target.undoCommand(backup);
  const started = performance.now();
  let settled: (outcome: Outcome) => void = () => {};
  interruption?.writing(target.label, backup, undo, new Promise<Outcome>((resolve) => (settled = resolve)));
  io.event({ type: 'writing' });
  try {
    await target.write(request.after);
    settled('written');
  } catch (error) {
    io.event({ type: 'write-failed' });
    // A failed call may still have been applied (a 5xx after the change, a lost answer): look, and say which.
    const [outcome, state] = await target.read().then(
      (now): [Outcome, string] =>
        same(now, request.before)
          ? ['not-written', `${target.label} is as it was`]
          : same(now, request.after)
            ? ['written', `${target.label} was changed all the same`]
            : ['written', `${target.label} now holds something else`],
      (): [Outcome, string] => ['unknown', `${target.label} could not be read back, so its state is unknown`],
    );
    settled(outcome);
    return end(result('failed', `The write failed (${sentence(classify(error))}); ${state}.${backup ? ` Backup: ${backup}` : ''}`, kept));
  }
  // Interrupted during the write: it was let finish; the front-end says so and leaves without verifying.
  const done = document ? 'Applied' : 'Restored';
  if (interruption?.requested) return result('applied', `Written (not verified: interrupted). Undo with: ${undo}`, { ...kept, verified: false, undo });
  interruption?.verifying(target.label, backup, undo);
  io.event({ type: 'written', waitSeconds: Math.round(options.waitMs / 1000) });

  // 8. Verify: re-run the check until it passes or the wait ends; notice a state someone else wrote. A
  // deletion date still shown is not someone else's: DescribeSecret can lag behind RestoreSecret.
  const verification = await pollUntil(
    async (attempt) => {
      io.event({ type: 'verifying', attempt });
      try {
        const current = await target.read();
        if (!same(current, request.after)) return { foreign: document !== undefined || !same(current, request.before), passed: false };
        return { foreign: false, passed: await request.passes() };
      } catch (error) {
        return { foreign: false, passed: false, unreadable: sentence(classify(error)) };
      }
    },
    (v) => v.foreign || v.passed,
    { timeoutMs: options.waitMs, initialDelayMs: 500 },
  );
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  io.event({ type: 'verified', passed: verification.satisfied && !verification.value.foreign, seconds });
  // 9. The undo command.
  if (!interruption?.requested) interruption?.idle();
  if (verification.value.foreign) {
    return result('applied', `Written, but ${target.label} now reads differently: someone else changed it meanwhile. Undo with: ${undo}`, {
      ...kept,
      verified: false,
      seconds,
      undo,
    });
  }
  const unreadable = 'unreadable' in verification.value ? verification.value.unreadable : undefined;
  return result(
    'applied',
    verification.satisfied
      ? `${done} and verified in ${seconds} s. Undo with: ${undo}`
      : unreadable
        ? `Written, but ${target.label} could not be read back to verify it (${unreadable}); check it by hand. Undo with: ${undo}`
        : document
          ? `Applied, but the check did not pass within ${Math.round(options.waitMs / 1000)} s (changes can take a while to propagate). Undo with: ${undo}`
          : `Restored, but DescribeSecret still showed a deletion date after ${Math.round(options.waitMs / 1000)} s (changes can take a while to propagate). Undo with: ${undo}`,
    { ...kept, verified: verification.satisfied, seconds, undo },
  );
}
