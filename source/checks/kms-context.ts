/** The request contexts of KMS calls that Secrets Manager makes while a secret is read. */
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { SecretFact, Principal } from '../facts/index.js';
import { callerContext, serviceContext, viaSecretsManagerContext, type RequestContext } from '../policy/context.js';

export const KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

function currentVersion(secret: SecretFact): string | undefined {
  return Object.entries(secret.description.VersionIdsToStages ?? {}).find(([, stages]) => stages?.includes('AWSCURRENT'))?.[0];
}

/** The service's read, through Secrets Manager; `sourceArn` is the resource it acts for (the response plan), when known. */
export function serviceKmsContext(service: string, secret: SecretFact, sourceArn?: string | undefined): RequestContext {
  const arn = secret.description.ARN!;
  return viaSecretsManagerContext(
    serviceContext(service, arn.split(':')[4] ?? '', secret.region, sourceArn),
    secret.region,
    arn,
    currentVersion(secret),
    undefined,
  );
}

export function callerKmsContext(principal: Principal, secret: SecretFact): RequestContext {
  return viaSecretsManagerContext(callerContext(principal, secret.region), secret.region, secret.description.ARN!, currentVersion(secret), principal.account);
}

/** KeySpec, or the older CustomerMasterKeySpec some endpoints still fill. */
export function specOf(m: KeyMetadata): string | undefined {
  return m.KeySpec ?? m.CustomerMasterKeySpec;
}

export interface KeyProblem {
  summary: string;
  remediation: string;
}

/** What keeps Secrets Manager from using a key: its state and its usage. */
export function keyStateProblems(m: KeyMetadata, usageRemedy: string): KeyProblem[] {
  const problems: KeyProblem[] = [];
  if (m.KeyState !== 'Enabled') {
    const deletion = m.DeletionDate ? ` (deletion on ${m.DeletionDate.toISOString()})` : '';
    problems.push({
      summary: `The key ${m.Arn} is ${m.KeyState}${deletion}: Secrets Manager cannot use it.`,
      remediation:
        m.KeyState === 'PendingDeletion'
          ? `Cancel the deletion and enable it: \`aws kms cancel-key-deletion --key-id ${m.Arn}\` then \`aws kms enable-key --key-id ${m.Arn}\`.`
          : m.KeyState === 'Disabled'
            ? `Enable it: \`aws kms enable-key --key-id ${m.Arn}\`.`
            : 'Wait until the key is Enabled, or use another key.',
    });
  }
  // moto leaves KeyUsage out; AWS always sends it.
  if (m.KeyUsage && m.KeyUsage !== 'ENCRYPT_DECRYPT') {
    problems.push({ summary: `The key's usage is ${m.KeyUsage}, not ENCRYPT_DECRYPT.`, remediation: usageRemedy });
  }
  return problems;
}
