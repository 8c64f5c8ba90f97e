/**
 * Bad data in the account is a finding, not a crash or a usage error: a resource policy that is not JSON
 * (moto accepts one; AWS would not), one that is not valid IAM, a key policy that is not JSON; a fix
 * refuses to extend what it cannot parse; an oversized or malformed backup file is a usage error.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { seedScenario } from '../../source/demo/seed.js';
import { newSession } from '../helpers/moto.js';
import { runCli, documents, finding } from '../helpers/cli.js';

const session = newSession();

async function withSecretPolicy(text: string) {
  const seeded = await seedScenario(session, 'healthy');
  await (await session.secretsManager()).send(new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: text }));
  return seeded;
}

const IM = (id: string, ...extra: string[]) => ['diagnose', '--symptom', 'incident-manager-secret', '--secret-id', id, '--json', ...extra];

describe('bad data in the account', () => {
  it('a resource policy that is not JSON fails the policy checks, saying so', async () => {
    const seeded = await withSecretPolicy('{"Version": "2012-10-17", "Statement": [');
    const result = await runCli(IM(seeded.secretArn));
    const [doc] = documents(result.stdout);
    for (const id of ['secret-policy-incident-manager', 'secret-policy-caller']) {
      expect(finding(doc!, id).status).toBe('fail');
      expect(finding(doc!, id).summary).toContain('not valid JSON');
    }
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
  });

  it('a resource policy that is not valid IAM fails, naming what is wrong', async () => {
    const seeded = await withSecretPolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ssm-incidents.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*', Colour: 'blue' },
        ],
      }),
    );
    const [doc] = documents((await runCli(IM(seeded.secretArn))).stdout);
    const f = finding(doc!, 'secret-policy-incident-manager');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('not a valid IAM policy');
    expect(f.summary).toContain('Colour');
  });

  it('a key policy that is not JSON fails the key-policy checks', async () => {
    const seeded = await seedScenario(session, 'healthy');
    await (await session.kms()).send(new PutKeyPolicyCommand({ KeyId: seeded.keyArn, PolicyName: 'default', Policy: 'not a policy' }));
    const [doc] = documents((await runCli(IM(seeded.secretArn))).stdout);
    expect(finding(doc!, 'kms-policy-incident-manager').status).toBe('fail');
    expect(finding(doc!, 'kms-policy-incident-manager').summary).toContain('not valid JSON');
  });

  it('fix does not touch a policy it cannot parse: the finding offers no fix', async () => {
    const seeded = await withSecretPolicy('{"Statement": ');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-bad-'));
    const result = await runCli([
      'fix',
      '--symptom',
      'incident-manager-secret',
      '--secret-id',
      seeded.secretArn,
      '--fixes',
      'secret-policy',
      '--yes',
      '--json',
      '--backup-dir',
      dir,
    ]);
    const [doc] = documents(result.stdout) as (ReturnType<typeof documents>[number] & { applied: { status: string; message: string }[] })[];
    expect(doc!.applied[0]).toMatchObject({ status: 'skipped' });
    expect(doc!.applied[0]!.message).toContain('No finding offers secret-policy');
    expect(finding(doc!, 'secret-policy-incident-manager').remediation).toContain('Replace it with a valid policy');
    const { GetResourcePolicyCommand } = await import('@aws-sdk/client-secrets-manager');
    const now = await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }));
    expect(now.ResourcePolicy).toBe('{"Statement": ');
  });
});

describe('bad backup files are usage errors', () => {
  it.each([
    ['huge', 'x'.repeat(1_100_000), 'too large'],
    ['not a backup', JSON.stringify({ hello: 'world' }), 'not a secrets-doctor backup'],
    [
      'a key backup with no policy',
      JSON.stringify({ kind: 'key-policy', target: 'arn:aws:kms:us-east-1:123456789012:key/x', region: 'us-east-1', takenAt: 'now', policy: null }),
      'no key policy',
    ],
  ])('%s', async (_name, body, words) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-bad-'));
    const file = path.join(dir, 'backup.json');
    await writeFile(file, body);
    const flag = body.includes('key-policy') ? ['--kms-key-id', 'k'] : ['--secret-id', 's'];
    const result = await runCli(['restore-policy', ...flag, '--from', file, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(words);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
