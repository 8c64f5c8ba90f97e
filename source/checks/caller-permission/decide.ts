/**
 * caller-permission, the decision: from the identity side's verdict on each request (the secret action,
 * and the KMS actions on a customer managed key) combined with the resource side's (resource-side.ts),
 * which case applies and which requests make it. Pure: no AWS request and no sentence; word.ts says it.
 *
 * The order follows IAM's policy evaluation logic (IAM User Guide, "Policy evaluation logic"): the
 * identity side is the cause only where no other policy allows (an explicit Deny, or no Allow anywhere);
 * then what the tool cannot decide (values it cannot observe, a resource policy it cannot read, an identity
 * side it cannot evaluate); then an Allow in the resource's own policy, which suffices within one account.
 */
import type { Problem } from '../../aws/errors.js';
import type { Principal } from '../../facts/index.js';
import type { IdentityVerdict } from '../identity-side.js';
import { otherAccountSide } from '../principal-side.js';
import type { Combined, ResourceSide } from '../resource-side.js';

export interface PermissionVerdict {
  action: string;
  resource: string;
  /** The identity side's verdict. */
  v: IdentityVerdict;
  /** The resource side's, where the identity side does not decide by itself. */
  other?: ResourceSide | undefined;
  combined: Combined;
}

type Of<K extends ResourceSide['kind']> = Extract<ResourceSide, { kind: K }>;

export type PermissionDecision =
  /** No policy allows (`explicit`: the first denied request is explicitly denied). */
  | { case: 'denied'; denied: PermissionVerdict[]; explicit: boolean }
  /** Allowed or not depending on values the tool cannot observe. */
  | { case: 'depends'; verdict: PermissionVerdict; decision: NonNullable<IdentityVerdict['depends']> }
  /** The identity side does not allow by itself; the resource's own policy could not be seen. */
  | { case: 'resource-unseen'; verdict: PermissionVerdict; why: string }
  /** The identity side could not be evaluated: it is in another account the tool cannot read. */
  | { case: 'other-account'; verdict: PermissionVerdict; problem: Problem }
  /** ... it depends on values the simulator was not given and the tool cannot observe. */
  | { case: 'unobservable'; verdict: PermissionVerdict; problem: Problem }
  /** ... a read or the simulator failed. */
  | { case: 'unknown'; verdict: PermissionVerdict; problem: Problem }
  /** Allowed, some requests by the resource's own policy alone. */
  | { case: 'allowed-by-resource'; byResource: (PermissionVerdict & { other: Of<'allows'> })[] }
  | { case: 'allowed' };

export function decidePermission(verdicts: PermissionVerdict[], principal: Principal): PermissionDecision {
  const denied = verdicts.filter((x) => x.combined === 'denied');
  if (denied.length) return { case: 'denied', denied, explicit: denied[0]!.v.decision === 'ExplicitlyDenied' };
  const depending = verdicts.find((x) => x.combined === 'depends');
  if (depending) return { case: 'depends', verdict: depending, decision: depending.v.depends ?? (depending.other as Of<'depends'>).decision };
  const unseen = verdicts.find((x) => x.combined === 'unseen');
  if (unseen && unseen.other?.kind === 'unseen') return { case: 'resource-unseen', verdict: unseen, why: unseen.other.why };
  const unknown = verdicts.find((x) => x.combined === 'unknown');
  if (unknown) {
    const problem = unknown.v.problem!;
    if (otherAccountSide(problem, principal)) return { case: 'other-account', verdict: unknown, problem };
    return { case: problem.code === 'UnobservableContext' ? 'unobservable' : 'unknown', verdict: unknown, problem };
  }
  const byResource = verdicts.filter((x): x is PermissionVerdict & { other: Of<'allows'> } => x.combined === 'allowed-by-resource');
  if (byResource.length) return { case: 'allowed-by-resource', byResource };
  return { case: 'allowed' };
}
