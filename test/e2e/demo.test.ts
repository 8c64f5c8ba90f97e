/**
 * `npm run demo` as a user runs it (dist/demo.js in a real terminal, 80 columns): it opens the wizard on
 * the seeded secret, the on-screen keys alone diagnose and fix it, and its emulator stops when the wizard
 * exits, also on Ctrl-C. Without moto_server it says how to install it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { Terminal, tmuxVersion } from './tmux.js';

const DEMO = path.join(path.dirname(CLI), 'demo.js');
let terminal: Terminal;

beforeAll(async () => {
  if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: run \`npm run build\` first.`);
  await tmuxVersion().catch(() => {
    throw new Error('tmux is needed for the terminal tests: install it (apt-get install tmux).');
  });
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

/** Only what a shell gives: no AWS variables of the test run, no CI. */
function shellEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

function endpointOf(screen: string): string {
  const match = /Local AWS emulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(screen);
  if (!match) throw new Error(`No emulator endpoint on the screen:\n${screen}`);
  return match[1]!;
}

describe('npm run demo', () => {
  it('opens the wizard on the seeded secret; Enter, y and Enter alone diagnose and fix it; the emulator stops after', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, DEMO], { columns: 80, rows: 30, env: shellEnv() });
    // Given the wizard, open on the seeded secret
    const first = await ready('Which error do you see?', 30_000);
    // What it did before the first screen was said as it happened
    expect(await terminal.screen({ joined: true, history: true })).toContain('Starting the local AWS emulator (moto_server)...');
    const endpoint = endpointOf(first);
    const secret = /Seeded secret: (prod\/pagerduty-demo-[0-9a-f]{8})/.exec(first)?.[1];
    expect(secret).toBeDefined();
    expect(await answers(endpoint)).toBe(true);
    // When keeping every pre-selected answer
    await terminal.keys('Enter');
    await ready(`❯ ${secret}`);
    await terminal.keys('Enter');
    await ready('Whose permissions? (who creates the response plan)');
    await terminal.keys('Enter');
    await ready('Read the value to check its format? y/N');
    await terminal.keys('Enter');
    // Then the report names the two failures and offers their fixes
    const report = await ready('Enter review 2 fixes');
    expect(report).toContain('FAIL    secret-policy-incident-manager');
    // When accepting both fixes (the creator may already use the key: no question about its statement)
    await terminal.keys('Enter');
    await ready('y apply');
    await terminal.keys('y');
    await ready('Enter next fix');
    await terminal.keys('Enter');
    const keyDiff = await ready('y apply');
    expect(keyDiff).not.toContain("Also add the creator's statement");
    expect(keyDiff).toContain('Fix 2 of 2: key-policy');
    await terminal.keys('y');
    await ready('Enter summary');
    await terminal.keys('Enter');
    // Then the checks pass after the fixes
    const summary = await ready('No check fails any more.');
    expect(summary).toContain('secret-policy: applied, verified');
    expect(summary).toContain('key-policy: applied, verified');
    // And nothing on the wizard's screens was wider than 80 columns
    for (const line of (await terminal.screen({ joined: true, history: true })).split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    await terminal.keys('Enter');
    // And leaving ends the demo with status 0 and stops the emulator
    expect(await terminal.exited(30_000)).toEqual({ code: 0, terminal: 'restored' });
    expect(await answers(endpoint)).toBe(false);
    // And the undo commands printed for the demo's throw-away backups are said not to apply any more
    await terminal.waitFor('the undo commands above no longer apply', 10_000, { joined: true, history: true });
  }, 120_000);

  it('stops the emulator on Ctrl-C and leaves with status 130', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, DEMO], { columns: 80, rows: 30, env: shellEnv() });
    const endpoint = endpointOf(await ready('Which error do you see?', 30_000));
    await terminal.keys('C-c');
    expect(await terminal.exited(30_000)).toEqual({ code: 130, terminal: 'restored' });
    expect(await answers(endpoint)).toBe(false);
  }, 60_000);

  it('says in one sentence how to install moto_server where it is missing', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [DEMO], {
        env: { PATH: path.dirname(process.execPath), HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).toBe('moto_server was not found: install it with `pip install "moto[server]"`.\n');
    expect(result.code).toBe(3);
  });
});
