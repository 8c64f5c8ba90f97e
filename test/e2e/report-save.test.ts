/**
 * Saving the report from the wizard, in a real terminal (tmux) against moto (SPEC.md, "Reports a person can
 * act on"): `s` on the Ink report screen, "Save this report as Markdown" in --plain. The file lands in the
 * working directory under a new name, the path is shown at once and again after exit, and the file is the
 * Markdown report (title, what to do first, the findings table, the re-run command).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { CLI } from '../helpers/cli.js';
import { motoEnv, newSession } from '../helpers/moto.js';
import { Terminal } from './tmux.js';

const session = newSession();
let seeded: Seeded;
let terminal: Terminal | undefined;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  seeded = await seedScenario(session, 'demo', { prefix: 'save/' });
});

afterEach(async () => {
  await terminal?.kill();
  terminal = undefined;
});

/** The one report saved in `dir`, checked to be the Markdown report of this secret. */
async function savedReport(dir: string): Promise<string> {
  const files = await readdir(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^secrets-doctor-report-\d{8}T\d{6}Z\.md$/);
  const file = path.join(dir, files[0]!);
  const text = await readFile(file, 'utf8');
  expect(text).toMatch(/^# secrets-doctor: ValidationException/);
  expect(text).toContain('## What to do first');
  expect(text).toContain('| fail | secret-policy-incident-manager |');
  expect(text).toContain(`secrets-doctor diagnose --symptom incident-manager-secret --secret-id ${seeded.secretName}`);
  return file;
}

const argv = () => [process.execPath, CLI, '--symptom', 'incident-manager-secret', '--secret-id', seeded.secretName];

describe('saving the report from the wizard', () => {
  it('Ink: s saves it in the working directory, the path is shown, and printed again after exit', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-save-ink-'));
    terminal = new Terminal();
    await terminal.start(argv(), { columns: 120, rows: 40, env: motoEnv({ NO_COLOR: '1' }), cwd: dir });
    const ready = (text: string) => terminal!.waitFor((s) => s.includes(text) && /Ctrl-C quit$/.test(s.trimEnd()), 30_000);
    await ready('Enter choose');
    await terminal.keys('Enter');
    await terminal.waitFor((s) => s.includes(`❯ ${seeded.secretName}`) && !s.includes('Listing the secrets'));
    await terminal.keys('Enter');
    await ready('Whose permissions?');
    await terminal.keys('Enter');
    await ready('Read the value to check its format? y/N');
    await terminal.keys('Enter');
    await ready('s save');
    await terminal.keys('s');
    const shown = await terminal.waitFor('Report saved as Markdown:');
    const file = await savedReport(dir);
    expect(shown.replace(/\n/g, '')).toContain(`Report saved as Markdown: ${file}`);
    await terminal.keys('q');
    expect(await terminal.exited()).toEqual({ code: 1, terminal: 'restored' });
    const after = await terminal.waitFor('The same diagnosis without the wizard', 10_000, { joined: true, history: true });
    expect(after).toContain(`The report is in ${file}`);
  }, 60_000);

  it('--plain: a choice after the report saves it, says where, and asks again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-save-plain-'));
    terminal = new Terminal();
    await terminal.start([...argv(), '--plain'], { columns: 120, rows: 40, env: motoEnv(), cwd: dir });
    for (const question of ['Which error do you see?', 'Which secret?', 'Whose permissions?', "Also check the secret value's format?"]) {
      await terminal.waitFor(question, 30_000);
      await terminal.keys('Enter');
    }
    await terminal.waitFor('Review the fixes', 60_000);
    await terminal.keys('Down', 'Enter'); // Save this report as Markdown
    const shown = await terminal.waitFor((s) => s.includes('Report saved:') && s.trimEnd().endsWith('⏎ select'), 30_000, { joined: true });
    const file = await savedReport(dir);
    expect(shown).toContain(`Report saved: ${file}`);
    // The question comes back; the report is not printed a second time
    expect(shown.split('Review the fixes').length).toBeGreaterThan(2);
    const history = await terminal.screen({ history: true, joined: true });
    expect(history.split('What to do first').length).toBe(2);
    await terminal.keys('Down', 'Down', 'Down', 'Enter'); // No, quit
    expect(await terminal.exited()).toEqual({ code: 1, terminal: 'restored' });
  }, 60_000);
});
