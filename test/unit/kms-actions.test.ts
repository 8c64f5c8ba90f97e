/**
 * KMS actions follow the operation (SPEC v2, "KMS actions follow the operation"): what each of the 23
 * Secrets Manager operations needs on the secret's customer managed key, and kms-policy-caller asking only
 * that. Secrets Manager, KMS and STS are the real moto; no IAM answer is needed (the key policy names the
 * caller directly).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { KMS_NEEDS } from '../../source/checks/kms-actions.js';
import { kmsActionsFor } from '../../source/checks/common.js';
import { SECRETS_MANAGER_ACTIONS } from '../../source/operations.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { diagnose } from '../../source/diagnose.js';
import type { Finding, Inputs } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

/**
 * The documented verdicts, written before the table in code. Sources:
 * - Secrets Manager User Guide, "Secret encryption and decryption", section "How Secrets Manager uses your KMS
 *   key" (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html): GenerateDataKey
 *   for CreateSecret (with a value), PutSecretValue, UpdateSecret (new value or key); Decrypt for GetSecretValue;
 *   "The RotateSecret operation does not call GenerateDataKey"; when the key is established or changed,
 *   GenerateDataKey and Decrypt validate the caller's access ("Validating access to the KMS key").
 * - Secrets Manager API Reference, "Required permissions" of BatchGetSecretValue ("kms:Decrypt permissions for
 *   the keys") and ReplicateSecretToRegions ("kms:Decrypt permission to the key" of the primary).
 * - Every other operation reads or writes metadata, policies, tags or labels only: no KMS permission.
 */
const DOCUMENTED: Record<string, string[]> = {
  GetSecretValue: ['kms:Decrypt'],
  BatchGetSecretValue: ['kms:Decrypt'],
  PutSecretValue: ['kms:GenerateDataKey'],
  UpdateSecret: ['kms:GenerateDataKey', 'kms:Decrypt'],
  CreateSecret: ['kms:GenerateDataKey', 'kms:Decrypt'],
  ReplicateSecretToRegions: ['kms:Decrypt'],
  RotateSecret: [],
  DescribeSecret: [],
  GetResourcePolicy: [],
  PutResourcePolicy: [],
  DeleteResourcePolicy: [],
  ValidateResourcePolicy: [],
  ListSecrets: [],
  ListSecretVersionIds: [],
  DeleteSecret: [],
  RestoreSecret: [],
  CancelRotateSecret: [],
  TagResource: [],
  UntagResource: [],
  GetRandomPassword: [],
  RemoveRegionsFromReplication: [],
  StopReplicationToReplica: [],
  UpdateSecretVersionStage: [],
};

describe('the KMS actions of each Secrets Manager operation', () => {
  it('has one documented row for each of the 23 operations', () => {
    expect(SECRETS_MANAGER_ACTIONS).toHaveLength(23);
    expect(Object.keys(KMS_NEEDS).sort()).toEqual([...SECRETS_MANAGER_ACTIONS].sort());
    expect(Object.keys(DOCUMENTED).sort()).toEqual([...SECRETS_MANAGER_ACTIONS].sort());
  });

  it.each(Object.entries(DOCUMENTED))('%s needs %j', (operation, actions) => {
    expect(kmsActionsFor(`secretsmanager:${operation}`)).toEqual(actions);
    // IAM action names are case-insensitive.
    expect(kmsActionsFor(`SecretsManager:${operation.toLowerCase()}`)).toEqual(actions);
  });

  it('a read never needs kms:GenerateDataKey', () => {
    expect(kmsActionsFor('secretsmanager:GetSecretValue')).not.toContain('kms:GenerateDataKey');
    expect(kmsActionsFor('secretsmanager:BatchGetSecretValue')).not.toContain('kms:GenerateDataKey');
  });
});

describe('kms-policy-caller follows the operation', () => {
  let decryptOnly: Seeded; // the key policy lets the caller Decrypt and nothing else
  let callerIamArn: string;

  beforeAll(async () => {
    const session = newSession();
    decryptOnly = await seedScenario(session, 'key-policy-without-im');
    callerIamArn = `arn:aws:iam::${decryptOnly.callerArn.split(':')[4]}:user/${decryptOnly.callerArn.split('/').pop()}`;
    const kms = await session.kms(decryptOnly.region);
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: decryptOnly.keyId!,
        PolicyName: 'default',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'KeyAdmin', Effect: 'Allow', Principal: { AWS: callerIamArn }, Action: ['kms:Describe*', 'kms:Get*', 'kms:PutKeyPolicy'], Resource: '*' },
            { Sid: 'ReadThroughSecretsManager', Effect: 'Allow', Principal: { AWS: callerIamArn }, Action: 'kms:Decrypt', Resource: '*' },
          ],
        }),
      }),
    );
  });

  async function kmsFinding(extra: Partial<Inputs>): Promise<Finding> {
    const d = await diagnose(newSession(), { symptom: 'access-denied', secretId: decryptOnly.secretArn, ...extra });
    return d.findings.find((f) => f.id === 'kms-policy-caller')!;
  }

  it('access denied on GetSecretValue: only kms:Decrypt is asked, so a Decrypt-only key policy passes', async () => {
    // Given a key policy that allows the caller kms:Decrypt but not kms:GenerateDataKey
    // When GetSecretValue is diagnosed
    const finding = await kmsFinding({ action: 'secretsmanager:GetSecretValue' });
    // Then the check passes and never names GenerateDataKey as a cause
    expect(finding.status).toBe('pass');
    expect(finding.summary).toContain('kms:Decrypt');
    expect(JSON.stringify(finding)).not.toContain('GenerateDataKey');
  });

  it('access denied on PutSecretValue: kms:GenerateDataKey is what is missing', async () => {
    const finding = await kmsFinding({ action: 'secretsmanager:PutSecretValue' });
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('kms:GenerateDataKey');
    expect(finding.remediation).not.toContain('kms:Decrypt');
  });

  it('a metadata operation (DescribeSecret) needs no KMS permission: skip, saying why', async () => {
    const finding = await kmsFinding({ action: 'secretsmanager:DescribeSecret' });
    expect(finding.status).toBe('skip');
    expect(finding.summary).toContain('does not use the secret');
  });

  it("Incident Manager's set-up still needs both (P4)", async () => {
    const d = await diagnose(newSession(), { symptom: 'incident-manager-secret', secretId: decryptOnly.secretArn });
    const finding = d.findings.find((f) => f.id === 'kms-policy-caller')!;
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('kms:GenerateDataKey');
  });
});
