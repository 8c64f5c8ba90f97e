/** `kms-key-usable`: the key is enabled and can encrypt and decrypt: the secret's own key, or the key named by --kms-key-id. */
import { outcome, couldNotSee, needCustomerKey, quote, type Check, type CheckContext, type Outcome } from './common.js';
import { keyStateProblems, specOf, type KeyProblem } from './kms-context.js';

/** The secret's own key. */
const secretKeyUsable: Check = {
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
        remediation:
          'A response plan replicated to several Regions needs a multi-Region key (`aws kms create-key --multi-region`) and the secret replicated to those Regions.',
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

/** `kms-key-usable` for the key named by --kms-key-id: Enabled, ENCRYPT_DECRYPT, usable by Secrets Manager. */
async function namedKeyUsable(ctx: CheckContext): Promise<Outcome> {
  const { facts } = ctx;
  const given = facts.namedKeyId!;
  const [named, region] = await Promise.all([facts.namedKey(), facts.namedKeyRegion()]);
  const where = region.ok ? region.value : 'the selected Region';
  if (!named) return outcome('skip', 'No KMS key was given (--kms-key-id).');
  if (!named.ok) {
    if (named.problem.kind === 'not-found') {
      return outcome('fail', `There is no KMS key ${quote(given)} in ${where} (DescribeKey: ${named.problem.code}).`, {
        details: ['CreateSecret with a key that does not exist fails; a key ID, alias or ARN from another Region is not found here.'],
        evidence: { api: 'kms:DescribeKey', given, region: where, error: named.problem.code },
        remediation: `Find the key: \`aws kms list-aliases --region ${where}\`, or give its full ARN.`,
      });
    }
    return couldNotSee(`the KMS key ${quote(given)}`, named.problem, 'kms:DescribeKey on the key');
  }
  if (named.value.managedBy === 'aws') {
    return outcome('pass', 'aws/secretsmanager is the AWS managed key for Secrets Manager: always enabled and usable by it.', {
      details: ['It was not described: DescribeKey on alias/aws/secretsmanager creates that key in an account that does not have it yet.'],
      evidence: { given, kmsKey: 'aws/secretsmanager' },
    });
  }
  const m = named.value.metadata;
  const evidence: Record<string, unknown> = {
    api: 'kms:DescribeKey',
    given,
    keyArn: m.Arn,
    keyState: m.KeyState,
    keyUsage: m.KeyUsage ?? null,
    keySpec: specOf(m) ?? null,
    keyManager: m.KeyManager,
  };
  const problems: KeyProblem[] = [];
  if (named.value.managedBy === 'aws-reported') {
    problems.push({
      summary: `The key ${m.Arn} is an AWS managed key of another service (KeyManager AWS): its key policy lets only that service use it.`,
      remediation: 'Use a customer managed key, or create the secret without a KMS key ID to use aws/secretsmanager.',
    });
  }
  problems.push(...keyStateProblems(m, 'Use a symmetric ENCRYPT_DECRYPT key (see kms-key-symmetric for the choices).'));
  if (problems.length) {
    return outcome('fail', problems[0]!.summary, {
      details: problems.slice(1).map((p) => p.summary),
      evidence,
      remediation: problems.map((p) => p.remediation).join(' '),
    });
  }
  return outcome('pass', `The key ${m.Arn} is Enabled and can encrypt and decrypt (its key spec is kms-key-symmetric's matter).`, { evidence });
}

/**
 * `kms-key-usable` as the inputs ask: the key named by --kms-key-id for asymmetric-kms-key (or when no
 * secret is given), otherwise the secret's key.
 */
export const kmsKeyUsable: Check = {
  id: 'kms-key-usable',
  title: secretKeyUsable.title,
  run(ctx) {
    if (ctx.facts.namedKeyId && (ctx.symptom === 'asymmetric-kms-key' || !ctx.facts.ref)) return namedKeyUsable(ctx);
    if (ctx.symptom === 'asymmetric-kms-key' && !ctx.facts.ref) return Promise.resolve(outcome('skip', 'No KMS key was given (--kms-key-id).'));
    return secretKeyUsable.run(ctx);
  },
};
