/**
 * Ctrl-C around a write in the Ink wizard (SPEC.md, "Interruption"), in a real terminal (tmux), with the
 * answers timed by a loopback proxy in front of moto (test/helpers/slow-proxy.ts): during the re-read after
 * the consent nothing is written; during PutResourcePolicy the wizard waits for it, then says the document
 * was changed, with the backup and the undo command. Exit 130 both times.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedCreatorRole, seedScenario, type Seeded } from '../../source/demo/seed.js';
import { CLI } from '../helpers/cli.js';
import { motoEndpoint, motoEnv, newSession } from '../helpers/moto.js';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.js';
import { Terminal } from './tmux.js';
import { expectMadeAndUndoable, interruptedScreen } from '../helpers/interrupted.js';

const session = newSession();
let creator: string;
let terminal: Terminal | undefined;
let proxy: SlowProxy | undefined;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  creator = await seedCreatorRole(session, { allow: true });
});

afterEach(async () => {
  proxy?.release();
  await terminal?.kill();
  await proxy?.close();
  terminal = proxy = undefined;
});

async function policyOf(seeded: Seeded): Promise<string | undefined> {
  return (await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }))).ResourcePolicy;
}

/** A broken secret policy, the wizard started on it through the proxy (`extra`: more flags, such as --plain). */
async function started(extra: string[] = []): Promise<{ t: Terminal; p: SlowProxy; seeded: Seeded; before: string | undefined; dir: string }> {
  const seeded = await seedScenario(session, 'policy-other-service');
  const before = await policyOf(seeded);
  const dir = await mkdtemp(path.join(tmpdir(), 'sd-wizard-interrupt-'));
  const p = await startSlowProxy(motoEndpoint());
  proxy = p;
  const t = new Terminal();
  terminal = t;
  const argv = [process.execPath, CLI, ...extra, '--symptom', 'incident-manager-secret', '--secret-id', seeded.secretArn, '--principal', creator];
  await t.start([...argv, '--backup-dir', dir, '--wait', '5'], { env: motoEnv({ NO_COLOR: '1', AWS_ENDPOINT_URL: p.endpoint }), columns: 200, rows: 50 });
  return { t, p, seeded, before, dir };
}

/** The wizard, through the proxy, walked with its own keys to the secret-policy fix's question. */
async function atTheQuestion(): Promise<{ t: Terminal; p: SlowProxy; seeded: Seeded; before: string | undefined; dir: string }> {
  const { t, p, seeded, before, dir } = await started();
  // Each screen's keys work once its hints are shown.
  const ready = (text: string) => t.waitFor((s) => s.includes(text) && /(Ctrl-C quit|Enter or q quit)$/.test(s.trimEnd()));
  await ready('Enter choose');
  await t.keys('Enter'); // the symptom given
  // The account's list arrives while the step shows: choose once it is in (an Enter before would wait
  // for it: test/e2e/wizard-keys.test.ts).
  await t.waitFor((s) => s.includes(`❯ ${seeded.secretName}`) && !s.includes('Listing the secrets') && !s.includes('Looking for the secrets'));
  await t.keys('Enter'); // the secret given
  await ready(creator);
  await t.keys('Enter'); // the principal given
  await ready('Read the value to check its format? y/N');
  await t.keys('Enter');
  await ready('Enter review');
  await t.keys('Enter');
  await ready('y apply · n or Enter skip');
  return { t, p, seeded, before, dir };
}

describe('Ctrl-C around a write, in the wizard', () => {
  it('after the consent, during the re-read: exit 130, nothing written, and it says so', async () => {
    const { t, p, seeded, before } = await atTheQuestion();
    p.rule = (op) => (op === 'secretsmanager.GetResourcePolicy' ? 'hold' : undefined);
    await t.keys('y');
    await p.held('secretsmanager.GetResourcePolicy');
    await t.keys('C-c');
    const screen = await interruptedScreen(t);
    expect(screen).toMatch(/Interrupted before the write: the resource policy of secret \S+ was not changed\./);
    p.release();
    expect(p.seen).not.toContain('secretsmanager.PutResourcePolicy');
    expect(await policyOf(seeded)).toBe(before);
  });

  it('during the write: waits for it, exit 130, says the document was changed, names the backup, prints the undo', async () => {
    const { t, p, seeded, before, dir } = await atTheQuestion();
    p.rule = (op) => (op === 'secretsmanager.PutResourcePolicy' ? 'hold' : undefined);
    await t.keys('y');
    await p.held('secretsmanager.PutResourcePolicy');
    await t.keys('C-c');
    // The wizard stays until the write returns.
    await t.waitFor('Writing...');
    p.release();
    const screen = await interruptedScreen(t);
    await expectMadeAndUndoable(screen, dir, seeded.secretArn);
    expect(await policyOf(seeded)).not.toBe(before);
  });
});

describe('Ctrl-C around a write, in --plain', () => {
  it('during the write: waits for it, exit 130, says the document was changed, names the backup, prints the undo', async () => {
    const { t, p, seeded, before, dir } = await started(['--plain']);
    // The given answers are the defaults: Enter through them to the fix's question.
    const asked = (s: string) => s.includes('Apply this change to the resource policy of secret') && s.trimEnd().endsWith('(y/N)');
    for (const question of ['Which error do you see?', 'Which secret?', 'Whose permissions?', "Also check the secret value's format?", 'Review the fix']) {
      await t.waitFor((s) => s.trimEnd().split('\n').slice(-12).join('\n').includes(question));
      await t.keys('Enter');
    }
    await t.waitFor(asked);
    p.rule = (op) => (op === 'secretsmanager.PutResourcePolicy' ? 'hold' : undefined);
    await t.type('y');
    await t.keys('Enter');
    await p.held('secretsmanager.PutResourcePolicy');
    await t.keys('C-c');
    await t.waitFor('Leaving as soon as the write in progress returns');
    p.release();
    const screen = await interruptedScreen(t);
    await expectMadeAndUndoable(screen, dir, seeded.secretArn);
    expect(await policyOf(seeded)).not.toBe(before);
  }, 60_000);
});
