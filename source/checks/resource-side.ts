/**
 * The other half of AWS's evaluation for caller-permission (SPEC.md, "A cause is what the whole evaluation
 * denies"): within one account, an Allow in the resource's own policy that names the principal suffices
 * without an identity-policy Allow. IAM User Guide, "Policy evaluation logic" / "Cross-account policy
 * evaluation logic": "within a single account ... if the resource-based policy ... allows, the request is
 * allowed"; Secrets Manager User Guide, "Secret encryption and decryption": the KMS permissions can be given
 * "in an IAM policy or key policy". A key policy that only names the account root delegates to IAM and
 * allows nothing by itself (KMS Developer Guide, "Default key policy"); the engine knows that. Across
 * accounts both sides must allow, so this never applies there.
 *
 * Reads only what the policy checks read anyway (the secret's resource policy, the key policy: memoised
 * facts); evaluates locally.
 */
import type { Principal } from '../facts/index.js';
import type { RequestContext } from '../policy/context.js';
import { describeStatement, type NamedPolicy } from '../policy/evaluate.js';
import { decideWithUnobservables, type ContextDecision } from '../policy/observability.js';
import { parsePolicy } from '../policy/parse.js';
import { evaluatedArn, type CheckContext } from './common.js';
import { LOCAL, type IdentityVerdict } from './identity-side.js';
import { KEY_POLICY, SECRET_POLICY, namesOnlyAccount } from './policies.js';

export type ResourceSide =
  | { kind: 'allows'; statements: string[] }
  | { kind: 'depends'; decision: Extract<ContextDecision, { ok: true }> }
  /** The policy could not be read or parsed: whether it allows is not known. */
  | { kind: 'unseen'; why: string }
  /** Not applicable, no policy, or no Allow for the principal. */
  | { kind: 'no'; why?: string };

/** Whether the resource's own policy allows the principal `action` by itself (same account only). */
export async function resourceSide(
  ctx: CheckContext,
  principal: Principal,
  action: string,
  resource: string,
  resourceAccount: string,
  context: RequestContext,
  identity: IdentityVerdict,
): Promise<ResourceSide> {
  if (resourceAccount !== principal.account) return { kind: 'no', why: 'across accounts both sides must allow' };
  if (identity.notes.includes('The permissions boundary does not allow it.') && identity.source !== LOCAL) {
    // The simulator's boundary verdict cannot be combined with a resource policy here; keep its answer.
    return { kind: 'no', why: 'the permissions boundary does not allow it' };
  }
  const kms = action.toLowerCase().startsWith('kms:');
  const text = kms ? await ctx.facts.keyPolicy() : await ctx.facts.secretPolicy();
  const name = kms ? KEY_POLICY : SECRET_POLICY;
  if (text && !text.ok) return { kind: 'unseen', why: `${name} could not be read (${text.problem.code})` };
  if (!text?.value?.trim()) return { kind: 'no' };
  const parsed = parsePolicy(text.value);
  if (!parsed.ok) return { kind: 'no' };
  // The boundary (read already where the identity side was evaluated locally) still limits some
  // resource-policy grants; the engine applies AWS's rules for it.
  let boundary: NamedPolicy | undefined;
  if (identity.source === LOCAL) {
    const policies = await ctx.facts.identityPolicies();
    if (policies.ok) boundary = policies.value.boundary;
  }
  const decided = await decideWithUnobservables({
    principal: evaluatedArn(principal),
    action,
    resource,
    resourceAccount,
    context,
    identityPolicies: [],
    permissionsBoundary: boundary,
    resourcePolicy: parsed.document,
  });
  if (!decided.ok) return { kind: 'unseen', why: `${name} could not be evaluated (${decided.error})` };
  if (decided.depends && decided.outcomes.some((o) => o.decision === 'Allowed')) return { kind: 'depends', decision: decided };
  if (decided.depends || decided.evaluation.decision !== 'Allowed') return { kind: 'no' };
  // The account-root statement allows nothing by itself here (the identity side did not allow): not named.
  const grants = decided.evaluation.grants.filter((g) => g.policy === 'resource' && !namesOnlyAccount(parsed.statements[g.index - 1], resourceAccount));
  return { kind: 'allows', statements: grants.map((g) => describeStatement(g, name)) };
}

export type Combined = 'allowed' | 'allowed-by-resource' | 'denied' | 'depends' | 'unknown' | 'unseen';

/** Whether the resource side is worth asking: the identity side does not decide by itself. */
export function needsResourceSide(identity: IdentityVerdict): boolean {
  return identity.decision === 'ImplicitlyDenied' || identity.depends !== undefined;
}

/**
 * The identity side in the context of the resource side (same account): allowed when either allows and no
 * explicit Deny applies; denied when no value of the unobservable keys lets it through; otherwise it
 * depends on them.
 */
export function combine(identity: IdentityVerdict, other: ResourceSide | undefined): Combined {
  if (identity.decision === 'Allowed') return 'allowed';
  if (identity.decision === 'ExplicitlyDenied') return 'denied';
  if (identity.decision === 'ImplicitlyDenied') {
    return other?.kind === 'allows' ? 'allowed-by-resource' : other?.kind === 'depends' ? 'depends' : other?.kind === 'unseen' ? 'unseen' : 'denied';
  }
  if (!identity.depends) return 'unknown';
  const possible = identity.possible ?? [];
  if (other?.kind === 'allows') return possible.includes('ExplicitlyDenied') ? 'depends' : 'allowed-by-resource';
  if (other?.kind === 'depends') return 'depends';
  if (other?.kind === 'unseen') return 'unseen';
  return possible.includes('Allowed') ? 'depends' : 'denied';
}
