/**
 * `fix` in a real terminal (tmux): the question's default is no, Ctrl-C at it stops the run with nothing
 * written (the backup kept), and the terminal is restored.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEnv } from '../helpers/moto.js';
import { CLI } from '../helpers/cli.js';
import { Terminal } from '../e2e/tmux.js';

const session = newSession();
let terminal: Terminal | undefined;

afterEach(async () => {
  await terminal?.kill();
  terminal = undefined;
});

async function policyOf(seeded: Seeded): Promise<string | undefined> {
  return (await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }))).ResourcePolicy;
}

async function fixInTerminal(): Promise<{ seeded: Seeded; before: string | undefined; dir: string; t: Terminal }> {
  const seeded = await seedScenario(session, 'policy-other-service');
  const before = await policyOf(seeded);
  const dir = await mkdtemp(path.join(tmpdir(), 'sd-interrupt-'));
  const t = new Terminal();
  terminal = t;
  await t.start(
    [
      process.execPath,
      CLI,
      'fix',
      '--symptom',
      'incident-manager-secret',
      '--secret-id',
      seeded.secretArn,
      '--fixes',
      'secret-policy',
      '--backup-dir',
      dir,
      '--no-color',
      '--wait',
      '5',
    ],
    { env: motoEnv(), columns: 120, rows: 50 },
  );
  await t.waitFor('Apply this change');
  return { seeded, before, dir, t };
}

describe('fix in a terminal', () => {
  it('Ctrl-C at the question: exit 130, nothing written, the backup kept, the terminal restored', async () => {
    const { seeded, before, dir, t } = await fixInTerminal();
    await t.keys('C-c');
    const exit = await t.exited();
    expect(exit).toEqual({ code: 130, terminal: 'restored' });
    await t.waitFor('Interrupted', 10_000, { joined: true, history: true });
    expect(await policyOf(seeded)).toBe(before);
    expect(await readdir(dir)).toHaveLength(1);
  });

  it('Enter takes the default, no: nothing written', async () => {
    const { seeded, before, t } = await fixInTerminal();
    await t.keys('Enter');
    const exit = await t.exited();
    expect(exit.terminal).toBe('restored');
    expect(exit.code).toBe(1);
    await t.waitFor('secret-policy: declined', 10_000, { joined: true, history: true });
    expect(await policyOf(seeded)).toBe(before);
  });

  it('y applies it and verifies', async () => {
    const { seeded, before, t } = await fixInTerminal();
    await t.keys('y', 'Enter');
    const exit = await t.exited();
    expect(exit).toEqual({ code: 0, terminal: 'restored' });
    await t.waitFor('secret-policy: applied. Applied and verified', 10_000, { joined: true, history: true });
    expect(await policyOf(seeded)).not.toBe(before);
  });
});
