/** The request contexts of KMS calls that Secrets Manager makes while a secret is read. */
import type { SecretFact, Principal } from '../facts/index.js';
import { callerContext, serviceContext, viaSecretsManagerContext, type RequestContext } from '../policy/context.js';

export const KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

function currentVersion(secret: SecretFact): string | undefined {
  return Object.entries(secret.description.VersionIdsToStages ?? {}).find(([, stages]) => stages?.includes('AWSCURRENT'))?.[0];
}

export function serviceKmsContext(service: string, secret: SecretFact): RequestContext {
  const arn = secret.description.ARN!;
  return viaSecretsManagerContext(serviceContext(service, arn.split(':')[4] ?? '', secret.region), secret.region, arn, currentVersion(secret), undefined);
}

export function callerKmsContext(principal: Principal, secret: SecretFact): RequestContext {
  return viaSecretsManagerContext(callerContext(principal, secret.region), secret.region, secret.description.ARN!, currentVersion(secret), principal.account);
}
