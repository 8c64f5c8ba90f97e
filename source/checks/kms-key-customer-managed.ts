import { outcome, couldNotSee, needSecret, type Check } from './common.js';

const REMEDIATION =
  'Create a symmetric customer managed key (`aws kms create-key --key-spec SYMMETRIC_DEFAULT --key-usage ENCRYPT_DECRYPT`), give its key policy the Incident Manager statement, then re-encrypt the secret with it: `aws secretsmanager update-secret --secret-id SECRET --kms-key-id KEY_ARN`.';

export const kmsKeyCustomerManaged: Check = {
  id: 'kms-key-customer-managed',
  title: 'The secret is encrypted with a customer managed key',
  async run(ctx) {
    const secret = await needSecret(ctx);
    if ('outcome' in secret) return secret.outcome;
    const key = await ctx.facts.key();
    const keyId = secret.value.description.KmsKeyId;
    if (!key.ok) {
      if (key.problem.kind === 'not-found') {
        return outcome('fail', `The secret's key ${keyId} does not exist (DescribeKey: ${key.problem.code}).`, {
          evidence: { api: 'kms:DescribeKey', kmsKeyId: keyId, error: key.problem.code },
          remediation: REMEDIATION.replace('SECRET', secret.value.description.ARN ?? 'SECRET'),
        });
      }
      return couldNotSee(`the KMS key ${keyId}`, key.problem, 'kms:DescribeKey on the key');
    }
    const remediation = REMEDIATION.replace('SECRET', secret.value.description.ARN ?? 'SECRET');
    if (key.value.managedBy === 'aws') {
      return outcome('fail', `The secret uses the AWS managed key aws/secretsmanager (${key.value.reason}), which Incident Manager does not support.`, {
        details: ["The AWS managed key's policy cannot be changed to let Incident Manager decrypt."],
        evidence: { api: 'secretsmanager:DescribeSecret', kmsKeyId: keyId ?? null },
        remediation,
      });
    }
    const m = key.value.metadata;
    const evidence = { api: 'kms:DescribeKey', keyArn: m.Arn, keyManager: m.KeyManager };
    if (key.value.managedBy === 'aws-reported') {
      return outcome('fail', `The key ${m.Arn} is managed by AWS (KeyManager ${m.KeyManager}), not by you.`, { evidence, remediation });
    }
    return outcome('pass', `The secret is encrypted with the customer managed key ${m.Arn}.`, { evidence });
  },
};
