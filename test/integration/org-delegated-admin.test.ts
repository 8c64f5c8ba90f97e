/**
 * `org-policies` for a delegated administrator of AWS Organizations: a member account that may read the
 * organization's structure and policies. moto answers every member account's policy reads with
 * AccountNotFoundException, so Organizations is stubbed here with aws-sdk-client-mock, answering AWS's
 * documented shapes; the secret and the caller are moto's.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  OrganizationsClient,
  DescribeOrganizationCommand,
  ListRootsCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  DescribePolicyCommand,
} from '@aws-sdk/client-organizations';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { Facts } from '../../source/facts/index.js';
import { orgPolicies } from '../../source/checks/org-policies.js';
import type { Inputs } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

const ORG = 'o-a1b2c3d4e5';
const ROOT = 'r-ab12';
const CALLER_ACCOUNT = '123456789012';
const organizations = mockClient(OrganizationsClient);
let secretArn: string;

beforeAll(async () => {
  secretArn = (
    await new SecretsManagerClient({ region: 'us-east-1' }).send(new CreateSecretCommand({ Name: `org-delegated/${Date.now()}`, SecretString: '{}' }))
  ).ARN!;
});

afterEach(() => organizations.reset());

function delegatedAdministrator(pathCondition: string) {
  organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: ORG, MasterAccountId: '999999999999', FeatureSet: 'ALL' } });
  organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: ROOT, Name: 'Root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }] });
  organizations.on(ListParentsCommand, { ChildId: CALLER_ACCOUNT }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
  organizations.on(ListPoliciesForTargetCommand, { TargetId: ROOT }).resolves({
    Policies: [
      { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true },
      { Id: 'p-paths', Name: 'OnlyFromAppsOu', AwsManaged: false },
    ],
  });
  organizations
    .on(ListPoliciesForTargetCommand, { TargetId: CALLER_ACCOUNT })
    .resolves({ Policies: [{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true }] });
  organizations.on(DescribePolicyCommand, { PolicyId: 'p-FullAWSAccess' }).resolves({
    Policy: {
      PolicySummary: { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true },
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    },
  });
  organizations.on(DescribePolicyCommand, { PolicyId: 'p-paths' }).resolves({
    Policy: {
      PolicySummary: { Id: 'p-paths', Name: 'OnlyFromAppsOu', AwsManaged: false },
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SecretsOnlyForApps',
            Effect: 'Deny',
            Action: 'secretsmanager:*',
            Resource: '*',
            Condition: { 'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': [pathCondition] } },
          },
        ],
      }),
    },
  });
}

describe('a delegated administrator', () => {
  it("evaluates an SCP on aws:PrincipalOrgPaths with the caller's path, read with ListParents", async () => {
    // Given an SCP at the root that denies Secrets Manager outside the apps OU ("AWS global condition context
    // keys", aws:PrincipalOrgPaths, IAM User Guide,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths),
    // and a caller whose account sits directly under the root (path o-a1b2c3d4e5/r-ab12/)
    delegatedAdministrator(`${ORG}/${ROOT}/ou-ab12-apps/*`);
    const inputs: Inputs = { symptom: 'access-denied', secretId: secretArn };
    // When the check runs
    const finding = await orgPolicies.run({ facts: new Facts(newSession(), inputs), inputs, symptom: 'access-denied' });
    // Then the path is known and the SCP denies: a fail naming it, not an unknown
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('OnlyFromAppsOu (p-paths)');
    expect(finding.summary).toContain('"SecretsOnlyForApps"');
  });

  it('passes when the path is the one the SCP allows', async () => {
    delegatedAdministrator(`${ORG}/${ROOT}/*`);
    const inputs: Inputs = { symptom: 'access-denied', secretId: secretArn };
    const finding = await orgPolicies.run({ facts: new Facts(newSession(), inputs), inputs, symptom: 'access-denied' });
    expect(finding.status).toBe('pass');
  });

  it('is unknown when the path cannot be read and the SCP conditions on it', async () => {
    // Given the same SCP, but ListParents refused: the levels cannot be read either, and nothing is guessed
    delegatedAdministrator(`${ORG}/${ROOT}/ou-ab12-apps/*`);
    organizations
      .on(ListParentsCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const inputs: Inputs = { symptom: 'access-denied', secretId: secretArn };
    const finding = await orgPolicies.run({ facts: new Facts(newSession(), inputs), inputs, symptom: 'access-denied' });
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toContain('AccessDeniedException');
  });
});
