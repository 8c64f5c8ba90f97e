/**
 * AWS Organizations, read-only: the organization the caller's account belongs to, an account's place in it
 * (root -> OUs), and the service and resource control policies attached along the way. Every read is an
 * account fact: made once per run, however many secrets are diagnosed.
 *
 * Only DescribeOrganization is open to every member account; the rest needs the management account or a
 * delegated administrator. moto answers a member account's reads with AccountNotFoundException or
 * PolicyNotFoundException where AWS says AccessDeniedException, so a failed read always means "cannot see",
 * never "there is none".
 */
import type { AwsSession } from '../aws/session.js';
import { classify, type Problem } from '../aws/errors.js';

type Got<T> = { ok: true; value: T } | { ok: false; problem: Problem };

async function got<T>(work: () => Promise<T>): Promise<Got<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, problem: classify(error) };
  }
}

export interface Organization {
  id: string;
  arn?: string | undefined;
  managementAccountId: string;
  featureSet?: string | undefined;
}

/** `inUse: false`: AWSOrganizationsNotInUseException, the account is in no organization (an observed fact). */
export type OrganizationState = { inUse: false } | { inUse: true; organization: Organization };

export type PolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface OrgPolicy {
  id: string;
  name: string;
  awsManaged: boolean;
  /** The parsed document; undefined when the content is not JSON (then it cannot be evaluated). */
  document: unknown;
}

/** One level of the hierarchy an account inherits from: the root, each OU, the account itself. */
export interface OrgLevel {
  target: string;
  kind: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
  policies: OrgPolicy[];
}

/** An account's membership: `false` only where the management account said the account is not in it. */
export type Membership = { member: boolean };

/** Organization keys of a principal's request: what was observed, and which keys could not be seen. */
export interface OrgKeys {
  context: Record<string, string | string[]>;
  /** Keys the request may carry that the tool cannot see from here (left out of the context). */
  unobservable: string[];
  /** Why they could not be seen, one short phrase each. */
  reasons: string[];
}

export const ORG_KEYS = ['aws:PrincipalOrgID', 'aws:PrincipalOrgPaths'];
/** Organizations allows five levels of OUs under the root; the walk stops well past that. */
const MAX_DEPTH = 10;
const MAX_PAGES = 10;

type Once = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export class OrganizationFacts {
  constructor(
    private readonly session: AwsSession,
    private readonly once: Once,
    /** The caller's account ID, from GetCallerIdentity. */
    private readonly callerAccount: () => Promise<Got<string>>,
  ) {}

  /** DescribeOrganization: any member account may call it. */
  organization(): Promise<Got<OrganizationState>> {
    return this.once('organization', async () => {
      const { DescribeOrganizationCommand } = await import('@aws-sdk/client-organizations');
      try {
        const out = await (await this.session.organizations()).send(new DescribeOrganizationCommand({}));
        const o = out.Organization;
        return {
          ok: true,
          value: { inUse: true, organization: { id: o?.Id ?? '', arn: o?.Arn, managementAccountId: o?.MasterAccountId ?? '', featureSet: o?.FeatureSet } },
        };
      } catch (error) {
        if ((error as { name?: string }).name === 'AWSOrganizationsNotInUseException') return { ok: true, value: { inUse: false } };
        return { ok: false, problem: classify(error) };
      }
    });
  }

  /** True when the caller's account is the organization's management account. */
  async callerIsManagement(): Promise<boolean> {
    const [org, account] = await Promise.all([this.organization(), this.callerAccount()]);
    return org.ok && org.value.inUse && account.ok && org.value.organization.managementAccountId === account.value;
  }

  /** ListRoots: the root's ID and the policy types enabled on it. */
  root(): Promise<Got<{ id: string; enabled: string[] }>> {
    return this.once('root', () =>
      got(async () => {
        const { ListRootsCommand } = await import('@aws-sdk/client-organizations');
        const out = await (await this.session.organizations()).send(new ListRootsCommand({}));
        const root = out.Roots?.[0];
        if (!root?.Id) throw Object.assign(new Error('ListRoots returned no root'), { name: 'NoRoot' });
        return { id: root.Id, enabled: (root.PolicyTypes ?? []).filter((t) => t.Status === 'ENABLED').map((t) => t.Type ?? '') };
      }),
    );
  }

  /** ListParents of an account or OU. */
  private parent(childId: string): Promise<Got<{ id: string; kind: 'ROOT' | 'ORGANIZATIONAL_UNIT' }>> {
    return this.once(`parent:${childId}`, () =>
      got(async () => {
        const { ListParentsCommand } = await import('@aws-sdk/client-organizations');
        const out = await (await this.session.organizations()).send(new ListParentsCommand({ ChildId: childId }));
        const parent = out.Parents?.[0];
        if (!parent?.Id) throw Object.assign(new Error(`ListParents returned no parent for ${childId}`), { name: 'NoParent' });
        return { id: parent.Id, kind: parent.Type === 'ROOT' ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
      }),
    );
  }

  /** The account's ancestors, root first: `[r-xxxx, ou-xxxx-1, ...]`. */
  path(accountId: string): Promise<Got<{ id: string; kind: 'ROOT' | 'ORGANIZATIONAL_UNIT' }[]>> {
    return this.once(`path:${accountId}`, async () => {
      const chain: { id: string; kind: 'ROOT' | 'ORGANIZATIONAL_UNIT' }[] = [];
      let child = accountId;
      for (let depth = 0; depth < MAX_DEPTH; depth++) {
        const parent = await this.parent(child);
        if (!parent.ok) return parent;
        chain.unshift(parent.value);
        if (parent.value.kind === 'ROOT') return { ok: true, value: chain };
        child = parent.value.id;
      }
      return { ok: false, problem: { kind: 'other', code: 'TooDeep', message: `more than ${MAX_DEPTH} levels above ${accountId}` } };
    }) as Promise<Got<{ id: string; kind: 'ROOT' | 'ORGANIZATIONAL_UNIT' }[]>>;
  }

  /**
   * Whether an account is in the caller's organization. The caller's own account is (DescribeOrganization
   * answered); another account needs DescribeAccount, which only the management account or a delegated
   * administrator may call. AccountNotFoundException means "not a member" only from the management account.
   */
  membership(accountId: string): Promise<Got<Membership>> {
    return this.once(`member:${accountId}`, async () => {
      const [org, caller] = await Promise.all([this.organization(), this.callerAccount()]);
      if (!org.ok) return org;
      if (!org.value.inUse) return { ok: true, value: { member: false } };
      if (caller.ok && caller.value === accountId) return { ok: true, value: { member: true } };
      if (org.value.organization.managementAccountId === accountId) return { ok: true, value: { member: true } };
      const { DescribeAccountCommand } = await import('@aws-sdk/client-organizations');
      try {
        await (await this.session.organizations()).send(new DescribeAccountCommand({ AccountId: accountId }));
        return { ok: true, value: { member: true } };
      } catch (error) {
        const problem = classify(error);
        if (problem.code === 'AccountNotFoundException' && (await this.callerIsManagement())) return { ok: true, value: { member: false } };
        return { ok: false, problem };
      }
    }) as Promise<Got<Membership>>;
  }

  /** ListPoliciesForTarget, every page. */
  private attached(targetId: string, type: PolicyType): Promise<Got<{ id: string; name: string; awsManaged: boolean }[]>> {
    return this.once(`attached:${type}:${targetId}`, () =>
      got(async () => {
        const { ListPoliciesForTargetCommand } = await import('@aws-sdk/client-organizations');
        const client = await this.session.organizations();
        const found: { id: string; name: string; awsManaged: boolean }[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const out = await client.send(new ListPoliciesForTargetCommand({ TargetId: targetId, Filter: type, ...(token ? { NextToken: token } : {}) }));
          for (const p of out.Policies ?? []) if (p.Id) found.push({ id: p.Id, name: p.Name ?? p.Id, awsManaged: p.AwsManaged ?? false });
          token = out.NextToken || undefined;
        } while (token && ++pages < MAX_PAGES);
        if (token) throw Object.assign(new Error(`more than ${MAX_PAGES} pages of policies on ${targetId}`), { name: 'TooManyPolicies' });
        return found;
      }),
    );
  }

  /** DescribePolicy, once per policy in a run (FullAWSAccess is attached everywhere). */
  private policy(id: string): Promise<Got<OrgPolicy>> {
    return this.once(`policy:${id}`, () =>
      got(async () => {
        const { DescribePolicyCommand } = await import('@aws-sdk/client-organizations');
        const out = await (await this.session.organizations()).send(new DescribePolicyCommand({ PolicyId: id }));
        const summary = out.Policy?.PolicySummary;
        let document: unknown;
        try {
          document = JSON.parse(out.Policy?.Content ?? '');
        } catch {
          document = undefined;
        }
        return { id, name: summary?.Name ?? id, awsManaged: summary?.AwsManaged ?? false, document };
      }),
    );
  }

  /** One level's policies of a type, each read. */
  private level(target: string, kind: OrgLevel['kind'], type: PolicyType): Promise<Got<OrgLevel>> {
    return this.once(`level:${type}:${target}`, async () => {
      const attached = await this.attached(target, type);
      if (!attached.ok) return attached;
      const read = await Promise.all(attached.value.map((p) => this.policy(p.id)));
      const failed = read.find((r) => !r.ok);
      if (failed && !failed.ok) return failed;
      return { ok: true, value: { target, kind, policies: read.map((r) => (r as { value: OrgPolicy }).value) } };
    }) as Promise<Got<OrgLevel>>;
  }

  /**
   * The policies of a type that apply to an account, root first, account last; `undefined` when the type is
   * not enabled on the root (then no policy of that type applies). The account's own level is read while
   * ListParents walks up, so the walk is the only chain.
   */
  levels(accountId: string, type: PolicyType): Promise<Got<OrgLevel[] | undefined>> {
    return this.once(`levels:${type}:${accountId}`, async () => {
      const own = this.level(accountId, 'ACCOUNT', type);
      const [root, path] = await Promise.all([this.root(), this.path(accountId)]);
      if (!root.ok) return root;
      if (!root.value.enabled.includes(type)) return { ok: true, value: undefined };
      if (!path.ok) return path;
      const levels = await Promise.all([...path.value.map((p) => this.level(p.id, p.kind, type)), own]);
      const failed = levels.find((l) => !l.ok);
      if (failed && !failed.ok) return failed;
      return { ok: true, value: levels.map((l) => (l as { value: OrgLevel }).value) };
    }) as Promise<Got<OrgLevel[] | undefined>>;
  }

  /**
   * `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths` of a principal's requests. Observed where Organizations
   * answers; known absent with no organization; otherwise left out and listed as unobservable, never guessed.
   *
   * Every check that builds a caller's request context waits for these, so they cost no round trip past
   * DescribeOrganization (which starts with GetCallerIdentity) outside the management account: a member
   * account's ListParents or DescribeAccount would only come back refused, one round trip later, before
   * any policy could be evaluated. There the path (and another account's membership) stays unobservable;
   * `org-policies` still tries its own reads, which a delegated administrator may make.
   */
  principalKeys(accountId: string): Promise<OrgKeys> {
    return this.once(`keys:${accountId}`, async (): Promise<OrgKeys> => {
      const unseen = (reason: string, keys = ORG_KEYS): OrgKeys => ({ context: {}, unobservable: keys, reasons: [reason] });
      const [org, caller] = await Promise.all([this.organization(), this.callerAccount()]);
      if (!org.ok) return unseen(`DescribeOrganization failed (${org.problem.code})`);
      if (!/^\d{12}$/.test(accountId)) return unseen(`the principal's account is not known`);
      const own = caller.ok && caller.value === accountId;
      // Another account may belong to an organization of its own, which cannot be read from here.
      if (!org.value.inUse) return own ? { context: {}, unobservable: [], reasons: [] } : unseen(`account ${accountId} may be in an organization of its own`);
      const orgId = org.value.organization.id;
      const management = caller.ok && caller.value === org.value.organization.managementAccountId;
      if (!management) {
        if (!own) return unseen(`only the management account can tell whether account ${accountId} is in ${orgId}`);
        return {
          context: { 'aws:PrincipalOrgID': orgId },
          unobservable: ['aws:PrincipalOrgPaths'],
          reasons: ['only the management account can read the OU path'],
        };
      }
      // ListParents fails for an account outside the organization: it may start alongside DescribeAccount.
      const [member, path] = await Promise.all([this.membership(accountId), this.path(accountId)]);
      if (!member.ok) return unseen(`whether account ${accountId} is in the organization could not be read (${member.problem.code})`);
      if (!member.value.member) return unseen(`account ${accountId} is not in ${orgId}, and may be in an organization of its own`);
      if (!path.ok) {
        return { context: { 'aws:PrincipalOrgID': orgId }, unobservable: ['aws:PrincipalOrgPaths'], reasons: [`ListParents failed (${path.problem.code})`] };
      }
      // The IAM User Guide's format: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ (the account itself is not part of it).
      const orgPath = `${[orgId, ...path.value.map((p) => p.id)].join('/')}/`;
      return { context: { 'aws:PrincipalOrgID': orgId, 'aws:PrincipalOrgPaths': [orgPath] }, unobservable: [], reasons: [] };
    });
  }
}
