/**
 * Ctrl-C around a write (SPEC.md, "Interruption"), with the built CLI in a real terminal (tmux) and the
 * answers timed by a loopback proxy in front of moto (test/helpers/slow-proxy.ts): Ctrl-C after the
 * consent, while the re-read before the write is held, writes nothing; Ctrl-C while PutResourcePolicy's
 * answer is held waits for it, then says the document was changed, with the backup and the undo command.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEnv, motoEndpoint } from '../helpers/moto.js';
import { CLI } from '../helpers/cli.js';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.js';
import { Terminal } from '../e2e/tmux.js';
import { expectMadeAndUndoable, interruptedScreen } from '../helpers/interrupted.js';

const session = newSession();
let terminal: Terminal | undefined;
let proxy: SlowProxy | undefined;

afterEach(async () => {
  proxy?.release();
  await terminal?.kill();
  await proxy?.close();
  terminal = undefined;
  proxy = undefined;
});

async function policyOf(seeded: Seeded): Promise<string | undefined> {
  return (await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }))).ResourcePolicy;
}

/** `argv` (fix or restore-policy's arguments) in a terminal, through the proxy, up to the question. */
async function atTheQuestion(argv: string[]): Promise<{ t: Terminal; p: SlowProxy }> {
  const p = await startSlowProxy(motoEndpoint());
  proxy = p;
  const t = new Terminal();
  terminal = t;
  await t.start([process.execPath, CLI, ...argv, '--no-color', '--wait', '5'], { env: motoEnv({ AWS_ENDPOINT_URL: p.endpoint }), columns: 200, rows: 50 });
  await t.waitFor('Apply this change');
  return { t, p };
}

async function fixArgs(): Promise<{ seeded: Seeded; before: string | undefined; dir: string; argv: string[] }> {
  const seeded = await seedScenario(session, 'policy-other-service');
  const dir = await mkdtemp(path.join(tmpdir(), 'sd-interrupt-write-'));
  const argv = ['fix', '--symptom', 'incident-manager-secret', '--secret-id', seeded.secretArn, '--fixes', 'secret-policy', '--backup-dir', dir];
  return { seeded, before: await policyOf(seeded), dir, argv };
}

describe('Ctrl-C around a write, in `fix`', () => {
  it('after the consent, during the re-read before the write: exit 130, nothing written, and it says so', async () => {
    const { seeded, before, argv } = await fixArgs();
    const { t, p } = await atTheQuestion(argv);
    p.rule = (op) => (op === 'secretsmanager.GetResourcePolicy' ? 'hold' : undefined);
    await t.keys('y', 'Enter');
    await p.held('secretsmanager.GetResourcePolicy');
    await t.keys('C-c');
    const screen = await interruptedScreen(t);
    p.release();
    expect(screen).toContain('Interrupted before the write: the resource policy of secret');
    expect(screen).toContain('was not changed.');
    expect(p.seen).not.toContain('secretsmanager.PutResourcePolicy');
    expect(await policyOf(seeded)).toBe(before);
  });

  it('during the write: waits for it, exit 130, says the document was changed, names the backup, prints the undo', async () => {
    const { seeded, before, dir, argv } = await fixArgs();
    const { t, p } = await atTheQuestion(argv);
    p.rule = (op) => (op === 'secretsmanager.PutResourcePolicy' ? 'hold' : undefined);
    await t.keys('y', 'Enter');
    await p.held('secretsmanager.PutResourcePolicy');
    await t.keys('C-c');
    await t.waitFor('Waiting for the write in progress to return');
    // A second Ctrl-C waits too.
    await t.keys('C-c');
    p.release();
    const screen = await interruptedScreen(t);
    await expectMadeAndUndoable(screen, dir, seeded.secretArn);
    expect(await policyOf(seeded)).not.toBe(before);
  });
});

describe('Ctrl-C around a write, in `restore-policy`', () => {
  it('during the write: waits for it, exit 130, says the document was changed, names the backup, prints the undo', async () => {
    const { seeded, before, dir } = await fixArgs();
    // A backup of "no policy": restoring it deletes the current one (DeleteResourcePolicy is the write).
    const from = path.join(dir, 'restore-from.json');
    await writeFile(
      from,
      JSON.stringify({ kind: 'secret-policy', target: seeded.secretArn, region: 'us-east-1', takenAt: '2026-01-01T00:00:00.000Z', policy: null }),
    );
    const backups = await mkdtemp(path.join(tmpdir(), 'sd-interrupt-restore-'));
    const { t, p } = await atTheQuestion(['restore-policy', '--secret-id', seeded.secretArn, '--from', from, '--backup-dir', backups]);
    p.rule = (op) => (op === 'secretsmanager.DeleteResourcePolicy' ? 'hold' : undefined);
    await t.keys('y', 'Enter');
    await p.held('secretsmanager.DeleteResourcePolicy');
    await t.keys('C-c');
    await t.waitFor('Waiting for the write in progress to return');
    p.release();
    const screen = await interruptedScreen(t);
    await expectMadeAndUndoable(screen, backups, seeded.secretArn);
    expect(before).toBeDefined();
    expect(await policyOf(seeded)).toBeUndefined();
  });
});
