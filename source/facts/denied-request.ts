/**
 * The refused request itself, from CloudTrail (LookupEvents). Its record says what the request really
 * carried (source IP, VPC endpoint, MFA), which the tool otherwise cannot observe (aws-facts.md section 12).
 *
 * LookupEvents takes one lookup attribute: the event name; the error code, the principal and the secret are
 * filtered here. It allows 2 requests per second per account and Region, so pages are paced; and it covers 90
 * days, so a lookup stays within `--since` (default 24 hours) and a few pages, newest first.
 */
import type { Facts, Got, Principal } from './index.js';
import { classify } from '../aws/errors.js';

/** Pages of 50 events read at most: the newest 250 events of that name within the window. */
export const MAX_PAGES = 5;
/** LookupEvents allows 2 requests per second per account and Region. */
export const PAGE_INTERVAL_MS = 500;
export const DEFAULT_SINCE_MS = 24 * 60 * 60 * 1000;

export interface DeniedRequest {
  eventId?: string | undefined;
  eventTime: string;
  eventName: string;
  region?: string | undefined;
  principalArn?: string | undefined;
  /** The role behind an assumed-role session. */
  sessionIssuer?: string | undefined;
  sourceIp?: string | undefined;
  vpcEndpointId?: string | undefined;
  mfaAuthenticated?: boolean | undefined;
  userAgent?: string | undefined;
  errorCode: string;
  errorMessage?: string | undefined;
  secretId?: string | undefined;
}

export interface DeniedRequestLookup {
  /** The newest matching record, if any. */
  found?: DeniedRequest | undefined;
  eventName: string;
  sinceIso: string;
  /** How many events of that name were read, and whether more were left unread. */
  examined: number;
  truncated: boolean;
}

interface TrailRecord {
  eventID?: string;
  eventTime?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  vpcEndpointId?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    sessionContext?: { sessionIssuer?: { arn?: string }; attributes?: { mfaAuthenticated?: string } };
  };
  requestParameters?: { secretId?: string } | null;
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException']);

/** Does the record's caller match the principal: the same ARN, or (for a role) any of its sessions? */
export function sameCaller(record: TrailRecord, principal: Principal): boolean {
  const identity = record.userIdentity;
  if (!identity) return false;
  if (identity.arn === principal.given || identity.arn === principal.arn) return true;
  // A role stands for all of its sessions; a given session ARN only for itself.
  const givenIsSession = /:assumed-role\//.test(principal.given);
  return principal.kind === 'role' && !givenIsSession && identity.sessionContext?.sessionIssuer?.arn === principal.arn;
}

/** Does the record's secretId name this secret (name, full ARN, or partial ARN)? */
export function sameSecret(secretId: string | undefined, names: string[]): boolean {
  if (!secretId) return false;
  return names.some((n) => n === secretId || (n.startsWith('arn:') && secretId.startsWith('arn:') && n.startsWith(`${secretId}-`)));
}

export function toDenied(record: TrailRecord): DeniedRequest {
  const mfa = record.userIdentity?.sessionContext?.attributes?.mfaAuthenticated;
  return {
    eventId: record.eventID,
    eventTime: record.eventTime ?? '',
    eventName: record.eventName ?? '',
    region: record.awsRegion,
    principalArn: record.userIdentity?.arn,
    sessionIssuer: record.userIdentity?.sessionContext?.sessionIssuer?.arn,
    sourceIp: record.sourceIPAddress,
    vpcEndpointId: record.vpcEndpointId,
    ...(mfa === 'true' || mfa === 'false' ? { mfaAuthenticated: mfa === 'true' } : {}),
    userAgent: record.userAgent,
    errorCode: record.errorCode ?? '',
    errorMessage: record.errorMessage,
    secretId: record.requestParameters?.secretId ?? undefined,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The newest AccessDenied record of `eventName` by the principal on the secret, within the window. The
 * lookup starts at once (it needs only the Region and the event name) and is filtered once the principal
 * and the secret's names are known, so it adds no sequential round trip to a diagnosis.
 */
export function lookupDeniedRequest(
  facts: Facts,
  region: string,
  eventName: string,
  sinceMs: number,
  who: Promise<Got<Principal>>,
  secretNames: Promise<string[]>,
): Promise<Got<DeniedRequestLookup>> {
  return facts.derived(`denied-request:${region}|${eventName}|${sinceMs}`, async () => {
    const since = new Date(Date.now() - sinceMs);
    let examined = 0;
    let token: string | undefined;
    let found: TrailRecord | undefined;
    try {
      const [{ LookupEventsCommand }, client] = await Promise.all([import('@aws-sdk/client-cloudtrail'), facts.session.cloudtrail(region)]);
      for (let page = 0; page < MAX_PAGES && !found; page++) {
        if (page > 0) await sleep(PAGE_INTERVAL_MS);
        const out = await client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
            StartTime: since,
            EndTime: new Date(),
            MaxResults: 50,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        const records: TrailRecord[] = [];
        for (const event of out.Events ?? []) {
          try {
            records.push(JSON.parse(event.CloudTrailEvent ?? '{}') as TrailRecord);
          } catch {
            // A record that is not JSON says nothing about the request.
          }
        }
        examined += records.length;
        // The principal and the secret's names were asked for alongside: by now they are in.
        const [principal, names] = await Promise.all([who, secretNames]);
        found = records.find(
          (r) =>
            DENIED.has(r.errorCode ?? '') &&
            (!principal.ok || sameCaller(r, principal.value)) &&
            (names.length === 0 || sameSecret(r.requestParameters?.secretId ?? undefined, names)),
        );
        token = out.NextToken;
        if (!token) break;
      }
    } catch (error) {
      return { ok: false, problem: classify(error) };
    }
    return {
      ok: true,
      value: { found: found ? toDenied(found) : undefined, eventName, sinceIso: since.toISOString(), examined, truncated: !found && Boolean(token) },
    };
  });
}
