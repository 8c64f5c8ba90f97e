/**
 * Usage errors and inputs not understood, with the built CLI (SPEC.md, "Command line" and "Hostile
 * input"): one line each, the right exit status, what to do, and no SDK output reaching the user.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEnv } from '../helpers/moto.js';
import { runCli, type JsonDiagnosis } from '../helpers/cli.js';

let seeded: Seeded;
let dir: string;
beforeAll(async () => {
  seeded = await seedScenario(newSession(), 'healthy');
  dir = await mkdtemp(path.join(tmpdir(), 'sd-usage-'));
});

/** The lines of stderr that are not --debug output. */
const lines = (stderr: string) => stderr.split('\n').filter((l) => l && !l.startsWith('debug:'));

describe('--profile that is not there', () => {
  it('one sentence naming the files, exit 2, no SDK warning (keys in the environment too)', async () => {
    const r = await runCli(['diagnose', '--profile', 'nosuch', '--secret-id', seeded.secretArn]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^The profile "nosuch" is not in \S+ or \S+: check the name/);
    expect(r.stderr).not.toContain('Multiple credential sources');
    expect(r.stderr).not.toContain('No AWS credentials were found');
  });

  it("an existing profile with keys in the environment: the SDK's warning only under --debug", async () => {
    const config = path.join(dir, 'config');
    await writeFile(config, '[profile there]\nregion = us-east-1\n');
    const env = motoEnv({ AWS_CONFIG_FILE: config });
    const plain = await runCli(['diagnose', '--profile', 'there', '--secret-id', seeded.secretArn, '--json'], env);
    expect(plain.stderr).not.toContain('Multiple credential sources');
    const debug = await runCli(['diagnose', '--profile', 'there', '--secret-id', seeded.secretArn, '--json', '--debug'], env);
    expect(debug.stderr.split('\n').filter((l) => l.includes('Multiple credential sources'))).toEqual([expect.stringMatching(/^debug: /)]);
  });
});

describe('restore-policy --from a backup whose Region is not a Region code', () => {
  it('one sentence, exit 2', async () => {
    const file = path.join(dir, 'bad-region.json');
    await writeFile(
      file,
      JSON.stringify({ kind: 'secret-policy', target: seeded.secretArn, region: 'not a region\nat all', takenAt: '2026-01-01T00:00:00Z', policy: null }),
    );
    const r = await runCli(['restore-policy', '--secret-id', seeded.secretArn, '--from', file, '--yes'], motoEnv({ AWS_REGION: undefined }));
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('names the Region "not a region\\nat all", which is not a Region code such as us-east-1');
  });
});

describe('--error-message that is not understood', () => {
  it('says so once, on one line, and the run goes on; the JSON says recognised: false', async () => {
    const r = await runCli(['diagnose', '--symptom', 'access-denied', '--secret-id', seeded.secretArn, '--error-message', 'something went wrong', '--json']);
    expect(r.code).toBe(0);
    expect(lines(r.stderr).filter((l) => l.includes('--error-message'))).toHaveLength(1);
    expect(r.stderr).toContain('is not an AWS access-denied message this tool recognises');
    const doc = JSON.parse(r.stdout) as JsonDiagnosis & { input: { errorMessage?: { recognised: boolean } } };
    expect(doc.input.errorMessage).toMatchObject({ recognised: false, principal: null, action: null });
  });

  it('a recognised message: no such line, recognised: true', async () => {
    const message = `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: secretsmanager:GetSecretValue on resource: ${seeded.secretArn} because no identity-based policy allows the secretsmanager:GetSecretValue action`;
    const r = await runCli(['diagnose', '--symptom', 'access-denied', '--secret-id', seeded.secretArn, '--error-message', message, '--json']);
    expect(r.stderr).not.toContain('--error-message');
    expect((JSON.parse(r.stdout) as { input: { errorMessage?: unknown } }).input.errorMessage).toMatchObject({
      recognised: true,
      action: 'secretsmanager:GetSecretValue',
      denial: { effect: 'implicit', policyType: 'identity' },
    });
  });
});
