/**
 * The reported attack on a real terminal (tmux): a resource-policy Sid with a carriage return, a fake green
 * PASS, an OSC title and "conceal" on a failing statement, and a secret description and tags that carry the
 * same. What the terminal shows (capture-pane, with attributes) keeps the FAIL row FAIL, shows the Sid's
 * escapes as text, keeps the pane's title and leaves no attribute set after exit: in `diagnose` with colour,
 * in the Ink wizard and in --plain.
 */
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { motoEnv } from '../helpers/moto.js';
import { seedHostileName, seedHostileSecret } from '../helpers/hostile.js';
import { Terminal, tmuxVersion } from './tmux.js';

const exec = promisify(execFile);
let terminal: Terminal;
let secret: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  await tmuxVersion();
  secret = await seedHostileSecret();
});

afterEach(async () => {
  await terminal?.kill();
});

/** The pane's title, which an OSC 0 or 2 sequence would change. */
async function title(): Promise<string> {
  const { stdout } = await exec('tmux', ['-L', terminal.socket, 'display-message', '-p', '-t', 'sd', '#{pane_title}'], { encoding: 'utf8' });
  return stdout.trim();
}

/** What the terminal shows of the hostile Sid: its escapes as text. */
const SHOWN_SID = 'Deny\\r\\x1b[32mPASS\\x1b[39m';

/** Concealed (8), or any colour or attribute left on at the end of the screen. */
function expectNothingLeftOn(styled: string): void {
  expect(styled).not.toMatch(/\u001b\[[0-9;]*8m/);
}

function ready(text: string | ((screen: string) => boolean), timeoutMs?: number): Promise<string> {
  const shows = typeof text === 'string' ? (s: string) => s.includes(text) : text;
  return terminal.waitFor((s) => shows(s) && /(Ctrl-C quit|Enter or q quit)$/.test(s.trimEnd()), timeoutMs);
}

describe('on a terminal', () => {
  it('diagnose, in colour: the row reads FAIL in red, the Sid is shown escaped, the title and attributes are kept', async () => {
    terminal = new Terminal();
    // A line printed after the command exits shows the attributes it left on (concealed, coloured...).
    const argv = [process.execPath, CLI, 'diagnose', '--symptom', 'access-denied', '--secret-id', secret, '--debug'];
    await terminal.start(['sh', '-c', '"$0" "$@"; status=$?; echo after-exit; exit $status', ...argv], { columns: 200, rows: 50, env: motoEnv() });
    const before = await title();
    const { code } = await terminal.exited();
    expect(code).toBe(1);
    const screen = await terminal.waitFor('skip', 10_000, { history: true });
    const row = screen.split('\n').find((l) => l.includes('secret-policy-caller  statement'));
    expect(row, screen).toMatch(/^FAIL {4}secret-policy-caller {2}statement "Deny\\r\\x1b\[32mPASS/);
    expect(screen).toContain('\\x1b]0;pwned\\x07\\u202e');
    const styled = await terminal.screen({ styles: true, history: true });
    // FAIL is painted red by the tool itself; the fake PASS is not painted green
    expect(styled).toMatch(/\u001b\[31mFAIL/);
    expect(styled).not.toMatch(/\u001b\[32mPASS\u001b\[39m {4}secret-policy-caller/);
    expectNothingLeftOn(styled);
    expect(styled.split('\n').find((l) => l.includes('after-exit'))).toMatch(/^(\u001b\[(0|39|49)?m)*after-exit$/);
    expect(await title()).toBe(before);
  });

  it('--plain: the report row reads FAIL and the Sid is shown escaped', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--plain', '--symptom', 'access-denied', '--secret-id', secret, '--action', 'secretsmanager:GetSecretValue'], {
      columns: 200,
      rows: 50,
      env: motoEnv({ NO_COLOR: '1' }),
    });
    const before = await title();
    // Enter keeps each pre-selected answer, up to the report.
    for (const question of ['Which error do you see?', 'Which operation was denied?', 'Paste the error message', 'Which secret?', 'Whose permissions?']) {
      await terminal.waitFor(question, 30_000, { history: true });
      await terminal.keys('Enter');
    }
    const screen = await terminal.waitFor((s) => /secret-policy-caller {2}statement/.test(s), 30_000, { history: true });
    const row = screen.split('\n').find((l) => /secret-policy-caller {2}statement/.test(l));
    expect(row, screen).toMatch(/FAIL {4}secret-policy-caller {2}statement "Deny\\r\\x1b\[32mPASS/);
    expect(screen).toContain(SHOWN_SID);
    expectNothingLeftOn(await terminal.screen({ styles: true, history: true }));
    expect(await title()).toBe(before);
    await terminal.keys('C-c');
    await terminal.exited();
  });

  it('the Ink wizard: a secret name with an OSC title is listed with its escapes shown, and the title is kept', async () => {
    const hostile = await seedHostileName();
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--symptom', 'access-denied', '--action', 'secretsmanager:GetSecretValue'], {
      columns: 120,
      rows: 40,
      env: motoEnv(),
    });
    const before = await title();
    for (const question of ['Which error do you see?', 'Which operation was denied?', 'Paste the error message']) {
      await ready(question, 30_000);
      await terminal.keys('Enter');
    }
    await ready('Which secret?', 30_000);
    await terminal.type(hostile.filter);
    await ready((s) => s.includes(`❯ ${hostile.filter}\\x1b]0;pwned\\x07\\u202eevil`), 30_000);
    await terminal.keys('Enter');
    await ready('Whose permissions?', 30_000);
    await terminal.keys('Enter');
    const report = await ready('Report', 30_000);
    expect(report).toContain(`secret "${hostile.filter}\\x1b]0;pwned\\x07\\u202eevil"`);
    expectNothingLeftOn(await terminal.screen({ styles: true, history: true }));
    expect(await title()).toBe(before);
    await terminal.keys('q');
    await terminal.exited();
    expect(await title()).toBe(before);
  }, 90_000);

  it('the Ink wizard: the finished row and the report read FAIL, the Sid is shown escaped, nothing left on after exit', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--symptom', 'access-denied', '--secret-id', secret, '--action', 'secretsmanager:GetSecretValue'], {
      columns: 120,
      rows: 40,
      env: motoEnv(),
    });
    const before = await title();
    // Enter keeps each pre-selected answer, up to the report.
    for (const question of ['Which error do you see?', 'Which operation was denied?', 'Paste the error message', 'Which secret?', 'Whose permissions?']) {
      await ready(question, 30_000);
      await terminal.keys('Enter');
    }
    const report = await ready('Report', 30_000);
    expect(report).toContain(SHOWN_SID);
    const rows = (await terminal.screen({ history: true })).split('\n').filter((l) => /secret-policy-caller {2}statement/.test(l));
    expect(rows.length, report).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/FAIL {4}secret-policy-caller {2}statement "Deny\\r/);
    expectNothingLeftOn(await terminal.screen({ styles: true, history: true }));
    await terminal.keys('q');
    const { code, terminal: mode } = await terminal.exited();
    expect([code, mode]).toEqual([1, 'restored']);
    expect(await title()).toBe(before);
  }, 90_000);
});
