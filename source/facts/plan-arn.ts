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
