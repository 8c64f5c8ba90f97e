/**
 * `asymmetric-kms-key`: "cannot generate a data key with an asymmetric CMK" when creating a secret. The
 * built CLI against moto_server, with keys seeded in a Region of this file's own (so the symmetric choices
 * are exactly the ones seeded here).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seedKmsKey, type SeededKey } from '../../source/demo/seed.js';
import { diagnose } from '../../source/diagnose.js';
import { newSession } from '../helpers/moto.js';
import { runCli, documents, statuses, finding, type JsonDiagnosis } from '../helpers/cli.js';

const REGION = 'ap-southeast-2';

let rsa: SeededKey;
let symmetric: SeededKey;
let disabled: SeededKey;
let signing: SeededKey;

beforeAll(async () => {
  const session = newSession(REGION);
  [rsa, symmetric, disabled, signing] = await Promise.all([
    seedKmsKey(session, { spec: 'RSA_2048', alias: true, region: REGION }),
    seedKmsKey(session, { spec: 'SYMMETRIC_DEFAULT', alias: true, region: REGION }),
    seedKmsKey(session, { spec: 'SYMMETRIC_DEFAULT', alias: true, disable: true, region: REGION }),
    seedKmsKey(session, { spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY', region: REGION }),
  ]);
});

async function diagnoseKey(...extra: string[]): Promise<{ code: number | null; doc: JsonDiagnosis }> {
  const result = await runCli(['diagnose', '--symptom', 'asymmetric-kms-key', '--region', REGION, '--json', ...extra]);
  const docs = documents(result.stdout);
  expect(docs).toHaveLength(1);
  return { code: result.code, doc: docs[0]! };
}

describe('asymmetric-kms-key', () => {
  it('fails kms-key-symmetric for an RSA key, naming its spec, and offers the symmetric keys as choices', async () => {
    // Given an RSA_2048 key given to CreateSecret by its alias
    const { code, doc } = await diagnoseKey('--kms-key-id', rsa.alias!);
    // Then the key spec is the problem, and the finding names its evidence
    expect(statuses(doc)).toEqual({ credentials: 'pass', 'kms-key-usable': 'pass', 'kms-key-symmetric': 'fail', 'service-health': 'pass' });
    expect(code).toBe(1);
    const f = finding(doc, 'kms-key-symmetric');
    expect(f.summary).toContain('RSA_2048');
    expect(f.evidence).toMatchObject({ api: 'kms:DescribeKey', given: rsa.alias, keyArn: rsa.keyArn, keySpec: 'RSA_2048' });
    // And the choices are the enabled symmetric customer managed keys, the disabled one and the others left out
    expect(f.evidence.choices).toEqual([{ keyArn: symmetric.keyArn, aliases: [symmetric.alias], description: 'secrets-doctor seed: SYMMETRIC_DEFAULT key' }]);
    // And the remediation is the corrected create-secret command, with no value in it
    expect(f.remediation).toContain(
      `aws secretsmanager create-secret --name NAME --kms-key-id ${symmetric.alias} --secret-string file://secret.json --region ${REGION}`,
    );
  });

  it('passes kms-key-symmetric and kms-key-usable for a symmetric key given by ARN', async () => {
    const { code, doc } = await diagnoseKey('--kms-key-id', symmetric.keyArn);
    expect(statuses(doc)).toEqual({ credentials: 'pass', 'kms-key-usable': 'pass', 'kms-key-symmetric': 'pass', 'service-health': 'pass' });
    expect(code).toBe(0);
    expect(finding(doc, 'kms-key-symmetric').evidence).toMatchObject({ keySpec: 'SYMMETRIC_DEFAULT', keyArn: symmetric.keyArn });
  });

  it('takes a bare key ID, and the secret name the user meant to create goes into the command', async () => {
    const { doc } = await diagnoseKey('--kms-key-id', rsa.keyId, '--secret-id', 'prod/new-secret');
    const f = finding(doc, 'kms-key-symmetric');
    expect(f.status).toBe('fail');
    expect(f.remediation).toContain('create-secret --name prod/new-secret');
    // The secret does not exist yet: its own checks are not part of this symptom
    expect(doc.findings.map((x) => x.id)).toEqual(['credentials', 'kms-key-usable', 'kms-key-symmetric', 'service-health']);
  });

  it('a disabled symmetric key fails kms-key-usable with the enable-key command, and is symmetric', async () => {
    const { doc } = await diagnoseKey('--kms-key-id', disabled.alias!);
    const usable = finding(doc, 'kms-key-usable');
    expect(usable.status).toBe('fail');
    expect(usable.evidence).toMatchObject({ api: 'kms:DescribeKey', keyState: 'Disabled', keyArn: disabled.keyArn });
    expect(usable.remediation).toContain(`aws kms enable-key --key-id ${disabled.keyArn}`);
    expect(finding(doc, 'kms-key-symmetric').status).toBe('pass');
  });

  it('a signing key fails both: not ENCRYPT_DECRYPT, and not symmetric', async () => {
    const { doc } = await diagnoseKey('--kms-key-id', signing.keyArn);
    expect(finding(doc, 'kms-key-usable')).toMatchObject({ status: 'fail', evidence: { keyUsage: 'SIGN_VERIFY' } });
    expect(finding(doc, 'kms-key-symmetric')).toMatchObject({ status: 'fail', evidence: { keySpec: 'ECC_NIST_P256' } });
  });

  it('a key that does not exist fails kms-key-usable, and kms-key-symmetric says why it skipped', async () => {
    const { code, doc } = await diagnoseKey('--kms-key-id', 'alias/sd-no-such-key');
    expect(finding(doc, 'kms-key-usable')).toMatchObject({
      status: 'fail',
      evidence: { api: 'kms:DescribeKey', given: 'alias/sd-no-such-key', error: 'NotFoundException' },
    });
    expect(finding(doc, 'kms-key-usable').remediation).toContain(`aws kms list-aliases --region ${REGION}`);
    expect(finding(doc, 'kms-key-symmetric').status).toBe('skip');
    expect(code).toBe(1);
  });

  it('without --kms-key-id the command line refuses (exit 2); the engine alone skips both key checks, naming the flag', async () => {
    const result = await runCli(['diagnose', '--symptom', 'asymmetric-kms-key', '--region', REGION, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs --kms-key-id');
    const d = await diagnose(newSession(REGION), { symptom: 'asymmetric-kms-key' });
    const byId = Object.fromEntries(d.findings.map((f) => [f.id, f]));
    expect(byId['kms-key-usable']).toMatchObject({ status: 'skip', summary: 'No KMS key was given (--kms-key-id).' });
    expect(byId['kms-key-symmetric']).toMatchObject({ status: 'skip', summary: 'No KMS key was given (--kms-key-id).' });
  });
});

describe('asymmetric-kms-key requests', () => {
  it('never describes alias/aws/secretsmanager (that call would create the AWS managed key)', async () => {
    const session = newSession(REGION);
    const d = await diagnose(session, { symptom: 'asymmetric-kms-key', kmsKeyId: 'alias/aws/secretsmanager' });
    const byId = Object.fromEntries(d.findings.map((f) => [f.id, f]));
    expect(byId['kms-key-symmetric']!.status).toBe('pass');
    expect(byId['kms-key-usable']!.status).toBe('pass');
    expect(session.log.map((r) => r.operation)).not.toContain('DescribeKey');
  });

  it("is read-only, and lists the Region's keys once, only when the key is not symmetric", async () => {
    const session = newSession(REGION);
    await diagnose(session, { symptom: 'asymmetric-kms-key', kmsKeyId: rsa.alias });
    const ops = session.log.map((r) => r.operation);
    expect(ops.filter((op) => !/^(Describe|Get|List)/.test(op))).toEqual([]);
    expect(ops.filter((op) => op === 'ListKeys')).toHaveLength(1);
    expect(ops.filter((op) => op === 'ListAliases')).toHaveLength(1);
    // The named key is described once (by its alias), never again by its ID while listing
    const describes = ops.filter((op) => op === 'DescribeKey').length;
    const symmetricSession = newSession(REGION);
    await diagnose(symmetricSession, { symptom: 'asymmetric-kms-key', kmsKeyId: symmetric.alias });
    expect(symmetricSession.log.map((r) => r.operation).filter((op) => op.startsWith('List'))).toEqual([]);
    expect(describes).toBeGreaterThan(1);
  });
});
