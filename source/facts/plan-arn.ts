/** Which response plan's ARN Incident Manager's requests for a secret carry (no AWS call, no dependencies). */
import type { ResponsePlanListing } from './discovery.js';

/**
 * The response plan that uses `secretId`, when exactly one does: Incident Manager's requests for it carry
 * that plan's ARN as aws:SourceArn. Several plans (or none): undefined, and aws:SourceArn stays unobservable.
 */
export function planArnFor(secretId: string | undefined, listing: ResponsePlanListing | undefined): string | undefined {
  if (!secretId || !listing) return undefined;
  const plans = new Set(listing.references.filter((r) => r.secretId === secretId).map((r) => r.planArn));
  return plans.size === 1 ? [...plans][0] : undefined;
}

/**
 * The wizard's inputs with the plan that uses the chosen secret, where discovery found exactly one (an ARN
 * given on the command line wins). State-shaped argument: no import of the wizard's flow.
 */
export function withPlanArn<I extends { secretId?: string | undefined; responsePlanArn?: string | undefined }>(
  inputs: I,
  state: { plans: { state: 'loading' } | { state: 'done'; result: { available: true; value: ResponsePlanListing } | { available: false } } },
): I {
  if (inputs.responsePlanArn) return inputs;
  const listing = state.plans.state === 'done' && state.plans.result.available ? state.plans.result.value : undefined;
  const arn = planArnFor(inputs.secretId, listing);
  return arn ? { ...inputs, responsePlanArn: arn } : inputs;
}
