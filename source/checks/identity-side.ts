/**
 * Does the principal's identity side (identity-based policies and permissions boundary) allow an action
 * on a resource? IAM SimulatePrincipalPolicy where the caller may call it; otherwise local evaluation of
 * the policies read through IAM; otherwise unknown. Shared by caller-permission and kms-policy-caller.
 */
import type { ContextEntry, EvaluationResult } from '@aws-sdk/client-iam';
import type { Problem } from '../aws/errors.js';
import type { Principal } from '../facts/index.js';
import { describeStatement, type Decision } from '../policy/evaluate.js';
import type { RequestContext } from '../policy/context.js';
import { decideWithUnobservables, unobservableWhy, type ContextDecision } from '../policy/observability.js';
import type { CheckContext } from './common.js';

export const SIMULATOR = 'IAM SimulatePrincipalPolicy';
export const LOCAL = 'local evaluation of the identity policies read through IAM';

export interface IdentityVerdict {
  decision: Decision | 'unknown';
  /** Which source decided. */
  source: typeof SIMULATOR | typeof LOCAL | 'account root' | 'none';
  /** The statements that decided, described for a person. */
  statements: string[];
  notes: string[];
  /** Why the simulator was not used, when it was not. */
  simulatorProblem?: Problem | undefined;
  /** Why nothing could decide, when decision is unknown. */
  problem?: Problem | undefined;
  /** When decision is unknown because it changes with values the tool cannot see (local evaluation). */
  depends?: Extract<ContextDecision, { ok: true }> | undefined;
  /** The decisions the identity side may give, whatever those values are (local evaluation). */
  possible?: Decision[] | undefined;
}

function contextEntries(context: RequestContext): ContextEntry[] {
  return Object.entries(context).map(([name, value]) => ({
    ContextKeyName: name,
    ContextKeyValues: Array.isArray(value) ? value : [value],
    ContextKeyType: Array.isArray(value)
      ? 'stringList'
      : value === 'true' || value === 'false'
        ? 'boolean'
        : name === 'aws:CurrentTime'
          ? 'date'
          : name === 'aws:EpochTime'
            ? 'numeric'
            : 'string',
  }));
}

const SIM_DECISIONS: Record<string, Decision> = {
  allowed: 'Allowed',
  explicitDeny: 'ExplicitlyDenied',
  implicitDeny: 'ImplicitlyDenied',
};

function readSimulation(result: EvaluationResult, resourceArn: string, context: RequestContext): IdentityVerdict {
  const specific = result.ResourceSpecificResults?.find((r) => r.EvalResourceName === resourceArn);
  const raw = specific?.EvalResourceDecision ?? result.EvalDecision ?? 'implicitDeny';
  const statements = (specific?.MatchedStatements ?? result.MatchedStatements ?? []).map(
    (m) => `policy ${m.SourcePolicyId ?? '?'} (${m.SourcePolicyType ?? 'unknown type'})`,
  );
  const notes: string[] = [];
  if (result.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false) {
    notes.push('The permissions boundary does not allow it.');
  }
  if (result.OrganizationsDecisionDetail?.AllowedByOrganizations === false) {
    notes.push('A service control policy does not allow it.');
  }
  const missing = [...new Set([...(result.MissingContextValues ?? []), ...(specific?.MissingContextValues ?? [])])];
  if (missing.length) {
    notes.push(`The simulator lacked context values: ${missing.join(', ')}.`);
  }
  const decision = SIM_DECISIONS[raw] ?? 'ImplicitlyDenied';
  // A denial evaluated without a value the tool cannot see may rest on its absence alone: not a verdict.
  const unseen = missing.filter((k) => unobservableWhy(k, context) !== undefined);
  if (decision !== 'Allowed' && unseen.length) {
    return {
      decision: 'unknown',
      source: SIMULATOR,
      statements,
      notes,
      problem: {
        kind: 'other',
        code: 'UnobservableContext',
        message: `${SIMULATOR} answered ${raw} without values for ${unseen.join(', ')}, which the tool cannot observe; the answer may rest on their absence`,
      },
    };
  }
  return { decision, source: SIMULATOR, statements, notes };
}

export function identityVerdict(
  ctx: CheckContext,
  principal: Principal,
  action: string,
  resourceArn: string,
  resourceAccount: string,
  context: RequestContext,
): Promise<IdentityVerdict> {
  const key = `identity:${action}|${resourceArn}`;
  return ctx.facts.derived(key, async () => {
    if (principal.kind === 'root') {
      return { decision: 'Allowed', source: 'account root', statements: [], notes: ['The account root user has every identity permission.'] };
    }
    const simulation = await ctx.facts.simulation([action], resourceArn, contextEntries(context));
    if (simulation.ok) {
      const result = simulation.value.results.find((r) => r.EvalActionName?.toLowerCase() === action.toLowerCase());
      if (result) return readSimulation(result, resourceArn, context);
    }
    const simulatorProblem = simulation.ok ? undefined : simulation.problem;
    const policies = await ctx.facts.identityPolicies();
    if (!policies.ok) {
      return { decision: 'unknown', source: 'none', statements: [], notes: [], simulatorProblem, problem: policies.problem };
    }
    // Isolate the identity side: in the principal's own account the resource side delegates to IAM;
    // across accounts a resource policy that allows the principal's account is assumed.
    const service = action.split(':')[0];
    const sameAccount = resourceAccount === principal.account;
    const resourcePolicy =
      service === 'kms' || !sameAccount
        ? {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${principal.account}:root` }, Action: '*', Resource: '*' }],
          }
        : undefined;
    const decided = await decideWithUnobservables({
      principal: principal.arn,
      action,
      resource: resourceArn,
      resourceAccount,
      context,
      identityPolicies: policies.value.policies,
      permissionsBoundary: policies.value.boundary,
      resourcePolicy,
    });
    if (!decided.ok) {
      return {
        decision: 'unknown',
        source: 'none',
        statements: [],
        notes: [],
        simulatorProblem,
        problem: { kind: 'other', code: 'PolicyEvaluation', message: decided.error },
      };
    }
    const possible = decided.outcomes.map((o) => o.decision);
    if (decided.depends) {
      return {
        decision: 'unknown',
        source: LOCAL,
        statements: [],
        notes: [],
        simulatorProblem,
        depends: decided,
        possible,
        problem: {
          kind: 'other',
          code: 'UnobservableContext',
          message: `the decision depends on ${decided.unobserved.map((u) => u.key).join(', ')}, which the tool cannot observe`,
        },
      };
    }
    const result = decided.evaluation;
    const deciding = result.decision === 'Allowed' ? result.grants : result.denies;
    const notes: string[] = [];
    if (result.decision === 'ImplicitlyDenied') {
      notes.push(
        result.implicit.includes('permissions-boundary') && !result.implicit.includes('identity')
          ? 'The permissions boundary does not allow it.'
          : `No identity-based policy of ${principal.arn} allows ${action}${policies.value.policies.length ? '' : ' (it has none)'}.`,
      );
    }
    return {
      decision: result.decision,
      source: LOCAL,
      statements: deciding.filter((d) => d.policy !== 'resource').map((d) => describeStatement(d, 'the resource policy')),
      notes,
      simulatorProblem,
      possible,
    };
  });
}

/** The permission a person needs to let the tool see the identity side. */
export const IDENTITY_PERMISSIONS = 'iam:SimulatePrincipalPolicy (or iam:GetUser/GetRole, iam:List*Policies, iam:Get*Policy and iam:GetPolicyVersion)';
