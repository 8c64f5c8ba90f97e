/**
 * The `caller-permission` check through diagnose({symptom: 'incident-manager-secret'}) on secrets and keys
 * seeded in moto. IAM is answered by aws-sdk-client-mock (see iam-fixtures.ts): moto does not implement
 * SimulatePrincipalPolicy, and the policy shapes under test need IAM answers shaped per test. Secrets
 * Manager, KMS and STS are the real moto.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { seedScenarios, type Seeded } from '../../source/demo/seed.js';
import { LOCAL, SIMULATOR } from '../../source/checks/identity-side.js';
import type { Finding, Inputs } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';
import {
  ACCOUNT,
  allowEverything,
  denyPolicyReads,
  iamAccessDenied,
  policy,
  rolePolicies,
  simulatedPairs,
  simulator,
  simulatorNotImplemented,
  statement,
  userPolicies,
  findingOf,
  mockIam,
} from './iam-fixtures.js';

const GET = 'secretsmanager:GetSecretValue';
const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/alice`;

let healthy: Seeded; // customer managed key whose policy delegates to the account root
let awsKey: Seeded; // the AWS managed key: only the secret action is evaluated
const iam = mockIam();
let userName: string;
let userArn: string;

beforeAll(async () => {
  const seeded = await seedScenarios(newSession(), ['healthy', 'aws-managed-key']);
  healthy = seeded[0]!;
  awsKey = seeded[1]!;
  // moto's caller, as its STS reports it (arn:aws:sts::123456789012:user/moto): an IAM user.
  userName = healthy.callerArn.split('/').pop()!;
  userArn = `arn:aws:iam::${ACCOUNT}:user/${userName}`;
});

const run = (seeded: Seeded, extra: Partial<Inputs> = {}) => findingOf('caller-permission', seeded.secretArn, extra);

function verdictOf(finding: Finding, action: string): { resource: string; decision: string; source: string; statements?: string[] } {
  return finding.evidence[action] as { resource: string; decision: string; source: string; statements?: string[] };
}

describe('caller-permission with IAM SimulatePrincipalPolicy', () => {
  it('allowed: pass, with the simulator named as the source and the matched policy as evidence', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator allowing GetSecretValue through the user policy "SecretsRead"
    simulator(iam, () => ({ EvalDecision: 'allowed', MatchedStatements: [statement('SecretsRead', 3)] }));
    // When the Incident Manager checks run on a secret with the AWS managed key
    const { finding } = await run(awsKey);
    // Then caller-permission passes, and its evidence says the simulator decided and which policy matched
    expect(finding.status).toBe('pass');
    expect(finding.evidence.principal).toBe(userArn);
    expect(verdictOf(finding, GET)).toEqual({ resource: awsKey.secretArn, decision: 'Allowed', source: SIMULATOR, statements: ['policy SecretsRead (user)'] });
    expect(finding.evidence.decidedBy).toBe('IAM SimulatePrincipalPolicy');
    expect(finding.details.join('\n')).toContain('SecretsRead');
    // And the simulator was asked about the principal, the action and the secret, in the request's context
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.PolicySourceArn).toBe(userArn);
    expect(input.ActionNames).toEqual([GET]);
    expect(input.ResourceArns).toEqual([awsKey.secretArn]);
    expect(input.ContextEntries).toEqual(
      expect.arrayContaining([
        { ContextKeyName: 'secretsmanager:SecretId', ContextKeyValues: [awsKey.secretArn], ContextKeyType: 'string' },
        { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
      ]),
    );
    // And no policy was read, since the simulator answered
    expect(iam.commandCalls(GetUserCommand)).toHaveLength(0);
  });

  it('with a customer managed key: kms:Decrypt is evaluated too, and each distinct simulation is made once', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given a simulator that allows everything
    simulator(iam, allowEverything);
    // When the Incident Manager checks run on the healthy secret (customer managed key)
    const { d, finding } = await run(healthy);
    // Then caller-permission passes for both the secret and kms:Decrypt on the key (via Secrets Manager)
    expect(finding.status).toBe('pass');
    expect(verdictOf(finding, GET)).toMatchObject({ resource: healthy.secretArn, decision: 'Allowed', source: SIMULATOR });
    expect(verdictOf(finding, 'kms:Decrypt')).toMatchObject({ resource: healthy.keyArn, decision: 'Allowed', source: SIMULATOR });
    expect(d.findings.find((f) => f.id === 'kms-policy-caller')?.status).toBe('pass');
    // And no (action, resource) was simulated twice although two checks need kms:Decrypt
    const pairs = simulatedPairs(iam);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs.sort()).toEqual([`${GET} on ${healthy.secretArn}`, `kms:Decrypt on ${healthy.keyArn}`, `kms:GenerateDataKey on ${healthy.keyArn}`].sort());
    // And the kms:Decrypt simulation carried the context of a request through Secrets Manager
    const decrypt = iam.commandCalls(SimulatePrincipalPolicyCommand).find((c) => c.args[0].input.ActionNames?.[0] === 'kms:Decrypt')!;
    expect(decrypt.args[0].input.ContextEntries).toEqual(
      expect.arrayContaining([
        { ContextKeyName: 'kms:ViaService', ContextKeyValues: ['secretsmanager.us-east-1.amazonaws.com'], ContextKeyType: 'string' },
        { ContextKeyName: 'kms:CallerAccount', ContextKeyValues: [ACCOUNT], ContextKeyType: 'string' },
        { ContextKeyName: 'kms:EncryptionContext:SecretARN', ContextKeyValues: [healthy.secretArn], ContextKeyType: 'string' },
      ]),
    );
  });

  it('implicitDeny: fail, and the remediation grants secretsmanager:GetSecretValue (never the misspelling)', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given a simulator that finds no statement allowing the read
    simulator(iam, () => ({ EvalDecision: 'implicitDeny', MatchedStatements: [] }));
    // When the checks run
    const { d, finding } = await run(awsKey);
    // Then caller-permission fails, saying the principal is not allowed
    expect(finding.status).toBe('fail');
    expect(finding.summary).toBe(`${userArn} is not allowed ${GET} by its IAM policies.`);
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'ImplicitlyDenied', source: SIMULATOR });
    // And the remediation adds an Allow for the real action on the secret, with a command for this user
    expect(finding.remediation).toContain(GET);
    expect(finding.remediation).toContain(awsKey.secretArn);
    expect(finding.remediation).toContain(`aws iam put-user-policy --user-name ${userName}`);
    const json = finding.remediation.match(/--policy-document '([^']+)'/)?.[1];
    expect(JSON.parse(json!)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [GET], Resource: [awsKey.secretArn] }] });
    // And AWS's misspelling appears nowhere in the report
    expect(JSON.stringify(d)).not.toContain('secrets:GetSecretValue');
  });

  it('explicitDeny: fail naming the denying policy, with "remove or narrow the Deny"', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given a simulator that matched a Deny in the user policy "DenySecretsOutsideVpc"
    simulator(iam, (action) =>
      action === GET ? { EvalDecision: 'explicitDeny', MatchedStatements: [statement('DenySecretsOutsideVpc', 12)] } : { EvalDecision: 'allowed' },
    );
    // When the checks run
    const { finding } = await run(awsKey);
    // Then caller-permission fails, naming the policy in the summary and the remediation
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('explicitly denied');
    expect(finding.summary).toContain('policy DenySecretsOutsideVpc (user)');
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'ExplicitlyDenied', statements: ['policy DenySecretsOutsideVpc (user)'] });
    expect(finding.remediation).toMatch(/^Remove or narrow the Deny \(policy DenySecretsOutsideVpc \(user\)\)/);
    expect(finding.remediation).not.toContain('put-user-policy');
  });

  it('a permissions boundary that does not allow: fail, and the details say so', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given a simulator whose identity policies allow, but whose boundary does not
    simulator(iam, () => ({ EvalDecision: 'implicitDeny', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } }));
    // When the checks run
    const { finding } = await run(awsKey);
    // Then it fails and the details name the boundary
    expect(finding.status).toBe('fail');
    expect(finding.details).toContain('The permissions boundary does not allow it.');
  });

  it('the newer response shape: the decision and statements come from ResourceSpecificResults for the secret', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator's 2026 shape: one result per action with an ARN template, the per-resource
    // decision and matched statements in ResourceSpecificResults
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) => ({
      EvaluationResults: input.ActionNames.map((action) => ({
        EvalActionName: action,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the simulator's placeholder ARN, as IAM returns it
        EvalResourceName: 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}',
        EvalDecision: 'explicitDeny',
        ResourceSpecificResults: [
          {
            EvalResourceName: input.ResourceArns[0],
            EvalResourceDecision: 'explicitDeny',
            MatchedStatements: [
              {
                SourcePolicyId: 'DenyProdSecrets',
                SourcePolicyType: 'user-managed',
                StartPosition: { Line: 9, Column: 9 },
                EndPosition: { Line: 17, Column: 10 },
              },
            ],
          },
        ],
      })),
    }));
    // When the checks run
    const { finding } = await run(awsKey);
    // Then the per-resource answer decided, naming the statement found only there
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('explicitly denied');
    expect(finding.summary).toContain('DenyProdSecrets');
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'ExplicitlyDenied', statements: ['policy DenyProdSecrets (user-managed)'] });
  });

  it('the newer response shape, allowed for this secret: pass with the per-resource statement', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the 2026 shape with the secret allowed by a customer managed policy
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) => ({
      EvaluationResults: input.ActionNames.map((action) => ({
        EvalActionName: action,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the simulator's placeholder ARN, as IAM returns it
        EvalResourceName: 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}',
        EvalDecision: 'allowed',
        ResourceSpecificResults: [
          {
            EvalResourceName: input.ResourceArns[0],
            EvalResourceDecision: 'allowed',
            MatchedStatements: [{ SourcePolicyId: 'PagerDutySecretRead', SourcePolicyType: 'user-managed' }],
          },
        ],
      })),
    }));
    // When the checks run
    const { finding } = await run(awsKey);
    // Then it passes, citing the statement from ResourceSpecificResults
    expect(finding.status).toBe('pass');
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'Allowed', source: SIMULATOR, statements: ['policy PagerDutySecretRead (user-managed)'] });
  });
});

describe('caller-permission falling back to local evaluation of the policies read through IAM', () => {
  it('simulator AccessDenied: called once, then the policies are read and evaluated locally (single statement object)', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, and the user's inline policy: a single Statement object (not an array),
    // allowing the read on the seeded secrets and the key through Secrets Manager
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    userPolicies(iam, userName, {
      inline: {
        'pagerduty read: secrets & key': policy({
          Sid: 'ReadSeededSecretsAndKey',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:sd/*`, healthy.keyArn],
        }),
      },
    });
    // When the checks run on the healthy secret (three identity questions: the read, kms:Decrypt, kms:GenerateDataKey)
    const { d, finding } = await run(healthy);
    // Then the simulator was tried once only, and never again for the other questions
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(1);
    // And caller-permission passes by local evaluation, naming the statement and saying why the simulator was not used
    expect(finding.status).toBe('pass');
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'Allowed', source: LOCAL });
    expect(verdictOf(finding, GET).statements?.join(' ')).toContain('ReadSeededSecretsAndKey');
    expect(verdictOf(finding, 'kms:Decrypt')).toMatchObject({ decision: 'Allowed', source: LOCAL });
    expect(finding.evidence.decidedBy).toBe(LOCAL);
    expect(finding.details).toContain(`${SIMULATOR} was not available (AccessDenied, HTTP 403); the policies were evaluated locally.`);
    // And kms-policy-caller reached the same verdict from the same reads
    expect(d.findings.find((f) => f.id === 'kms-policy-caller')?.status).toBe('pass');
    expect(iam.commandCalls(GetUserCommand)).toHaveLength(1);
  });

  it('simulator not implemented (moto: HTTP 500, XML parse error): one call, then local evaluation', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator answering like moto, and an inline policy allowing the read
    iam.on(SimulatePrincipalPolicyCommand).rejects(simulatorNotImplemented());
    userPolicies(iam, userName, { inline: { read: policy([{ Effect: 'Allow', Action: GET, Resource: '*' }]) } });
    // When the checks run
    const { finding } = await run(awsKey);
    // Then one simulation was attempted, and the local evaluation decided
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(1);
    expect(finding.status).toBe('pass');
    expect(verdictOf(finding, GET).source).toBe(LOCAL);
    expect(finding.details.join('\n')).toMatch(/was not available \(Error, HTTP 500\)/);
  });

  it('an AWS managed policy with secretsmanager:* allows the read', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, and SecretsManagerReadWrite attached (as AWS publishes it, abridged)
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    userPolicies(iam, userName, {
      attached: {
        'arn:aws:iam::aws:policy/SecretsManagerReadWrite': policy([
          {
            Sid: 'BasePermissions',
            Effect: 'Allow',
            Action: ['secretsmanager:*', 'cloudformation:CreateChangeSet', 'kms:DescribeKey', 'kms:ListAliases', 'kms:ListKeys', 'tag:GetResources'],
            Resource: '*',
          },
          {
            Sid: 'LambdaPermissions',
            Effect: 'Allow',
            Action: ['lambda:AddPermission', 'lambda:CreateFunction'],
            Resource: 'arn:aws:lambda:*:*:function:SecretsManager*',
          },
        ]),
      },
    });
    // When the checks run
    const { finding } = await run(awsKey);
    // Then it passes, naming the statement and the managed policy
    expect(finding.status).toBe('pass');
    const statements = verdictOf(finding, GET).statements?.join(' ') ?? '';
    expect(statements).toContain('BasePermissions');
    expect(statements).toContain('SecretsManagerReadWrite');
  });

  it('NotAction allowing everything but IAM allows the read; NotAction excluding secretsmanager:* does not', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, and a NotAction policy that excludes IAM only
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    userPolicies(iam, userName, {
      inline: { PowerUser: policy([{ Sid: 'AllButIam', Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }]) },
    });
    // When the checks run
    const allowed = await run(awsKey);
    // Then it passes by the NotAction statement
    expect(allowed.finding.status).toBe('pass');
    expect(verdictOf(allowed.finding, GET).statements?.join(' ')).toContain('AllButIam');

    // Given instead a NotAction policy that excludes Secrets Manager
    iam.reset();
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    userPolicies(iam, userName, {
      inline: { NoSecrets: policy([{ Sid: 'AllButSecrets', Effect: 'Allow', NotAction: 'secretsmanager:*', Resource: '*' }]) },
    });
    // When the checks run again
    const denied = await run(awsKey);
    // Then it fails: nothing allows the read
    expect(denied.finding.status).toBe('fail');
    expect(verdictOf(denied.finding, GET)).toMatchObject({ decision: 'ImplicitlyDenied', source: LOCAL });
    expect(denied.finding.details.join('\n')).toContain(`No identity-based policy of ${userArn} allows ${GET}`);
  });

  it('an explicit Deny beats the Allow: fail naming the Deny statement', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, an Allow of secretsmanager:* and a Deny on the seeded secrets' prefix
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    userPolicies(iam, userName, {
      inline: {
        Secrets: policy([
          { Sid: 'AllowSecrets', Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
          { Sid: 'DenySeedSecrets', Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:*:${ACCOUNT}:secret:sd/*` },
        ]),
      },
    });
    // When the checks run
    const { finding } = await run(awsKey);
    // Then it fails as an explicit deny, naming the statement, and does not suggest adding an Allow
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('explicitly denied');
    expect(finding.summary).toContain('DenySeedSecrets');
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'ExplicitlyDenied', source: LOCAL });
    expect(finding.remediation).toContain('Remove or narrow the Deny');
    expect(finding.remediation).toContain('DenySeedSecrets');
  });

  it('a permissions boundary that does not allow Secrets Manager: fail, saying the boundary decided', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, identity policies allowing secretsmanager:*, and a boundary allowing only S3
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    userPolicies(iam, userName, {
      inline: { Secrets: policy([{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }]) },
      boundary: { arn: `arn:aws:iam::${ACCOUNT}:policy/boundaries/S3Only`, document: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) },
    });
    // When the checks run
    const { finding } = await run(awsKey);
    // Then it fails, and the details blame the boundary rather than the identity policies
    expect(finding.status).toBe('fail');
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'ImplicitlyDenied', source: LOCAL });
    expect(finding.details).toContain('The permissions boundary does not allow it.');
  });

  it("a group's inline policy is read too (ListGroupsForUser, ListGroupPolicies, GetGroupPolicy)", async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, no policy on the user itself, and a group whose inline policy allows the read
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    userPolicies(iam, userName, {
      groups: { OnCall: { inline: { 'read-pagerduty': policy({ Sid: 'OnCallRead', Effect: 'Allow', Action: 'secretsmanager:Get*', Resource: '*' }) } } },
    });
    // When the checks run
    const { finding } = await run(awsKey);
    // Then it passes by the group's statement
    expect(finding.status).toBe('pass');
    const statements = verdictOf(finding, GET).statements?.join(' ') ?? '';
    expect(statements).toContain('OnCallRead');
    expect(statements).toContain('OnCall');
  });

  it("a group's attached managed policy is read too (ListAttachedGroupPolicies, GetPolicy, GetPolicyVersion)", async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, and a group with a customer managed policy (with a path) allowing the read
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    const arn = `arn:aws:iam::${ACCOUNT}:policy/oncall/PagerDutyRead`;
    userPolicies(iam, userName, {
      groups: {
        OnCall: {
          attached: {
            [arn]: policy([
              {
                Sid: 'PagerDutyRead',
                Effect: 'Allow',
                Action: [GET, 'secretsmanager:DescribeSecret'],
                Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:sd/*`,
              },
            ]),
          },
        },
      },
    });
    // When the checks run
    const { finding } = await run(awsKey);
    // Then it passes by that statement, read through the policy's default version
    expect(finding.status).toBe('pass');
    expect(verdictOf(finding, GET).statements?.join(' ')).toContain('PagerDutyRead');
    expect(iam.commandCalls(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: 'v3' })).toHaveLength(1);
  });

  it('simulator and policy reads both denied: unknown, naming iam:SimulatePrincipalPolicy', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator and every IAM read forbidden
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    denyPolicyReads(iam);
    // When the checks run on the healthy secret
    const { d, finding } = await run(healthy);
    // Then caller-permission is unknown, says why, and names the permission that would let it see
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toContain('AccessDenied');
    expect(finding.remediation).toContain('iam:SimulatePrincipalPolicy');
    expect(finding.remediation).toContain(`aws iam simulate-principal-policy --policy-source-arn ${userArn}`);
    expect(finding.evidence.error).toBe('AccessDenied');
    // And the simulator was still tried only once
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(1);
    // And an unknown is not a failure of the run
    expect(d.findings.find((f) => f.id === 'kms-policy-caller')?.status).toBe('unknown');
  });
});

describe('reading the policies through IAM: completeness and no repeated requests', () => {
  // Regression guard (fixed): source/facts/index.ts readIdentityPolicies() sends ListUserPolicies / ListAttachedUserPolicies /
  // ListGroupsForUser / ListGroupPolicies / ListAttachedGroupPolicies / ListRolePolicies /
  // ListAttachedRolePolicies once and ignores IsTruncated/Marker. IAM documents that it "might return fewer
  // than the MaxItems number of results even when there are more results available", so policies on later
  // pages are silently left out and an allowed principal is reported as denied (a false fail). Fix: page
  // through with the SDK paginators (paginateListAttachedUserPolicies, ...) or loop while IsTruncated.
  it('follows IsTruncated/Marker: a policy on the second page of ListAttachedUserPolicies counts', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, and the attached policies split over two pages by IAM
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    const s3Arn = `arn:aws:iam::${ACCOUNT}:policy/S3Read`;
    const secretsArn = `arn:aws:iam::${ACCOUNT}:policy/PagerDutySecretRead`;
    userPolicies(iam, userName, {
      attached: {
        [s3Arn]: policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]),
        [secretsArn]: policy([{ Sid: 'ReadPagerDuty', Effect: 'Allow', Action: GET, Resource: '*' }]),
      },
    });
    iam
      .on(ListAttachedUserPoliciesCommand)
      .callsFake((input: { Marker?: string }) =>
        input.Marker === 'page-2'
          ? { AttachedPolicies: [{ PolicyName: 'PagerDutySecretRead', PolicyArn: secretsArn }], IsTruncated: false }
          : { AttachedPolicies: [{ PolicyName: 'S3Read', PolicyArn: s3Arn }], IsTruncated: true, Marker: 'page-2' },
      );
    // When the checks run
    const { finding } = await run(awsKey);
    // Then the second page was read and its policy allows the read
    expect(iam.commandCalls(ListAttachedUserPoliciesCommand).map((c) => c.args[0].input.Marker)).toContain('page-2');
    expect(finding.status).toBe('pass');
    expect(verdictOf(finding, GET).statements?.join(' ')).toContain('ReadPagerDuty');
  });

  // Regression guard (fixed): source/facts/index.ts readIdentityPolicies() calls its `managed()` reader once per attachment, so a
  // managed policy attached both to the user and to one of its groups (or also used as its permissions
  // boundary) is fetched twice with GetPolicy + GetPolicyVersion. SPEC: "none [no AWS call] is made twice in one
  // diagnosis". Fix: memoise managed(arn) within the read (a Map<string, Promise<...>> keyed by policy ARN, or
  // Facts.once(`policy:${arn}`)), keeping one label per attachment.
  it('a managed policy attached to the user and to its group is fetched once', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, and ReadOnlyAccess attached to the user and to its group
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    const shared = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const readOnly = policy([
      { Sid: 'ReadOnly', Effect: 'Allow', Action: ['secretsmanager:Describe*', 'secretsmanager:GetResourcePolicy', 'secretsmanager:List*'], Resource: '*' },
    ]);
    userPolicies(iam, userName, {
      inline: { read: policy({ Effect: 'Allow', Action: GET, Resource: '*' }) },
      attached: { [shared]: readOnly },
      groups: { Auditors: { attached: { [shared]: readOnly } } },
    });
    // When the checks run
    const { finding } = await run(awsKey);
    // Then the verdict is right, and the policy was read once
    expect(finding.status).toBe('pass');
    expect(iam.commandCalls(GetPolicyCommand, { PolicyArn: shared })).toHaveLength(1);
    expect(iam.commandCalls(GetPolicyVersionCommand, { PolicyArn: shared })).toHaveLength(1);
  });
});

describe('caller-permission for --principal given as an assumed-role session', () => {
  it('maps the session to its role (with its path) through GetRole, once, and simulates the role', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the role Ops with path /team/, and a simulator that allows everything
    const roleArn = rolePolicies(iam, 'Ops', '/team/', {});
    simulator(iam, allowEverything);
    // When the checks run for the session ARN of that role
    const { d, finding } = await run(healthy, { principal: SESSION_ARN });
    // Then the evaluated principal is the role's ARN with its path, and the session is kept as evidence
    expect(roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/team/Ops`);
    expect(finding.status).toBe('pass');
    expect(finding.evidence).toMatchObject({ principal: roleArn, session: SESSION_ARN });
    expect(d.input.principal).toBe(SESSION_ARN);
    // And every simulation used the role's ARN (a session ARN would be InvalidInput)
    const sources = iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.PolicySourceArn);
    expect(sources.length).toBeGreaterThan(0);
    expect(new Set(sources)).toEqual(new Set([roleArn]));
    // And GetRole was called once, for the role's name
    const getRole = iam.commandCalls(GetRoleCommand);
    expect(getRole).toHaveLength(1);
    expect(getRole[0]!.args[0].input).toEqual({ RoleName: 'Ops' });
  });

  it("falls back to the role's policies with one GetRole and one simulation attempt per run", async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, and the role's inline and attached policies
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy', SESSION_ARN));
    rolePolicies(iam, 'Ops', '/team/', {
      inline: { 'read-secret': policy({ Sid: 'ReadSecret', Effect: 'Allow', Action: GET, Resource: healthy.secretArn }) },
      attached: {
        [`arn:aws:iam::${ACCOUNT}:policy/UseSecretsKey`]: policy([
          {
            Sid: 'UseKeyViaSecretsManager',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: healthy.keyArn,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
          },
        ]),
      },
    });
    // When the checks run for the session
    const { d, finding } = await run(healthy, { principal: SESSION_ARN });
    // Then caller-permission passes by local evaluation, naming both statements
    expect(finding.status).toBe('pass');
    expect(verdictOf(finding, GET)).toMatchObject({ decision: 'Allowed', source: LOCAL });
    expect(verdictOf(finding, GET).statements?.join(' ')).toContain('ReadSecret');
    expect(verdictOf(finding, 'kms:Decrypt').statements?.join(' ')).toContain('UseKeyViaSecretsManager');
    expect(d.findings.find((f) => f.id === 'kms-policy-caller')?.status).toBe('pass');
    // And GetRole was called once (the session mapping and the policy reader share it), the simulator once
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(1);
  });

  it("the role's permissions boundary (from GetRole) is applied: a boundary without Secrets Manager fails", async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given the simulator forbidden, the role allowing secretsmanager:*, and its boundary allowing only CloudWatch Logs
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy', SESSION_ARN));
    rolePolicies(iam, 'Ops', '/team/', {
      inline: { secrets: policy({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }) },
      boundary: { arn: `arn:aws:iam::${ACCOUNT}:policy/LogsOnlyBoundary`, document: policy({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }) },
    });
    // When the checks run for the session
    const { finding } = await run(awsKey, { principal: SESSION_ARN });
    // Then it fails, blaming the boundary, and GetRole was still called once
    expect(finding.status).toBe('fail');
    expect(finding.details).toContain('The permissions boundary does not allow it.');
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1);
  });

  it('without iam:GetRole: the pathless role ARN is used, and the details say the path is unknown', async () => {
    // IAM is aws-sdk-client-mock: moto does not implement SimulatePrincipalPolicy, and IAM's answers are shaped per test.
    // Given GetRole forbidden, and a simulator that allows
    iam.on(GetRoleCommand).rejects(iamAccessDenied('GetRole', SESSION_ARN));
    simulator(iam, allowEverything);
    // When the checks run for the session
    const { finding } = await run(awsKey, { principal: SESSION_ARN });
    // Then the role is evaluated under its pathless ARN, and the finding says so
    const pathless = `arn:aws:iam::${ACCOUNT}:role/Ops`;
    expect(finding.evidence.principal).toBe(pathless);
    expect(finding.details.join('\n')).toContain(`The role's path could not be looked up (AccessDenied); evaluated as ${pathless}.`);
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1);
  });
});
