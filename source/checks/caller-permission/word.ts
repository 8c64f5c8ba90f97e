/**
 * caller-permission, the wording: a decision (decide.ts) as a finding, with what each request's verdict
 * rests on and what the pasted error message says.
 */
import { sentence } from '../../aws/errors.js';
import { describeDenial, type ParsedDenial } from '../../error-message.js';
import type { Principal } from '../../facts/index.js';
import { IDENTITY_PERMISSIONS, SIMULATOR } from '../identity-side.js';
import { otherAccountSide } from '../principal-side.js';
import { dependsOutcome } from '../policies.js';
import { outcome, type Outcome } from '../common.js';
import type { PermissionDecision, PermissionVerdict } from './decide.js';
import { shellQuote } from '../../shell.js';

export interface PermissionView {
  principal: Principal;
  /** The action the check evaluated (--action). */
  action: string;
  verdicts: PermissionVerdict[];
  /** The pasted error message, when one was recognised. */
  parsed?: ParsedDenial | undefined;
}

/** Where a denial that the error message names is checked (or why it cannot be). */
function whereChecked(parsed: ParsedDenial, account: string): string | undefined {
  if (parsed.kmsNotAllowed && !parsed.policyType)
    return 'The KMS side is evaluated here (kms:Decrypt / kms:GenerateDataKey through Secrets Manager) and in kms-policy-caller.';
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

/** The details and evidence every case shares: each request's verdict and what decided it. */
function shared(v: PermissionView): { details: string[]; evidence: Record<string, unknown>; sources: Set<string> } {
  const { principal: p, action, parsed } = v;
  const details: string[] = [];
  const evidence: Record<string, unknown> = { principal: p.arn };
  if (p.given !== p.arn) evidence.session = p.given;
  if (p.lookupProblem) details.push(`The role's path could not be looked up (${p.lookupProblem.code}); evaluated as ${p.arn}.`);
  const sources = new Set<string>();
  for (const { action: a, resource, v: verdict, other, combined } of v.verdicts) {
    sources.add(verdict.source);
    const byResource = combined === 'allowed-by-resource' && other?.kind === 'allows' ? other : undefined;
    evidence[a] = {
      resource,
      decision: verdict.decision,
      source: verdict.source,
      ...(verdict.statements.length ? { statements: verdict.statements } : {}),
      ...(byResource ? { allowedBy: byResource.statements } : {}),
    };
    if (byResource) {
      details.push(
        `${a} on ${resource}: allowed by ${byResource.statements.join(', ')}; within one account that Allow suffices without an identity-policy Allow (IAM's policy evaluation logic).`,
      );
    }
    const sim = verdict.simulatorProblem;
    if (sim) details.push(`${SIMULATOR} was not available (${sim.code}${sim.status ? `, HTTP ${sim.status}` : ''}); the policies were evaluated locally.`);
    const by = verdict.statements.length ? ` by ${verdict.statements.join(', ')}` : '';
    if (verdict.decision !== 'unknown') details.push(`${a} on ${resource}: ${verdict.decision}${by} (${verdict.source}).`);
    details.push(...verdict.notes);
  }
  details.push('Service control policies and resource control policies are evaluated by org-policies.');
  evidence.decidedBy = [...sources].join(', ');
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
    const where = whereChecked(parsed, p.account);
    details.push(`The error message says: ${describeDenial(parsed)}.${where ? ` ${where}` : ''}`);
    if (parsed.action && parsed.action !== action && parsed.action.startsWith('secretsmanager:')) {
      details.push(`The message names ${parsed.action}; this check evaluated ${action} (--action).`);
    }
  }
  return { details, evidence, sources };
}

/** The identity-based statement that would allow the denied requests, and a command that adds it. */
function addStatement(p: Principal, denied: PermissionVerdict[]): string {
  const statement = JSON.stringify({ Effect: 'Allow', Action: denied.map((d) => d.action), Resource: denied.map((d) => d.resource) });
  const document = shellQuote(JSON.stringify({ Version: '2012-10-17', Statement: [JSON.parse(statement)] }));
  const command =
    p.kind === 'role' && p.name
      ? `, e.g. \`aws iam put-role-policy --role-name ${shellQuote(p.name)} --policy-name secrets-doctor-read --policy-document ${document}\``
      : p.kind === 'user' && p.name
        ? `, e.g. \`aws iam put-user-policy --user-name ${shellQuote(p.name)} --policy-name secrets-doctor-read --policy-document ${document}\``
        : '';
  return `Add an identity-based policy statement to ${p.arn}: ${statement}${command}.`;
}

export function wordPermission(d: PermissionDecision, v: PermissionView): Outcome {
  const { details: all, evidence, sources } = shared(v);
  const { principal: p, action } = v;
  const details = [...new Set(all)];
  switch (d.case) {
    case 'denied': {
      const first = d.denied[0]!;
      const what = d.denied.map((x) => x.action).join(' and ');
      const notes = d.denied.some((x) => x.v.decision !== 'ExplicitlyDenied')
        ? [
            ...new Set([
              ...all,
              'No policy allows it whatever the request carries (the values the tool cannot see were tried): policy-conditions shows the conditions.',
            ]),
          ]
        : details;
      return outcome(
        'fail',
        `${p.arn} is ${d.explicit ? 'explicitly denied' : 'not allowed'} ${what} by its IAM policies${d.explicit && first.v.statements.length ? ` (${first.v.statements[0]})` : ''}.`,
        {
          details: notes,
          evidence,
          remediation: d.explicit
            ? `Remove or narrow the Deny (${first.v.statements.join(', ') || 'see details'}) for this principal.`
            : addStatement(p, d.denied),
        },
      );
    }
    case 'depends':
      return dependsOutcome(`${p.arn} may ${d.verdict.action}`, d.decision, { ...evidence, error: 'UnobservableContext' }, details, action);
    case 'resource-unseen':
      return outcome(
        'unknown',
        `${p.arn}'s IAM policies do not allow ${d.verdict.action} by themselves, and whether the resource's own policy does is not known: ${d.why}.`,
        {
          details,
          evidence: { ...evidence, error: 'ResourcePolicyUnseen' },
          remediation: `Within one account an Allow in the resource's own policy would suffice: let the identity running secrets-doctor read it (${d.verdict.action.startsWith('kms:') ? 'kms:GetKeyPolicy on the key' : 'secretsmanager:GetResourcePolicy on the secret'}).`,
        },
      );
    case 'other-account': {
      const elsewhere = otherAccountSide(d.problem, p)!;
      return outcome('unknown', elsewhere.summary, { details, evidence: { ...evidence, ...elsewhere.evidence }, remediation: elsewhere.remediation });
    }
    case 'unobservable':
      return outcome(
        'unknown',
        `Whether ${p.arn}'s IAM policies allow ${d.verdict.action} depends on values the tool cannot observe from here: ${d.problem.message}.`,
        {
          details,
          evidence: { ...evidence, error: d.problem.code },
          remediation: `Look up what the refused request carried (CloudTrail LookupEvents: its sourceIPAddress, vpcEndpointId, MFA), then test it with \`aws iam simulate-principal-policy --policy-source-arn ${shellQuote(p.arn)} --action-names ${shellQuote(d.verdict.action)} --resource-arns ${shellQuote(d.verdict.resource)} --context-entries ContextKeyName=KEY,ContextKeyValues=VALUE,ContextKeyType=TYPE\` (see policy-conditions).`,
        },
      );
    case 'unknown':
      return outcome('unknown', `Could not tell whether ${p.arn}'s IAM policies allow ${d.verdict.action}: ${d.problem.code}.`, {
        details: [...new Set([...all, sentence(d.problem)])],
        evidence: { ...evidence, error: d.problem.code },
        remediation: `Let the identity running secrets-doctor use ${IDENTITY_PERMISSIONS}, or check by hand with \`aws iam simulate-principal-policy --policy-source-arn ${shellQuote(p.arn)} --action-names ${shellQuote(d.verdict.action)} --resource-arns ${shellQuote(d.verdict.resource)}\`.`,
      });
    case 'allowed-by-resource': {
      const named = d.byResource.map((x) => `${x.action} (${x.other.statements.join(', ') || 'the resource policy'})`);
      return outcome(
        'pass',
        `${p.arn} is allowed ${v.verdicts.map((x) => x.action).join(' and ')}: ${named.join(' and ')} allowed by the resource's own policy, which suffices within one account.`,
        {
          details,
          evidence: { ...evidence, decidedBy: [...new Set([...sources, 'resource policy'])].join(', ') },
        },
      );
    }
    case 'allowed':
      return outcome('pass', `${p.arn}'s IAM policies allow ${v.verdicts.map((x) => x.action).join(' and ')}.`, { details, evidence });
  }
}
