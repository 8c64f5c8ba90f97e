/**
 * IAM SimulatePrincipalPolicy, probed once per run; a simulator that cannot answer (not allowed, not
 * implemented) is not asked again. Account facts.
 */
import type { ContextEntry } from '@aws-sdk/client-iam';
import { isTransient, type Problem } from '../aws/errors.js';
import type { Facts, SimulationFact } from './index.js';
import { got, type Got } from './got.js';

/**
 * IAM SimulatePrincipalPolicy for the principal's identity-based policies (and boundary). The client
 * does not retry: a simulator that is not implemented or not allowed is not going to become so.
 */
export function simulation(facts: Facts, actions: string[], resourceArn: string, context: ContextEntry[]): Promise<Got<SimulationFact>> {
  const key = `sim:${actions.join(',')}|${resourceArn}|${JSON.stringify(context)}`;
  return facts.once(key, async () => {
    const principal = await facts.principal();
    if (!principal.ok) return principal;
    const iam = await facts.principalIam();
    if (!iam.ok) return iam;
    // The first simulation is a probe: later ones wait for it, and where it showed the simulator
    // unavailable (not implemented, not allowed, invalid for this principal) they fall back at once.
    const gate = facts.shared.simulatorGate;
    let release!: (problem: Problem | undefined) => void;
    if (!gate) facts.shared.simulatorGate = new Promise((resolve) => (release = resolve));
    else {
      const problem = await gate;
      if (problem) return { ok: false, problem };
    }
    const result = await got(async () => {
      const { SimulatePrincipalPolicyCommand } = await import('@aws-sdk/client-iam');
      const client = await iam.value.iamSimulator();
      const out = await client.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: principal.value.arn,
          ActionNames: actions,
          ResourceArns: [resourceArn],
          ContextEntries: context,
        }),
      );
      return { results: out.EvaluationResults ?? [] };
    });
    if (!gate) release(result.ok || isTransient(result.problem) ? undefined : result.problem);
    return result;
  }) as Promise<Got<SimulationFact>>;
}

/**
 * The simulations this run has already asked IAM for, for this action on this resource (none is started
 * here): `policy-conditions` reads their missing context values.
 */
export function simulationsOf(facts: Facts, action: string, resourceArn: string): Promise<Got<SimulationFact>>[] {
  const prefix = `sim:${action}|${resourceArn}|`;
  return facts.started(prefix) as Promise<Got<SimulationFact>>[];
}
