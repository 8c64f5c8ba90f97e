/**
 * A user's or role's identity-based policies and permissions boundary, read through IAM for local
 * evaluation when the policy simulator is not available. Every list is read to its end (IAM may return
 * fewer items than asked for even when more exist), and each managed policy is fetched once however many
 * times it is attached.
 */
import type { IAMClient, Role, User } from '@aws-sdk/client-iam';
import type { AwsSession } from '../aws/session.js';

export interface NamedDocument {
  name: string;
  policy: unknown;
}

export interface IdentityPolicies {
  policies: NamedDocument[];
  boundary?: NamedDocument | undefined;
}

interface Page {
  IsTruncated?: boolean | undefined;
  Marker?: string | undefined;
}

/** Every item of a paginated IAM list. */
async function all<P extends Page, T>(fetch: (marker: string | undefined) => Promise<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    out.push(...(items(page) ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

function decode(document: string | undefined): unknown {
  return JSON.parse(decodeURIComponent(document ?? '{}'));
}

export async function readIdentityPolicies(
  session: AwsSession,
  kind: 'user' | 'role',
  name: string,
  getRole: (name: string) => Promise<Role>,
  getUser: (name: string) => Promise<User>,
): Promise<IdentityPolicies> {
  const iam = await import('@aws-sdk/client-iam');
  const client: IAMClient = await session.iam();
  const documents = new Map<string, Promise<unknown>>();
  const managedDocument = (arn: string) => {
    let doc = documents.get(arn);
    if (!doc) {
      doc = (async () => {
        const policy = await client.send(new iam.GetPolicyCommand({ PolicyArn: arn }));
        const version = await client.send(new iam.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }));
        return decode(version.PolicyVersion?.Document);
      })();
      documents.set(arn, doc);
    }
    return doc;
  };
  const managed = async (arn: string, label: string): Promise<NamedDocument> => ({ name: label, policy: await managedDocument(arn) });
  const inline = (names: string[], read: (policyName: string) => Promise<string | undefined>, label: (n: string) => string) =>
    names.map(async (pn) => ({ name: label(pn), policy: decode(await read(pn)) }));

  if (kind === 'user') {
    const [user, inlineNames, attached, groups] = await Promise.all([
      getUser(name),
      all(
        (Marker) => client.send(new iam.ListUserPoliciesCommand({ UserName: name, Marker })),
        (p) => p.PolicyNames,
      ),
      all(
        (Marker) => client.send(new iam.ListAttachedUserPoliciesCommand({ UserName: name, Marker })),
        (p) => p.AttachedPolicies,
      ),
      all(
        (Marker) => client.send(new iam.ListGroupsForUserCommand({ UserName: name, Marker })),
        (p) => p.Groups,
      ),
    ]);
    const groupPolicies = (
      await Promise.all(
        groups.map(async ({ GroupName }) => {
          const [names, att] = await Promise.all([
            all(
              (Marker) => client.send(new iam.ListGroupPoliciesCommand({ GroupName, Marker })),
              (p) => p.PolicyNames,
            ),
            all(
              (Marker) => client.send(new iam.ListAttachedGroupPoliciesCommand({ GroupName, Marker })),
              (p) => p.AttachedPolicies,
            ),
          ]);
          return Promise.all([
            ...inline(
              names,
              async (PolicyName) => (await client.send(new iam.GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument,
              (pn) => `group ${GroupName} inline ${pn}`,
            ),
            ...att.map((a) => managed(a.PolicyArn!, `group ${GroupName} ${a.PolicyName}`)),
          ]);
        }),
      )
    ).flat();
    const own = await Promise.all([
      ...inline(
        inlineNames,
        async (PolicyName) => (await client.send(new iam.GetUserPolicyCommand({ UserName: name, PolicyName }))).PolicyDocument,
        (pn) => `inline ${pn}`,
      ),
      ...attached.map((a) => managed(a.PolicyArn!, a.PolicyName!)),
    ]);
    const boundaryArn = user.PermissionsBoundary?.PermissionsBoundaryArn;
    return {
      policies: [...own, ...groupPolicies],
      boundary: boundaryArn ? await managed(boundaryArn, `boundary ${boundaryArn.split('/').pop()}`) : undefined,
    };
  }

  const [role, inlineNames, attached] = await Promise.all([
    getRole(name),
    all(
      (Marker) => client.send(new iam.ListRolePoliciesCommand({ RoleName: name, Marker })),
      (p) => p.PolicyNames,
    ),
    all(
      (Marker) => client.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: name, Marker })),
      (p) => p.AttachedPolicies,
    ),
  ]);
  const policies = await Promise.all([
    ...inline(
      inlineNames,
      async (PolicyName) => (await client.send(new iam.GetRolePolicyCommand({ RoleName: name, PolicyName }))).PolicyDocument,
      (pn) => `inline ${pn}`,
    ),
    ...attached.map((a) => managed(a.PolicyArn!, a.PolicyName!)),
  ]);
  const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    policies,
    boundary: boundaryArn ? await managed(boundaryArn, `boundary ${boundaryArn.split('/').pop()}`) : undefined,
  };
}
