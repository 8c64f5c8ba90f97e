/**
 * `denied-request`: the refused request in CloudTrail. When found, what it carried (source IP, VPC endpoint,
 * MFA) is observed rather than guessed, for every other check of the run (see observedFromRecord).
 */
import { isServiceProblem, sentence } from '../aws/errors.js';
import { DEFAULT_SINCE_MS, MAX_PAGES, lookupDeniedRequest, type DeniedRequest, type DeniedRequestLookup } from '../facts/denied-request.js';
import type { CheckContext, Check } from './common.js';
import { outcome, type Outcome } from './common.js';

const PERMISSION = 'cloudtrail:LookupEvents';

/** The request context keys the record observes (IAM User Guide, "AWS global condition context keys"). */
export function observedFromRecord(found: DeniedRequest): Record<string, string> {
  return refusedContext(found).context;
}

/** The keys the refused request carried, and those it was seen not to carry. */
export function refusedContext(found: DeniedRequest): { context: Record<string, string>; absent: string[] } {
  const context: Record<string, string> = {};
  // An AWS service calling on the principal's behalf records the service's name, not an address.
  const ip = found.sourceIp && /^[\d.]+$|^[0-9a-f:]+$/i.test(found.sourceIp) ? found.sourceIp : undefined;
  const absent: string[] = [];
  if (found.vpcEndpointId) {
    // Through a VPC endpoint a request carries aws:SourceVpce and aws:VpcSourceIp, not aws:SourceIp.
    context['aws:SourceVpce'] = found.vpcEndpointId;
    if (ip) {
      context['aws:VpcSourceIp'] = ip;
      absent.push('aws:SourceIp');
    }
  } else if (ip) {
    context['aws:SourceIp'] = ip;
    absent.push('aws:SourceVpce', 'aws:SourceVpc', 'aws:VpcSourceIp', 'aws:SourceVpcArn');
  }
  if (found.mfaAuthenticated !== undefined) context['aws:MultiFactorAuthPresent'] = String(found.mfaAuthenticated);
  return { context, absent };
}

/** What the refused request carried, for the principal's request context (undefined when not found). */
export async function refusedRequestContext(ctx: CheckContext): Promise<{ context: Record<string, string>; absent: string[] } | undefined> {
  const lookup = await deniedRequestLookup(ctx);
  return lookup.ok && lookup.value.found ? refusedContext(lookup.value.found) : undefined;
}

/** The lookup a diagnosis shares: started by whichever asks first, with the first wave of requests. */
export function deniedRequestLookup(ctx: CheckContext) {
  const action = ctx.inputs.action ?? 'secretsmanager:GetSecretValue';
  const eventName = action.split(':')[1] ?? action;
  const facts = ctx.facts;
  const region = facts.ref ? facts.secretRegion() : facts.region();
  const names = (async () => {
    if (!facts.ref) return [];
    const secret = await facts.secret();
    const known = [facts.ref.id];
    if (secret.ok) known.push(...[secret.value.description.ARN, secret.value.description.Name].filter((x): x is string => Boolean(x)));
    return known;
  })();
  return region.then((r) =>
    r.ok
      ? lookupDeniedRequest(facts, r.value, eventName, ctx.inputs.sinceMs ?? DEFAULT_SINCE_MS, facts.principal(), names)
      : Promise.resolve({ ok: false as const, problem: r.problem }),
  );
}

function foundOutcome(lookup: DeniedRequestLookup, found: DeniedRequest): Outcome {
  const via = found.vpcEndpointId ? ` through the VPC endpoint ${found.vpcEndpointId}` : '';
  const from = found.sourceIp ? ` from ${found.sourceIp}` : '';
  const observed = observedFromRecord(found);
  const details = [
    `Caller: ${found.principalArn ?? 'unknown'}${found.sessionIssuer && found.sessionIssuer !== found.principalArn ? ` (a session of ${found.sessionIssuer})` : ''}.`,
    ...(found.mfaAuthenticated !== undefined ? [`MFA: ${found.mfaAuthenticated ? 'used' : 'not used'}.`] : []),
    ...(found.userAgent ? [`User agent: ${found.userAgent}.`] : []),
    ...(found.errorMessage ? [`AWS said: ${found.errorMessage}`] : []),
    Object.keys(observed).length
      ? `The other checks take what this request carried as observed: ${Object.entries(observed)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ')}.`
      : 'The record carries no source address or endpoint that the other checks could use.',
  ];
  return outcome('pass', `CloudTrail recorded the refused ${lookup.eventName} at ${found.eventTime}${from}${via}.`, {
    details,
    evidence: { ...found, observed },
  });
}

export const deniedRequest: Check = {
  id: 'denied-request',
  title: 'The refused request in CloudTrail',
  async run(ctx) {
    const lookup = await deniedRequestLookup(ctx);
    if (!lookup.ok) {
      if (lookup.problem.kind === 'unreadable-response') {
        return outcome(
          'unknown',
          'CloudTrail LookupEvents is not available at this endpoint (an error page came back): the refused request could not be looked up.',
          {
            evidence: { error: lookup.problem.code, status: lookup.problem.status },
            remediation: 'Against AWS itself this works with cloudtrail:LookupEvents; an emulator may not implement it.',
          },
        );
      }
      const refused = lookup.problem.kind === 'access-denied';
      return outcome('unknown', `Could not look up the refused request in CloudTrail: ${lookup.problem.code}.`, {
        details: [sentence(lookup.problem)],
        evidence: { error: lookup.problem.code, ...(isServiceProblem(lookup.problem) ? { serviceProblem: lookup.problem.kind } : {}) },
        remediation: refused
          ? `Grant ${PERMISSION} to the identity running secrets-doctor.`
          : isServiceProblem(lookup.problem)
            ? 'Wait a minute and run again.'
            : `Check that CloudTrail is reachable in this Region with ${PERMISSION}.`,
      });
    }
    const value = lookup.value;
    if (value.found) return foundOutcome(value, value.found);
    return outcome('unknown', `No refused ${value.eventName} by this principal on this secret in CloudTrail since ${value.sinceIso}.`, {
      details: [
        `${value.examined} ${value.eventName} event(s) were read${value.truncated ? ` (the newest ${MAX_PAGES * 50}; older ones were not read)` : ''}.`,
        'CloudTrail usually delivers an event within 5 minutes; a request refused just now may not be there yet.',
      ],
      evidence: { eventName: value.eventName, since: value.sinceIso, examined: value.examined, truncated: value.truncated },
      remediation: 'Run again in a few minutes, or widen the window with --since (e.g. --since 7d).',
    });
  },
};
