/**
 * A policy whose text does not survive JSON parsing (a duplicated key, a number too long to hold) is
 * still evaluated, as JSON.parse reads it (the last copy of a key wins), but AWS does not document how
 * it reads such a document: the policy checks say so and a pass becomes a warning. A fix the finding
 * offers is kept so that `fix` says why it refuses (a rewrite would drop what JSON.parse dropped) and gives
 * the manual route. The check itself is unchanged; this wraps it.
 */
import type { Check, CheckContext, Outcome } from './common.js';
import { jsonLoss } from '../policy/parse.js';
import { keyPolicyTarget, secretPolicyTarget } from '../fixes/targets.js';

type Document = 'secret-policy' | 'key-policy';

/** The document's text as the check read it (memoised facts: no new request) and the CLI route to edit it. */
async function documentOf(ctx: CheckContext, which: Document): Promise<{ text: string; manual: string } | undefined> {
  const secret = await ctx.facts.secret();
  if (!secret.ok || !secret.value.description.ARN) return undefined;
  const { region, description } = secret.value;
  if (which === 'secret-policy') {
    const policy = await ctx.facts.secretPolicy();
    if (!policy.ok || !policy.value) return undefined;
    const target = secretPolicyTarget(ctx.facts.session, description.ARN!, region, description.Name ?? description.ARN!);
    return { text: policy.value, manual: target.manualRoute() };
  }
  const [policy, key] = await Promise.all([ctx.facts.keyPolicy(), ctx.facts.key()]);
  if (!policy?.ok || !key.ok || !('metadata' in key.value) || !key.value.metadata.Arn) return undefined;
  return { text: policy.value, manual: keyPolicyTarget(ctx.facts.session, key.value.metadata.Arn, region).manualRoute() };
}

export function withDocumentCaveat(check: Check, which: Document): Check {
  return {
    ...check,
    async run(ctx): Promise<Outcome> {
      const result = await check.run(ctx);
      if (result.status === 'skip') return result;
      const document = await documentOf(ctx, which);
      const loss = document && jsonLoss(document.text);
      if (!document || !loss) return result;
      const name = which === 'secret-policy' ? "The secret's resource policy" : 'The key policy';
      return {
        ...result,
        status: result.status === 'pass' ? 'warn' : result.status,
        details: [
          `${name} does not survive parsing: ${loss}. AWS does not document how it reads such a policy; this check read it as JSON.parse does, and secrets-doctor will not rewrite it.`,
          ...result.details,
        ],
        evidence: { ...result.evidence, documentProblem: loss },
        remediation: `Make the policy unambiguous by hand (one copy of each key; long numbers as strings): ${document.manual}.${result.remediation ? ` ${result.remediation}` : ''}`,
      };
    },
  };
}
