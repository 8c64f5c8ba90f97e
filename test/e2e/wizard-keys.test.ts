/**
 * Every key counts, in order (issue 14, item 4), in a real terminal (tmux) against moto: keys sent in one
 * write reach the wizard in one read (Backspaces, readline's editing keys, Ctrl-C twice, Enter then
 * Ctrl-C), a paste lands whole, and what is typed while the list of secrets is still loading (held by a
 * loopback proxy in front of moto, test/helpers/slow-proxy.ts) is kept; Enter then waits for the list and
 * takes the first match. Each wait is for a screen, never for time.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { CLI } from '../helpers/cli.js';
import { motoEndpoint, motoEnv, newSession } from '../helpers/moto.js';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.js';
import { Terminal, tmuxVersion } from './tmux.js';

const session = newSession();
let seeded: Seeded;
let terminal: Terminal | undefined;
let proxy: SlowProxy | undefined;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  await tmuxVersion().catch(() => {
    throw new Error('tmux is needed for the terminal tests: install it (apt-get install tmux).');
  });
  seeded = await seedScenario(session, 'policy-other-service', { prefix: 'keys/' });
});

afterEach(async () => {
  proxy?.release();
  await terminal?.kill();
  await proxy?.close();
  terminal = proxy = undefined;
});

const BS = '\u007f';
const CTRL_C = '\u0003';

/** The wizard, for the Incident Manager symptom, in a terminal of its own; `endpoint` defaults to moto. */
async function wizard(args: string[] = [], endpoint = motoEndpoint()): Promise<Terminal> {
  const t = new Terminal();
  terminal = t;
  await t.start([process.execPath, CLI, '--symptom', 'incident-manager-secret', ...args], {
    env: motoEnv({ NO_COLOR: '1', AWS_ENDPOINT_URL: endpoint }),
    columns: 100,
    rows: 40,
  });
  return t;
}

/** The screen shows `text` and its key hints (shown once that screen's keys work). */
function ready(t: Terminal, text: string | ((screen: string) => boolean), options: { joined?: boolean } = {}): Promise<string> {
  const shows = typeof text === 'string' ? (s: string) => s.includes(text) : text;
  return t.waitFor((s) => shows(s) && /Ctrl-C quit$/.test(s.trimEnd()), 20_000, options);
}

/**
 * What the secret field holds, as shown: the text after "Secret:" and the lines it wraps onto (up to the
 * blank line below it), each trimmed (the field wraps in its own column; the cursor is a trailing space).
 */
function field(screen: string): string | undefined {
  const lines = screen.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Secret:'));
  if (at < 0) return undefined;
  const end = lines.findIndex((l, i) => i > at && l.trim() === '');
  return lines
    .slice(at, end < 0 ? undefined : end)
    .map((l, i) => (i === 0 ? l.slice('Secret:'.length) : l).trim())
    .join('');
}

describe('keys sent in one write', () => {
  it('three Backspaces remove three characters, 240 remove 240', async () => {
    const t = await wizard(['--secret-id', seeded.secretName]);
    await ready(t, 'Which error do you see?');
    await t.keys('Enter');
    await ready(t, (s) => field(s) === seeded.secretName && s.includes(`❯ ${seeded.secretName}`));
    await t.write(BS.repeat(3));
    expect(field(await ready(t, (s) => field(s) === seeded.secretName.slice(0, -3)))).toBe(seeded.secretName.slice(0, -3));
    // 250 characters, then 240 Backspaces, each in one write
    await t.write(`\u0015${'x'.repeat(250)}`);
    await ready(t, (s) => field(s) === 'x'.repeat(250));
    await t.write(BS.repeat(240));
    const after = await ready(t, (s) => field(s) === 'x'.repeat(10));
    expect(after).toContain(`Use "${'x'.repeat(10)}" exactly as typed`);
  });

  it("edits with readline's keys: Home/End, Ctrl-A/E, ←, Ctrl-W, Ctrl-K, Ctrl-U", async () => {
    const t = await wizard(['--secret-id', seeded.secretName]);
    await ready(t, 'Which error do you see?');
    await t.keys('Enter');
    await ready(t, (s) => field(s) === seeded.secretName);
    // One send-keys: tmux writes the keys together, Home and End as this terminal encodes them
    await t.keys('C-u');
    await ready(t, (s) => field(s) === '');
    await t.write('keys/pol');
    await ready(t, (s) => field(s) === 'keys/pol');
    await t.keysAtOnce('Home', 'X', 'End', 'Y', 'C-a', 'A', 'C-e', 'E', 'Left', 'L');
    await ready(t, (s) => field(s) === 'AXkeys/polYLE');
    // Ctrl-W: the word before the cursor (up to whitespace, so all of it); Ctrl-K: the rest
    await t.keys('C-w');
    await ready(t, (s) => field(s) === 'E');
    await t.keys('C-k');
    await ready(t, (s) => field(s) === '');
    // Typed again, Ctrl-W deletes back to the space; Ctrl-U everything before the cursor
    await t.write(`keys/policy-other ${seeded.secretName.slice(-4)}\u0017`);
    await ready(t, (s) => field(s) === 'keys/policy-other');
    await t.write('\u0001\u001b[C\u001b[C\u001b[C\u001b[C\u001b[C\u0015');
    // (the list is filtered by what is left; which match is first depends on what else moto holds)
    await ready(t, (s) => field(s) === 'policy-other' && /❯ \S*policy-other/.test(s));
  });

  it('Ctrl-C Ctrl-C in a text field: the wizard leaves (130), the terminal restored, nothing typed', async () => {
    const t = await wizard(['--secret-id', seeded.secretName]);
    await ready(t, 'Which error do you see?');
    await t.keys('Enter');
    await ready(t, (s) => field(s) === seeded.secretName);
    await t.write(`${CTRL_C}${CTRL_C}`);
    expect(await t.exited()).toEqual({ code: 130, terminal: 'restored' });
    const screen = await t.waitFor('Interrupted.', 10_000, { history: true });
    expect(screen).not.toContain('\\x03');
    expect(screen.split('Interrupted.')).toHaveLength(2);
  });

  it('Enter then Ctrl-C: the answer is taken, then the wizard leaves (130)', async () => {
    const t = await wizard();
    await ready(t, 'Which error do you see?');
    await t.write(`\r${CTRL_C}`);
    expect(await t.exited()).toEqual({ code: 130, terminal: 'restored' });
    // The Enter was read first: the secret step had been reached
    const screen = await t.waitFor('Interrupted.', 10_000, { history: true });
    expect(screen).toContain('Which secret?');
  });
});

describe('a paste', () => {
  it('lands whole in the error message field, and the message is read as pasted', async () => {
    const message = `User: arn:aws:iam::123456789012:user/moto is not authorized to perform: secretsmanager:GetSecretValue on resource: ${seeded.secretName} because no resource-based policy allows the secretsmanager:GetSecretValue action`;
    const t = new Terminal();
    terminal = t;
    await t.start([process.execPath, CLI, '--symptom', 'access-denied', '--action', 'secretsmanager:GetSecretValue'], {
      env: motoEnv({ NO_COLOR: '1' }),
      columns: 100,
      rows: 40,
    });
    await ready(t, 'Which error do you see?');
    await t.keys('Enter');
    await ready(t, '❯ GetSecretValue');
    await t.keys('Enter');
    await ready(t, 'Paste the error message you got (optional)');
    await t.paste(message);
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const parsed = await ready(t, (s) => flat(s).includes('From the message: principal arn:aws:iam::123456789012:user/moto'));
    expect(flat(parsed)).toContain(`Message: ${message}`);
    // Ctrl-U clears it all at once; pasted again, Enter takes it: the secret it names is pre-selected
    await t.keys('C-u');
    await ready(t, 'Message: (Enter to skip)');
    await t.paste(message);
    await ready(t, (s) => flat(s).includes('From the message: principal'));
    await t.keys('Enter');
    await ready(t, (s) => s.includes('Which secret?') && s.includes(`❯ ${seeded.secretName}`));
  });
});

describe('typing while the list of secrets loads', () => {
  it('keeps what is typed ahead; Enter waits for the list, then takes the first match, not the half-typed text', async () => {
    const p = await startSlowProxy(motoEndpoint());
    proxy = p;
    p.rule = (op) => (op === 'secretsmanager.ListSecrets' ? 'hold' : undefined);
    const t = await wizard([], p.endpoint);
    await ready(t, 'Which error do you see?');
    await p.held('secretsmanager.ListSecrets');
    // Enter, part of the name and Enter, in one write: typed ahead of the secret step, while it loads
    const typed = seeded.secretName.slice(0, -2);
    await t.write(`\r${typed}\r`);
    const waiting = await ready(t, (s) => s.includes('Enter: the first match is chosen once the list is in'));
    expect(field(waiting)).toBe(typed);
    expect(waiting).toContain('Listing the secrets of the account...');
    // Nothing is diagnosed on the half-typed text
    expect(p.seen.filter((op) => /DescribeSecret|GetResourcePolicy/.test(op))).toEqual([]);
    // When the list arrives, the secret that matches is chosen
    p.rule = () => undefined;
    p.release();
    await ready(t, 'Whose permissions?');
    // (back on the secret step, the field holds the chosen secret's whole name)
    await t.keys('Escape');
    expect(field(await ready(t, 'Which secret?'))).toBe(seeded.secretName);
  });
});

describe('--plain, keys in one write', () => {
  it('a name typed and Enter in one write: the filter finishes before Enter, which chooses (nothing is dropped)', async () => {
    const t = new Terminal();
    terminal = t;
    await t.start([process.execPath, CLI, '--plain', '--symptom', 'incident-manager-secret'], { env: motoEnv({ NO_COLOR: '1' }), columns: 120, rows: 40 });
    await t.waitFor('Which error do you see?');
    await t.keys('Enter');
    await t.waitFor((s) => s.includes('Which secret?') && s.includes('secrets in us-east-1'));
    // @inquirer/prompts' search drops an Enter that arrives while it filters for the key before it
    await t.write(`${seeded.secretName}\r`);
    const next = await t.waitFor('Whose permissions?');
    expect(next).toContain(`Which secret? Type to filter, or type a name or ARN: ${seeded.secretName}`);
  });
});
