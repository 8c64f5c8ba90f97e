import { sentence } from '../aws/errors.js';
import { callerContext, secretReadContext } from '../policy/context.js';
import { callerKmsContext } from './kms-context.js';
import { parseAccessDenied, describeDenial, type ParsedDenial } from '../error-message.js';
import { outcome, needSecret, needPrincipal, kmsActionsFor, type Check } from './common.js';
import { identityVerdict, IDENTITY_PERMISSIONS, SIMULATOR, type IdentityVerdict } from './identity-side.js';
import { missingPrincipal, otherAccountSide } from './principal-side.js';
import { combine, needsResourceSide, resourceSide, type ResourceSide } from './resource-side.js';
import { dependsOutcome } from './policies.js';
import type { RequestContext } from '../policy/context.js';

/** Where a denial that the error message names is checked (or why it cannot be). */
function whereChecked(parsed: ParsedDenial, account: string): string | undefined {
  if (parsed.kmsNotAllowed && !parsed.policyType) return 'The KMS side is evaluated here (kms:Decrypt / kms:GenerateDataKey through Secrets Manager) and in kms-policy-caller.';
  switch (parsed.policyType) {
    case 'identity-based':
    case 'permissions boundary':
      return 'That is what this check evaluates.';
    case 'resource-based':
      return parsed.resourceKind === 'kms-key' ? 'A key policy: see kms-policy-caller.' : "The secret's resource policy: see secret-policy-caller.";
    case 'session':
      return 'A session policy cannot be read through any AWS API: see temporary-credentials.';
    case 'service control':
    case 'resource control':
      return `Organization policies are not visible from a member account: ask the organization's administrators, who can list them from the management account with \`aws organizations list-policies-for-target --target-id ${account || 'ACCOUNT_ID'} --filter ${parsed.policyType === 'service control' ? 'SERVICE_CONTROL_POLICY' : 'RESOURCE_CONTROL_POLICY'}\`.`;
    case 'VPC endpoint':
      return 'The request came through a VPC endpoint whose policy does not allow it: see policy-conditions.';
    default:
      return undefined;
  }
}

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
      { action, resource: secretArn, account: secretAccount, context: readContext, verdict: identityVerdict(ctx, p, action, secretArn, secretAccount, readContext) },
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
          checks.push({ action: kmsAction, resource: keyArn, account: keyAccount, context: kmsContext, verdict: identityVerdict(ctx, p, kmsAction, keyArn, keyAccount, kmsContext) });
        }
      }
    }
    const identity = await Promise.all(checks.map(async (c) => ({ ...c, v: await c.verdict })));
    // A principal that does not exist is the first thing to say (SPEC v2, "A principal that does not exist").
    const missing = await missingPrincipal(ctx, p, identity.map((x) => x.v.simulatorProblem ?? x.v.problem));
    if (missing) return outcome('fail', missing.summary, { evidence: missing.evidence, remediation: missing.remediation });
    // Where the identity side does not allow by itself, the resource side of the same request: within one
    // account an Allow in the resource's own policy suffices (resource-side.ts).
    const verdicts = await Promise.all(
      identity.map(async (c) => {
        const other: ResourceSide | undefined = needsResourceSide(c.v) ? await resourceSide(ctx, p, c.action, c.resource, c.account, c.context, c.v) : undefined;
        return { ...c, other, combined: combine(c.v, other) };
      }),
    );
    const details: string[] = [];
    const evidence: Record<string, unknown> = { principal: p.arn };
    if (p.given !== p.arn) evidence.session = p.given;
    if (p.lookupProblem) details.push(`The role's path could not be looked up (${p.lookupProblem.code}); evaluated as ${p.arn}.`);
    const sources = new Set<string>();
    for (const { action: a, resource, v, other, combined } of verdicts) {
      sources.add(v.source);
      evidence[a] = {
        resource,
        decision: v.decision,
        source: v.source,
        ...(v.statements.length ? { statements: v.statements } : {}),
        ...(combined === 'allowed-by-resource' && other?.kind === 'allows' ? { allowedBy: other.statements } : {}),
      };
      if (combined === 'allowed-by-resource' && other?.kind === 'allows') {
        details.push(`${a} on ${resource}: allowed by ${other.statements.join(', ')}; within one account that Allow suffices without an identity-policy Allow (IAM's policy evaluation logic).`);
      }
      if (v.simulatorProblem) {
        details.push(`${SIMULATOR} was not available (${v.simulatorProblem.code}${v.simulatorProblem.status ? `, HTTP ${v.simulatorProblem.status}` : ''}); the policies were evaluated locally.`);
      }
      const by = v.statements.length ? ` by ${v.statements.join(', ')}` : '';
      if (v.decision !== 'unknown') details.push(`${a} on ${resource}: ${v.decision}${by} (${v.source}).`);
      details.push(...v.notes);
    }
    details.push('Service control policies and resource control policies are evaluated by org-policies.');
    evidence.decidedBy = [...sources].join(', ');
    const parsed = ctx.inputs.errorMessage ? parseAccessDenied(ctx.inputs.errorMessage) : undefined;
    if (parsed?.recognised) {
      evidence.errorMessage = {
        ...(parsed.principal ? { principal: parsed.principal } : {}),
        ...(parsed.action ? { action: parsed.action } : {}),
        ...(parsed.resource ? { resource: parsed.resource } : {}),
        ...(parsed.policyType ? { policyType: parsed.policyType } : {}),
        ...(parsed.denial ? { denial: parsed.denial } : {}),
        ...(parsed.policyArn ? { policyArn: parsed.policyArn } : {}),
        ...(parsed.kmsNotAllowed ? { kmsNotAllowed: true } : {}),
      };
      details.push(`The error message says: ${describeDenial(parsed)}.${whereChecked(parsed, p.account) ? ` ${whereChecked(parsed, p.account)}` : ''}`);
      if (parsed.action && parsed.action !== action && parsed.action.startsWith('secretsmanager:')) {
        details.push(`The message names ${parsed.action}; this check evaluated ${action} (--action).`);
      }
    }

    // The identity side is the cause only where no other policy allows: an explicit Deny, or no Allow anywhere.
    const denied = verdicts.filter((x) => x.combined === 'denied');
    if (denied.some((x) => x.v.decision !== 'ExplicitlyDenied')) {
      details.push('No policy allows it whatever the request carries (the values the tool cannot see were tried): policy-conditions shows the conditions.');
    }
    if (denied.length) {
      const first = denied[0]!;
      const what = denied.map((d) => d.action).join(' and ');
      const explicit = first.v.decision === 'ExplicitlyDenied';
      const statement = JSON.stringify({ Effect: 'Allow', Action: denied.map((d) => d.action), Resource: denied.map((d) => d.resource) });
      return outcome('fail', `${p.arn} is ${explicit ? 'explicitly denied' : 'not allowed'} ${what} by its IAM policies${explicit && first.v.statements.length ? ` (${first.v.statements[0]})` : ''}.`, {
        details: [...new Set(details)],
        evidence,
        remediation: explicit
          ? `Remove or narrow the Deny (${first.v.statements.join(', ') || 'see details'}) for this principal.`
          : `Add an identity-based policy statement to ${p.arn}: ${statement}` +
            (p.kind === 'role' && p.name
              ? `, e.g. \`aws iam put-role-policy --role-name ${p.name} --policy-name secrets-doctor-read --policy-document '${JSON.stringify({ Version: '2012-10-17', Statement: [JSON.parse(statement)] })}'\``
              : p.kind === 'user' && p.name
                ? `, e.g. \`aws iam put-user-policy --user-name ${p.name} --policy-name secrets-doctor-read --policy-document '${JSON.stringify({ Version: '2012-10-17', Statement: [JSON.parse(statement)] })}'\``
                : '') +
            '.',
      });
    }
    const depending = verdicts.find((x) => x.combined === 'depends');
    if (depending) {
      const decision = depending.v.depends ?? (depending.other as Extract<ResourceSide, { kind: 'depends' }>).decision;
      return dependsOutcome(`${p.arn} may ${depending.action}`, decision, { ...evidence, error: 'UnobservableContext' }, [...new Set(details)], action);
    }
    const unseen = verdicts.find((x) => x.combined === 'unseen');
    if (unseen && unseen.other?.kind === 'unseen') {
      return outcome('unknown', `${p.arn}'s IAM policies do not allow ${unseen.action} by themselves, and whether the resource's own policy does is not known: ${unseen.other.why}.`, {
        details: [...new Set(details)],
        evidence: { ...evidence, error: 'ResourcePolicyUnseen' },
        remediation: `Within one account an Allow in the resource's own policy would suffice: let the identity running secrets-doctor read it (${unseen.action.startsWith('kms:') ? 'kms:GetKeyPolicy on the key' : 'secretsmanager:GetResourcePolicy on the secret'}).`,
      });
    }
    const unknown = verdicts.find((x) => x.combined === 'unknown');
    if (unknown) {
      const problem = unknown.v.problem!;
      const elsewhere = otherAccountSide(problem, p);
      if (elsewhere) return outcome('unknown', elsewhere.summary, { details: [...new Set(details)], evidence: { ...evidence, ...elsewhere.evidence }, remediation: elsewhere.remediation });
      if (problem.code === 'UnobservableContext') {
        return outcome('unknown', `Whether ${p.arn}'s IAM policies allow ${unknown.action} depends on values the tool cannot observe from here: ${problem.message}.`, {
          details: [...new Set(details)],
          evidence: { ...evidence, error: problem.code },
          remediation: `Look up what the refused request carried (CloudTrail LookupEvents: its sourceIPAddress, vpcEndpointId, MFA), then test it with \`aws iam simulate-principal-policy --policy-source-arn ${p.arn} --action-names ${unknown.action} --resource-arns ${unknown.resource} --context-entries ContextKeyName=KEY,ContextKeyValues=VALUE,ContextKeyType=TYPE\` (see policy-conditions).`,
        });
      }
      return outcome('unknown', `Could not tell whether ${p.arn}'s IAM policies allow ${unknown.action}: ${problem.code}.`, {
        details: [...new Set([...details, sentence(problem)])],
        evidence: { ...evidence, error: problem.code },
        remediation: `Let the identity running secrets-doctor use ${IDENTITY_PERMISSIONS}, or check by hand with \`aws iam simulate-principal-policy --policy-source-arn ${p.arn} --action-names ${unknown.action} --resource-arns ${unknown.resource}\`.`,
      });
    }
    const byResource = verdicts.filter((x) => x.combined === 'allowed-by-resource');
    if (byResource.length) {
      const named = byResource.map((x) => `${x.action} (${(x.other as Extract<ResourceSide, { kind: 'allows' }>).statements.join(', ') || 'the resource policy'})`);
      return outcome('pass', `${p.arn} is allowed ${verdicts.map((x) => x.action).join(' and ')}: ${named.join(' and ')} allowed by the resource's own policy, which suffices within one account.`, {
        details: [...new Set(details)],
        evidence: { ...evidence, decidedBy: [...new Set([...sources, 'resource policy'])].join(', ') },
      });
    }
    return outcome('pass', `${p.arn}'s IAM policies allow ${verdicts.map((x) => x.action).join(' and ')}.`, {
      details: [...new Set(details)],
      evidence,
    });
  },
};
