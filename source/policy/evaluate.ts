/**
 * Policy evaluation with @cloud-copilot/iam-simulate, a TypeScript implementation of AWS's evaluation
 * logic (service principals, condition operators, KMS key-policy semantics). Imported lazily: it is the
 * heaviest module of a diagnosis and only the policy checks need it.
 */

import type { RequestAnalysis } from '@cloud-copilot/iam-simulate';
import { forSessionRequest } from './sessions.js';
import { ConditionKeyClash, displayKey, normaliseContext, normalisePolicy } from './condition-keys.js';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface DecidingStatement {
  policy: 'identity' | 'resource' | 'permissions-boundary' | 'session' | 'scp' | 'rcp' | 'vpc-endpoint';
  /** The identity policy's name, where there is one. */
  policyName?: string | undefined;
  sid?: string | undefined;
  /** 1-based position in its policy. */
  index: number;
}

export interface NamedPolicy {
  name: string;
  policy: unknown;
}

export interface EvaluationRequest {
  /** An IAM ARN (user, role, assumed-role session, account root) or a service principal. */
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, string | string[]>;
  /**
   * The principal's identity-based policies. Leave out to ask what the resource policy alone decides:
   * the identity side is then assumed to allow.
   */
  identityPolicies?: NamedPolicy[] | undefined;
  permissionsBoundary?: NamedPolicy | undefined;
  resourcePolicy?: unknown;
  /** Organization policies, one entry per level, root first (see policy/control-policies.ts). */
  serviceControlPolicies?: OrgPolicyLevel[] | undefined;
  resourceControlPolicies?: OrgPolicyLevel[] | undefined;
}

export interface OrgPolicyLevel {
  orgIdentifier: string;
  policies: NamedPolicy[];
}

export type Evaluation =
  | {
      ok: true;
      decision: Decision;
      /** The statements that allowed the request (when allowed). */
      grants: DecidingStatement[];
      /** The Deny statements that applied (when explicitly denied). */
      denies: DecidingStatement[];
      /** The policy types that allowed nothing (when implicitly denied). */
      implicit: DecidingStatement['policy'][];
      /**
       * Context keys the engine set aside for this action. A policy that conditions on one of them was
       * evaluated as if the key were absent (the engine drops `kms:EncryptionContext:<name>` keys).
       */
      ignoredKeys: string[];
    }
  | { ok: false; error: string /** true: the policy is not valid IAM; false: the engine could not evaluate it. */; invalid: boolean };

export const ASSUMED_IDENTITY_POLICY = '(identity policies assumed to allow)';
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export function isServicePrincipal(principal: string): boolean {
  return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal);
}

const POLICY_TYPES: Record<string, DecidingStatement['policy']> = {
  identity: 'identity',
  resource: 'resource',
  pb: 'permissions-boundary',
  permissionBoundary: 'permissions-boundary',
  session: 'session',
  scp: 'scp',
  rcp: 'rcp',
  vpce: 'vpc-endpoint',
};

function policyType(value: string): DecidingStatement['policy'] {
  return POLICY_TYPES[value] ?? (value as DecidingStatement['policy']);
}

const MESSAGES: Record<string, string> = {
  'invalid.action': 'the action is not a known IAM action',
  'invalid.service': 'the service is not a known AWS service',
  'no.resource.types': 'the action has no resource type',
  'must.use.wildcard': 'the action only takes Resource "*"',
  'policy.errors': 'a policy is not valid IAM',
};

export type Simulated =
  | {
      ok: true;
      decision: Decision;
      /** The engine's explanation of the decision (statement by statement), when there is one. */
      analysis?: RequestAnalysis | undefined;
      ignoredKeys: string[];
    }
  | { ok: false; error: string; invalid: boolean };

/** Organization policies with the same condition-key renaming as every other policy. */
function normaliseLevels(levels: OrgPolicyLevel[] | undefined): OrgPolicyLevel[] {
  return (levels ?? []).map((l) => ({ ...l, policies: l.policies.map((p) => ({ ...p, policy: normalisePolicy(p.policy) })) }));
}

/** One run of the engine: the decision and its explanation. evaluate() and policy-conditions read it. */
export async function simulate(request: EvaluationRequest): Promise<Simulated> {
  const engine = await import('@cloud-copilot/iam-simulate');
  const [service = '', actionName = ''] = request.action.split(':');
  // An action without a resource type (ListSecrets) is authorized against "*": no resource policy applies.
  const wildcardOnly = await engine.isWildcardOnlyAction(service, actionName).catch(() => false);
  let result: Awaited<ReturnType<typeof engine.runSimulation>>;
  try {
    // Condition keys the engine gets wrong are renamed first (condition-keys.ts).
    const identityPolicies = isServicePrincipal(request.principal)
      ? []
      : (request.identityPolicies ?? [{ name: ASSUMED_IDENTITY_POLICY, policy: ALLOW_ALL }]).map((p) => ({ ...p, policy: normalisePolicy(p.policy) }));
    const boundary = request.permissionsBoundary ? { ...request.permissionsBoundary, policy: normalisePolicy(request.permissionsBoundary.policy) } : undefined;
    result = await engine.runSimulation(
      {
        request: {
          principal: request.principal,
          action: request.action,
          resource: { resource: request.resource, accountId: request.resourceAccount },
          contextVariables: normaliseContext(request.context),
        },
        identityPolicies,
        serviceControlPolicies: normaliseLevels(request.serviceControlPolicies),
        resourceControlPolicies: normaliseLevels(request.resourceControlPolicies),
        ...(request.resourcePolicy === undefined || wildcardOnly
          ? {}
          : { resourcePolicy: forSessionRequest(normalisePolicy(request.resourcePolicy), request.principal) }),
        ...(boundary ? { permissionBoundaryPolicies: [boundary] } : {}),
      },
      {},
    );
  } catch (error) {
    if (error instanceof ConditionKeyClash) return { ok: false, invalid: false, error: error.message };
    return { ok: false, invalid: false, error: `the policy engine could not evaluate it (${(error as Error).message})` };
  }
  if (result.resultType === 'error') {
    const e = result.errors;
    const lists = [
      ...(e.resourcePolicyErrors ?? []).map((v) => `resource policy: ${v.message} at ${v.path}`),
      ...Object.entries(e.identityPolicyErrors ?? {}).flatMap(([n, vs]) => vs.map((v) => `${n}: ${v.message} at ${v.path}`)),
      ...Object.entries(e.permissionBoundaryErrors ?? {}).flatMap(([n, vs]) => vs.map((v) => `${n}: ${v.message} at ${v.path}`)),
    ];
    return { ok: false, invalid: true, error: lists.length ? `it is not a valid IAM policy (${lists.join('; ')})` : (MESSAGES[e.message] ?? e.message) };
  }
  const decision = result.overallResult as Decision;
  const chosen = result.resultType === 'single' ? result.result : (result.results.find((r) => r.analysis.result === decision) ?? result.results[0]);
  return { ok: true, decision, analysis: chosen?.analysis, ignoredKeys: (chosen?.ignoredContextKeys ?? []).map(displayKey) };
}

export async function evaluate(request: EvaluationRequest): Promise<Evaluation> {
  const simulated = await simulate(request);
  if (!simulated.ok) return simulated;
  const { decision, analysis, ignoredKeys } = simulated;
  if (!analysis) return { ok: true, decision, grants: [], denies: [], implicit: [], ignoredKeys };
  const engine = await import('@cloud-copilot/iam-simulate');
  const grants: DecidingStatement[] = [];
  const denies: DecidingStatement[] = [];
  const implicit: DecidingStatement['policy'][] = [];
  if (decision === 'Allowed') {
    for (const g of engine.getGrantReasons(analysis)) {
      if (g.policyType === 'identity' && g.policyIdentifier === ASSUMED_IDENTITY_POLICY) continue;
      grants.push({
        policy: policyType(g.policyType),
        policyName: 'policyIdentifier' in g ? g.policyIdentifier : undefined,
        sid: g.statementId,
        index: g.statementIndex,
      });
    }
  } else {
    for (const d of engine.getDenialReasons(analysis)) {
      if (d.denialType === 'Explicit') {
        denies.push({ policy: policyType(d.policyType), policyName: d.policyIdentifier, sid: d.statementId, index: d.statementIndex });
      } else {
        implicit.push(policyType(d.policyType));
      }
    }
  }
  return { ok: true, decision, grants, denies, implicit, ignoredKeys };
}

/** The ignored context keys that the policy mentions: where they exist the verdict cannot be trusted. */
export function ignoredKeysUsed(evaluation: Evaluation, policy: unknown): string[] {
  if (!evaluation.ok || !evaluation.ignoredKeys.length) return [];
  const text = JSON.stringify(policy).toLowerCase();
  return evaluation.ignoredKeys.filter((key) => text.includes(key.toLowerCase()));
}

/** `statement "Sid" (#2) of the secret's resource policy`. */
export function describeStatement(d: DecidingStatement, resourcePolicyName: string): string {
  const which = d.sid ? `statement "${d.sid}" (#${d.index})` : `statement #${d.index}`;
  switch (d.policy) {
    case 'resource':
      return `${which} of ${resourcePolicyName}`;
    case 'identity':
      return `${which} of the identity policy ${d.policyName ?? ''}`.trimEnd();
    case 'permissions-boundary':
      return `${which} of the permissions boundary ${d.policyName ?? ''}`.trimEnd();
    default:
      return `${which} of the ${d.policy} policy ${d.policyName ?? ''}`.trimEnd();
  }
}
