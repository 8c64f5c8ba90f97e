/**
 * `org-policies`: the organization's service control policies on the principal's account and its parents,
 * and its resource control policies on the secret's (and its customer managed key's) account, for the
 * principal's request and Incident Manager's. AWS's documented exceptions:
 * - SCPs do not affect the management account, nor service-linked roles, nor service principals (they
 *   restrict IAM users and roles of member accounts): "Service control policies (SCPs)", AWS Organizations
 *   User Guide, https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * - RCPs do not affect resources in the management account: "Resource control policies (RCPs)",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * - RCPs do not apply to AWS managed KMS keys: "Resource control policies in AWS KMS",
 *   https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
 * - RCPs do apply to AWS service principals' requests: the RCP guide's confused-deputy example denies
 *   `secretsmanager:*` to service principals ("Resource control policy examples",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html).
 */
import { IM_PRINCIPAL } from '../types.js';
import type { Principal, SecretFact } from '../facts/index.js';
import type { Organization, OrgLevel, PolicyType } from '../facts/organization.js';
import { callerContext, secretReadContext, serviceContext, type RequestContext } from '../policy/context.js';
import { evaluateControlPolicies, describeControlStatement, type ControlKind } from '../policy/control-policies.js';
import { outcome, needSecret, needPrincipal, couldNotSee, evaluatedArn, kmsActionsFor, type Check, type CheckContext } from './common.js';
import { callerKmsContext, serviceKmsContext } from './kms-context.js';

type PartStatus = 'pass' | 'fail' | 'unknown' | 'exempt';

/** One control-policy type on one request: its verdict in a sentence. */
interface Part {
  kind: ControlKind;
  /** e.g. `arn:aws:iam::111122223333:role/app secretsmanager:GetSecretValue`. */
  request: string;
  status: PartStatus;
  sentence: string;
  /** Incident Manager's request (under not-sure, a failure of its own is a warning). */
  incidentManager: boolean;
  policyIds?: string[] | undefined;
}

interface Request {
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context: RequestContext;
  incidentManager: boolean;
  /** The principal's unobservable organization keys (a policy that uses one cannot be decided). */
  unobservable: string[];
}

const TYPE: Record<ControlKind, PolicyType> = { scp: 'SERVICE_CONTROL_POLICY', rcp: 'RESOURCE_CONTROL_POLICY' };
const READ_PERMISSIONS = 'organizations:ListParents, organizations:ListPoliciesForTarget and organizations:DescribePolicy';

function label(r: Request): string {
  return `${r.principal} ${r.action} on ${r.resource}`;
}

/** The policies of the levels that mention a key the tool cannot see. */
function mentions(levels: OrgLevel[], keys: string[]): string[] {
  if (!keys.length) return [];
  const text = JSON.stringify(levels.map((l) => l.policies.map((p) => p.document))).toLowerCase();
  return keys.filter((k) => text.includes(k.toLowerCase()));
}

async function decide(ctx: CheckContext, kind: ControlKind, account: string, r: Request): Promise<Part> {
  const base = { kind, request: label(r), incidentManager: r.incidentManager };
  const name = kind === 'scp' ? 'SCPs' : 'RCPs';
  const facts = ctx.facts.organization;
  // The reads of the levels fail for an account outside the organization: they start alongside the lookup.
  const [member, levels] = await Promise.all([facts.membership(account), facts.levels(account, TYPE[kind])]);
  if (!member.ok || !member.value.member) {
    const why = member.ok ? 'is not in this organization' : `could not be looked up (${member.problem.code})`;
    return { ...base, status: 'unknown', sentence: `Account ${account} ${why}: the ${name} that apply to it cannot be read from here.` };
  }
  if (!levels.ok) {
    return {
      ...base,
      status: 'unknown',
      sentence: `The ${name} on account ${account} and its parents could not be read (${levels.problem.code}): only the management account or a delegated administrator can read them.`,
    };
  }
  if (!levels.value) return { ...base, status: 'pass', sentence: `${name} are not enabled in the organization: none applies to ${label(r)}.` };
  const policyIds = [...new Set(levels.value.flatMap((l) => l.policies.map((p) => p.id)))];
  const verdict = await evaluateControlPolicies(kind, levels.value, r);
  if (!verdict.ok) return { ...base, status: 'unknown', policyIds, sentence: `The ${name} for ${label(r)} could not be evaluated: ${verdict.error}.` };
  const unseen = mentions(levels.value, r.unobservable);
  if (unseen.length) {
    return {
      ...base,
      status: 'unknown',
      policyIds,
      sentence: `The ${name} for ${label(r)} use ${unseen.join(', ')}, which the request carries but the tool cannot see from here (Organizations did not say): the verdict depends on it.`,
    };
  }
  if (verdict.decision === 'ExplicitlyDenied') {
    const deny = verdict.denies[0]!;
    const what = describeControlStatement(kind, deny);
    return { ...base, status: 'fail', policyIds, sentence: `${what.charAt(0).toUpperCase()}${what.slice(1)} denies ${label(r)}.` };
  }
  if (verdict.decision === 'ImplicitlyDenied') {
    const at = verdict.notAllowedAt[0] ?? account;
    return {
      ...base,
      status: 'fail',
      policyIds,
      sentence: `No ${kind.toUpperCase()} attached to ${at} allows ${label(r)} (${name} must allow it at every level, root to account).`,
    };
  }
  return { ...base, status: 'pass', policyIds, sentence: `The ${name} on ${levels.value.map((l) => l.target).join(' -> ')} allow ${label(r)}.` };
}

function exempt(kind: ControlKind, r: Request, why: string): Part {
  return { kind, request: label(r), incidentManager: r.incidentManager, status: 'exempt', sentence: why };
}

/** The service principal's request context, with the organization of the account it acts for. */
function incidentManagerContext(secretAccount: string, region: string, org: Organization, orgKnown: boolean): RequestContext {
  const context = serviceContext(IM_PRINCIPAL, secretAccount, region);
  if (orgKnown) context['aws:SourceOrgID'] = org.id;
  return context;
}

async function parts(ctx: CheckContext, p: Principal, secret: SecretFact, org: Organization): Promise<Promise<Part>[]> {
  const action = ctx.inputs.action ?? 'secretsmanager:GetSecretValue';
  const secretArn = secret.description.ARN!;
  const secretAccount = secretArn.split(':')[4] ?? '';
  const facts = ctx.facts.organization;
  // Start every read the parts below await, together: none of them waits for another.
  const secretMember = facts.membership(secretAccount);
  const serviceLinked = /^arn:[^:]+:iam::\d{12}:role\/aws-service-role\//.test(p.arn);
  if (p.account !== org.managementAccountId && !serviceLinked) void facts.levels(p.account, TYPE.scp);
  if (secretAccount !== org.managementAccountId) void facts.levels(secretAccount, TYPE.rcp);
  let unobservable = p.org?.unobservable ?? [];
  const orgKeys: RequestContext = {};
  // The request context leaves the path out where only a delegated administrator could read it; this check
  // reads it anyway (the levels need it), so where it answered the SCPs see it.
  if (unobservable.includes('aws:PrincipalOrgPaths') && p.org?.context['aws:PrincipalOrgID']) {
    const path = await facts.path(p.account);
    if (path.ok) {
      orgKeys['aws:PrincipalOrgPaths'] = [`${[org.id, ...path.value.map((l) => l.id)].join('/')}/`];
      unobservable = unobservable.filter((k) => k !== 'aws:PrincipalOrgPaths');
    }
  }
  const caller: Request = {
    principal: evaluatedArn(p),
    action,
    resource: secretArn,
    resourceAccount: secretAccount,
    context: secretReadContext({ ...callerContext(p, secret.region), ...orgKeys }, secretArn, secret.description.Tags),
    incidentManager: false,
    unobservable,
  };
  const withIm = ctx.symptom === 'incident-manager-secret' || ctx.symptom === 'not-sure';
  const member = await secretMember;
  // aws:ResourceOrgID: observed for a resource of an account in the organization (resource-perimeter SCPs).
  if (member.ok && member.value.member) caller.context['aws:ResourceOrgID'] = org.id;
  else caller.unobservable = [...unobservable, 'aws:ResourceOrgID'];
  const im: Request = {
    principal: IM_PRINCIPAL,
    action: 'secretsmanager:GetSecretValue',
    resource: secretArn,
    resourceAccount: secretAccount,
    context: secretReadContext(incidentManagerContext(secretAccount, secret.region, org, member.ok && member.value.member), secretArn, secret.description.Tags),
    incidentManager: true,
    unobservable: [],
  };
  const out: Promise<Part>[] = [];
  const scp = (r: Request) => {
    if (p.account === org.managementAccountId) return Promise.resolve(exempt('scp', r, `SCPs do not affect the management account (${p.account}).`));
    if (serviceLinked) return Promise.resolve(exempt('scp', r, `SCPs do not affect service-linked roles (${p.arn}).`));
    return decide(ctx, 'scp', p.account, r);
  };
  const rcp = (r: Request, account: string) => {
    if (account === org.managementAccountId) return Promise.resolve(exempt('rcp', r, `RCPs do not affect resources in the management account (${account}).`));
    return decide(ctx, 'rcp', account, r);
  };
  out.push(scp(caller), rcp(caller, secretAccount));
  if (withIm) out.push(rcp(im, secretAccount));
  // Through Secrets Manager the principal (and Incident Manager) also call KMS on the secret's key.
  const kmsActions = kmsActionsFor(action);
  if (kmsActions.length || withIm) {
    const key = await ctx.facts.key();
    if (key.ok && key.value.managedBy === 'customer' && key.value.metadata.Arn) {
      const keyArn = key.value.metadata.Arn;
      const keyAccount = key.value.metadata.AWSAccountId ?? keyArn.split(':')[4] ?? '';
      for (const kmsAction of kmsActions) {
        const r: Request = {
          ...caller,
          action: kmsAction,
          resource: keyArn,
          resourceAccount: keyAccount,
          context: { ...callerKmsContext(p, secret), ...orgKeys },
        };
        if (keyAccount === secretAccount && caller.context['aws:ResourceOrgID']) r.context['aws:ResourceOrgID'] = org.id;
        else r.unobservable = [...unobservable, 'aws:ResourceOrgID'];
        out.push(scp(r), rcp(r, keyAccount));
      }
      if (withIm) {
        const context = {
          ...serviceKmsContext(IM_PRINCIPAL, secret),
          ...(im.context['aws:SourceOrgID'] ? { 'aws:SourceOrgID': im.context['aws:SourceOrgID'] } : {}),
        };
        out.push(rcp({ ...im, action: 'kms:Decrypt', resource: keyArn, resourceAccount: keyAccount, context }, keyAccount));
      }
    } else if (key.ok && key.value.managedBy !== 'customer') {
      const r: Request = { ...caller, action: 'kms:Decrypt', resource: 'the AWS managed key aws/secretsmanager', resourceAccount: secretAccount };
      out.push(Promise.resolve(exempt('rcp', r, 'RCPs do not apply to AWS managed KMS keys (the secret uses aws/secretsmanager).')));
    }
  }
  return out;
}

export const orgPolicies: Check = {
  id: 'org-policies',
  title: "The organization's SCPs and RCPs allow the requests",
  async run(ctx) {
    const [secret, principal] = await Promise.all([needSecret(ctx), needPrincipal(ctx)]);
    if ('outcome' in secret) return secret.outcome;
    if ('outcome' in principal) return principal.outcome;
    const p = principal.value;
    const s = secret.value;
    const org = await ctx.facts.organization.organization();
    if (!org.ok) return couldNotSee('the organization', org.problem, 'organizations:DescribeOrganization');
    const secretAccount = s.description.ARN?.split(':')[4] ?? '';
    if (!org.value.inUse) {
      const identity = await ctx.facts.identity();
      const here = identity.ok ? identity.value.account : undefined;
      const elsewhere = [...new Set([p.account, secretAccount])].filter((a) => a !== here);
      if (elsewhere.length) {
        return outcome(
          'unknown',
          `This account is in no organization, but account ${elsewhere.join(' and ')} may be in one whose SCPs or RCPs cannot be read from here.`,
          {
            evidence: { organization: null, otherAccounts: elsewhere },
            remediation: `Ask the administrators of account ${elsewhere.join(' and ')} whether an SCP or RCP denies the request.`,
          },
        );
      }
      return outcome('pass', 'The account is in no organization: no SCP or RCP applies.', { evidence: { organization: null } });
    }
    const o = org.value.organization;
    const decided = await Promise.all(await parts(ctx, p, s, o));
    const imOnlyWarn = ctx.symptom === 'not-sure';
    const failed = decided.filter((d) => d.status === 'fail');
    const unknown = decided.filter((d) => d.status === 'unknown');
    const evidence: Record<string, unknown> = {
      organization: o.id,
      managementAccount: o.managementAccountId,
      principalOrgKeys: p.org?.context ?? {},
      ...(p.org?.unobservable.length ? { unobservableKeys: p.org.unobservable } : {}),
      requests: decided.map((d) => ({ policyType: d.kind, request: d.request, status: d.status, ...(d.policyIds ? { policies: d.policyIds } : {}) })),
    };
    // Caller's and Incident Manager's requests often share a sentence (an exemption): say it once.
    const unique = (parts: Part[]) => [...new Set(parts.map((d) => d.sentence))];
    const others = (first: Part) => unique(decided).filter((s) => s !== first.sentence);
    if (failed.length) {
      const first = failed[0]!;
      const status = imOnlyWarn && failed.every((f) => f.incidentManager) ? 'warn' : 'fail';
      const ids = first.policyIds?.filter((id) => first.sentence.includes(id)) ?? [];
      return outcome(status, first.sentence, {
        details: others(first),
        evidence,
        remediation: `Only the organization's management account or a delegated administrator can change ${first.kind.toUpperCase()}s: ask them to narrow the policy so it no longer denies this request${ids.length ? ` (review it with \`aws organizations describe-policy --policy-id ${ids[0]}\`)` : ''}.`,
      });
    }
    if (unknown.length) {
      const first = unknown[0]!;
      return outcome('unknown', first.sentence, {
        details: others(first),
        evidence,
        remediation: `Run secrets-doctor as the organization's management account or a delegated administrator (${READ_PERMISSIONS}, and organizations:DescribeAccount for other accounts), or ask them to check the SCPs on account ${p.account} and the RCPs on account ${secretAccount}.`,
      });
    }
    const exempted = decided.filter((d) => d.status === 'exempt').map((d) => d.sentence);
    const passed = decided.filter((d) => d.status === 'pass');
    return outcome(
      'pass',
      passed.length
        ? `The organization's policies allow the requests (${passed
            .map((d) => d.kind.toUpperCase())
            .filter((k, i, a) => a.indexOf(k) === i)
            .join(' and ')} read and evaluated).`
        : `No SCP or RCP applies to these requests: ${exempted[0] ?? ''}`,
      { details: unique(decided), evidence },
    );
  },
};
