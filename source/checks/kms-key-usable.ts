import { outcome, needCustomerKey, type Check } from './common.js';
import { keyStateProblems } from './kms-context.js';

export const kmsKeyUsable: Check = {
  id: 'kms-key-usable',
  title: 'The KMS key is enabled and can encrypt and decrypt',
  async run(ctx) {
    const key = await needCustomerKey(ctx);
    if ('outcome' in key) return key.outcome;
    const m = key.value.metadata;
    const evidence: Record<string, unknown> = {
      api: 'kms:DescribeKey',
      keyArn: m.Arn,
      keyState: m.KeyState,
      keyUsage: m.KeyUsage,
      keySpec: m.KeySpec,
      multiRegion: m.MultiRegion ?? false,
    };
    const problems = keyStateProblems(m, 'Use a symmetric ENCRYPT_DECRYPT key.');
    if (m.KeySpec && m.KeySpec !== 'SYMMETRIC_DEFAULT') {
      problems.push({
        summary: `The key is ${m.KeySpec}: Secrets Manager supports only symmetric keys (SYMMETRIC_DEFAULT).`,
        remediation: 'Re-encrypt the secret with a symmetric key: `aws secretsmanager update-secret --secret-id SECRET --kms-key-id KEY_ARN`.',
      });
    }
    const secret = await ctx.facts.secret();
    const replicas = secret.ok ? (secret.value.description.ReplicationStatus ?? []) : [];
    if (ctx.symptom === 'incident-manager-secret' && replicas.length && !m.MultiRegion) {
      problems.push({
        summary: `The secret is replicated (${replicas.map((r) => r.Region).join(', ')}) but its key is not a multi-Region key.`,
        remediation: 'A response plan replicated to several Regions needs a multi-Region key (`aws kms create-key --multi-region`) and the secret replicated to those Regions.',
      });
    }
    if (problems.length) {
      return outcome('fail', problems[0]!.summary, {
        details: problems.slice(1).map((p) => p.summary),
        evidence,
        remediation: problems.map((p) => p.remediation).join(' '),
      });
    }
    return outcome('pass', `The key ${m.Arn} is Enabled, symmetric and ENCRYPT_DECRYPT.`, { evidence });
  },
};
