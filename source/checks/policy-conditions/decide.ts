/**
 * policy-conditions, the decision: from what the IAM engine said of each statement that decides a request
 * (its conditions, met or not, observed or not), which case applies and which statements and keys make it.
 * Pure: no AWS request and no sentence; word.ts says it.
 *
 * The order of the cases follows IAM's policy evaluation logic (IAM User Guide, "Policy evaluation logic"):
 * a request the tool cannot decide without a value it cannot observe first, then an explicit Deny whose
 * conditions are met, then an Allow whose conditions are not (an implicit deny), then the simulator's
 * denial without values it could not know (SimulatePrincipalPolicy's MissingContextValues).
 */
import type { Decision } from '../../policy/evaluate.js';
import { dependsAs, type ContextDecision } from '../../policy/observability.js';

export interface ConditionSeen {
  operator: string;
  key: string;
  values: string[];
  matches: boolean;
  /** The value the tool put in the request context, when it had one. */
  observed?: string | string[] | undefined;
  /** Why there was none (a key the tool cannot observe, or one the engine sets aside). */
  unobserved?: string | undefined;
}

export interface StatementSeen {
  request: string;
  action: string;
  resource: string;
  where: string;
  effect: 'Allow' | 'Deny';
  applies: boolean;
  conditions: ConditionSeen[];
}

/** A request the check evaluates: the principal's on the secret, and Secrets Manager's KMS requests. */
export interface RequestRef {
  label: string;
  action: string;
  resource: string;
}

export interface RequestSeen extends RequestRef {
  decision: Decision;
  statements: StatementSeen[];
}

export type OkDecision = Extract<ContextDecision, { ok: true }>;

export interface ConditionsFacts {
  /** The principal's action on the secret. */
  action: string;
  requests: RequestRef[];
  /** The requests the IAM engine could analyse. */
  seen: RequestSeen[];
  /** Per request (same order as `requests`): the decision in every context the unobservable keys allow. */
  decisions: ContextDecision[];
  /** IAM SimulatePrincipalPolicy's MissingContextValues, and those of them the tool cannot observe. */
  missing: string[];
  unobservableMissing: string[];
  /** The simulator denied a request while values were missing. */
  simulatorDenied: boolean;
  /** The simulator answered for some request. */
  simulatorAnswered: boolean;
  identityPoliciesRead: boolean;
  /** The pasted error message says a VPC endpoint policy denied. */
  vpcEndpointDenial: boolean;
}

export type ConditionsDecision =
  /** The error message names a VPC endpoint policy, which is not visible from the secret's side. */
  | { case: 'vpc-endpoint' }
  /** Whether `request` is allowed changes with values the tool cannot observe. */
  | { case: 'depends'; request: RequestRef; decision: OkDecision; hinging: StatementSeen[]; keys: ConditionSeen[] }
  /** A Deny whose conditions are met by what the tool observes. */
  | { case: 'deny-met'; statement: StatementSeen; condition: ConditionSeen }
  /** An Allow that would apply but for a condition the observed request does not meet. */
  | { case: 'allow-unmet'; statement: StatementSeen; failing: ConditionSeen[] }
  /** The simulator denied without values the tool cannot observe: those may decide. */
  | { case: 'simulator-depends'; denied: string; hinging: StatementSeen[]; keys: ConditionSeen[]; unseen: string[] }
  /** Denied, but not by a condition: no statement that would allow applies whatever the request carries. */
  | { case: 'not-conditions'; denied: string }
  /** Nothing denies, but the identity policies' conditions were not seen at all. */
  | { case: 'identity-unseen' }
  /** Allowed as far as the tool sees, but the simulator evaluated without values the tool cannot observe. */
  | { case: 'allowed-unseen'; unseen: string[]; risky: StatementSeen[] }
  | { case: 'no-conditions' }
  /** The conditions that apply are met; `risky` name values the tool cannot see but that change nothing. */
  | { case: 'conditions-met'; keys: string[]; risky: StatementSeen[] };

/** A statement whose outcome here rests on a key the tool has no value for. */
export function depends(s: StatementSeen): boolean {
  if (s.applies) return s.conditions.some((c) => c.observed === undefined);
  const failing = s.conditions.filter((c) => !c.matches);
  return failing.length > 0 && failing.every((c) => c.observed === undefined);
}

/** The conditions of these statements whose key the tool has no value for. */
export function unobservedConditions(list: StatementSeen[]): ConditionSeen[] {
  return list.flatMap((st) => st.conditions.filter((c) => c.observed === undefined));
}

export function statementsOf(f: Pick<ConditionsFacts, 'seen'>): StatementSeen[] {
  return f.seen.flatMap((r) => r.statements);
}

export function decideConditions(f: ConditionsFacts): ConditionsDecision {
  if (f.vpcEndpointDenial) return { case: 'vpc-endpoint' };
  const statements = statementsOf(f);

  // Whether the request is allowed: a change between two denials (implicit, explicit) is not a dependence.
  const dependent = f.decisions.findIndex((d) => d.ok && dependsAs(d, (x) => x !== 'Allowed'));
  const depending = f.decisions[dependent];
  if (depending?.ok) {
    const request = f.requests[dependent]!;
    const hinging = statements.filter((st) => st.request === request.label && depends(st));
    return { case: 'depends', request, decision: depending, hinging, keys: unobservedConditions(hinging) };
  }

  const denied = f.seen.filter((r) => r.decision !== 'Allowed');
  const inDenied = (st: StatementSeen) => denied.some((r) => r.label === st.request);
  // The simulator's denial counts too: it decides the identity side where it may be called.
  if (denied.length || f.simulatorDenied) {
    const deniedLabel = denied.map((r) => r.label).join(' and ') || `${f.action} on the secret`;
    const denyMet = statements.find((st) => inDenied(st) && st.effect === 'Deny' && st.applies && !depends(st));
    if (denyMet) return { case: 'deny-met', statement: denyMet, condition: denyMet.conditions.find((x) => x.matches) ?? denyMet.conditions[0]! };
    const allowUnmet = statements.find(
      (st) => inDenied(st) && st.effect === 'Allow' && !st.applies && st.conditions.some((c) => !c.matches && c.observed !== undefined),
    );
    if (allowUnmet && denied.some((r) => r.decision === 'ImplicitlyDenied')) {
      return { case: 'allow-unmet', statement: allowUnmet, failing: allowUnmet.conditions.filter((c) => !c.matches && c.observed !== undefined) };
    }
    // Locally, no unobservable value changes these decisions (see above); the simulator's denial without
    // values the tool cannot see may still rest on their absence.
    const unseen = f.unobservableMissing;
    if (f.simulatorDenied && unseen.length) {
      const hinging = statements.filter((st) => inDenied(st) && depends(st) && st.conditions.some((c) => unseen.includes(c.key)));
      return { case: 'simulator-depends', denied: deniedLabel, hinging, keys: unobservedConditions(hinging), unseen };
    }
    return { case: 'not-conditions', denied: deniedLabel };
  }

  // Nothing seen is a reason to deny; but without the identity policies (and no simulator answer) the
  // identity side's conditions were not seen at all.
  if (!f.identityPoliciesRead && !f.simulatorAnswered) return { case: 'identity-unseen' };
  // Statements whose conditions name unobservable keys, but whose values (tried) do not change the decision.
  const risky = statements.filter((st) => depends(st));
  // The simulator's Allow without such a value: the tool cannot try others there.
  if (f.unobservableMissing.length) return { case: 'allowed-unseen', unseen: f.unobservableMissing, risky };
  if (!statements.length) return { case: 'no-conditions' };
  return { case: 'conditions-met', keys: [...new Set(statements.flatMap((st) => st.conditions.map((c) => c.key)))], risky };
}
