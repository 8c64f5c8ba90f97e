/**
 * `aws-authorization`: AWS's own record of the refused request (IAM Access Troubleshooter,
 * GetRequestAuthorizationDetails), and whether the tool's own checks reach the same decision. AWS's record
 * wins where they differ. Decide (`decideRecord`, `agreement`), then word (`recordOutcome`).
 */
import { classify, sentence, type Problem } from '../aws/errors.js';
import { getRequestAuthorizationDetails, getRequestAuthorizationPolicy, type AuthorizationDetails, type ToolboxEvaluation } from '../aws/toolbox.js';
import { visible } from '../visible.js';
import { parseAccessDenied } from '../error-message.js';
import type { CheckId, Finding } from '../types.js';
import { outcome, type Check, type CheckContext, type Outcome } from './common.js';

const PERMISSION = 'iam:GetRequestAuthorizationDetails';

/** AWS's policy types in words, and the check of this tool that evaluates each. */
const POLICY_TYPES: Record<string, { words: string; checks: (action: string) => CheckId[] }> = {
  IDENTITY_BASED_POLICY: { words: 'identity-based policy', checks: () => ['caller-permission'] },
  PERMISSIONS_BOUNDARY: { words: 'permissions boundary', checks: () => ['caller-permission'] },
  SESSION_POLICY: { words: 'session policy', checks: () => ['temporary-credentials'] },
  RESOURCE_BASED_POLICY: {
    words: 'resource-based policy',
    checks: (action) =>
      action.toLowerCase().startsWith('kms:')
        ? ['kms-policy-caller', 'kms-policy-incident-manager']
        : ['secret-policy-caller', 'secret-policy-incident-manager'],
  },
  SERVICE_CONTROL_POLICY: { words: 'service control policy', checks: () => ['org-policies'] },
  RESOURCE_CONTROL_POLICY: { words: 'resource control policy', checks: () => ['org-policies'] },
  VPC_ENDPOINT_POLICY: { words: 'VPC endpoint policy', checks: () => ['policy-conditions'] },
};

/** The checks whose verdicts together are the tool's own decision on a request for this action. */
function decidingChecks(action: string): CheckId[] {
  return action.toLowerCase().startsWith('kms:')
    ? ['caller-permission', 'kms-policy-caller', 'kms-policy-incident-manager', 'org-policies']
    : ['caller-permission', 'secret-policy-caller', 'secret-policy-incident-manager', 'temporary-credentials', 'policy-conditions', 'org-policies'];
}

export interface DenyingStatement {
  type: string;
  uri: string;
  sid?: string | undefined;
}

export interface RecordDecision {
  decision: 'allowed' | 'denied';
  /** Each evaluation AWS recorded, with the statements that denied it. */
  evaluations: { action: string; resource: string; effect: string; denying: DenyingStatement[] }[];
}

/** What AWS recorded: denied when any evaluation is an explicit or implicit deny. */
export function decideRecord(details: AuthorizationDetails): RecordDecision {
  const typeOf = new Map(details.policies.map((p) => [p.uri ?? '', p.type ?? 'UNKNOWN']));
  const evaluations = details.evaluations.map((e: ToolboxEvaluation) => ({
    action: e.action ?? '(no action)',
    resource: e.resource ?? '*',
    effect: String(e.evaluatedEffect ?? 'UNKNOWN'),
    denying: (e.matchedPolicies ?? []).flatMap((m) =>
      (m.matchedStatements ?? [])
        .filter((s) => s.evaluatedEffect === 'DENY')
        .map((s) => ({ type: typeOf.get(m.uri ?? '') ?? 'UNKNOWN', uri: m.uri ?? '(no URI)', sid: s.sid })),
    ),
  }));
  const denied = evaluations.some((e) => e.effect === 'EXPLICIT_DENY' || e.effect === 'IMPLICIT_DENY');
  return { decision: denied ? 'denied' : 'allowed', evaluations };
}

export interface Agreement {
  agrees: boolean;
  differences: string[];
}

/**
 * For each evaluation AWS recorded: do this tool's checks reach the same decision (a `fail` among the
 * checks that decide the action means denied; all of them passing means allowed), and for a denial, does a
 * failing check evaluate a policy of the type AWS names?
 */
export function agreement(record: RecordDecision, findings: Pick<Finding, 'id' | 'status'>[]): Agreement {
  const status = new Map(findings.map((f) => [f.id as string, f.status]));
  const differences: string[] = [];
  for (const e of record.evaluations) {
    const deciding = decidingChecks(e.action).filter((id) => status.has(id) && status.get(id) !== 'skip');
    const failing = deciding.filter((id) => status.get(id) === 'fail');
    const denied = e.effect === 'EXPLICIT_DENY' || e.effect === 'IMPLICIT_DENY';
    if (denied && !failing.length) {
      const undecided = deciding.filter((id) => status.get(id) === 'unknown');
      differences.push(
        `AWS denied ${e.action}, but no check of this tool failed${undecided.length ? ` (${undecided.join(', ')} could not decide)` : ''}: AWS's record below is the cause.`,
      );
      continue;
    }
    if (!denied && failing.length) {
      differences.push(
        `AWS allowed ${e.action}, but ${failing.join(', ')} failed: that check's verdict is wrong for this request, or something changed since.`,
      );
      continue;
    }
    if (denied && e.denying.length) {
      const types = [...new Set(e.denying.map((d) => d.type))];
      const expected = new Set(types.flatMap((t) => POLICY_TYPES[t]?.checks(e.action) ?? []));
      if (!failing.some((id) => expected.has(id))) {
        differences.push(
          `AWS names ${types.map((t) => POLICY_TYPES[t]?.words ?? t).join(' and ')} as denying ${e.action}; this tool blames ${failing.join(', ')} instead.`,
        );
      }
    }
  }
  return { agrees: differences.length === 0, differences };
}

function statementWords(d: DenyingStatement): string {
  return `${d.sid ? `statement "${d.sid}" of ` : ''}the ${POLICY_TYPES[d.type]?.words ?? d.type} ${d.uri}`;
}

/** The finding, in words. */
export function recordOutcome(authorizationId: string, region: string, details: AuthorizationDetails, record: RecordDecision): Outcome {
  const evidence: Record<string, unknown> = {
    authorizationId,
    region,
    evaluations: record.evaluations.map((e) => ({
      action: e.action,
      resource: e.resource,
      effect: e.effect,
      ...(e.denying.length ? { denying: e.denying } : {}),
    })),
    policies: details.policies.map((p) => ({ type: p.type, uri: p.uri, ...(p.attachedTo?.length ? { attachedTo: p.attachedTo.map((a) => a.arn) } : {}) })),
  };
  const details_ = record.evaluations.map(
    (e) =>
      `${e.action} on ${e.resource}: ${e.effect}${e.denying.length ? `, by ${e.denying.map(statementWords).join('; ')}` : e.effect === 'IMPLICIT_DENY' ? ' (no policy allowed it)' : ''}.`,
  );
  const context = Object.entries(details.requestContext).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  if (context.length) details_.push(`The request carried: ${context.join(', ')}.`);
  if (record.decision === 'allowed') {
    return outcome('pass', `AWS's record of authorization ${authorizationId} shows the request allowed.`, { details: details_, evidence });
  }
  const first = record.evaluations.find((e) => e.effect !== 'ALLOW')!;
  const by = first.denying.length ? ` by ${statementWords(first.denying[0]!)}` : first.effect === 'IMPLICIT_DENY' ? ': no policy allowed it' : '';
  return outcome('fail', `AWS recorded ${first.effect === 'EXPLICIT_DENY' ? 'an explicit deny' : 'an implicit deny'} of ${first.action}${by}.`, {
    details: details_,
    evidence,
    remediation: first.denying.length
      ? `Change the denying statement (${statementWords(first.denying[0]!)}); the details name every policy AWS evaluated.`
      : `Add an Allow for ${first.action} to the policy that should grant it (see the details for the policies AWS evaluated).`,
  });
}

function couldNotRead(authorizationId: string, region: string, problem: Problem): Outcome {
  const hint =
    problem.kind === 'not-found'
      ? ` AWS keeps a record for at least 24 hours and answers only in the Region where the denial happened (${region} was asked).`
      : problem.kind === 'access-denied'
        ? ` Grant ${PERMISSION} to the identity running secrets-doctor.`
        : '';
  return outcome('unknown', `Could not read AWS's record of authorization ${authorizationId}: ${problem.code}.`, {
    details: [`${sentence(problem)}${hint}`],
    evidence: { authorizationId, region, error: problem.code },
    remediation:
      problem.kind === 'access-denied'
        ? `Grant ${PERMISSION}, or open the console link in the error message.`
        : `Open the console link in the error message, or run \`aws iam-toolbox get-request-authorization-details --authorization-id ${authorizationId} --region ${region}\`.`,
  });
}

/** Denying policies whose text is read at most: a record names one or two. */
const MAX_POLICY_READS = 3;

/**
 * The denying statements' text as AWS evaluated it (GetRequestAuthorizationPolicy), where the caller may
 * read it: one line per statement; a policy that cannot be read is said so, with the permission.
 */
async function denyingStatementTexts(ctx: CheckContext, id: string, region: string, record: RecordDecision): Promise<string[]> {
  const wanted = new Map<string, Set<string | undefined>>();
  for (const d of record.evaluations.flatMap((e) => e.denying)) {
    if (!wanted.has(d.uri) && wanted.size >= MAX_POLICY_READS) continue;
    wanted.set(d.uri, (wanted.get(d.uri) ?? new Set()).add(d.sid));
  }
  const lines = await Promise.all(
    [...wanted].map(async ([uri, sids]) => {
      try {
        const document = (await getRequestAuthorizationPolicy(ctx.facts.session, id, region, uri)) as { Statement?: unknown } | undefined;
        if (!document) return [`The text of ${uri} came back in a form this tool does not read.`];
        const raw = document.Statement;
        const statements = (Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : []) as { Sid?: string }[];
        const shown = statements.filter((s) => sids.has(s?.Sid) || (sids.has(undefined) && !s?.Sid));
        return (shown.length ? shown : statements).map((s) => `As AWS evaluated it, ${uri}: ${visible(JSON.stringify(s))}`);
      } catch (error) {
        const problem = classify(error);
        return [
          `The text of ${uri} could not be read (${problem.code}${problem.kind === 'access-denied' ? '; it needs iam:GetRequestAuthorizationPolicy' : ''}).`,
        ];
      }
    }),
  );
  return lines.flat();
}

/** The authorization ID and the Region to ask: --authorization-id, else the pasted message's. */
export function authorizationTarget(ctx: CheckContext): { id: string; region?: string | undefined } | undefined {
  const parsed = ctx.inputs.errorMessage ? parseAccessDenied(ctx.inputs.errorMessage) : undefined;
  const id = ctx.inputs.authorizationId ?? parsed?.authorizationId;
  return id ? { id, region: parsed?.authorizationRegion } : undefined;
}

export const awsAuthorization: Check = {
  id: 'aws-authorization',
  title: "AWS's own record of the refused request",
  async run(ctx) {
    const target = authorizationTarget(ctx);
    if (!target) return outcome('skip', 'No authorization ID (none in the error message, no --authorization-id).');
    const region: string = target.region ?? (await ctx.facts.region().then((r) => (r.ok ? r.value : 'us-east-1')));
    const details = await ctx.facts.derived(`authorization:${target.id}|${region}`, () =>
      getRequestAuthorizationDetails(ctx.facts.session, target.id, region).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, problem: classify(error) }),
      ),
    );
    if (!details.ok) return couldNotRead(target.id, region, details.problem);
    const record = decideRecord(details.value);
    const result = recordOutcome(target.id, region, details.value, record);
    result.details.push(...(await denyingStatementTexts(ctx, target.id, region, record)));
    // Compare with this tool's own verdicts once they are in (the checks run concurrently).
    const deciding = [...new Set(record.evaluations.flatMap((e) => decidingChecks(e.action)))];
    const peers = ctx.peers ? await ctx.peers(deciding) : [];
    const agreed = agreement(record, peers);
    result.evidence.agreement = agreed;
    if (!agreed.agrees) {
      result.details.unshift(...agreed.differences.map((d) => `Differs from this tool's checks: ${d}`));
    }
    return result;
  },
};
