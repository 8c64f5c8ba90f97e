/**
 * The reported attack (issue 12): a resource-policy statement whose Sid holds a carriage return, "PASS" and
 * escape sequences made a FAIL row display as PASS, retitled the terminal (OSC) and left its text hidden.
 * Seeded in moto (PutResourcePolicy keeps the Sid as given) together with a description, tags and a
 * denial message that carry the same, and run through the built CLI: the FAIL row still reads FAIL, and
 * no escape, carriage return, C1 or bidirectional character reaches stdout or stderr raw.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeSecretCommand, GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, documents, finding, runCli } from '../helpers/cli.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { HOSTILE_SID, RAW, seedHostileSecret } from '../helpers/hostile.js';
import { motoEndpoint, motoEnv, newSession } from '../helpers/moto.js';

let secret: string;
let proxy: FaultProxy | undefined;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  secret = await seedHostileSecret();
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('diagnose, text report', () => {
  it('the failing statement still reads FAIL, its Sid is shown escaped, and nothing raw reaches the terminal', async () => {
    const run = await runCli(['diagnose', '--symptom', 'access-denied', '--secret-id', secret, '--debug']);
    expect(run.code, run.stderr).toBe(1);
    const row = run.stdout.split('\n').find((l) => l.includes('secret-policy-caller') && !l.startsWith(' ') && !l.startsWith('-'));
    expect(row, run.stdout).toMatch(/^FAIL {4}secret-policy-caller {2}statement "Deny\\r\\x1b\[32mPASS\\x1b\[39m/);
    expect(row).toContain('\\x1b]0;pwned\\x07\\u202e\\x85\\x1b[8m');
    expect(run.stdout).not.toMatch(RAW);
    // --debug lines and error sentences on stderr too
    expect(run.stderr).toContain('debug: ');
    expect(run.stderr).not.toMatch(RAW);
  });
});

describe('diagnose --json', () => {
  it('parses to the Sid exactly as written, with C1 and bidirectional characters escaped in the text', async () => {
    const run = await runCli(['diagnose', '--symptom', 'access-denied', '--secret-id', secret, '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(RAW);
    expect(run.stdout).toContain('\\u202e');
    expect(run.stdout).toContain('\\u0085');
    expect(run.stdout).toContain('\\u001b]0;pwned\\u0007');
    const [d] = documents(run.stdout);
    const f = finding(d!, 'secret-policy-caller');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain(`statement "${HOSTILE_SID}"`);
  });
});

describe("AWS's error messages", () => {
  // (The error code goes in a header too, where Node allows no control character: the property test feeds codes.)
  it('a denial whose message carries escapes is one visible sentence on stderr and in the report', async () => {
    proxy = await startFaultProxy(motoEndpoint(), (operation) =>
      operation === 'secretsmanager.DescribeSecret'
        ? { status: 400, code: 'AccessDeniedException', message: 'no\r\u001b[32mPASS\u001b[8m \u202eevil\u009b2J' }
        : undefined,
    );
    const run = await runCli(['diagnose', '--symptom', 'access-denied', '--secret-id', secret, '--debug'], motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint }));
    // (AWS's message is put on one line: the carriage return becomes a space)
    expect(run.stdout).toContain('Access denied (AccessDeniedException): no \\x1b[32mPASS\\x1b[8m \\u202eevil\\x9b2J');
    expect(run.stdout).not.toMatch(RAW);
    expect(run.stderr).not.toMatch(RAW);
  });

  it('a refused listing is one visible sentence on stderr', async () => {
    proxy = await startFaultProxy(motoEndpoint(), (operation) =>
      operation === 'secretsmanager.ListSecrets'
        ? { status: 400, code: 'AccessDeniedException', message: 'denied\u001b]0;pwned\u0007\u202e\u001b[8m' }
        : undefined,
    );
    const run = await runCli(['diagnose', '--symptom', 'access-denied', '--all-secrets'], motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint }));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('The secrets could not be listed: Access denied (AccessDeniedException): denied\\x1b]0;pwned\\x07\\u202e\\x1b[8m');
    expect(run.stderr).not.toMatch(RAW);
  });
});

describe('restore-policy', () => {
  /** A backup of the seeded secret whose fields (its time, its policy's Sid) carry escapes. */
  async function hostileBackup(policy: unknown): Promise<string> {
    const sm = await newSession().secretsManager();
    const arn = (await sm.send(new DescribeSecretCommand({ SecretId: secret }))).ARN!;
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'sd-inject-')), 'backup.json');
    await writeFile(
      file,
      JSON.stringify({ kind: 'secret-policy', target: arn, region: 'us-east-1', takenAt: 'then\u001b]0;pwned\u0007\u202e\r\u001b[8m', policy }),
    );
    return file;
  }

  it('a backup equal to the policy: the backup time is shown escaped', async () => {
    const sm = await newSession().secretsManager();
    const current = JSON.parse((await sm.send(new GetResourcePolicyCommand({ SecretId: secret }))).ResourcePolicy!);
    const run = await runCli(['restore-policy', '--secret-id', secret, '--from', await hostileBackup(current), '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('already matches the backup taken at then\\x1b]0;pwned\\x07\\u202e\\r\\x1b[8m');
    expect(run.stdout + run.stderr).not.toMatch(RAW);
  });

  it('a backup to put back (dry run): the diff shows both Sids escaped', async () => {
    const other = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Old\r\u001b[32mPASS\u009b8m\u2066', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'secretsmanager:DescribeSecret', Resource: '*' },
      ],
    };
    const run = await runCli(['restore-policy', '--secret-id', secret, '--from', await hostileBackup(other), '--dry-run']);
    expect(run.stdout + run.stderr).toContain('Old\\r\\u001b[32mPASS\\x9b8m\\u2066');
    expect(run.stdout + run.stderr).toContain('Deny\\r\\u001b[32mPASS');
    expect(run.stdout + run.stderr).not.toMatch(RAW);
  });
});
