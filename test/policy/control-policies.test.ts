/**
 * Service and resource control policies through the engine, level by level (root, OUs, account). Each
 * verdict is the one AWS documents for that policy shape, written here first with its page. No AWS needed.
 */
import { describe, expect, it } from 'vitest';
import { evaluateControlPolicies, describeControlStatement } from '../../source/policy/control-policies.js';
import type { OrgLevel, OrgPolicy } from '../../source/facts/organization.js';
import { callerContext, secretReadContext, serviceContext } from '../../source/policy/context.js';
import { IM_PRINCIPAL } from '../../source/types.js';

const ORG = 'o-a1b2c3d4e5';
const MEMBER = '111122223333';
const SECRET = `arn:aws:secretsmanager:us-east-1:${MEMBER}:secret:app/db-AbCdEf`;
const ROLE = `arn:aws:iam::${MEMBER}:role/app`;
const EXTERNAL = 'arn:aws:iam::444455556666:role/partner';

const policy = (id: string, name: string, document: unknown): OrgPolicy => ({ id, name, awsManaged: false, document });
const FULL_SCP = policy('p-FullAWSAccess', 'FullAWSAccess', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const level = (target: string, kind: OrgLevel['kind'], policies: OrgPolicy[]): OrgLevel => ({ target, kind, policies });

const callerRequest = (principal: string, account: string, org?: string) => ({
  principal,
  action: 'secretsmanager:GetSecretValue',
  resource: SECRET,
  resourceAccount: MEMBER,
  context: secretReadContext(
    callerContext(
      {
        given: principal,
        arn: principal,
        account,
        kind: 'role',
        isCaller: false,
        ...(org ? { org: { context: { 'aws:PrincipalOrgID': org }, unobservable: [], reasons: [] } } : {}),
      },
      'us-east-1',
    ),
    SECRET,
  ),
});

const imRequest = (sourceOrg?: string) => {
  const context = secretReadContext(serviceContext(IM_PRINCIPAL, MEMBER, 'us-east-1'), SECRET);
  if (sourceOrg) context['aws:SourceOrgID'] = sourceOrg;
  return { principal: IM_PRINCIPAL, action: 'secretsmanager:GetSecretValue', resource: SECRET, resourceAccount: MEMBER, context };
};

describe('service control policies', () => {
  // "SCP evaluation", AWS Organizations User Guide
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html):
  // for a permission to be allowed, an SCP at every level from the root through each OU to the account
  // must allow it; an explicit Deny at any level denies it.
  it('allows when FullAWSAccess is attached at every level', async () => {
    const levels = [level('r-ab12', 'ROOT', [FULL_SCP]), level('ou-ab12-1', 'ORGANIZATIONAL_UNIT', [FULL_SCP]), level(MEMBER, 'ACCOUNT', [FULL_SCP])];
    const v = await evaluateControlPolicies('scp', levels, callerRequest(ROLE, MEMBER, ORG));
    expect(v.ok && v.decision).toBe('Allowed');
  });

  it('denies implicitly where one level allows nothing, naming that level', async () => {
    const ec2Only = policy('p-ec2only', 'AllowEc2Only', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] });
    const levels = [level('r-ab12', 'ROOT', [FULL_SCP]), level('ou-ab12-1', 'ORGANIZATIONAL_UNIT', [ec2Only]), level(MEMBER, 'ACCOUNT', [FULL_SCP])];
    const v = await evaluateControlPolicies('scp', levels, callerRequest(ROLE, MEMBER, ORG));
    expect(v.ok && v.decision).toBe('ImplicitlyDenied');
    expect(v.ok && v.notAllowedAt).toEqual(['ou-ab12-1']);
  });

  it('denies explicitly, naming the policy, its ID, the statement and where it is attached', async () => {
    const deny = policy('p-deny1', 'DenySecrets', {
      Version: '2012-10-17',
      Statement: [{ Sid: 'NoSecrets', Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' }],
    });
    const levels = [level('r-ab12', 'ROOT', [FULL_SCP, deny]), level(MEMBER, 'ACCOUNT', [FULL_SCP])];
    const v = await evaluateControlPolicies('scp', levels, callerRequest(ROLE, MEMBER, ORG));
    expect(v.ok && v.decision).toBe('ExplicitlyDenied');
    if (!v.ok) return;
    expect(describeControlStatement('scp', v.denies[0]!)).toBe('the SCP DenySecrets (p-deny1) attached to r-ab12, statement "NoSecrets" (#1),');
  });
});

describe('resource control policies', () => {
  // The identity perimeter RCP of "Resource control policy examples", AWS Organizations User Guide
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html):
  // deny access to the organization's resources to principals outside it, except AWS service principals.
  const perimeter = policy('p-perim', 'EnforceIdentityPerimeter', {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnforceOrgIdentities',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'],
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
      },
    ],
  });
  const levels = [level('r-ab12', 'ROOT', [perimeter]), level(MEMBER, 'ACCOUNT', [])];

  it("allows the organization's own principal (aws:PrincipalOrgID observed)", async () => {
    const v = await evaluateControlPolicies('rcp', levels, callerRequest(ROLE, MEMBER, ORG));
    expect(v.ok && v.decision).toBe('Allowed');
  });

  it('denies a principal outside the organization', async () => {
    const v = await evaluateControlPolicies('rcp', levels, callerRequest(EXTERNAL, '444455556666'));
    expect(v.ok && v.decision).toBe('ExplicitlyDenied');
    expect(v.ok && v.denies[0]?.policyName).toBe('EnforceIdentityPerimeter');
  });

  it("exempts Incident Manager's own request (aws:PrincipalIsAWSService is true)", async () => {
    const v = await evaluateControlPolicies('rcp', levels, imRequest());
    expect(v.ok && v.decision).toBe('Allowed');
  });

  // RCPs do apply to AWS service principals: the same page's confused-deputy example denies
  // secretsmanager:* to a service principal acting for an account outside the organization.
  const deputy = policy('p-deputy', 'EnforceConfusedDeputyProtection', {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnforceConfusedDeputyProtection',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:*'],
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:SourceOrgID': ORG },
          Bool: { 'aws:PrincipalIsAWSService': 'true' },
          Null: { 'aws:SourceAccount': 'false' },
        },
      },
    ],
  });

  it("denies Incident Manager's request made for another organization, and allows it for this one", async () => {
    const rcp = [level('r-ab12', 'ROOT', [deputy]), level(MEMBER, 'ACCOUNT', [])];
    const other = await evaluateControlPolicies('rcp', rcp, imRequest('o-zzzzzzzzzz'));
    expect(other.ok && other.decision).toBe('ExplicitlyDenied');
    const own = await evaluateControlPolicies('rcp', rcp, imRequest(ORG));
    expect(own.ok && own.decision).toBe('Allowed');
  });

  it('is not decided on a policy whose content is not JSON', async () => {
    const broken = { id: 'p-x', name: 'Broken', awsManaged: false, document: undefined };
    const v = await evaluateControlPolicies('rcp', [level('r-ab12', 'ROOT', [broken])], imRequest());
    expect(v.ok).toBe(false);
  });
});
