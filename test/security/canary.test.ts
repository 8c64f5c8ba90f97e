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
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedScenario, seedCreatorRole, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEnv } from '../helpers/moto.js';
import { CLI, runCli, type CliResult } from '../helpers/cli.js';
import { Terminal } from '../e2e/tmux.js';

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
    await expectNoCanary(
      await runCli(
        ['diagnose', '--read-value', '--secret-id', shaped.secretArn],
        motoEnv({ HOME: home, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
      ),
    );
    await expectNoCanary(await run(['diagnose', '--read-value', '--secret-id', shaped.secretArn, '--timeout', '0.001', '--debug']));
  });

  it('the backups that fix wrote hold policies only', async () => {
    const files = await filesUnder(home);
    expect(files.some((f) => f.includes(path.join('secrets-doctor', 'backups')))).toBe(true);
  });
});

describe('the canary never leaks from the wizard or --plain (in a terminal)', () => {
  let terminal: Terminal | undefined;
  /** Secrets of their own (the runs above applied fixes to the shared one), holding the canary. */
  const fresh = {} as { wizard: Seeded; plain: Seeded };
  beforeAll(async () => {
    const session = newSession();
    const value = JSON.stringify({ pagerDutyToken: CANARY, pagerDutyServiceRegion: 'US', pagerDutyFromEmail: `${CANARY}@example.com` });
    [fresh.wizard, fresh.plain] = await Promise.all([
      seedScenario(session, 'demo', { prefix: 'canary-tty/', value }),
      seedScenario(session, 'demo', { prefix: 'canary-tty/', value }),
    ]);
  });
  /** Every screen seen, with the history that scrolled off. */
  let captures: string[] = [];
  afterEach(async () => {
    await terminal?.kill();
    terminal = undefined;
  });

  const start = async (args: string[]) => {
    captures = [];
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, ...args], { columns: 80, rows: 30, env: motoEnv({ HOME: home, XDG_STATE_HOME: undefined, NO_COLOR: '1' }) });
  };
  const capture = async () => {
    captures.push(await terminal!.screen({ history: true }), await terminal!.screen({ history: true, joined: true }));
  };
  /** Waits for `text` (and, in the Ink wizard, the key hints that come once the screen's keys work). */
  const ready = async (text: string, ink = true, timeoutMs = 60_000) => {
    await terminal!.waitFor((s) => s.includes(text) && (!ink || /(Ctrl-C quit|Enter or q quit)$/.test(s.trimEnd())), timeoutMs);
    await capture();
  };
  /**
   * Keeps the pre-selected answers to the first three questions (symptom, secret, principal) with Enter.
   * In the Ink wizard, the secret is chosen once the account's list has arrived, as in test/e2e.
   */
  const keepPresets = async (ink = true) => {
    for (const question of ['Which error do you see?', ink ? 'secrets in us-east-1 match.' : 'Which secret?', 'Whose permissions?']) {
      await ready(question, ink);
      await terminal!.keys('Enter');
    }
  };
  const expectNoCanaryOnScreen = async () => {
    await capture();
    expect(captures.length).toBeGreaterThan(0);
    for (const screen of captures) expect(screen).not.toContain(CANARY);
    for (const file of await filesUnder(home)) expect(await readFile(file, 'utf8'), file).not.toContain(CANARY);
  };
  /** Pages through the Ink report, capturing each page. */
  const pageThrough = async () => {
    for (let page = 0; page < 12; page++) {
      await terminal!.keys('PageDown');
      await capture();
    }
    await terminal!.keys('End');
    await ready('lines ');
  };

  it('the Ink wizard: yes to reading the value, the report, and a fix accepted (with --backup-dir under HOME)', async () => {
    const backups = path.join(home, 'wizard-backups');
    await start([
      '--symptom',
      'incident-manager-secret',
      '--secret-id',
      fresh.wizard.secretArn,
      '--principal',
      creator,
      '--backup-dir',
      backups,
      '--wait',
      '5',
      '--debug',
    ]);
    await keepPresets();
    await ready('Read the value to check its format?');
    await terminal!.keys('y');
    await ready('Enter review 2 fixes');
    await pageThrough();
    // The value was read (its format is checked), yet never shown
    expect(captures.join('\n')).toContain('secret-value-format');
    await terminal!.keys('Enter');
    await ready('y apply · n or Enter skip');
    await terminal!.keys('y');
    await ready('Enter next fix');
    await terminal!.keys('Enter');
    // (kms-policy-caller passed: the creator's statement is not asked about)
    await ready('y apply · n or Enter skip');
    await terminal!.keys('n');
    await ready('Enter summary');
    await terminal!.keys('Enter');
    await ready('After the fixes:');
    await terminal!.keys('Enter');
    await terminal!.exited(30_000);
    expect((await filesUnder(backups)).length).toBeGreaterThan(0);
    await expectNoCanaryOnScreen();
  }, 120_000);

  it('the Ink wizard on a value that is not JSON: yes to reading it, the report', async () => {
    await start(['--symptom', 'incident-manager-secret', '--secret-id', raw.secretArn, '--principal', creator]);
    await keepPresets();
    await ready('Read the value to check its format?');
    await terminal!.keys('y');
    await ready('Report');
    await pageThrough();
    await terminal!.keys('q');
    await terminal!.exited(30_000);
    await expectNoCanaryOnScreen();
  }, 120_000);

  it('--plain: yes to reading the value, the report, a fix accepted (default backups under HOME)', async () => {
    await start(['--plain', '--symptom', 'incident-manager-secret', '--secret-id', fresh.plain.secretArn, '--principal', creator, '--wait', '5', '--debug']);
    await keepPresets(false);
    await ready("Also check the secret value's format?", false);
    await terminal!.keys('Down', 'Enter');
    await ready('Review the fixes (secret-policy, key-policy)?', false);
    await terminal!.keys('Enter');
    const asked = (what: string) => (s: string) => s.includes(`Apply this change to ${what}`) && s.trimEnd().endsWith('(y/N)');
    await terminal!.waitFor(asked('the resource policy of secret'), 60_000);
    await capture();
    await terminal!.type('y');
    await terminal!.keys('Enter');
    await terminal!.waitFor(asked('the key policy'), 60_000);
    await terminal!.keys('Enter');
    // (--debug lines follow the summary on exit: look in the history too)
    await terminal!.waitFor('After the fixes:', 60_000, { history: true });
    await terminal!.exited(30_000);
    await expectNoCanaryOnScreen();
  }, 120_000);

  it('--plain on a value that is not JSON: yes to reading it, the report', async () => {
    await start(['--plain', '--symptom', 'incident-manager-secret', '--secret-id', raw.secretArn, '--principal', creator, '--debug']);
    await keepPresets(false);
    await ready("Also check the secret value's format?", false);
    await terminal!.keys('Down', 'Enter');
    await terminal!.waitFor((s) => s.includes('Review the fix') || s.includes('Done?'), 60_000);
    await capture();
    // No, quit (or, without fixes, Yes, quit)
    const screen = await terminal!.screen();
    if (screen.includes('Review the fix')) await terminal!.keys('Down', 'Down');
    await terminal!.keys('Enter');
    await terminal!.exited(30_000);
    await expectNoCanaryOnScreen();
  }, 120_000);
});
