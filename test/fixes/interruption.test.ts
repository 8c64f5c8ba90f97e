/**
 * The interruption state machine with the fix protocol (SPEC.md, "Interruption"), on an in-memory
 * document target (no AWS needed: what is tested is the order of steps, not a service's answer).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChange, type FixIo } from '../../source/fixes/protocol.js';
import { Interruption } from '../../source/fixes/interruption.js';
import type { DocumentTarget } from '../../source/fixes/targets.js';

const BEFORE = JSON.stringify({ Version: '2012-10-17', Statement: [] });
const AFTER = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm-incidents.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});

function target(hooks: { beforeRead?: () => Promise<void>; write?: (text: string | null) => Promise<void> } = {}) {
  const state = { doc: BEFORE as string | null, writes: 0, reads: 0 };
  const t: DocumentTarget = {
    kind: 'secret-policy',
    arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s-abcdef',
    region: 'us-east-1',
    label: 'the resource policy of secret s',
    name: 's',
    manualRoute: () => 'aws secretsmanager put-resource-policy --secret-id s --resource-policy file://policy.json',
    async read() {
      state.reads += 1;
      await hooks.beforeRead?.();
      return state.doc;
    },
    async write(text) {
      state.writes += 1;
      await (hooks.write ?? (async () => {}))(text);
      state.doc = text;
    },
    validateRemote: async () => ({ available: false, reason: 'not here' }),
    undoCommand: (file) => `secrets-doctor restore-policy --from ${file}`,
  };
  return { t, state };
}

const io = (confirm: () => Promise<boolean> = async () => true): FixIo => ({ event() {}, confirm });

async function run(t: DocumentTarget, interruption: Interruption, confirm?: () => Promise<boolean>) {
  const backupDir = await mkdtemp(path.join(tmpdir(), 'sd-interruption-'));
  return applyChange({ fix: 'secret-policy', target: t, before: BEFORE, after: AFTER, description: 'add a statement', passes: async () => true }, io(confirm), {
    backupDir,
    dryRun: false,
    yes: false,
    waitMs: 1000,
    interruption,
  });
}

describe('Ctrl-C and the fix protocol', () => {
  it('after the consent, before the write is sent: nothing is written, and the notice says so', async () => {
    const interruption = new Interruption();
    let notice: Promise<Awaited<ReturnType<Interruption['interrupt']>>> | undefined;
    // Ctrl-C arrives while the re-read (after the consent) is on its way.
    const { t, state } = target({
      beforeRead: async () => {
        if (state.reads === 1) notice = interruption.interrupt();
      },
    });
    const result = await run(t, interruption);
    expect(state.writes).toBe(0);
    expect(state.doc).toBe(BEFORE);
    expect(result.message).toBe('Interrupted before the write: nothing was changed.');
    expect((await notice!).outcome).toBe('not-written');
    expect((await notice!).lines).toEqual(['Interrupted before the write: the resource policy of secret s was not changed.']);
  });

  it('during the write: the notice waits for it, then says it was made, with the backup and the undo', async () => {
    const interruption = new Interruption();
    let release!: () => void;
    let notice: ReturnType<Interruption['interrupt']> | undefined;
    let settledEarly = false;
    const { t, state } = target({
      write: () =>
        new Promise<void>((resolve) => {
          release = resolve;
          notice = interruption.interrupt();
          void notice.then(() => (settledEarly = !state.writes || state.doc !== AFTER));
          // A second Ctrl-C gives the same notice.
          expect(interruption.interrupt()).toBe(notice);
          setTimeout(resolve, 20);
        }),
    });
    const result = await run(t, interruption);
    expect(release).toBeTypeOf('function');
    const n = await notice!;
    expect(settledEarly).toBe(false);
    expect(n.outcome).toBe('written');
    expect(n.lines[0]).toBe('Interrupted during the write, which was let finish: it was made: the resource policy of secret s was changed.');
    expect(n.lines[1]).toBe(`Backup: ${result.backup}`);
    expect(n.lines[2]).toBe(`Undo: secrets-doctor restore-policy --from ${result.backup}`);
    // Verification does not run after an interrupted write.
    expect(result.verified).toBe(false);
    expect(state.reads).toBe(1);
  });

  it('a write that fails and cannot be read back: unknown, ask AWS', async () => {
    const interruption = new Interruption();
    let notice: ReturnType<Interruption['interrupt']> | undefined;
    let reads = 0;
    const { t } = target({
      beforeRead: async () => {
        reads += 1;
        if (reads > 1) throw new Error('connection reset');
      },
      write: async () => {
        notice = interruption.interrupt();
        throw new Error('socket hang up');
      },
    });
    await run(t, interruption);
    const n = await notice!;
    expect(n.outcome).toBe('unknown');
    expect(n.lines[0]).toContain('whether the resource policy of secret s was changed is unknown');
  });

  it('during verification: the write was made, and the undo', async () => {
    const interruption = new Interruption();
    let notice: ReturnType<Interruption['interrupt']> | undefined;
    const { t } = target();
    const backupDir = await mkdtemp(path.join(tmpdir(), 'sd-interruption-'));
    const result = await applyChange(
      {
        fix: 'secret-policy',
        target: t,
        before: BEFORE,
        after: AFTER,
        description: 'add a statement',
        passes: async () => {
          notice ??= interruption.interrupt();
          return true;
        },
      },
      io(),
      { backupDir, dryRun: false, yes: true, waitMs: 1000, interruption },
    );
    const n = await notice!;
    expect(n.outcome).toBe('written');
    expect(n.lines[0]).toBe('Interrupted while verifying: the write was made: the resource policy of secret s was changed.');
    expect(n.lines).toContain(`Undo: secrets-doctor restore-policy --from ${result.backup}`);
  });

  it('no change under way: nothing to say; a declined change leaves nothing either', async () => {
    const interruption = new Interruption();
    const { t } = target();
    await run(t, interruption, async () => false);
    expect(await interruption.interrupt()).toEqual({ outcome: 'none', lines: [], earlier: [] });
  });
});
