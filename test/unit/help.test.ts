/**
 * The command line a new user meets (issue 14, item 8): each command's own help with examples, a `help`
 * command, "did you mean" for a mistyped command, flag or symptom, and a diagnosis that cannot run without a
 * secret says so instead of printing a page of SKIP lines. Through the built CLI, as a user runs it.
 */
import { describe, expect, it } from 'vitest';
import { closest } from '../../source/commands/help.js';
import { runCli } from '../helpers/cli.js';

describe('help', () => {
  it.each([
    [['diagnose', '--help'], 'secrets-doctor diagnose: run the checks'],
    [['help', 'diagnose'], 'secrets-doctor diagnose: run the checks'],
    [['fix', '--help'], 'secrets-doctor fix: diagnose, then apply the fixes'],
    [['help', 'restore-policy'], 'secrets-doctor restore-policy: put back a policy'],
    [['help'], 'secrets-doctor help COMMAND'],
    [['--help'], 'secrets-doctor help COMMAND'],
  ])('%j shows its own page, with examples', async (argv, first) => {
    const r = await runCli(argv, { PATH: process.env.PATH });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(first);
    if (argv.includes('diagnose') || argv.includes('fix')) expect(r.stdout).toMatch(/Examples\n {2}secrets-doctor /);
  });

  it.each([
    [['diagnoze'], 'Unknown command "diagnoze"', 'Did you mean diagnose?'],
    [['diagnose', '--secretid', 'x'], "Unknown option '--secretid'", 'Did you mean --secret-id?'],
    [['diagnose', '--symptom', 'acess-denied', '--secret-id', 'x'], 'Unknown symptom "acess-denied"', 'Did you mean access-denied?'],
    [['help', 'fixx'], 'There is no help on "fixx"', 'Did you mean fix?'],
  ])('%j: one line, exit 2, with the closest spelling', async (argv, what, suggestion) => {
    const r = await runCli(argv, { PATH: process.env.PATH });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(what);
    expect(r.stderr).toContain(suggestion);
  });

  it('a word that is nothing like a command gets no suggestion', async () => {
    const r = await runCli(['frobnicate'], { PATH: process.env.PATH });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('Did you mean');
  });

  it('diagnose without a secret, for a symptom about a secret: says what is missing, exit 2', async () => {
    const r = await runCli(['diagnose', '--symptom', 'access-denied'], { PATH: process.env.PATH });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('--symptom access-denied checks a secret: give --secret-id (its name or ARN), or --all-secrets.');
  });

  it('closest: missing dashes and small typos, never a far word', () => {
    expect(closest('secretid', ['secret-id', 'region'])).toBe('secret-id');
    expect(closest('regoin', ['secret-id', 'region'])).toBe('region');
    expect(closest('zzz', ['secret-id', 'region'])).toBeUndefined();
  });
});

describe('the wizard with CI set, on a real terminal', () => {
  it('says that CI is what keeps it from starting, not that there is no terminal', async () => {
    const { spawnSync } = await import('node:child_process');
    const path = await import('node:path');
    const { CLI } = await import('../helpers/cli.js');
    const screens = path.join(path.dirname(CLI), '..', 'test', 'helpers', 'pty-screens.py');
    const out = spawnSync('python3', [screens, '100', '24', '[]', process.execPath, CLI], {
      env: { PATH: process.env.PATH, CI: 'true' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const written = Buffer.from(out.stdout.trim(), 'base64').toString('utf8');
    expect(written).toContain('CI is set, so the wizard does not start');
    expect(written).not.toContain('needs a terminal');
  });
});
