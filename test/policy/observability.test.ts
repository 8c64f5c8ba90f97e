/**
 * decideWithUnobservables(): no verdict rests on an assumed absence (SPEC.md, "The request context:
 * observed, documented, unobservable"). Each policy is AWS's documented example, cited beside it, with the
 * decision AWS's evaluation logic gives for each value the request may carry. No AWS is needed.
 */
import { describe, expect, it } from 'vitest';
import { decideWithUnobservables, describeOutcomes, keyKind, unobservableWhy } from '../../source/policy/observability.js';
import { callerContext, secretReadContext, serviceContext, viaSecretsManagerContext } from '../../source/policy/context.js';
import type { Principal } from '../../source/facts/index.js';
import type { EvaluationRequest } from '../../source/policy/evaluate.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/pagerduty-AbCdEf`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Ops`;
const IM = 'ssm-incidents.amazonaws.com';
const principal = { arn: ROLE, given: ROLE, account: ACCOUNT, kind: 'role', name: 'Ops', isCaller: false } as unknown as Principal;
const readContext = () => secretReadContext(callerContext(principal, REGION), SECRET, []);
const allowRead = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'kms:Decrypt'], Resource: '*' }],
};
const read = (extra: Partial<EvaluationRequest>): EvaluationRequest => ({
  principal: ROLE,
  action: 'secretsmanager:GetSecretValue',
  resource: SECRET,
  resourceAccount: ACCOUNT,
  context: readContext(),
  identityPolicies: [{ name: 'read', policy: allowRead }],
  ...extra,
});

async function decided(request: EvaluationRequest) {
  const d = await decideWithUnobservables(request);
  if (!d.ok) throw new Error(d.error);
  return d;
}

// IAM User Guide, "AWS: Denies access to AWS based on the source IP"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html).
const denyByIp = {
  Version: '2012-10-17',
  Statement: {
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] }, Bool: { 'aws:ViaAWSService': 'false' } },
  },
};

describe('the source-IP deny of the IAM User Guide', () => {
  it('a read by the principal depends on its source IP: allowed inside the ranges, denied outside or without one', async () => {
    // AWS: the Deny applies when the address is outside both ranges (NotIpAddress), and a request without
    // aws:SourceIp (through a VPC endpoint) matches a negated operator too (IAM User Guide, "Condition
    // operators": negated operators match a missing key).
    const d = await decided(
      read({
        identityPolicies: [
          { name: 'read', policy: allowRead },
          { name: 'deny-ip', policy: denyByIp },
        ],
      }),
    );
    expect(d.depends).toBe(true);
    expect(d.unobserved.map((u) => u.key)).toEqual(['aws:SourceIp']);
    const byDecision = Object.fromEntries(d.outcomes.map((o) => [o.decision, o.when]));
    expect(byDecision.Allowed).toContainEqual({ 'aws:SourceIp': '192.0.2.0' });
    expect(byDecision.ExplicitlyDenied).toContainEqual({ 'aws:SourceIp': undefined });
    expect(byDecision.ExplicitlyDenied).toContainEqual({ 'aws:SourceIp': '198.51.100.200' });
    expect(describeOutcomes(d)).toContain('allowed when aws:SourceIp = 192.0.2.0');
  });

  it("Secrets Manager's KMS request on the principal's behalf is not affected (aws:ViaAWSService is true)", async () => {
    const d = await decided({
      principal: ROLE,
      action: 'kms:Decrypt',
      resource: KEY,
      resourceAccount: ACCOUNT,
      context: viaSecretsManagerContext(callerContext(principal, REGION), REGION, SECRET, 'v1', ACCOUNT),
      identityPolicies: [
        { name: 'read', policy: allowRead },
        { name: 'deny-ip', policy: denyByIp },
      ],
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      },
    });
    expect(d.depends).toBe(false);
    expect(d.evaluation.decision).toBe('Allowed');
  });
});

describe('Secrets Manager: require requests to come through a VPC endpoint', () => {
  // Secrets Manager User Guide, "Permissions policy examples", "Example: Require requests to come through a
  // VPC endpoint (attach to secret)" (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html).
  const vpce = {
    Id: 'example-policy-1',
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RestrictGetSecretValueoperation',
        Effect: 'Deny',
        Principal: '*',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:sourceVpce': 'vpce-1234a5678b9012c' } },
      },
    ],
  };
  it('the resource policy alone: denied unless the request comes through vpce-1234a5678b9012c', async () => {
    const d = await decided(read({ identityPolicies: undefined, resourcePolicy: vpce }));
    expect(d.depends).toBe(true);
    const allowed = d.outcomes.find((o) => o.decision === 'Allowed');
    expect(allowed?.when).toContainEqual({ 'aws:sourceVpce': 'vpce-1234a5678b9012c' });
    expect(d.outcomes.find((o) => o.decision === 'ExplicitlyDenied')?.evaluation.denies[0]).toMatchObject({
      policy: 'resource',
      sid: 'RestrictGetSecretValueoperation',
    });
  });

  it('a key that IS in the context is observed: then the verdict is certain', async () => {
    const context = { ...readContext(), 'aws:SourceVpce': 'vpce-0000000000000000' };
    const d = await decided(read({ identityPolicies: undefined, resourcePolicy: vpce, context }));
    expect(d.depends).toBe(false);
    expect(d.evaluation.decision).toBe('ExplicitlyDenied');
  });
});

describe('MFA and organization denies', () => {
  // IAM User Guide, "AWS: Allows MFA-authenticated IAM users to manage their own credentials" (the
  // BoolIfExists aws:MultiFactorAuthPresent false Deny), and "Condition operators", "...IfExists":
  // a missing key makes the IfExists condition true.
  const mfa = {
    Version: '2012-10-17',
    Statement: {
      Sid: 'DenyAllExceptListedIfNoMFA',
      Effect: 'Deny',
      NotAction: ['iam:ChangePassword', 'sts:GetSessionToken'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  };
  it('BoolIfExists aws:MultiFactorAuthPresent false: allowed only with MFA', async () => {
    const d = await decided(
      read({
        identityPolicies: [
          { name: 'read', policy: allowRead },
          { name: 'mfa', policy: mfa },
        ],
      }),
    );
    expect(d.depends).toBe(true);
    expect(d.outcomes.find((o) => o.decision === 'Allowed')?.when).toEqual([{ 'aws:MultiFactorAuthPresent': 'true' }]);
    expect(d.outcomes.find((o) => o.decision === 'ExplicitlyDenied')?.when).toEqual(
      expect.arrayContaining([{ 'aws:MultiFactorAuthPresent': undefined }, { 'aws:MultiFactorAuthPresent': 'false' }]),
    );
  });

  // IAM User Guide, "AWS global condition context keys", aws:PrincipalOrgID; a common data-perimeter Deny.
  const org = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
      {
        Sid: 'DenyOutsideOrg',
        Effect: 'Deny',
        Principal: '*',
        Action: 'secretsmanager:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      },
    ],
  };
  it('aws:PrincipalOrgID unread: depends; read (in the context): decided', async () => {
    const unread = await decided(read({ identityPolicies: [], resourcePolicy: org }));
    expect(unread.depends).toBe(true);
    expect(unread.outcomes.find((o) => o.decision === 'Allowed')?.when).toContainEqual({ 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' });
    const inside = await decided(read({ identityPolicies: [], resourcePolicy: org, context: { ...readContext(), 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }));
    expect(inside).toMatchObject({ depends: false, evaluation: { decision: 'Allowed' } });
    const outside = await decided(read({ identityPolicies: [], resourcePolicy: org, context: { ...readContext(), 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } }));
    expect(outside).toMatchObject({ depends: false, evaluation: { decision: 'ExplicitlyDenied' } });
  });
});

describe("Incident Manager's confused-deputy statement", () => {
  // Secrets Manager User Guide, "Permissions policy examples", "Allow a service to access a secret using a
  // service principal" (test/fixtures/corpus/10): aws:SourceArn and aws:SourceAccount of the service's request.
  const confusedDeputy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: [IM] },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { ArnLike: { 'aws:sourceArn': `arn:aws:ssm-incidents::${ACCOUNT}:*` }, StringEquals: { 'aws:sourceAccount': ACCOUNT } },
      },
    ],
  };
  const imRequest = (plan?: string): EvaluationRequest => ({
    principal: IM,
    action: 'secretsmanager:GetSecretValue',
    resource: SECRET,
    resourceAccount: ACCOUNT,
    context: secretReadContext(serviceContext(IM, ACCOUNT, REGION, plan), SECRET, []),
    resourcePolicy: confusedDeputy,
  });

  it('without the response plan, aws:SourceArn is unobservable and the decision depends on it', async () => {
    const d = await decided(imRequest());
    expect(d.depends).toBe(true);
    expect(d.unobserved).toEqual([{ key: 'aws:sourceArn', why: expect.stringContaining('--response-plan') }]);
    expect(d.outcomes.find((o) => o.decision === 'Allowed')?.when[0]?.['aws:sourceArn']).toMatch(/^arn:aws:ssm-incidents::123456789012:/);
  });

  it("with the plan's ARN (--response-plan or discovery), the statement is decided", async () => {
    expect(await decided(imRequest(`arn:aws:ssm-incidents::${ACCOUNT}:response-plan/pagerduty`))).toMatchObject({
      depends: false,
      evaluation: { decision: 'Allowed' },
    });
    expect(await decided(imRequest('arn:aws:ssm-incidents::210987654321:response-plan/other'))).toMatchObject({
      depends: false,
      evaluation: { decision: 'ImplicitlyDenied' },
    });
  });
});

describe('keys named through policy variables', () => {
  it("Secrets Manager's tag-matching example: the principal's tag (not read) decides, so the verdict depends on it", async () => {
    // Secrets Manager User Guide, "Permissions policy examples", "Example: Allow access to roles that have the
    // same tags as secrets (attach to a secret)": GetSecretValue for account 123456789012 only where the
    // role's AccessProject tag equals the secret's. Here the secret is in another account, so both the role's
    // identity policy and this resource policy must allow (IAM User Guide, "Cross-account policy evaluation logic").
    const other = '111122223333';
    const secret = `arn:aws:secretsmanager:${REGION}:${other}:secret:shared-AbCdEf`;
    const resourcePolicy = {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: ACCOUNT },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, written as AWS writes it
        Condition: { StringEquals: { 'aws:ResourceTag/AccessProject': '${ aws:PrincipalTag/AccessProject }' } },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      },
    };
    const context = secretReadContext(callerContext(principal, REGION), secret, [{ Key: 'AccessProject', Value: 'Falcon' }]);
    const request = read({ resource: secret, resourceAccount: other, context, resourcePolicy });
    const d = await decided(request);
    expect(d.depends).toBe(true);
    expect(d.outcomes.find((o) => o.decision === 'Allowed')?.when).toContainEqual({ 'aws:PrincipalTag/AccessProject': 'Falcon' });
    const tagged = await decided({ ...request, context: { ...context, 'aws:PrincipalTag/AccessProject': 'Falcon' } });
    expect(tagged).toMatchObject({ depends: false, evaluation: { decision: 'Allowed' } });
  });
});

describe('only what could change the outcome', () => {
  it('a Deny whose observed condition does not hold is not made unknown by its unobservable one', async () => {
    // The Deny needs both conditions (IAM User Guide, "Creating a condition with multiple keys or values":
    // the keys of a Condition block are ANDed); aws:SecureTransport is true for SDK calls.
    const deny = {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:SecureTransport': 'false' } },
      },
    };
    const d = await decided(
      read({
        identityPolicies: [
          { name: 'read', policy: allowRead },
          { name: 'deny', policy: deny },
        ],
      }),
    );
    expect(d).toMatchObject({ depends: false, evaluation: { decision: 'Allowed' } });
  });

  it('a Null condition (is there a source IP at all?) is tried with an address of the right type', async () => {
    // IAM User Guide, "Condition operators", "Condition operator to check existence of condition keys":
    // Null true matches a request without the key (aws:SourceIp is absent through a VPC endpoint).
    const deny = { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Null: { 'aws:SourceIp': 'true' } } } };
    const d = await decided(
      read({
        identityPolicies: [
          { name: 'read', policy: allowRead },
          { name: 'deny', policy: deny },
        ],
      }),
    );
    expect(d.depends).toBe(true);
    expect(d.outcomes.find((o) => o.decision === 'Allowed')?.when).toEqual([{ 'aws:SourceIp': '198.51.100.200' }]);
  });

  it('many unobservable keys: bounded, and still says which ones change the decision', async () => {
    const keys = [
      'aws:SourceIp',
      'aws:SourceVpc',
      'aws:SourceVpce',
      'aws:MultiFactorAuthPresent',
      'aws:PrincipalOrgID',
      'aws:CalledViaFirst',
      'aws:SourceIdentity',
      'aws:UserAgent',
    ];
    const allowWith = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } },
        ...keys.map((k) => ({ Effect: 'Deny', Action: 'secretsmanager:DescribeSecret', Resource: '*', Condition: { StringEquals: { [k]: 'x' } } })),
      ],
    };
    const d = await decided(read({ identityPolicies: [{ name: 'abac', policy: allowWith }] }));
    expect(d.depends).toBe(true);
    expect(d.unobserved.map((u) => u.key)).toEqual(['aws:SourceVpc']);
  });

  it('says which kind each key is: observed, documented, unobservable or absent', () => {
    const context = { ...readContext(), 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' };
    expect(keyKind('aws:PrincipalArn', context)).toBe('observed');
    expect(keyKind('aws:PrincipalOrgID', context)).toBe('observed'); // read (Organizations), so no longer unobservable
    expect(keyKind('aws:SecureTransport', context)).toBe('documented');
    expect(keyKind('secretsmanager:VersionStage', context)).toBe('documented');
    expect(keyKind('aws:SourceIp', context)).toBe('unobservable');
    expect(keyKind('aws:SourceArn', context)).toBe('absent');
    expect(keyKind('aws:SourceArn', serviceContext(IM, ACCOUNT, REGION))).toBe('unobservable');
  });

  it('request tags: unobservable for a request that may carry them (CreateSecret), absent for a read', () => {
    // Service Authorization Reference, "Actions, resources, and condition keys for AWS Secrets Manager":
    // aws:RequestTag/${TagKey} and aws:TagKeys are condition keys of CreateSecret and TagResource, not of GetSecretValue.
    expect(unobservableWhy('aws:RequestTag/Team', readContext(), 'secretsmanager:GetSecretValue')).toBeUndefined();
    expect(unobservableWhy('aws:RequestTag/Team', readContext(), 'secretsmanager:CreateSecret')).toContain('tags');
  });

  it('an absent key that AWS documents as absent is not unobservable', () => {
    expect(unobservableWhy('aws:SourceArn', readContext())).toBeUndefined();
    expect(unobservableWhy('aws:SourceIp', readContext())).toContain('IP address');
    expect(unobservableWhy('aws:SecureTransport', readContext())).toBeUndefined();
  });
});
