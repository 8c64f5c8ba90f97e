/**
 * The request context each evaluated request really has (SPEC.md, "Evaluate every request in the context
 * it really has"): the keys observed or documented for it. Values the tool cannot observe from here (source
 * IP, VPC endpoint, MFA, ...) are left out; observability.ts lists them, and a builder marks the ones
 * particular to its request (UNOBSERVED), so that no verdict rests on their absence.
 */
import type { Principal } from '../facts/index.js';
import { OBSERVED_ABSENT, UNOBSERVED } from './observability.js';

export type RequestContext = Record<string, string | string[]> & { [UNOBSERVED]?: readonly string[]; [OBSERVED_ABSENT]?: readonly string[] };

function common(region: string): RequestContext {
  const now = new Date();
  return {
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': region,
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
  };
}

/** An IAM principal calling Secrets Manager itself. */
export function callerContext(principal: Principal, region: string): RequestContext {
  const context: RequestContext = {
    ...common(region),
    'aws:PrincipalArn': principal.arn,
    'aws:PrincipalAccount': principal.account,
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
  };
  if (principal.kind === 'user') {
    context['aws:PrincipalType'] = 'User';
    if (principal.name) context['aws:username'] = principal.name;
  } else if (principal.kind === 'role') {
    context['aws:PrincipalType'] = 'AssumedRole';
  } else if (principal.kind === 'root') {
    context['aws:PrincipalType'] = 'Account';
  }
  if (principal.isCaller && principal.userId) context['aws:userid'] = principal.userId;
  // Only observed organization keys: an unobservable one stays out (principal.org.unobservable says which).
  Object.assign(context, principal.org?.context);
  // What the refused request itself carried, from CloudTrail (denied-request), and what it did not.
  if (principal.refused) {
    Object.assign(context, principal.refused.context);
    context[OBSERVED_ABSENT] = principal.refused.absent;
  }
  return context;
}

/**
 * A service principal (Incident Manager) making its own request, for the resource it acts for: its
 * aws:SourceArn is the response plan's ARN when the plan is known; otherwise that key is unobservable.
 */
export function serviceContext(service: string, account: string, region: string, sourceArn?: string | undefined): RequestContext {
  return {
    ...common(region),
    'aws:PrincipalIsAWSService': 'true',
    'aws:PrincipalServiceName': service,
    'aws:PrincipalServiceNamesList': [service],
    'aws:SourceAccount': account,
    ...(sourceArn ? { 'aws:SourceArn': sourceArn } : { [UNOBSERVED]: ['aws:SourceArn'] }),
  };
}

/**
 * Adds what a request on the secret carries: its ARN, its tags (under both names AWS documents for a
 * secret: aws:ResourceTag/<key> and secretsmanager:ResourceTag/<key>), and the stage a plain read gets.
 */
export function secretReadContext(
  base: RequestContext,
  secretArn: string,
  tags: { Key?: string | undefined; Value?: string | undefined }[] = [],
): RequestContext {
  const context: RequestContext = { ...base, 'secretsmanager:SecretId': secretArn, 'secretsmanager:VersionStage': 'AWSCURRENT' };
  // A secret of the principal's own account is in the principal's organization: aws:ResourceOrgID is observed.
  const orgId = base['aws:PrincipalOrgID'];
  if (typeof orgId === 'string' && secretArn.split(':')[4] === base['aws:PrincipalAccount']) context['aws:ResourceOrgID'] = orgId;
  for (const tag of tags) {
    if (tag.Key === undefined) continue;
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value ?? '';
    context[`secretsmanager:ResourceTag/${tag.Key}`] = tag.Value ?? '';
  }
  return context;
}

/**
 * Secrets Manager calling KMS on the requester's behalf: kms:ViaService, the caller's account, the
 * encryption context that Secrets Manager sends, and aws:ViaAWSService.
 */
export function viaSecretsManagerContext(
  base: RequestContext,
  region: string,
  secretArn: string,
  versionId: string | undefined,
  callerAccount: string | undefined,
): RequestContext {
  const context: RequestContext = {
    ...base,
    // The key's tags are not read (DescribeKey does not return them).
    [UNOBSERVED]: [...(base[UNOBSERVED] ?? []), 'aws:ResourceTag/'],
    'kms:ViaService': `secretsmanager.${region}.amazonaws.com`,
    'aws:ViaAWSService': 'true',
    'kms:EncryptionContext:SecretARN': secretArn,
    'kms:EncryptionContextKeys': versionId ? ['SecretARN', 'SecretVersionId'] : ['SecretARN'],
  };
  if (versionId) context['kms:EncryptionContext:SecretVersionId'] = versionId;
  if (callerAccount) context['kms:CallerAccount'] = callerAccount;
  return context;
}
