/**
 * The built CLI in a real terminal (tmux) against moto: each symptom's own questions (access-denied: the
 * operation and a pasted message; asymmetric-kms-key: a key chosen from the Region's list) and many secrets
 * (a progress bar, then the list worst first), in the Ink wizard and in --plain. The Regions used here
 * (ca-west-1, me-central-1, ap-northeast-1) are this file's own: their keys and secrets are exactly these.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedCreatorRole, seedKmsKey, seedScenario, type Seeded } from '../../source/demo/seed.js';
import { CLI } from '../helpers/cli.js';
import { motoEnv, newSession } from '../helpers/moto.js';
import { Terminal, tmuxVersion } from './tmux.js';

const session = newSession();
let terminal: Terminal;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  await tmuxVersion();
  await seedCreatorRole(session, { allow: true });
});

afterEach(async () => {
  await terminal?.kill();
});

/** The Ink wizard shows `text` and its key hints (shown once that screen's keys work). */
function ready(text: string | ((screen: string) => boolean), timeoutMs?: number): Promise<string> {
  const shows = typeof text === 'string' ? (s: string) => s.includes(text) : text;
  return terminal.waitFor((s) => shows(s) && /(Ctrl-C quit|Enter or q quit)$/.test(s.trimEnd()), timeoutMs);
}

const suffix = (seeded: Seeded) => seeded.secretName.split('-').pop()!;
const flat = (s: string) => s.replace(/\s+/g, ' ');
const widest = (s: string) => Math.max(...s.split('\n').map((l) => [...l].length));

describe('the Ink wizard, 80 columns', () => {
  it('access-denied: the operation from the list, then the pasted message, reach the checks', async () => {
    const healthy = await seedScenario(session, 'healthy', { prefix: 'ad/' });
    const message = `User: arn:aws:iam::123456789012:user/moto is not authorized to perform: secretsmanager:PutSecretValue on resource: ${healthy.secretName} because no identity-based policy allows the secretsmanager:PutSecretValue action`;
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI], { columns: 80, rows: 30, env: motoEnv({ NO_COLOR: '1' }) });
    await ready('Which error do you see?');
    await terminal.keys('Down', 'Enter');
    // The operation: GetSecretValue first; typing filters
    expect(await ready('Which operation was denied?')).toContain('❯ GetSecretValue');
    await terminal.type('PutSecret');
    await ready((s) => s.includes('❯ PutSecretValue') && !s.includes('GetSecretValue'));
    await terminal.keys('Enter');
    // The message, pasted: what the checks take from it is shown
    await ready('Paste the error message you got (optional)');
    await terminal.type(message);
    const parsed = await ready((s) =>
      flat(s).includes('From the message: principal arn:aws:iam::123456789012:user/moto, action secretsmanager:PutSecretValue'),
    );
    expect(widest(parsed)).toBeLessThanOrEqual(80);
    await terminal.keys('Enter');
    // The secret and the principal the message names are pre-selected
    await ready((s) => s.includes('Which secret?') && s.includes(`❯ ${healthy.secretName}`));
    await terminal.keys('Enter');
    await ready('❯ arn:aws:iam::123456789012:user/moto');
    await terminal.keys('Enter');
    const report = await ready('Report', 60_000);
    expect(flat(report)).toContain(`Error: "access denied" when sending a request to AWS Secrets Manager`);
    expect(widest(report)).toBeLessThanOrEqual(80);
    // The report names the operation that was asked about at its top, and lists the passes at its end
    expect(flat(report)).toContain('operation secretsmanager:PutSecretValue');
    await terminal.keys('End');
    expect(flat(await ready('Passed: '))).toMatch(/Passed: [^\n]*credentials/);
    await terminal.keys('q');
    expect((await terminal.exited()).terminal).toBe('restored');
  }, 90_000);

  it('asymmetric-kms-key: an RSA key chosen from the list fails kms-key-symmetric, with the symmetric keys as choices', async () => {
    // A Region of its own, so that its keys are exactly these
    const region = 'ca-west-1';
    const here = newSession(region);
    const [rsa, sym] = await Promise.all([
      seedKmsKey(here, { spec: 'RSA_2048', alias: true, prefix: 'e2e-' }),
      seedKmsKey(here, { alias: true, prefix: 'e2e-' }),
    ]);
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--region', region], { columns: 80, rows: 30, env: motoEnv({ NO_COLOR: '1' }) });
    await ready('Which error do you see?');
    await terminal.keys('Down', 'Down', 'Down', 'Down', 'Enter');
    // The key list: aliases, spec, ID; no secret question follows
    const keys = await ready((s) => s.includes(rsa.alias!) && s.includes(sym.alias!));
    expect(keys).toContain('Which KMS key did you give CreateSecret?  step 2 of 2');
    expect(keys).toContain(`${rsa.alias}  RSA_2048  ${rsa.keyId}`);
    expect(widest(keys)).toBeLessThanOrEqual(80);
    await terminal.type('RSA');
    await ready((s) => s.includes(`❯ ${rsa.alias}`) && !s.includes(sym.alias!));
    await terminal.keys('Enter');
    const report = flat(await ready('Report', 60_000));
    expect(report).toContain('What to do first 1. kms-key-symmetric: Use a symmetric key instead');
    expect(report).toContain('FAIL kms-key-symmetric');
    expect(report.replace(/ /g, '')).toContain(`Thekey${rsa.keyArn}isRSA_2048,notsymmetric`); // the ARN may be cut across lines
    expect(report).not.toContain('Which secret?');
    // The details further down name the keys that can take its place
    await terminal.keys('PageDown');
    await ready((s) => flat(s).includes(`Symmetric customer managed keys in ${region} that can take its place: ${sym.alias}`));
    await terminal.keys('q');
    expect(await terminal.exited()).toEqual({ code: 1, terminal: 'restored' });
  }, 90_000);

  it('many secrets: a progress bar, the list worst first, a report and back to the list', async () => {
    const region = 'ap-northeast-1';
    const here = newSession(region);
    const [demo] = await Promise.all([
      seedScenario(here, 'demo', { prefix: 'many/' }),
      seedScenario(here, 'healthy', { prefix: 'many/' }),
      seedScenario(here, 'healthy', { prefix: 'many/' }),
    ]);
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--region', region, '--symptom', 'incident-manager-secret'], {
      columns: 80,
      rows: 30,
      env: motoEnv({ NO_COLOR: '1' }),
    });
    await ready('Which error do you see?');
    await terminal.keys('Enter');
    const secret = await ready(/All \d+ secrets in ap-northeast-1/.test.bind(/All \d+ secrets in ap-northeast-1/));
    const total = Number(/All (\d+) secrets in ap-northeast-1/.exec(secret)![1]);
    await terminal.keys('Enter');
    await ready('Whose permissions?');
    await terminal.keys('Enter');
    await ready("Also check the secret value's format?");
    await terminal.keys('Enter');
    const list = await ready('secrets checked, worst first', 60_000);
    expect(list).toContain(`${total} secrets checked, worst first`);
    expect(list).toMatch(new RegExp(`❯ ${demo.secretName.replace(/[/]/g, '\\/')}\\s+2 fail · \\d+ warn · \\d+ unknown`));
    expect(flat(list)).toContain('No fix is offered from this list');
    expect(widest(list)).toBeLessThanOrEqual(80);
    await terminal.keys('Enter');
    const report = await ready('Esc back to the list · s save');
    expect(report).toContain('2 problems found');
    expect(report).toMatch(/1\. secret-policy-incident-manager: /);
    expect(report).not.toContain('review');
    await terminal.keys('Escape');
    await ready('secrets checked, worst first');
    await terminal.keys('q');
    expect(await terminal.exited()).toEqual({ code: 1, terminal: 'restored' });
  }, 120_000);
});

describe('--plain', () => {
  it('access-denied and asymmetric-kms-key questions, as prompts', async () => {
    const region = 'me-central-1';
    const here = newSession(region);
    const rsa = await seedKmsKey(here, { spec: 'RSA_2048', alias: true, prefix: 'plain-' });
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--plain', '--region', region, '--symptom', 'asymmetric-kms-key'], { columns: 80, rows: 30, env: motoEnv() });
    await terminal.waitFor('Which error do you see?');
    await terminal.keys('Enter');
    await terminal.waitFor('Which KMS key did you give CreateSecret?');
    await terminal.type(rsa.alias!);
    await terminal.waitFor((s) => s.includes(`❯ ${rsa.alias}`));
    await terminal.keys('Enter');
    await terminal.waitFor('Done?', 60_000);
    expect(flat(await terminal.screen({ history: true, joined: true }))).toContain('FAIL kms-key-symmetric');
    await terminal.keys('Enter');
    expect(await terminal.exited()).toEqual({ code: 1, terminal: 'restored' });
  }, 90_000);

  it('access-denied: the operation and the message', async () => {
    const healthy = await seedScenario(session, 'healthy', { prefix: 'adp/' });
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--plain', '--symptom', 'access-denied'], { columns: 80, rows: 30, env: motoEnv() });
    // The symptoms in their own order, the one given focused (Enter keeps it)
    const symptoms = await terminal.waitFor(
      (s) => s.includes('Which error do you see?') && s.includes('❯ "access denied" when sending a request to AWS Secrets Manager'),
    );
    expect(symptoms.indexOf('ValidationException')).toBeGreaterThan(-1);
    expect(symptoms.indexOf('ValidationException')).toBeLessThan(symptoms.indexOf('❯ "access denied"'));
    await terminal.keys('Enter');
    await terminal.waitFor('Which operation was denied?');
    await terminal.type('DescribeS');
    await terminal.waitFor('❯ DescribeSecret');
    await terminal.keys('Enter');
    await terminal.waitFor('Paste the error message you got');
    await terminal.type('User: arn:aws:iam::123456789012:user/moto is not authorized to perform: secretsmanager:DescribeSecret');
    await terminal.keys('Enter');
    await terminal.waitFor('From the message: principal arn:aws:iam::123456789012:user/moto, action secretsmanager:DescribeSecret', 20_000, { joined: true });
    await terminal.waitFor('Which secret?');
    await terminal.type(suffix(healthy));
    await terminal.waitFor(`❯ ${healthy.secretName}`);
    await terminal.keys('Enter');
    await terminal.waitFor('Whose permissions?');
    await terminal.keys('Enter');
    await terminal.waitFor('Done?', 60_000);
    expect(flat(await terminal.screen({ history: true, joined: true }))).toContain('secretsmanager:DescribeSecret');
    await terminal.keys('Enter');
    expect((await terminal.exited()).terminal).toBe('restored');
  }, 90_000);

  it('changes-not-visible: while propagation waits, what it waits for, with time and reads', async () => {
    const healthy = await seedScenario(session, 'healthy', { prefix: 'cnv/' });
    const missing = '0123456789abcdef0123456789abcdef';
    terminal = new Terminal();
    await terminal.start(
      [process.execPath, CLI, '--plain', '--symptom', 'changes-not-visible', '--changed', 'value', '--expect-version-id', missing, '--wait', '3'],
      { columns: 80, rows: 30, env: motoEnv() },
    );
    await terminal.waitFor('Which error do you see?');
    await terminal.keys('Enter');
    await terminal.waitFor('What did you change?');
    await terminal.keys('Enter');
    await terminal.waitFor('Which version ID should be AWSCURRENT now?');
    await terminal.keys('Enter');
    await terminal.waitFor('Which secret?');
    await terminal.type(suffix(healthy));
    await terminal.waitFor(`❯ ${healthy.secretName}`);
    await terminal.keys('Enter');
    await terminal.waitFor('Done?', 60_000);
    const screen = flat(await terminal.screen({ history: true, joined: true }));
    expect(screen).toMatch(new RegExp(`propagation waiting for version ${missing} to become AWSCURRENT: \\d+ s, \\d+ reads?`));
    expect(screen).toContain('FAIL propagation');
    await terminal.keys('Enter');
    expect((await terminal.exited()).terminal).toBe('restored');
  }, 90_000);

  it('many secrets: a progress line, then the list as a select', async () => {
    const region = 'ap-northeast-1';
    const here = newSession(region);
    await seedScenario(here, 'demo', { prefix: 'many/' });
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--plain', '--region', region, '--symptom', 'access-denied-temporary-credentials'], {
      columns: 80,
      rows: 30,
      env: motoEnv(),
    });
    await terminal.waitFor('Which error do you see?');
    await terminal.keys('Enter');
    await terminal.waitFor(/All \d+ secrets in ap-northeast-1/.test.bind(/All \d+ secrets in ap-northeast-1/));
    await terminal.keys('Enter');
    await terminal.waitFor('Whose permissions?');
    await terminal.keys('Enter');
    const list = await terminal.waitFor("Which secret's report? (worst first)", 60_000);
    expect(list).toMatch(/Checked (\d+) of \1 secrets, \d+ with failures\./);
    await terminal.keys('Enter');
    await terminal.waitFor('Next?');
    expect(flat(await terminal.screen({ history: true, joined: true }))).toContain(
      'Error: "access denied" when sending a request with temporary security credentials',
    );
    // Back to the list, Save this report as Markdown, Quit
    await terminal.keys('Down', 'Down', 'Enter');
    expect((await terminal.exited()).terminal).toBe('restored');
  }, 90_000);
});
