/**
 * The built CLI in a real terminal (tmux), against the moto_server of the test run: the Ink wizard and
 * --plain, driven only by the keys their screens name. Each picks the Incident Manager symptom, chooses the
 * seeded secret, sees the failing findings, accepts the secret-policy fix, declines the key-policy fix, and
 * the secret's policy is then corrected in moto (and the key policy untouched).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedCreatorRole, seedScenario, type Seeded } from '../../source/demo/seed.js';
import { CLI, runCli } from '../helpers/cli.js';
import { motoEnv, newSession } from '../helpers/moto.js';
import { Terminal, tmuxVersion } from './tmux.js';

const session = newSession();
let creator: string;
let terminal: Terminal;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  await tmuxVersion().catch(() => {
    throw new Error('tmux is needed for the terminal tests: install it (apt-get install tmux).');
  });
  creator = await seedCreatorRole(session, { allow: true });
});

afterEach(async () => {
  await terminal?.kill();
});

/**
 * Waits for the Ink wizard to show `text` and its key hints, which it shows once that screen's keys work
 * (a key sent earlier could reach no handler).
 */
function ready(text: string | ((screen: string) => boolean), timeoutMs?: number): Promise<string> {
  const shows = typeof text === 'string' ? (s: string) => s.includes(text) : text;
  return terminal.waitFor((s) => shows(s) && /(Ctrl-C quit|Enter or q quit)$/.test(s.trimEnd()), timeoutMs);
}

async function policies(seeded: Seeded): Promise<{ secret: { Statement: { Sid?: string }[] }; key: unknown }> {
  const secret = await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }));
  const key = await (await session.kms()).send(new GetKeyPolicyCommand({ KeyId: seeded.keyArn!, PolicyName: 'default' }));
  return { secret: JSON.parse(secret.ResourcePolicy!), key: JSON.parse(key.Policy!) };
}

/** The suffix that makes the seeded name unique in the shared moto: typed to filter the list. */
const suffix = (seeded: Seeded) => seeded.secretName.split('-').pop()!;

/** No colour escape (foreground or background, normal or bright) on the screen. */
const COLOUR = /\u001b\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|38;|48;)/;

describe('the Ink wizard in a terminal', () => {
  it('diagnoses the broken set-up and applies the secret-policy fix, on the on-screen keys alone (NO_COLOR)', async () => {
    // Given the demo's broken set-up, and the wizard started with only the creator given
    const demo = await seedScenario(session, 'demo', { prefix: 'prod/' });
    const backups = await mkdtemp(path.join(tmpdir(), 'sd-e2e-backups-'));
    const before = await policies(demo);
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--principal', creator, '--backup-dir', backups, '--wait', '10'], {
      env: motoEnv({ NO_COLOR: '1' }),
    });
    // When picking the Incident Manager symptom (the first)
    await ready('↑↓ move · Enter choose · Ctrl-C quit');
    expect(await terminal.screen()).toContain('❯ ValidationException – We were unable to validate the AWS Secrets Manager secret');
    expect(await terminal.screen({ styles: true })).not.toMatch(COLOUR);
    await terminal.keys('Enter');
    // And choosing the secret by typing part of its name
    await ready('Which secret?');
    await terminal.type(suffix(demo));
    // (the whole text typed, not just its first keys, has filtered the list)
    await ready((s) => s.includes(`❯ ${demo.secretName}`) && s.includes(`Use "${suffix(demo)}" exactly as typed`));
    await terminal.keys('Enter');
    // And keeping the given creator, and not reading the value
    await ready(`❯ ${creator}`);
    await terminal.keys('Enter');
    await ready('Read the value to check its format? y/N');
    await terminal.keys('Enter');
    // Then the report opens on the headline and what to do first (the fixes it offers next, by name)
    const report = await ready('Enter review 2 fixes');
    expect(report).toMatch(/Report\n\nError: ValidationException[\s\S]*\n2 problems found\.\n/);
    expect(report).toMatch(/What to do first\n {2}1\. secret-policy-incident-manager: /);
    expect(report.replace(/\s+/g, ' ')).toContain('review and apply the secret-policy fix, offered after this report.');
    expect(report.slice(report.indexOf('Report'))).not.toMatch(/^PASS /m);
    // And the problems follow with labelled evidence, the failures first
    await terminal.keys('PageDown');
    const problems = await ready('FAIL    secret-policy-incident-manager');
    expect(problems).toMatch(/evidence:\n +api: secretsmanager:GetResourcePolicy/);
    const rows = problems.split('\n').filter((l) => /^(FAIL|WARN|UNKNOWN) /.test(l));
    expect(rows[0]).toMatch(/^FAIL/);
    // And the passes in one line at the end of the scrollable report
    await terminal.keys('End');
    const end = await ready('Passed: ');
    expect(end).toMatch(/Passed: [^\n]*credentials/);
    expect(end).toMatch(/lines \d+-(\d+) of \1/);
    // (the value was not read: the finding names the wizard's question, not the flag)
    expect(end.replace(/\s+/g, ' ')).toContain(
      "Skipped: secret-value-format (Not checked: reading the value needs consent (yes to “Also check the secret value's format?”)",
    );
    expect(end).not.toContain('--read-value');
    // When accepting the secret-policy fix after its diff
    await terminal.keys('Enter');
    const diff = await ready('y apply · n or Enter skip');
    expect(diff).toContain('Fix 1 of 2: secret-policy');
    expect(diff).toContain('+       "Sid": "AllowIncidentManagerToReadSecret",');
    await terminal.keys('y');
    expect(await ready('Enter next fix')).toContain('✔ Applied and verified');
    // And declining the key-policy fix
    await terminal.keys('Enter');
    // (kms-policy-caller passed: the creator's statement is not asked about)
    await ready((s) => s.includes('Fix 2 of 2: key-policy') && s.includes('y apply'));
    await terminal.keys('n');
    await ready('Enter summary');
    await terminal.keys('Enter');
    const summary = await ready('After the fixes:');
    expect(summary).toContain('secret-policy: applied, verified');
    expect(summary).toContain('kms-policy-incident-manager');
    await terminal.keys('Enter');
    // Then the wizard leaves with status 1 (the key policy still fails) and the terminal as it was
    expect(await terminal.exited()).toEqual({ code: 1, terminal: 'restored' });
    // And moto has the corrected secret policy (the old statement kept, first), the key policy untouched
    const after = await policies(demo);
    expect(after.secret.Statement.map((s) => s.Sid)).toEqual(['AllowLambda', 'AllowIncidentManagerToReadSecret']);
    expect(after.key).toEqual(before.key);
    expect((await readdir(backups)).filter((f) => f.startsWith('secret-policy-'))).toHaveLength(1);
    // And the undo command is printed unwrapped after the wizard, to copy
    await terminal.waitFor(
      (s) => /Undo: {3}secrets-doctor restore-policy --secret-id arn:aws:secretsmanager:\S+ --region us-east-1 --from \S+\.json/.test(s),
      10_000,
      { joined: true, history: true },
    );
    // And the command that runs the same diagnosis without the wizard (issue 14, item 2)
    await terminal.waitFor(
      (s) =>
        s.includes('The same diagnosis without the wizard:') &&
        s.includes(`secrets-doctor diagnose --symptom incident-manager-secret --secret-id ${demo.secretName} --region us-east-1 --principal ${creator}`),
      10_000,
      { joined: true, history: true },
    );
  }, 90_000);

  it('leaves on Ctrl-C with status 130 and the terminal restored; Esc goes back a step', async () => {
    const healthy = await seedScenario(session, 'healthy', { prefix: 'prod/' });
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--symptom', 'incident-manager-secret', '--secret-id', healthy.secretName], { env: motoEnv() });
    await ready('Which error do you see?');
    // Colours are on without NO_COLOR
    expect(await terminal.screen({ styles: true })).toMatch(COLOUR);
    await terminal.keys('Enter');
    await ready(`❯ ${healthy.secretName}`);
    await terminal.keys('Escape');
    await ready((s) => s.includes('Which error do you see?') && !s.includes('Which secret?'));
    await terminal.keys('Enter');
    await ready('Which secret?');
    await terminal.keys('C-c');
    expect(await terminal.exited()).toEqual({ code: 130, terminal: 'restored' });
    await terminal.waitFor('Interrupted.', 10_000, { history: true });
  }, 60_000);
});

describe('--plain in a terminal', () => {
  it('runs the same flow as line-by-line prompts and applies the secret-policy fix', async () => {
    const demo = await seedScenario(session, 'demo', { prefix: 'prod/' });
    const backups = await mkdtemp(path.join(tmpdir(), 'sd-e2e-backups-'));
    const before = await policies(demo);
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--plain', '--principal', creator, '--backup-dir', backups, '--wait', '10'], { env: motoEnv() });
    await terminal.waitFor('Which error do you see?');
    await terminal.keys('Enter');
    await terminal.waitFor('Which secret?');
    await terminal.type(suffix(demo));
    await terminal.waitFor((s) => s.includes(`❯ ${demo.secretName}`) && s.includes(`Use "${suffix(demo)}" exactly as typed`));
    await terminal.keys('Enter');
    await terminal.waitFor('Whose permissions?');
    await terminal.keys('Enter');
    await terminal.waitFor("Also check the secret value's format?");
    await terminal.keys('Enter');
    await terminal.waitFor('Review the fixes (secret-policy, key-policy)?');
    const report = await terminal.screen({ history: true });
    expect(report).toMatch(/What to do first\n {2}1\. secret-policy-incident-manager: /);
    expect(report).toContain('FAIL    secret-policy-incident-manager');
    expect(report).toMatch(/evidence:\n +api: secretsmanager:GetResourcePolicy/);
    // (the findings name the wizard's questions, not flags)
    expect((await terminal.screen({ history: true, joined: true })).replace(/\s+/g, ' ')).toContain(
      "needs consent (yes to “Also check the secret value's format?”)",
    );
    expect(report).not.toContain('--read-value');
    await terminal.keys('Enter');
    const asked = (what: string) => (s: string) => s.includes(`Apply this change to ${what}`) && s.trimEnd().endsWith('(y/N)');
    await terminal.waitFor(asked('the resource policy of secret'));
    await terminal.type('y');
    await terminal.keys('Enter');
    // (kms-policy-caller passed: the creator's statement is not asked about)
    await terminal.waitFor(asked('the key policy'));
    await terminal.keys('Enter');
    const summary = await terminal.waitFor('After the fixes:', 30_000);
    expect(summary).toContain('secret-policy: applied, verified');
    expect(await terminal.exited()).toEqual({ code: 1, terminal: 'restored' });
    const after = await policies(demo);
    expect(after.secret.Statement.map((s) => s.Sid)).toEqual(['AllowLambda', 'AllowIncidentManagerToReadSecret']);
    expect(after.key).toEqual(before.key);
  }, 90_000);

  it('leaves on Ctrl-C at a prompt with status 130', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--plain'], { env: motoEnv() });
    await terminal.waitFor('Which error do you see?');
    await terminal.keys('C-c');
    expect(await terminal.exited()).toEqual({ code: 130, terminal: 'restored' });
  }, 60_000);
});

describe('usage', () => {
  it('refuses, on a terminal, what the wizard cannot do: one sentence and status 2', async () => {
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [['--json'], motoEnv(), '--json is for `secrets-doctor diagnose` and `fix`; the wizard is interactive.'],
      [['--secret-id', 'a', '--secret-id', 'b'], motoEnv(), 'The wizard checks one secret: give at most one --secret-id'],
      [[], motoEnv({ AWS_REGION: undefined }), 'No AWS Region is set: pass --region, set AWS_REGION, or set a region in the profile.'],
    ];
    for (const [args, env, message] of cases) {
      terminal = new Terminal();
      await terminal.start([process.execPath, CLI, ...args], { env });
      expect(await terminal.exited()).toEqual({ code: 2, terminal: 'restored' });
      await terminal.waitFor(message, 10_000, { joined: true, history: true });
      await terminal.kill();
    }
  }, 60_000);
});

describe('without a terminal', () => {
  it('says to use diagnose or fix, and exits 2 (the wizard and --plain alike)', async () => {
    for (const args of [[], ['--plain']]) {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('The wizard needs a terminal: run `secrets-doctor diagnose`');
    }
  });
});
