/**
 * What the wizard offers to choose from: the account's secrets (ListSecrets), its IAM roles and users
 * (ListRoles, ListUsers) and, for Incident Manager, the secrets that the account's response plans
 * reference (SSM Incidents ListResponsePlans + GetResponsePlan). Read-only, and a convenience: where a call is refused, not implemented (moto has no
 * SSM Incidents) or fails, the answer is "not available" with the reason, never an error: the user can
 * still type the secret ID by hand.
 */
import type { AwsSession } from '../aws/session.js';
import { classify, sentence } from '../aws/errors.js';
import { listKeyIds, aliasesByKey, isAwsManagedByAlias } from './kms-listing.js';
import { mapLimit } from '../concurrency.js';
import { listSecretEntries } from './list-secrets.js';
import { listIamEntities, type PrincipalEntry } from './iam-listing.js';

export type { PrincipalEntry } from './iam-listing.js';

export type Discovered<T> = { available: true; value: T } | { available: false; reason: string };

export interface SecretEntry {
  name: string;
  arn: string;
  description?: string | undefined;
  /** Set when the secret is scheduled for deletion. */
  deletedDate?: Date | undefined;
  /** Set when this is a replica of a secret in another Region. */
  primaryRegion?: string | undefined;
}

export interface SecretListing {
  region: string;
  /** By name. */
  secrets: SecretEntry[];
  /** True when the account has more secrets than the cap. */
  truncated: boolean;
}

export interface ResponsePlanReference {
  /** Exactly as the response plan's PagerDuty integration holds it (a name or an ARN). */
  secretId: string;
  planArn: string;
  planName: string;
}

export interface ResponsePlanListing {
  region: string;
  references: ResponsePlanReference[];
  /** How many response plans were looked at. */
  plans: number;
  /** Plans whose details could not be read (GetResponsePlan refused or failed). */
  unreadable: number;
  truncated: boolean;
}

/** The most secrets listed (100 per page). */
export const SECRET_CAP = 1000;
/** The most response plans read (each is one GetResponsePlan). */
export const PLAN_CAP = 100;

function unavailable(error: unknown, operation: string): { available: false; reason: string } {
  const problem = classify(error);
  const reason =
    problem.kind === 'access-denied'
      ? `${operation} is not allowed for these credentials`
      : problem.kind === 'unreadable-response' || problem.kind === 'not-found'
        ? `${operation} is not implemented at this endpoint`
        : sentence(problem);
  return { available: false, reason };
}

/** One half of the principal listing: listed (complete, or cut at the cap), or why not. */
export type ListedPart = { listed: true; truncated: boolean } | { listed: false; reason: string };

export interface PrincipalListing {
  /** Roles, then users, each by name. */
  entries: PrincipalEntry[];
  roles: ListedPart;
  users: ListedPart;
}

/** The most roles, and the most users, listed. */
export const PRINCIPAL_CAP = 1000;

/**
 * The caller's account's IAM roles and users, for the principal question: ListRoles and ListUsers at
 * once, every page up to `cap` each. One refused leaves the other listed; both refused: not available.
 */
export async function listPrincipals(session: AwsSession, options: { cap?: number; pageSize?: number } = {}): Promise<Discovered<PrincipalListing>> {
  const limits = { cap: options.cap ?? PRINCIPAL_CAP, pageSize: options.pageSize ?? 1000 };
  let client: Awaited<ReturnType<AwsSession['iam']>>;
  try {
    client = await session.iam();
  } catch (error) {
    return unavailable(error, 'iam:ListRoles');
  }
  const part = async (kind: 'role' | 'user') => {
    try {
      return { ok: true as const, ...(await listIamEntities(client, kind, limits)) };
    } catch (error) {
      return { ok: false as const, reason: unavailable(error, kind === 'role' ? 'iam:ListRoles' : 'iam:ListUsers').reason };
    }
  };
  const [roles, users] = await Promise.all([part('role'), part('user')]);
  if (!roles.ok && !users.ok) {
    const both = roles.reason.replace('iam:ListRoles is', 'iam:ListRoles and iam:ListUsers are');
    return { available: false, reason: users.reason === roles.reason.replace('iam:ListRoles', 'iam:ListUsers') ? both : `${roles.reason}; ${users.reason}` };
  }
  const half = (p: typeof roles): ListedPart => (p.ok ? { listed: true, truncated: p.truncated } : { listed: false, reason: p.reason });
  return {
    available: true,
    value: { entries: [...(roles.ok ? roles.entries : []), ...(users.ok ? users.entries : [])], roles: half(roles), users: half(users) },
  };
}

/** The caller's ARN (STS GetCallerIdentity), to name "the caller" in the principal question. */
export async function callerArn(session: AwsSession): Promise<Discovered<string>> {
  try {
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const out = await (await session.sts()).send(new GetCallerIdentityCommand({}));
    if (!out.Arn) return { available: false, reason: 'STS GetCallerIdentity returned no ARN' };
    return { available: true, value: out.Arn };
  } catch (error) {
    return unavailable(error, 'sts:GetCallerIdentity');
  }
}

/** ListSecrets, every page up to `cap`, secrets scheduled for deletion included (they can be restored). */
export async function listSecrets(session: AwsSession, options: { region?: string; cap?: number } = {}): Promise<Discovered<SecretListing>> {
  const cap = options.cap ?? SECRET_CAP;
  try {
    const region = options.region ?? (await session.region());
    const secrets: SecretEntry[] = [];
    let truncated = false;
    for await (const s of listSecretEntries(session, region)) {
      if (secrets.length >= cap) {
        truncated = true;
        break;
      }
      if (!s.Name || !s.ARN) continue;
      secrets.push({ name: s.Name, arn: s.ARN, description: s.Description, deletedDate: s.DeletedDate, primaryRegion: s.PrimaryRegion });
    }
    secrets.sort((a, b) => a.name.localeCompare(b.name));
    return { available: true, value: { region, secrets, truncated } };
  } catch (error) {
    return unavailable(error, 'secretsmanager:ListSecrets');
  }
}

interface PlanIntegration {
  pagerDutyConfiguration?: { secretId?: string };
}

/**
 * The secrets that the Region's response plans use for PagerDuty: ListResponsePlans (every page, up to
 * `cap` plans), then GetResponsePlan for each, a few at a time, reading
 * `integrations[].pagerDutyConfiguration.secretId`. One reference per plan and secret, by plan name.
 */
export async function responsePlanSecrets(session: AwsSession, options: { region?: string; cap?: number } = {}): Promise<Discovered<ResponsePlanListing>> {
  const cap = options.cap ?? PLAN_CAP;
  let region: string;
  let summaries: { arn: string; name: string }[] = [];
  let truncated = false;
  try {
    region = options.region ?? (await session.region());
    const { ListResponsePlansCommand } = await import('@aws-sdk/client-ssm-incidents');
    const client = await session.incidents(region);
    let token: string | undefined;
    do {
      const out = (await client.send(new ListResponsePlansCommand({ maxResults: 100, ...(token ? { nextToken: token } : {}) }))) as {
        responsePlanSummaries?: { arn?: string; name?: string }[];
        nextToken?: string;
      };
      for (const p of out.responsePlanSummaries ?? []) if (p.arn) summaries.push({ arn: p.arn, name: p.name ?? p.arn });
      token = out.nextToken;
      if (token && summaries.length >= cap) {
        truncated = true;
        break;
      }
    } while (token);
    summaries = summaries.slice(0, cap);
  } catch (error) {
    return unavailable(error, 'ssm-incidents:ListResponsePlans');
  }

  const { GetResponsePlanCommand } = await import('@aws-sdk/client-ssm-incidents');
  const client = await session.incidents(region);
  const found = new Map<string, ResponsePlanReference[]>();
  let unreadable = 0;
  await mapLimit(summaries, 5, async (plan) => {
    try {
      const out = (await client.send(new GetResponsePlanCommand({ arn: plan.arn }))) as { integrations?: PlanIntegration[] };
      const ids = new Set(
        (out.integrations ?? []).map((i) => i.pagerDutyConfiguration?.secretId).filter((id): id is string => typeof id === 'string' && id !== ''),
      );
      found.set(
        plan.arn,
        [...ids].map((secretId) => ({ secretId, planArn: plan.arn, planName: plan.name })),
      );
    } catch {
      unreadable++;
    }
  });
  const references = summaries.flatMap((plan) => found.get(plan.arn) ?? []);
  references.sort((a, b) => a.planName.localeCompare(b.planName) || a.secretId.localeCompare(b.secretId));
  return { available: true, value: { region, references, plans: summaries.length, unreadable, truncated } };
}

export interface KmsKeyEntry {
  keyId: string;
  arn: string;
  /** `alias/...` names pointing at the key, sorted. */
  aliases: string[];
  /** KeySpec (or the older CustomerMasterKeySpec); undefined when DescribeKey did not say. */
  spec?: string | undefined;
  usage?: string | undefined;
  state?: string | undefined;
  /** CUSTOMER or AWS. */
  manager?: string | undefined;
  description?: string | undefined;
}

export interface KmsKeyListing {
  region: string;
  /** Described keys, by first alias, then key ID. */
  keys: KmsKeyEntry[];
  /** How many keys ListKeys returned. */
  listed: number;
  /** AWS managed keys (an `alias/aws/...` alias): listed, never described. */
  awsManaged: number;
  /** DescribeKey refused or failed for this many. */
  notDescribed: number;
  /** More keys exist than were listed or described. */
  truncated: boolean;
}

/** The most keys described (one DescribeKey each). */
export const KEY_CAP = 100;

/**
 * The Region's KMS keys for the asymmetric-kms-key question: ListKeys and ListAliases (a few pages at
 * most), then DescribeKey by key ID on at most `cap` of them, a few at a time. Keys with an
 * `alias/aws/...` alias are AWS managed and never described; DescribeKey is never called with an alias
 * (on `alias/aws/secretsmanager` that call would create the AWS managed key). Without ListAliases the keys
 * are listed without names; without ListKeys the list is "not available".
 */
export async function listKmsKeys(session: AwsSession, options: { region?: string; cap?: number } = {}): Promise<Discovered<KmsKeyListing>> {
  const cap = options.cap ?? KEY_CAP;
  let region: string;
  let ids: string[] = [];
  let listTruncated = false;
  let aliases = new Map<string, string[]>();
  const kms = await import('@aws-sdk/client-kms');
  try {
    region = options.region ?? (await session.region());
    const client = await session.kms(region);
    const [listed, named] = await Promise.all([listKeyIds(client), aliasesByKey(client).catch(() => new Map<string, string[]>())]);
    ids = listed.ids;
    listTruncated = listed.truncated;
    aliases = named;
  } catch (error) {
    return unavailable(error, 'kms:ListKeys');
  }
  const client = await session.kms(region);
  const awsManaged = ids.filter((id) => isAwsManagedByAlias(aliases.get(id)));
  ids = ids.filter((id) => !awsManaged.includes(id));
  const keys: KmsKeyEntry[] = [];
  let notDescribed = 0;
  await mapLimit(ids.slice(0, cap), 8, async (id) => {
    try {
      const out = await client.send(new kms.DescribeKeyCommand({ KeyId: id }));
      const m = out.KeyMetadata;
      if (!m?.KeyId || !m.Arn) {
        notDescribed++;
        return;
      }
      keys.push({
        keyId: m.KeyId,
        arn: m.Arn,
        aliases: [...(aliases.get(id) ?? [])].sort(),
        spec: m.KeySpec ?? m.CustomerMasterKeySpec,
        usage: m.KeyUsage,
        state: m.KeyState,
        manager: m.KeyManager,
        description: m.Description || undefined,
      });
    } catch {
      notDescribed++;
    }
  });
  const label = (k: KmsKeyEntry) => k.aliases[0] ?? `~${k.keyId}`;
  keys.sort((a, b) => label(a).localeCompare(label(b)));
  return {
    available: true,
    value: { region, keys, listed: ids.length + awsManaged.length, awsManaged: awsManaged.length, notDescribed, truncated: listTruncated || ids.length > cap },
  };
}
