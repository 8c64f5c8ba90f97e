/**
 * Documents that do not survive parsing (SPEC.md, Version 2, "Hostile input and malformed answers"): a
 * duplicated `Statement` once lost its first statement (a Deny) in the fix, a duplicated `Principal` kept
 * only the last, a long number lost precision, and the backup could not bring the original back. Now the
 * fix is refused, saying why, with the AWS CLI route; the backup keeps the text exactly as read; and
 * restore-policy writes that text back. moto accepts any policy text, as the seeding here relies on.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { seedScenario } from '../../source/demo/seed.js';
import { diagnose } from '../../source/diagnose.js';
import { planFix } from '../../source/fixes/index.js';
import { writeBackup } from '../../source/fixes/backup.js';
import { newSession } from '../helpers/moto.js';
import { runCli } from '../helpers/cli.js';

const session = newSession();
const IM = 'ssm-incidents.amazonaws.com';
const DENY_DELETE = '{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret","Resource":"*"}';
const OTHER = '{"Sid":"Other","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}';
const IM_READ = `{"Sid":"IM","Effect":"Allow","Principal":{"Service":"${IM}"},"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}`;
/** Two Statement keys: JSON.parse keeps the second, and the Deny in the first would vanish in a rewrite. */
const TWO_STATEMENTS = (last: string) => `{"Version":"2012-10-17","Statement":[${DENY_DELETE}],"Statement":[${last}]}`;

async function secretWithPolicy(text: string) {
  const seeded = await seedScenario(session, 'policy-other-service');
  await (await session.secretsManager()).send(new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: text }));
  return seeded;
}

async function policyNow(secretArn: string): Promise<string | undefined> {
  return (await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: secretArn }))).ResourcePolicy;
}

const inputs = (secretId: string) => ({ symptom: 'incident-manager-secret' as const, secretId });

describe('a document that does not survive parsing is not rewritten', () => {
  it('a duplicated Statement: the secret-policy fix is refused, naming the key and the AWS CLI route', async () => {
    const text = TWO_STATEMENTS(OTHER);
    const seeded = await secretWithPolicy(text);
    const plan = await planFix(session, inputs(seeded.secretArn), 'secret-policy', { includeCreator: false });
    expect('skip' in plan).toBe(true);
    const skip = 'skip' in plan ? plan.skip : '';
    expect(skip).toContain('is not rewritten');
    expect(skip).toContain('"Statement" appears more than once');
    expect(skip).toContain(`aws secretsmanager put-resource-policy --secret-id ${seeded.secretArn}`);
    expect(skip.split(/(?<=\.) (?=[A-Z])/).length).toBeLessThanOrEqual(2);
    expect(await policyNow(seeded.secretArn)).toBe(text);
  });

  it('a number that loses precision: refused too', async () => {
    const seeded = await secretWithPolicy(
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"NumericLessThan":{"secretsmanager:RecoveryWindowInDays":123456789012345678901}}}]}`,
    );
    const plan = await planFix(session, inputs(seeded.secretArn), 'secret-policy', { includeCreator: false });
    expect('skip' in plan && plan.skip).toContain('123456789012345678901');
  });

  it('a duplicated Principal in the key policy: the key-policy fix is refused with `aws kms put-key-policy`', async () => {
    const seeded = await seedScenario(session, 'key-policy-without-im');
    const original = (await (await session.kms()).send(new GetKeyPolicyCommand({ KeyId: seeded.keyArn!, PolicyName: 'default' }))).Policy!;
    // The root statement, its Principal given twice: JSON.parse keeps the second.
    const text = original.replace(/"Principal"\s*:\s*\{/, `"Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Principal": {`);
    expect(text).not.toBe(original);
    await (await session.kms()).send(new PutKeyPolicyCommand({ KeyId: seeded.keyArn!, PolicyName: 'default', Policy: text }));
    const plan = await planFix(session, inputs(seeded.secretArn), 'key-policy', { includeCreator: false });
    expect('skip' in plan && plan.skip).toContain('"Principal" appears more than once');
    expect('skip' in plan && plan.skip).toContain('aws kms put-key-policy');
  });

  it('diagnosis still evaluates, says the document does not survive parsing, and a pass becomes a warning', async () => {
    const seeded = await secretWithPolicy(TWO_STATEMENTS(IM_READ));
    const d = await diagnose(session, inputs(seeded.secretArn));
    const f = d.findings.find((x) => x.id === 'secret-policy-incident-manager')!;
    expect(f.status).toBe('warn');
    expect(f.details[0]).toContain('does not survive parsing');
    expect(f.evidence.documentProblem).toContain('"Statement"');
    expect(f.remediation).toContain('aws secretsmanager put-resource-policy');
  });
});

describe('backups keep the text exactly as read, and restore writes it back', () => {
  it('policyText is the text byte for byte, beside the parsed policy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-lossy-'));
    const text = TWO_STATEMENTS(OTHER);
    const file = await writeBackup(dir, 'secret-policy', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf', 'us-east-1', text);
    const backup = JSON.parse(await readFile(file, 'utf8'));
    expect(backup.policyText).toBe(text);
    expect(backup.policy).toEqual(JSON.parse(text));
  });

  it('restore-policy puts back the exact text: the Deny that JSON.parse would drop comes back', async () => {
    const text = TWO_STATEMENTS(OTHER);
    const seeded = await secretWithPolicy(text);
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-lossy-'));
    const file = await writeBackup(dir, 'secret-policy', seeded.secretArn, 'us-east-1', text);
    await (await session.secretsManager()).send(
      new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: `{"Version":"2012-10-17","Statement":[${OTHER}]}` }),
    );
    const result = await runCli(['restore-policy', '--secret-id', seeded.secretArn, '--from', file, '--yes', '--backup-dir', dir]);
    expect(result.code).toBe(0);
    expect(await policyNow(seeded.secretArn)).toBe(text);
  });

  it('a backup whose policyText was edited to differ from its policy is refused (exit 2, one line)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-lossy-'));
    const file = await writeBackup(
      dir,
      'secret-policy',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf',
      'us-east-1',
      `{"Statement":[${OTHER}]}`,
    );
    const backup = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...backup, policyText: `{"Statement":[${IM_READ}]}` }));
    const result = await runCli(['restore-policy', '--secret-id', 's', '--from', file, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('policyText and policy differ');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a backup whose policyText is not JSON is refused: AWS would not take it back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-lossy-'));
    // moto accepts any text as a policy, so such a backup can be taken there.
    const file = await writeBackup(dir, 'secret-policy', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf', 'us-east-1', '{"Statement": [');
    const result = await runCli(['restore-policy', '--secret-id', 's', '--from', file, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('policyText that is not JSON');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a backup from before policyText still restores from policy', async () => {
    const seeded = await secretWithPolicy(`{"Version":"2012-10-17","Statement":[${IM_READ}]}`);
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-lossy-'));
    const file = path.join(dir, 'old.json');
    const policy = { Version: '2012-10-17', Statement: [JSON.parse(OTHER)] };
    await writeFile(
      file,
      JSON.stringify({ kind: 'secret-policy', target: seeded.secretArn, region: 'us-east-1', takenAt: '2026-01-01T00:00:00.000Z', policy }),
    );
    const result = await runCli(['restore-policy', '--secret-id', seeded.secretArn, '--from', file, '--yes', '--backup-dir', dir]);
    expect(result.code).toBe(0);
    expect(JSON.parse((await policyNow(seeded.secretArn))!)).toEqual(policy);
  });
});
