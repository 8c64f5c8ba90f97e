/**
 * The caller, the principal to evaluate (sessions mapped to roles, other accounts read where allowed) and
 * its identity-based policies. Account facts: read once per run, shared by every secret's diagnosis.
 */
import type { IAMClient, Role, User } from '@aws-sdk/client-iam';
import type { AwsSession } from '../aws/session.js';
import { readIdentityPolicies, type IdentityPolicies } from './identity-policies.js';
import { principalIamSession } from './principal-account.js';
import type { Facts, IdentityType, Identity, CredentialInfo, Principal } from './index.js';
import { got, type Got } from './got.js';

export function identityType(arn: string): IdentityType {
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(arn)) return 'root';
  // moto answers GetCallerIdentity with arn:aws:sts::ACCOUNT:user/NAME; AWS uses iam for users.
  if (/^arn:[^:]+:(iam|sts)::\d{12}:user\//.test(arn)) return 'user';
  if (/^arn:[^:]+:sts::\d{12}:assumed-role\//.test(arn)) return 'assumed-role';
  if (/^arn:[^:]+:sts::\d{12}:federated-user\//.test(arn)) return 'federated-user';
  return 'other';
}

export function identity(facts: Facts): Promise<Got<Identity>> {
  return facts.once('identity', () =>
    got(async () => {
      const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const out = await (await facts.session.sts()).send(new GetCallerIdentityCommand({}));
      const arn = out.Arn ?? '';
      return {
        arn,
        account: out.Account ?? '',
        userId: out.UserId ?? '',
        partition: arn.split(':')[1] ?? 'aws',
        type: identityType(arn),
      };
    }),
  );
}

export function credentialInfo(facts: Facts): Promise<Got<CredentialInfo>> {
  return facts.once('credentials', () =>
    got(async () => {
      const creds = await facts.session.identityCredentials();
      return { temporary: Boolean(creds.sessionToken), expiration: creds.expiration };
    }),
  );
}

/** The principal to evaluate: --principal, or the caller; assumed-role sessions mapped to their role. */
export function principal(facts: Facts): Promise<Got<Principal>> {
  return facts.once('principal', async () => {
    const given = facts.inputs.principal;
    let identity: Identity | undefined;
    if (!given) {
      const id = await facts.identity();
      if (!id.ok) return id;
      identity = id.value;
    }
    const arn = given ?? identity!.arn;
    const account = arn.split(':')[4] ?? '';
    const base = { given: arn, account, isCaller: !given, userId: identity?.userId };
    const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
    if (session) {
      const roleName = session[3]!;
      const role = await facts.role(roleName);
      if (role.ok) return { ok: true, value: { ...base, arn: role.value.Arn!, kind: 'role', name: roleName } };
      // Without iam:GetRole the path is unknown; the pathless ARN is right for roles without a path.
      return {
        ok: true,
        value: { ...base, arn: `arn:${session[1]}:iam::${session[2]}:role/${roleName}`, kind: 'role', name: roleName, lookupProblem: role.problem },
      };
    }
    const type = identityType(arn);
    const iamRole = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (iamRole) return { ok: true, value: { ...base, arn, kind: 'role', name: iamRole[1] } };
    if (type === 'user') {
      return { ok: true, value: { ...base, arn: arn.replace(/^(arn:[^:]+:)sts(::)/, '$1iam$2'), kind: 'user', name: arn.split('/').pop() } };
    }
    if (type === 'root') return { ok: true, value: { ...base, arn, kind: 'root' } };
    return { ok: true, value: { ...base, arn, kind: 'other' } };
  }) as Promise<Got<Principal>>;
}

/** One IAM entity of the principal's account, read once per run under `key` (GetRole, GetUser). */
function entity<T>(facts: Facts, key: string, read: (iam: IAMClient) => Promise<T>): Promise<Got<T>> {
  return facts.once(key, async () => {
    const iam = await facts.principalIam();
    if (!iam.ok) return iam;
    return got(async () => read(await iam.value.iam()));
  }) as Promise<Got<T>>;
}

/** iam:GetRole in the principal's account, shared by the session-to-role mapping and the policy reader. */
export function role(facts: Facts, name: string): Promise<Got<Role>> {
  return entity(facts, `role:${name}`, async (iam) => {
    const { GetRoleCommand } = await import('@aws-sdk/client-iam');
    return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role!;
  });
}

/** iam:GetUser in the principal's account, shared by the existence check and the policy reader. */
export function userDetails(facts: Facts, name: string): Promise<Got<User>> {
  return entity(facts, `user:${name}`, async (iam) => {
    const { GetUserCommand } = await import('@aws-sdk/client-iam');
    return (await iam.send(new GetUserCommand({ UserName: name }))).User!;
  });
}

/**
 * The session that reads the principal's IAM entity (GetRole, GetUser, List*Policies, the simulator). Its
 * identity policies live in its own account: for a principal of another account that is
 * --principal-profile's session, checked to be in that account, else a problem (never the caller's
 * account in its place).
 */
export function principalIam(facts: Facts): Promise<Got<AwsSession>> {
  return facts.once('principalIam', async () => {
    const profile = facts.inputs.principalProfile;
    return principalIamSession({
      session: facts.session,
      principalArn: facts.inputs.principal,
      profile,
      caller: () => facts.identity(),
      other: () => (facts.shared.principalSession ??= facts.session.forProfile(profile!)),
    });
  });
}

/** The principal's identity-based policies, read through IAM, for local evaluation. */
export function identityPolicies(facts: Facts): Promise<Got<IdentityPolicies>> {
  return facts.once('identityPolicies', async () => {
    const principal = await facts.principal();
    if (!principal.ok) return principal;
    const p = principal.value;
    if ((p.kind !== 'user' && p.kind !== 'role') || !p.name) {
      return { ok: false, problem: { kind: 'other', code: 'Unsupported', message: `policies of ${p.arn} cannot be read through IAM` } };
    }
    const iam = await facts.principalIam();
    if (!iam.ok) return iam;
    const rethrow = <T>(read: Got<T>): T => {
      if (!read.ok) throw Object.assign(new Error(read.problem.message), { name: read.problem.code });
      return read.value;
    };
    return got(() =>
      readIdentityPolicies(
        iam.value,
        p.kind as 'user' | 'role',
        p.name!,
        async (name) => rethrow(await facts.role(name)),
        async (name) => rethrow(await facts.userDetails(name)),
      ),
    );
  }) as Promise<Got<IdentityPolicies>>;
}

/** iam:GetRole by name: the request the principal mapping makes, shared (one request per role). */
export function roleDetails(facts: Facts, name: string): Promise<Got<Role>> {
  return facts.role(name);
}
