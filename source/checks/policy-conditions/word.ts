/**
 * policy-conditions, the wording: a decision (decide.ts) as a finding. The details and evidence every case
 * shares (each deciding statement, its conditions, what the request must carry), then the case's summary
 * and what to do.
 */
import { keyKind } from '../../policy/observability.js';
import type { RequestContext } from '../../policy/context.js';
import { describeDenial, type ParsedDenial } from '../../error-message.js';
import type { Principal } from '../../facts/index.js';
import { IDENTITY_PERMISSIONS } from '../identity-side.js';
import { SECRET_POLICY, KEY_POLICY, dependsOutcome } from '../policies.js';
import { outcome, type Outcome } from '../common.js';
import {
  statementsOf,
  unobservedConditions,
  type ConditionSeen,
  type ConditionsDecision,
  type ConditionsFacts,
  type RequestRef,
  type StatementSeen,
} from './decide.js';
import { shellQuote } from '../../shell.js';

export interface ConditionsView extends ConditionsFacts {
  requests: (RequestRef & { context: RequestContext })[];
  principal: Principal;
  secretArn: string;
  region: string;
  /** What could not be read or analysed, said first. */
  notes: string[];
  /** The evidence gathered so far (principal, action, how the identity policies were read). */
  evidence: Record<string, unknown>;
  /** The pasted error message, when it names a VPC endpoint policy. */
  denial?: ParsedDenial | undefined;
  /** Why the identity policies could not be read. */
  identityProblem?: string | undefined;
}

const NEGATED: Record<string, string> = {
  StringEquals: 'StringNotEquals',
  StringEqualsIgnoreCase: 'StringNotEqualsIgnoreCase',
  StringLike: 'StringNotLike',
  ArnEquals: 'ArnNotEquals',
  ArnLike: 'ArnNotLike',
  IpAddress: 'NotIpAddress',
  NumericEquals: 'NumericNotEquals',
  NumericLessThan: 'NumericGreaterThanEquals',
  NumericLessThanEquals: 'NumericGreaterThan',
  DateEquals: 'DateNotEquals',
  DateLessThan: 'DateGreaterThanEquals',
  DateLessThanEquals: 'DateGreaterThan',
};
for (const [a, b] of Object.entries({ ...NEGATED })) NEGATED[b] = a;

/** What a request must carry for an Allow to apply, or for a Deny not to. */
function requirement(c: ConditionSeen, effect: 'Allow' | 'Deny'): string {
  const values = c.values.length === 1 ? c.values[0]! : `[${c.values.join(', ')}]`;
  if (effect === 'Allow') return `${c.key} ${c.operator} ${values}`;
  if (c.operator === 'Bool' && c.values.length === 1) return `${c.key} Bool ${c.values[0] === 'true' ? 'false' : 'true'}`;
  const negated = NEGATED[c.operator];
  return negated ? `${c.key} ${negated} ${values}` : `not (${c.key} ${c.operator} ${values})`;
}

/** Every condition of these statements as the request must meet it. */
function requirements(list: StatementSeen[]): string {
  return list.flatMap((st) => st.conditions.map((c) => requirement(c, st.effect))).join('; ');
}

function showObserved(c: ConditionSeen): string {
  if (c.observed === undefined) return `not observable: ${c.unobserved}`;
  return Array.isArray(c.observed) ? `[${c.observed.join(', ')}]` : c.observed;
}

function describeCondition(c: ConditionSeen): string {
  return `${c.key} ${c.operator} ${c.values.join(', ')} (the request: ${showObserved(c)})`;
}

/** How to test a value the tool cannot see: the simulator with that context entry. */
function simulateCommand(principal: Principal, action: string, resource: string, keys: ConditionSeen[]): string {
  const entries = keys
    .slice(0, 3)
    .map((c) => {
      const ip = /ip$/i.test(c.key);
      // An IP context value is one address: the network's first one stands for the range.
      const value = ip ? (c.values[0] ?? 'IP_ADDRESS').replace(/\/\d+$/, '') : (c.values[0] ?? 'VALUE');
      const type = ip ? 'ip' : /time|date/i.test(c.key) ? 'date' : /present$/i.test(c.key) ? 'boolean' : 'string';
      return shellQuote(`ContextKeyName=${c.key},ContextKeyValues=${value},ContextKeyType=${type}`);
    })
    .join(' ');
  return `\`aws iam simulate-principal-policy --policy-source-arn ${shellQuote(principal.arn)} --action-names ${shellQuote(action)} --resource-arns ${shellQuote(resource)}${entries ? ` --context-entries ${entries}` : ''}\``;
}

/** The AWS CLI command that shows the statement's policy, or tests the request against it. */
function reviewCommand(st: StatementSeen, principal: Principal): string {
  if (st.where.endsWith(SECRET_POLICY)) return `\`aws secretsmanager get-resource-policy --secret-id ${shellQuote(st.resource)}\``;
  if (st.where.endsWith(KEY_POLICY)) return `\`aws kms get-key-policy --key-id ${shellQuote(st.resource)} --policy-name default\``;
  return simulateCommand(principal, st.action, st.resource, []);
}

/** The details and evidence every case shares. */
function shared(v: ConditionsView): { details: string[]; evidence: Record<string, unknown> } {
  const statements = statementsOf(v);
  const secretContext = v.requests[0]!.context;
  const both = { ...secretContext, ...(v.requests[1]?.context ?? {}) };
  const details = [...v.notes];
  const evidence: Record<string, unknown> = { ...v.evidence };
  evidence.requests = v.seen.map((r) => ({ request: r.label, resource: r.resource, decision: r.decision }));
  const usedKeys = new Set(statements.flatMap((st) => st.conditions.map((c) => c.key.toLowerCase())));
  evidence.observedContext = Object.fromEntries(Object.entries(both).filter(([k]) => usedKeys.has(k.toLowerCase())));
  evidence.contextKeys = Object.keys(both);
  // SPEC.md, "The request context": each key a deciding statement uses, and which kind it is here.
  evidence.keyKinds = Object.fromEntries(
    statements.flatMap((st) => st.conditions.map((c) => [c.key, keyKind(c.key, v.requests.find((r) => r.label === st.request)?.context ?? secretContext)])),
  );
  evidence.statements = statements.map((st) => ({
    statement: st.where,
    request: st.request,
    effect: st.effect,
    applies: st.applies,
    conditions: st.conditions.map((c) => ({ key: c.key, operator: c.operator, values: c.values, request: showObserved(c), met: c.matches })),
  }));
  const mustCarry = [
    ...new Set(
      statements.flatMap((st) => st.conditions.map((c) => `${requirement(c, st.effect)} (${st.effect === 'Allow' ? 'for' : 'to escape'} ${st.where})`)),
    ),
  ];
  const notObservable = [...new Set(unobservedConditions(statements).map((c) => `${c.key} (${c.unobserved})`))];
  if (mustCarry.length) evidence.mustCarry = mustCarry;
  if (notObservable.length) evidence.notObservable = notObservable;
  if (v.missing.length) {
    evidence.simulatorMissingContextValues = v.missing;
    details.push(
      `IAM SimulatePrincipalPolicy evaluated without values for: ${v.missing.join(', ')} (it cannot know them; a statement that conditions on them is decided by the request).`,
    );
  }
  for (const st of statements) {
    details.push(
      `${st.where} (${st.effect}, ${st.request}): ${st.applies ? 'applies' : 'does not apply'}; ${st.conditions.map(describeCondition).join('; ')}.`,
    );
  }
  if (statements.some((st) => st.conditions.some((c) => /secretsmanager:VersionStage/i.test(c.key)))) {
    details.push('secretsmanager:VersionStage was taken as AWSCURRENT (a plain read); a request for another stage or version carries that instead.');
  }
  return { details, evidence };
}

const UNSEEABLE = 'No permission would let the tool see these: they belong to the request that was refused.';

export function wordConditions(d: ConditionsDecision, v: ConditionsView): Outcome {
  const { details, evidence } = shared(v);
  const { principal: p, action, secretArn } = v;
  const cloudTrail = `\`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=${action.split(':')[1] ?? action} --max-results 10 --region ${v.region}\` (its sourceIPAddress and vpcEndpointId)`;
  const lookUp = `Look up what the refused request carried with ${cloudTrail}, then compare it with the conditions above, or test a value with`;
  const riskyNote = (risky: StatementSeen[]) =>
    risky.length
      ? [
          `Conditions on values the tool cannot see do not change the decision here (every value they name was tried): ${[...new Set(unobservedConditions(risky).map((c) => c.key))].join(', ')}.`,
        ]
      : [];
  switch (d.case) {
    case 'vpc-endpoint': {
      const parsed = v.denial!;
      evidence.errorMessage = { policyType: parsed.policyType, denial: parsed.denial };
      return outcome(
        'fail',
        `The error message says ${describeDenial(parsed)}: the request came through a VPC endpoint whose policy does not allow ${action}.`,
        {
          details: [...details, "VPC endpoint policies are not visible from the secret's side."],
          evidence,
          remediation: `Find the endpoint in ${cloudTrail} and review its policy: \`aws ec2 describe-vpc-endpoints --vpc-endpoint-ids VPCE_ID --query "VpcEndpoints[].PolicyDocument"\`; it must allow ${action} on ${secretArn}.`,
        },
      );
    }
    case 'depends': {
      const found = dependsOutcome(`${d.request.label} is allowed`, d.decision, evidence, [
        ...details,
        `What the request must carry: ${requirements(d.hinging) || d.decision.unobserved.map((u) => u.key).join(', ')}.`,
        UNSEEABLE,
      ]);
      if (!/--response-plan/.test(found.remediation)) found.remediation = `${lookUp} ${simulateCommand(p, d.request.action, d.request.resource, d.keys)}.`;
      return found;
    }
    case 'deny-met': {
      const { statement: st, condition: c } = d;
      return outcome(
        'fail',
        `${st.where} denies ${st.request}: its condition ${c.key} ${c.operator} ${c.values.join(', ')} is met (the request: ${showObserved(c)}).`,
        {
          details,
          evidence: { ...evidence, decidedBy: st.where },
          remediation: `The request must carry ${st.conditions.map((x) => requirement(x, 'Deny')).join(' or ')} to escape the Deny, or the policy's owner must narrow its condition (review it: ${reviewCommand(st, p)}).`,
        },
      );
    }
    case 'allow-unmet': {
      const { statement: st } = d;
      const c = d.failing[0]!;
      return outcome(
        'fail',
        `${st.where} would allow ${st.request}, but its condition ${c.key} ${c.operator} ${c.values.join(', ')} is not met (the request: ${showObserved(c)}).`,
        {
          details,
          evidence: { ...evidence, decidedBy: st.where },
          remediation: `The request must carry ${st.conditions.map((x) => requirement(x, 'Allow')).join(' and ')}; otherwise add a statement without that condition, or change it. Test a value with ${simulateCommand(p, st.action, st.resource, d.failing)}.`,
        },
      );
    }
    case 'simulator-depends': {
      const named = [...new Set([...d.keys.map((c) => `${c.key} (${c.unobserved})`), ...d.unseen])];
      return outcome('unknown', `Whether ${d.denied} is allowed depends on values the tool cannot observe from here: ${named.join(', ')}.`, {
        details: [...details, `What the request must carry: ${requirements(d.hinging) || v.missing.join(', ')}.`, UNSEEABLE],
        evidence,
        remediation: `${lookUp} ${simulateCommand(p, d.hinging[0]?.action ?? action, d.hinging[0]?.resource ?? secretArn, d.keys)}.`,
      });
    }
    case 'not-conditions':
      return outcome(
        'pass',
        `Conditions are not the cause: no statement that would allow ${d.denied} applies, whatever the request carries (see caller-permission and secret-policy-caller).`,
        {
          details,
          evidence,
        },
      );
    case 'identity-unseen':
      return outcome(
        'unknown',
        `The conditions of ${p.arn}'s identity policies could not be seen: they could not be read (${v.identityProblem}) and the IAM simulator did not answer.`,
        {
          details,
          evidence: { ...evidence, error: v.identityProblem },
          remediation: `Let the identity running secrets-doctor use ${IDENTITY_PERMISSIONS}, or check by hand with ${simulateCommand(p, action, secretArn, [])}.`,
        },
      );
    case 'allowed-unseen':
      return outcome(
        'warn',
        `${action} is allowed as far as the tool can see, but IAM SimulatePrincipalPolicy evaluated it without ${d.unseen.join(', ')}, which the tool cannot observe from here.`,
        {
          details: [...details, ...riskyNote(d.risky), `What the request must carry: ${requirements(d.risky) || d.unseen.join(', ')}.`],
          evidence,
          remediation: `Check what the refused request carried with ${cloudTrail}, or test a value with ${simulateCommand(p, action, secretArn, unobservedConditions(d.risky))}.`,
        },
      );
    case 'no-conditions':
      return outcome('pass', `No statement that applies to ${v.seen.map((r) => r.label).join(' or ') || action} has a condition.`, { details, evidence });
    case 'conditions-met':
      return outcome('pass', `The conditions that apply are met by what the tool observes: ${d.keys.join(', ')}.`, {
        details: [...details, ...riskyNote(d.risky)],
        evidence,
      });
  }
}
