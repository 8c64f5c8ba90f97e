/**
 * A secret value never reaches output, logs or files. The secret's value holds a unique canary (as the
 * PagerDuty token, inside the email address, and as a whole non-JSON value); every command and mode runs
 * on it, and the canary must appear in no stdout, no stderr and no file under the run's HOME (where
 * backups go by default).
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedScenario, seedCreatorRole, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEnv } from '../helpers/moto.js';
import { runCli, type CliResult } from '../helpers/cli.js';

const CANARY = `cnry${randomBytes(8).toString('hex')}`;
let home: string;
let shaped: Seeded;
let raw: Seeded;
let creator: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'sd-canary-home-'));
  const session = newSession();
  [shaped, raw, creator] = await Promise.all([
    seedScenario(session, 'demo', {
      prefix: 'canary/',
      value: JSON.stringify({ pagerDutyToken: CANARY, pagerDutyServiceRegion: 'US', pagerDutyFromEmail: `${CANARY}@example.com` }),
    }),
    seedScenario(session, 'bad-value', { prefix: 'canary/', value: `not json ${CANARY}` }),
    seedCreatorRole(session, { allow: true }),
  ]);
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

async function expectNoCanary(result: CliResult): Promise<void> {
  expect(result.stdout).not.toContain(CANARY);
  expect(result.stderr).not.toContain(CANARY);
  for (const file of await filesUnder(home)) expect(await readFile(file, 'utf8'), file).not.toContain(CANARY);
}

const run = (args: string[]) => runCli(args, motoEnv({ HOME: home, XDG_STATE_HOME: undefined }));

describe('the canary never leaks', () => {
  it.each([
    ['diagnose, text', ['diagnose', '--symptom', 'incident-manager-secret']],
    ['diagnose --json --read-value --debug', ['diagnose', '--symptom', 'incident-manager-secret', '--json', '--read-value', '--debug']],
    ['diagnose not-sure --read-value --debug', ['diagnose', '--read-value', '--debug']],
    ['fix --dry-run --read-value --debug', ['fix', '--symptom', 'incident-manager-secret', '--dry-run', '--read-value', '--debug']],
    ['fix --yes --json --read-value --debug', ['fix', '--symptom', 'incident-manager-secret', '--yes', '--json', '--read-value', '--debug', '--wait', '5']],
  ])('%s', async (_name, args) => {
    for (const secret of [shaped, raw]) {
      const result = await run([...args, '--secret-id', secret.secretArn, '--principal', creator]);
      expect(result.code, result.stderr).not.toBe(2);
      await expectNoCanary(result);
    }
  });

  it('with the secret ID given badly (a trailing space, another Region, a missing name)', async () => {
    for (const id of [`${shaped.secretName} `, shaped.secretArn.replace('us-east-1', 'us-west-2'), `${shaped.secretName}-missing`]) {
      await expectNoCanary(await run(['diagnose', '--symptom', 'incident-manager-secret', '--read-value', '--debug', '--secret-id', id]));
    }
  });

  it('with no credentials, and with a bad timeout', async () => {
    await expectNoCanary(await runCli(['diagnose', '--read-value', '--secret-id', shaped.secretArn], motoEnv({ HOME: home, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined })));
    await expectNoCanary(await run(['diagnose', '--read-value', '--secret-id', shaped.secretArn, '--timeout', '0.001', '--debug']));
  });

  it('the backups that fix wrote hold policies only', async () => {
    const files = await filesUnder(home);
    expect(files.some((f) => f.includes(path.join('secrets-doctor', 'backups')))).toBe(true);
  });
});
