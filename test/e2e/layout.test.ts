/**
 * The Ink wizard's layout in a real terminal (tmux, which reflows its lines when resized, as most
 * terminal emulators do): after a resize each heading shows once; the many-secrets list, with wide and
 * combining characters in the names, keeps its columns as the terminal draws them and says how many rows
 * are out of sight.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import stringWidth from 'string-width';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { motoEnv, newSession } from '../helpers/moto.js';
import { Terminal, tmuxVersion } from './tmux.js';

const REGION = 'eu-south-2';
const tag = randomBytes(2).toString('hex');
/** CJK, Hangul, emoji, e + U+0301; long ones cut at 60 columns. */
const NAMES = [
  'layout/本番パスワード',
  'layout/生产数据库密码很长很长很长很长很长很长很长很长很长很长很长很长',
  'layout/한국어-비밀',
  'layout/🔑-keys',
  'layout/e\u0301quipe-cafe\u0301',
  'layout/an-ascii-name-long-enough-to-be-cut-at-sixty-columns',
  ...Array.from({ length: 9 }, (_, i) => `layout/more-${i}`),
].map((name) => `${name}-${tag}`);

let terminal: Terminal;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  await tmuxVersion().catch(() => {
    throw new Error('tmux is needed for the terminal tests: install it (apt-get install tmux).');
  });
  const sm = await newSession(REGION).secretsManager();
  for (const name of NAMES) await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{}' }));
});

afterEach(async () => {
  await terminal?.kill();
});

/** The screen once it shows `text` and its key hints (its keys work then). */
function ready(text: string | ((screen: string) => boolean), timeoutMs = 60_000): Promise<string> {
  const shows = typeof text === 'string' ? (s: string) => s.includes(text) : text;
  return terminal.waitFor((s) => shows(s) && /Ctrl-C quit$/.test(s.trimEnd()), timeoutMs);
}

const count = (screen: string, line: RegExp) => screen.split('\n').filter((l) => line.test(l)).length;

/**
 * After a resize: the screen laid out at the new size (`shows`) with `heading` once. Right after the
 * resize, Ink's first frame leaves the old one's top behind; the wizard then draws the screen again. A
 * wizard that does not would leave two headings: this fails after a few seconds, showing the screen.
 */
function settled(heading: RegExp, shows: (screen: string) => boolean): Promise<string> {
  return ready((s) => shows(s) && count(s, heading) === 1, 5_000);
}

/** The list's rows on screen, and the display column at which each one's " fail ·" starts. */
function listColumns(screen: string): { rows: string[]; columns: Set<number> } {
  const rows = screen.split('\n').filter((l) => / fail · \d+ warn · \d+ unknown$/.test(l));
  return { rows, columns: new Set(rows.map((r) => stringWidth(r.slice(0, r.indexOf(' fail · '))))) };
}

describe('the Ink wizard in a terminal that is resized', () => {
  it('shows each heading once after a resize; the many-secrets list keeps its columns with wide names, and says what is out of sight', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--region', REGION, '--symptom', 'access-denied-temporary-credentials'], {
      columns: 100,
      rows: 30,
      env: motoEnv(),
    });
    await ready('Which error do you see?');
    // When the terminal gets narrower (its lines reflow: the old frame takes more rows than Ink wrote)
    await terminal.resize(60, 20);
    const narrow = await settled(/^Which error do you see\?/, (s) => s.includes('  AWS Secrets Manager secret'));
    expect(count(narrow, /ValidationException/), narrow).toBe(1);
    expect(count(narrow, /^❯ "access denied" when sending a request with temporary/), narrow).toBe(1);

    // The secret step lists "All 15 secrets" and the secrets, and says how many are below
    await terminal.keys('Enter');
    const secrets = await ready((s) => s.includes(`❯ All ${NAMES.length} secrets in ${REGION}`) && s.includes('more below'));
    const shown = count(secrets, /^ {2}layout\//);
    expect(shown + Number(secrets.match(/↓ (\d+) more below/)![1])).toBe(NAMES.length);
    await terminal.keys('Enter');
    await ready('Whose permissions?');
    await terminal.keys('Enter');

    // The list: the counts at one column on every row, as the terminal draws them
    const list = await ready((s) => s.includes('secrets checked, worst first') && s.includes('more below'));
    const at60 = listColumns(list);
    expect(at60.rows.length).toBeGreaterThanOrEqual(3);
    expect(at60.columns.size, list).toBe(1);
    expect([...at60.columns][0]).toBeLessThan(60);
    // End: the last rows, and how many are above
    await terminal.keys('End');
    const end = await ready((s) => s.includes('more above') && !s.includes('more below'));
    expect(listColumns(end).columns.size, end).toBe(1);
    // (the long names were cut, with an ellipsis, somewhere in the list)
    expect(`${list}\n${end}`).toMatch(/layout\/生产数据库密码[^\n]*…/);

    // Wider, then narrower again: one heading, the columns still in line
    for (const [columns, rows] of [
      [120, 30],
      [60, 20],
    ] as const) {
      await terminal.resize(columns, rows);
      // (at 120 columns the long ASCII name is whole; at 60 it is cut)
      const screen = await settled(/secrets checked, worst first$/, (s) => (columns > 100 ? s.includes(NAMES[5]!) : !s.includes(NAMES[5]!)));
      expect(listColumns(screen).columns.size, screen).toBe(1);
    }
    await terminal.keys('q');
    expect((await terminal.exited()).terminal).toBe('restored');
  }, 120_000);
});
