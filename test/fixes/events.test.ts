/**
 * The protocol's events, in the protocol's order (SPEC.md, "Fixes"): for a document change every step,
 * for restore-secret those that apply to it (no validation, no backup). Targets in memory, so that each
 * step's outcome is the test's to choose; the real ones against moto are in fix.test.ts.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interruption } from '../../source/fixes/interruption.js';
import { applyChange, type ChangeOptions, type ChangeRequest, type FixEvent, type FixIo } from '../../source/fixes/protocol.js';
import { recoveryWindowDays, type ChangeTarget, type DocumentTarget } from '../../source/fixes/targets.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/pagerduty-AbCdEf';
const BEFORE = JSON.stringify({ Version: '2012-10-17', Statement: [] });
const AFTER = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm-incidents.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});
const DELETED = new Date(Date.now() + 7 * 86_400_000);

interface Script {
  /** What each read returns, in turn (the last one from then on); default: the state as written. */
  reads?: (string | null)[];
  write?: () => Promise<void>;
}

function memory<T extends ChangeTarget>(base: Omit<T, 'read' | 'write'>, initial: string | null, script: Script) {
  const state = { value: initial, writes: 0 };
  const reads = [...(script.reads ?? [])];
  const target = {
    ...base,
    async read() {
      return reads.length ? (reads.length > 1 ? reads.shift()! : reads[0]!) : state.value;
    },
    async write(value: string | null) {
      state.writes += 1;
      await script.write?.();
      state.value = value;
    },
  } as T;
  return { target, state };
}

function policy(script: Script = {}) {
  return memory<DocumentTarget>(
    {
      kind: 'secret-policy',
      arn: ARN,
      region: 'us-east-1',
      label: 'the resource policy of secret prod/pagerduty',
      name: 'prod/pagerduty',
      validateRemote: async () => ({ available: true, passed: true, messages: [] }),
      undoCommand: (file: string) => `secrets-doctor restore-policy --secret-id ${ARN} --region us-east-1 --from ${file}`,
      manualRoute: () => 'by hand',
    },
    BEFORE,
    script,
  );
}

function deletion(script: Script = {}) {
  return memory<ChangeTarget>(
    {
      kind: 'secret-deletion',
      arn: ARN,
      region: 'us-east-1',
      label: 'the scheduled deletion of secret prod/pagerduty',
      name: 'prod/pagerduty',
      undoCommand: () => `aws secretsmanager delete-secret --secret-id ${ARN} --region us-east-1 --recovery-window-in-days ${recoveryWindowDays(DELETED)}`,
    },
    DELETED.toISOString(),
    script,
  );
}

const changeOf = (target: DocumentTarget): ChangeRequest => ({
  fix: 'secret-policy',
  target,
  before: BEFORE,
  after: AFTER,
  description: 'add a statement',
  passes: async () => true,
});
const restoreOf = (target: ChangeTarget): ChangeRequest => ({
  fix: 'restore-secret',
  target,
  before: DELETED.toISOString(),
  after: null,
  description: 'cancel the scheduled deletion of prod/pagerduty',
  passes: async () => true,
});

/** The events as their types (with the question where it was asked), in order. */
function recorder(answer = true): FixIo & { log: string[]; events: FixEvent[] } {
  const log: string[] = [];
  const events: FixEvent[] = [];
  return {
    log,
    events,
    event(e) {
      events.push(e);
      log.push(e.type);
    },
    async confirm() {
      log.push('(asked)');
      return answer;
    },
  };
}

async function options(extra: Partial<ChangeOptions> = {}): Promise<ChangeOptions> {
  return { backupDir: await mkdtemp(path.join(tmpdir(), 'sd-events-')), dryRun: false, yes: false, waitMs: 2000, ...extra };
}

describe('a document change', () => {
  it('goes through every step in order: plan, validation, backup, question, re-read, write, verification', async () => {
    const { target, state } = policy();
    const io = recorder();
    const result = await applyChange(changeOf(target), io, await options());
    expect(io.log).toEqual(['planned', 'remote-validation', 'backed-up', '(asked)', 'rereading', 'writing', 'written', 'verifying', 'verified']);
    expect(result).toMatchObject({ status: 'applied', verified: true });
    expect(state.value).toBe(AFTER);
    // The events carry what the front-ends word: the plan, the backup's path, the wait, the outcome
    expect(io.events[0]).toEqual({
      type: 'planned',
      proposal: {
        fix: 'secret-policy',
        kind: 'secret-policy',
        label: target.label,
        name: 'prod/pagerduty',
        description: 'add a statement',
        before: BEFORE,
        after: AFTER,
      },
    });
    expect(io.events[2]).toEqual({ type: 'backed-up', path: result.backup });
    expect(io.events[5]).toEqual({ type: 'written', waitSeconds: 2 });
    expect(io.events.at(-1)).toEqual({ type: 'verified', passed: true, seconds: result.seconds });
  });

  it('stops after the plan and validation in a dry run, with no backup', async () => {
    const { target, state } = policy();
    const io = recorder();
    const opts = await options({ dryRun: true });
    expect((await applyChange(changeOf(target), io, opts)).status).toBe('skipped');
    expect(io.log).toEqual(['planned', 'remote-validation']);
    expect(await readdir(opts.backupDir)).toEqual([]);
    expect(state.writes).toBe(0);
  });

  it('reads back after a failed write, between write-failed and the result', async () => {
    const { target } = policy({ write: async () => Promise.reject(Object.assign(new Error('boom'), { name: 'InternalServiceError' })) });
    const io = recorder();
    const result = await applyChange(changeOf(target), io, await options({ yes: true }));
    expect(io.log).toEqual(['planned', 'remote-validation', 'backed-up', 'rereading', 'writing', 'write-failed']);
    expect(result.status).toBe('failed');
    expect(result.message).toContain('is as it was');
  });
});

describe('restore-secret', () => {
  it('takes the steps that apply to it, in the same order: plan, question, re-read, write, verification', async () => {
    const { target, state } = deletion();
    const io = recorder();
    const opts = await options();
    const result = await applyChange(restoreOf(target), io, opts);
    expect(io.log).toEqual(['planned', '(asked)', 'rereading', 'writing', 'written', 'verifying', 'verified']);
    expect(io.events[0]).toMatchObject({
      type: 'planned',
      proposal: { fix: 'restore-secret', kind: 'secret-deletion', before: DELETED.toISOString(), after: null },
    });
    expect(state.value).toBeNull();
    // No backup: nothing is lost by cancelling a deletion. The undo schedules it again, the same window left.
    expect(await readdir(opts.backupDir)).toEqual([]);
    expect(result).toMatchObject({ fix: 'restore-secret', status: 'applied', verified: true });
    expect(result.backup).toBeUndefined();
    expect(result.undo).toBe(`aws secretsmanager delete-secret --secret-id ${ARN} --region us-east-1 --recovery-window-in-days 7`);
    expect(result.message).toMatch(/^Restored and verified in [\d.]+ s\. Undo with: aws secretsmanager delete-secret /);
  });

  it('keeps verifying while DescribeSecret still shows the deletion date: a lag, not someone else', async () => {
    const date = DELETED.toISOString();
    // The re-read finds the planned date; the first verification read still shows it (a lag behind RestoreSecret)
    const { target } = deletion({ reads: [date, date, null] });
    const io = recorder();
    const result = await applyChange(restoreOf(target), io, await options({ yes: true }));
    expect(io.log).toEqual(['planned', 'rereading', 'writing', 'written', 'verifying', 'verifying', 'verified']);
    expect(io.events.filter((e) => e.type === 'verifying')).toEqual([
      { type: 'verifying', attempt: 1 },
      { type: 'verifying', attempt: 2 },
    ]);
    expect(result).toMatchObject({ status: 'applied', verified: true });
  });

  it('declined: nothing is written, the secret stays scheduled', async () => {
    const { target, state } = deletion();
    const io = recorder(false);
    const result = await applyChange(restoreOf(target), io, await options());
    expect(io.log).toEqual(['planned', '(asked)']);
    expect(result).toEqual({ fix: 'restore-secret', status: 'declined', message: 'Declined: the secret stays scheduled for deletion.' });
    expect(state.writes).toBe(0);
  });

  it('stops when the deletion changed between the plan and the write (someone restored it)', async () => {
    const { target, state } = deletion({ reads: [null] });
    const io = recorder();
    const result = await applyChange(restoreOf(target), io, await options());
    expect(io.log).toEqual(['planned', '(asked)', 'rereading']);
    expect(result.status).toBe('failed');
    expect(result.message).toBe(
      'Not written: the scheduled deletion of secret prod/pagerduty changed since it was read; run again to plan on what is there now.',
    );
    expect(state.writes).toBe(0);
  });

  it('says what became of a RestoreSecret that failed, from a read back', async () => {
    const { target } = deletion({ write: async () => Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })) });
    const io = recorder();
    const result = await applyChange(restoreOf(target), io, await options({ yes: true }));
    expect(io.log).toEqual(['planned', 'rereading', 'writing', 'write-failed']);
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/^The write failed \(.+\); the scheduled deletion of secret prod\/pagerduty is as it was\.$/);
  });

  it('shows the plan only in a dry run', async () => {
    const { target, state } = deletion();
    const io = recorder();
    expect((await applyChange(restoreOf(target), io, await options({ dryRun: true }))).status).toBe('skipped');
    expect(io.log).toEqual(['planned']);
    expect(state.writes).toBe(0);
  });

  it('Ctrl-C during RestoreSecret waits for it, then says it was made and how to undo it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let sent!: () => void;
    const writing = new Promise<void>((resolve) => (sent = resolve));
    const { target } = deletion({
      write: async () => {
        sent();
        await held;
      },
    });
    const interruption = new Interruption();
    const io = recorder();
    const applying = applyChange(restoreOf(target), io, await options({ yes: true, interruption }));
    await writing;
    const notice = interruption.interrupt();
    expect(interruption.waiting).toBe(true);
    release();
    expect((await notice).lines).toEqual([
      'Interrupted during the write, which was let finish: it was made: the scheduled deletion of secret prod/pagerduty was changed.',
      `Undo: aws secretsmanager delete-secret --secret-id ${ARN} --region us-east-1 --recovery-window-in-days 7`,
    ]);
    expect(await applying).toMatchObject({ status: 'applied', verified: false });
    // No verification after an interruption
    expect(io.log).toEqual(['planned', 'rereading', 'writing']);
  });
});

describe('the recovery window the undo uses', () => {
  const now = Date.UTC(2030, 0, 1);
  const inDays = (days: number) => new Date(now + days * 86_400_000);
  it('is the days left until the scheduled deletion, within the 7 to 30 DeleteSecret accepts', () => {
    expect(recoveryWindowDays(inDays(7), now)).toBe(7);
    expect(recoveryWindowDays(inDays(29.6), now)).toBe(30);
    expect(recoveryWindowDays(inDays(12.2), now)).toBe(12);
    expect(recoveryWindowDays(inDays(2), now)).toBe(7);
    expect(recoveryWindowDays(inDays(45), now)).toBe(30);
  });
});
