/**
 * The principal question's list: the account's IAM roles and users (ListRoles, ListUsers) against moto,
 * every page, up to a cap; refusals (IAM mocked with aws-sdk-client-mock, moto does not refuse) leave the
 * other half listed, or make the list "not available" with the reason.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { CreateRoleCommand, CreateUserCommand, IAMClient, IAMServiceException, ListRolesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { randomBytes } from 'node:crypto';
import { listPrincipals } from '../../source/facts/discovery.js';
import { newSession } from '../helpers/moto.js';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm-incidents.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('against moto', () => {
  const tag = randomBytes(3).toString('hex');
  const path = `/listing-${tag}/`;
  const roles = ['Charlie', 'Alpha', 'Bravo'].map((n) => `${n}-${tag}`);
  const users = ['zed', 'amy'].map((n) => `${n}-${tag}`);

  beforeAll(async () => {
    const iam = await newSession().iam();
    for (const RoleName of roles) await iam.send(new CreateRoleCommand({ RoleName, Path: path, AssumeRolePolicyDocument: trust }));
    for (const UserName of users) await iam.send(new CreateUserCommand({ UserName, Path: path }));
  });

  it('lists every role and user of the account, page by page, by name, with ARN and path', async () => {
    // When listing two at a time, through a session whose requests are logged
    const session = newSession();
    const found = await listPrincipals(session, { pageSize: 2 });
    // Then ours are all there, roles then users, each by name
    expect(found.available).toBe(true);
    if (!found.available) return;
    const ours = found.value.entries.filter((e) => e.path === path);
    expect(ours.map((e) => `${e.kind}:${e.name}`)).toEqual([...[...roles].sort().map((n) => `role:${n}`), ...[...users].sort().map((n) => `user:${n}`)]);
    expect(ours[0]).toEqual({ kind: 'role', name: `Alpha-${tag}`, path, arn: `arn:aws:iam::123456789012:role${path}Alpha-${tag}` });
    expect(found.value.roles).toEqual({ listed: true, truncated: false });
    expect(found.value.users).toEqual({ listed: true, truncated: false });
    // And it took more than one page of each, and nothing but the two list calls
    const ops = session.log.map((r) => `${r.service}:${r.operation}`);
    expect(ops.filter((o) => o === 'iam:ListRoles').length).toBeGreaterThanOrEqual(2);
    expect(ops.filter((o) => o === 'iam:ListUsers').length).toBeGreaterThanOrEqual(1);
    expect(new Set(ops)).toEqual(new Set(['iam:ListRoles', 'iam:ListUsers']));
  });

  it('stops at the cap and says which half is cut short', async () => {
    const found = await listPrincipals(newSession(), { cap: 2, pageSize: 1 });
    expect(found).toMatchObject({ available: true, value: { roles: { listed: true, truncated: true } } });
    if (found.available) expect(found.value.entries.filter((e) => e.kind === 'role')).toHaveLength(2);
  });
});

describe('refused (IAM mocked)', () => {
  let iam: AwsClientStub<IAMClient>;
  const denied = (operation: string) =>
    new IAMServiceException({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::123456789012:user/moto is not authorized to perform: iam:${operation} on resource: arn:aws:iam::123456789012:role/ because no identity-based policy allows the iam:${operation} action`,
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });

  beforeAll(() => {
    iam = mockClient(IAMClient);
  });
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('lists the roles when ListUsers is refused, and says why the users are missing', async () => {
    iam.on(ListRolesCommand).resolves({
      Roles: [{ RoleName: 'App', Arn: 'arn:aws:iam::123456789012:role/App', Path: '/', RoleId: 'AROA', CreateDate: new Date() }],
      IsTruncated: false,
    });
    iam.on(ListUsersCommand).rejects(denied('ListUsers'));
    expect(await listPrincipals(newSession())).toEqual({
      available: true,
      value: {
        entries: [{ kind: 'role', name: 'App', arn: 'arn:aws:iam::123456789012:role/App', path: '/' }],
        roles: { listed: true, truncated: false },
        users: { listed: false, reason: 'iam:ListUsers is not allowed for these credentials' },
      },
    });
  });

  it('is "not available" when both are refused, in one sentence', async () => {
    iam.on(ListRolesCommand).rejects(denied('ListRoles'));
    iam.on(ListUsersCommand).rejects(denied('ListUsers'));
    expect(await listPrincipals(newSession())).toEqual({ available: false, reason: 'iam:ListRoles and iam:ListUsers are not allowed for these credentials' });
  });

  it('follows the Marker of a truncated page', async () => {
    iam
      .on(ListRolesCommand)
      .resolvesOnce({
        Roles: [{ RoleName: 'B', Arn: 'arn:aws:iam::123456789012:role/B', Path: '/', RoleId: 'x', CreateDate: new Date() }],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({
        Roles: [{ RoleName: 'A', Arn: 'arn:aws:iam::123456789012:role/A', Path: '/', RoleId: 'y', CreateDate: new Date() }],
        IsTruncated: false,
      });
    iam.on(ListUsersCommand).resolves({ Users: [], IsTruncated: false });
    const found = await listPrincipals(newSession());
    expect(found.available && found.value.entries.map((e) => e.name)).toEqual(['A', 'B']);
    expect(iam.commandCalls(ListRolesCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'm1']);
  });
});
