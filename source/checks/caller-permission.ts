/**
 * caller-permission: whether the principal's IAM policies (identity policies and permissions boundary, by
 * IAM SimulatePrincipalPolicy or locally) allow the action on the secret and, with a customer managed key,
 * the KMS actions Secrets Manager makes on its behalf; where they do not by themselves, whether the
 * resource's own policy does (resource-side.ts).
 *
 * This module gathers those verdicts; caller-permission/decide.ts decides which case they make, and
 * caller-permission/word.ts says it.
 */
import { callerContext, secretReadContext } from '../policy/context.js';
import { callerKmsContext } from './kms-context.js';
import { parseAccessDenied } from '../error-message.js';
import { outcome, needSecret, needPrincipal, kmsActionsFor, type Check } from './common.js';
import { identityVerdict, type IdentityVerdict } from './identity-side.js';
import { missingPrincipal } from './principal-side.js';
import { combine, needsResourceSide, resourceSide, type ResourceSide } from './resource-side.js';
import type { RequestContext } from '../policy/context.js';
import { decidePermission } from './caller-permission/decide.js';
import { wordPermission } from './caller-permission/word.js';

export const callerPermission: Check = {
  id: 'caller-permission',
  title: "The principal's IAM policies allow it",
  async run(ctx) {
    const [secret, principal] = await Promise.all([needSecret(ctx), needPrincipal(ctx, true)]);
    if ('outcome' in secret) return secret.outcome;
    if ('outcome' in principal) return principal.outcome;
    const p = principal.value;
    const action = ctx.inputs.action ?? 'secretsmanager:GetSecretValue';
    const secretArn = secret.value.description.ARN!;
    const secretAccount = secretArn.split(':')[4] ?? '';
    const base = callerContext(p, secret.value.region);
    const readContext = secretReadContext(base, secretArn, secret.value.description.Tags);
    const checks: { action: string; resource: string; account: string; context: RequestContext; verdict: Promise<IdentityVerdict> }[] = [
      {
        action,
        resource: secretArn,
        account: secretAccount,
        context: readContext,
        verdict: identityVerdict(ctx, p, action, secretArn, secretAccount, readContext),
      },
    ];
    // Reads need kms:Decrypt on a customer managed key, writes kms:GenerateDataKey (through Secrets Manager).
    const kmsActions = kmsActionsFor(action);
    if (kmsActions.length) {
      const key = await ctx.facts.key();
      if (key.ok && key.value.managedBy !== 'aws' && key.value.metadata.Arn) {
        const keyArn = key.value.metadata.Arn;
        const kmsContext = callerKmsContext(p, secret.value);
        const keyAccount = key.value.metadata.AWSAccountId ?? keyArn.split(':')[4] ?? '';
        for (const kmsAction of kmsActions) {
          checks.push({
            action: kmsAction,
            resource: keyArn,
            account: keyAccount,
            context: kmsContext,
            verdict: identityVerdict(ctx, p, kmsAction, keyArn, keyAccount, kmsContext),
          });
        }
      }
    }
    const identity = await Promise.all(checks.map(async (c) => ({ ...c, v: await c.verdict })));
    // A principal that does not exist is the first thing to say (SPEC v2, "A principal that does not exist").
    const missing = await missingPrincipal(
      ctx,
      p,
      identity.map((x) => x.v.simulatorProblem ?? x.v.problem),
    );
    if (missing) return outcome('fail', missing.summary, { evidence: missing.evidence, remediation: missing.remediation });
    // Where the identity side does not allow by itself, the resource side of the same request: within one
    // account an Allow in the resource's own policy suffices (resource-side.ts).
    const verdicts = await Promise.all(
      identity.map(async (c) => {
        const other: ResourceSide | undefined = needsResourceSide(c.v)
          ? await resourceSide(ctx, p, c.action, c.resource, c.account, c.context, c.v)
          : undefined;
        return { ...c, other, combined: combine(c.v, other) };
      }),
    );
    const parsed = ctx.inputs.errorMessage ? parseAccessDenied(ctx.inputs.errorMessage) : undefined;
    return wordPermission(decidePermission(verdicts, p), { principal: p, action, verdicts, parsed });
  },
};
