/**
 * AWS Organizations against moto_server: the organization's keys in the caller's request context, and the
 * `org-policies` check on SCPs. This file starts a moto_server of its own: an organization created in the
 * shared one would change every other test file's diagnosis.
 *
 * moto's default account (123456789012) creates the organization and is its management account; SCPs do
 * not affect it, so the denials are evaluated for principals of member accounts (moto's CreateAccount).
 * moto cannot show a management account a member account's secret, so RCP denials are tested in
 * test/policy/control-policies.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrganizationsClient,
  CreateOrganizationCommand,
  CreateAccountCommand,
  ListRootsCommand,
  CreateOrganizationalUnitCommand,
  MoveAccountCommand,
  EnablePolicyTypeCommand,
  CreatePolicyCommand,
  AttachPolicyCommand,
  DetachPolicyCommand,
} from '@aws-sdk/client-organizations';
import { SecretsManagerClient, CreateSecretCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { startMoto, stopMoto, type Started } from '../../source/demo/moto-server.js';
import { AwsSession } from '../../source/aws/session.js';
import { Facts } from '../../source/facts/index.js';
import { orgPolicies } from '../../source/checks/org-policies.js';
import { needPrincipal } from '../../source/checks/common.js';
import { diagnose } from '../../source/diagnose.js';
import type { Inputs, SymptomId } from '../../source/types.js';

let moto: Started;
const savedEndpoint = process.env.AWS_ENDPOINT_URL;
const region = 'us-east-1';

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
});

afterAll(async () => {
  process.env.AWS_ENDPOINT_URL = savedEndpoint;
  if (moto) await stopMoto(moto.child);
});

const session = () => new AwsSession({ region, timeoutMs: 5000 });

async function runCheck(inputs: Omit<Inputs, 'symptom'>, symptom: SymptomId = 'access-denied', s = session()) {
  const full: Inputs = { symptom, ...inputs };
  return orgPolicies.run({ facts: new Facts(s, full), inputs: full, symptom });
}

async function createSecret(name: string, sm = new SecretsManagerClient({ region })): Promise<string> {
  const out = await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"a":"b"}' }));
  return out.ARN!;
}

describe('without an organization', () => {
  it('passes: AWSOrganizationsNotInUseException means no SCP or RCP applies', async () => {
    // Given moto's default account, in no organization
    const secretArn = await createSecret('org/none');
    // When the check runs
    const finding = await runCheck({ secretId: secretArn });
    // Then it passes, saying so
    expect(finding.status).toBe('pass');
    expect(finding.summary).toMatch(/no organization/);
  });

  it("is unknown for a principal of another account: that account's own organization cannot be read from here", async () => {
    const secretArn = await createSecret('org/none-other');
    const finding = await runCheck({ secretId: secretArn, principal: 'arn:aws:iam::444455556666:role/partner' });
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toContain('444455556666');
  });
});

describe('in an organization', () => {
  const org = new OrganizationsClient({ region });
  let orgId: string;
  let rootId: string;
  let appsOu: string;
  let lockedOu: string;
  let member: string;
  let lockedMember: string;
  let denyPolicyId: string;
  let secretArn: string;

  beforeAll(async () => {
    orgId = (await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!.Id!;
    rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
    member = (await org.send(new CreateAccountCommand({ Email: 'apps@example.com', AccountName: 'apps' }))).CreateAccountStatus!.AccountId!;
    lockedMember = (await org.send(new CreateAccountCommand({ Email: 'locked@example.com', AccountName: 'locked' }))).CreateAccountStatus!.AccountId!;
    appsOu = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'apps' }))).OrganizationalUnit!.Id!;
    lockedOu = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'locked' }))).OrganizationalUnit!.Id!;
    await org.send(new MoveAccountCommand({ AccountId: member, SourceParentId: rootId, DestinationParentId: appsOu }));
    await org.send(new MoveAccountCommand({ AccountId: lockedMember, SourceParentId: rootId, DestinationParentId: lockedOu }));
    // The apps OU: FullAWSAccess (attached by Organizations) and a Deny on reading secrets.
    denyPolicyId = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'DenySecretsRead',
          Description: 'test',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Sid: 'NoSecretReads', Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
          }),
        }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: denyPolicyId, TargetId: appsOu }));
    // The locked OU: an allow list without Secrets Manager in place of FullAWSAccess.
    const allowEc2 = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'AllowEc2Only',
          Description: 'test',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }),
        }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: allowEc2, TargetId: lockedOu }));
    await org.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: lockedOu }));
    secretArn = await createSecret('org/shared');
  });

  it("observes aws:PrincipalOrgID: the standard data-perimeter Deny lets the organization's own principals in", async () => {
    // Given the data-perimeter statement AWS documents for resource policies: deny every principal outside
    // the organization, exempting AWS service principals. "AWS global condition context keys"
    // (aws:PrincipalOrgID), IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid;
    // the same statement shape as the RCP guide's data perimeter example ("Resource control policy examples",
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html).
    const arn = await createSecret('org/perimeter');
    await new SecretsManagerClient({ region }).send(
      new PutResourcePolicyCommand({
        SecretId: arn,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'EnforceOrgIdentities',
              Effect: 'Deny',
              Principal: '*',
              Action: 'secretsmanager:*',
              Resource: '*',
              Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': orgId }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
            },
          ],
        }),
      }),
    );
    // When the caller (moto's user, in the organization's management account) diagnoses its denied read
    const s = session();
    const d = await diagnose(s, { symptom: 'access-denied', secretId: arn });
    // Then the resource policy does not deny it: the caller's aws:PrincipalOrgID is the organization's ID
    const byId = (id: string) => d.findings.find((f) => f.id === id)!;
    expect(byId('secret-policy-caller').status).toBe('pass');
    // And org-policies passes: SCPs do not affect the management account, nor RCPs its resources
    expect(byId('org-policies').status).toBe('pass');
    expect(byId('org-policies').details.join(' ')).toMatch(/SCPs do not affect the management account/);
    expect(byId('org-policies').details.join(' ')).toMatch(/RCPs do not affect resources in the management account/);
    // And RCPs do not apply to the AWS managed key the secret uses ("Resource control policies in AWS KMS",
    // https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html)
    expect(byId('org-policies').details.join(' ')).toMatch(/RCPs do not apply to AWS managed KMS keys/);
    // And DescribeOrganization started with the first wave (alongside GetCallerIdentity), once
    const ops = s.log.filter((r) => r.operation === 'DescribeOrganization');
    expect(ops).toHaveLength(1);
    const identity = s.log.find((r) => r.operation === 'GetCallerIdentity')!;
    expect(ops[0]!.startedAt).toBeLessThan(identity.startedAt + identity.ms);
  });

  it("observes aws:ResourceOrgID for a secret of the caller's own account", async () => {
    // Given a resource policy that denies requests on resources outside the organization ("AWS global
    // condition context keys", aws:ResourceOrgID, IAM User Guide,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid)
    const arn = await createSecret('org/resource-perimeter');
    await new SecretsManagerClient({ region }).send(
      new PutResourcePolicyCommand({
        SecretId: arn,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OwnOrgResources',
              Effect: 'Deny',
              Principal: '*',
              Action: 'secretsmanager:*',
              Resource: '*',
              Condition: { StringNotEqualsIfExists: { 'aws:ResourceOrgID': orgId } },
            },
          ],
        }),
      }),
    );
    // When the caller's read is diagnosed, the secret being in the caller's own account (so in its organization)
    const d = await diagnose(session(), { symptom: 'access-denied', secretId: arn });
    // Then the resource policy does not deny it
    expect(d.findings.find((f) => f.id === 'secret-policy-caller')!.status).toBe('pass');
  });

  it('fails naming the SCP, its ID and statement when an OU above a member account denies the read', async () => {
    // Given a role of a member account in the apps OU, whose SCP denies secretsmanager:GetSecretValue
    // ("SCP evaluation": an explicit Deny at any level applies, AWS Organizations User Guide,
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html)
    const finding = await runCheck({ secretId: secretArn, principal: `arn:aws:iam::${member}:role/app` });
    // Then it fails, naming the policy (name, ID), its statement and where it is attached
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('DenySecretsRead');
    expect(finding.summary).toContain(denyPolicyId);
    expect(finding.summary).toContain('"NoSecretReads"');
    expect(finding.summary).toContain(appsOu);
    expect(finding.remediation).toContain(`aws organizations describe-policy --policy-id ${denyPolicyId}`);
    // And the principal's organization keys were observed: ID and path (o-xxx/r-xxx/ou-xxx/)
    expect(finding.evidence.principalOrgKeys).toEqual({ 'aws:PrincipalOrgID': orgId, 'aws:PrincipalOrgPaths': [`${orgId}/${rootId}/${appsOu}/`] });
  });

  it('fails when a level allows nothing: SCPs must allow at every level, root to account', async () => {
    // Given a member account under an OU whose only SCP allows ec2:* (FullAWSAccess detached)
    // ("SCP evaluation": an action not allowed at some level is implicitly denied, even if allowed below).
    const finding = await runCheck({ secretId: secretArn, principal: `arn:aws:iam::${lockedMember}:role/app` });
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain(`No SCP attached to ${lockedOu} allows`);
  });

  it("observes aws:ResourceOrgID: a resource-perimeter SCP lets a member read the organization's own secret", async () => {
    // Given a member account under an SCP that denies Secrets Manager on resources outside the organization
    // ("AWS global condition context keys", aws:ResourceOrgID, IAM User Guide,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid)
    const account = (await org.send(new CreateAccountCommand({ Email: 'perimeter@example.com', AccountName: 'perimeter' }))).CreateAccountStatus!.AccountId!;
    const ou = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'perimeter' }))).OrganizationalUnit!.Id!;
    await org.send(new MoveAccountCommand({ AccountId: account, SourceParentId: rootId, DestinationParentId: ou }));
    const perimeter = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'EnforceResourcePerimeter',
          Description: 'test',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'OwnResourcesOnly',
                Effect: 'Deny',
                Action: 'secretsmanager:*',
                Resource: '*',
                Condition: { StringNotEqualsIfExists: { 'aws:ResourceOrgID': orgId } },
              },
            ],
          }),
        }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: perimeter, TargetId: ou }));
    // When its role's read of the management account's secret is checked
    const finding = await runCheck({ secretId: secretArn, principal: `arn:aws:iam::${account}:role/app` });
    // Then the SCP allows it: the secret's account is in the organization
    expect(finding.status).toBe('pass');
  });

  it("evaluates the SCPs on the principal's kms:Decrypt of a customer managed key through Secrets Manager", async () => {
    // Given a member account whose own SCP denies kms:Decrypt, and a secret under a customer managed key
    const account = (await org.send(new CreateAccountCommand({ Email: 'nokms@example.com', AccountName: 'nokms' }))).CreateAccountStatus!.AccountId!;
    const noDecrypt = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'DenyDecrypt',
          Description: 'test',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }] }),
        }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: noDecrypt, TargetId: account }));
    const keyArn = (await new KMSClient({ region }).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const out = await new SecretsManagerClient({ region }).send(new CreateSecretCommand({ Name: 'org/cmk', SecretString: '{}', KmsKeyId: keyArn }));
    // When the principal's read is checked
    const finding = await runCheck({ secretId: out.ARN!, principal: `arn:aws:iam::${account}:role/app` });
    // Then the SCP on the account denies the key's kms:Decrypt, named with the key
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('DenyDecrypt');
    expect(finding.summary).toContain(`kms:Decrypt on ${keyArn}`);
  });

  it('exempts service-linked roles from SCPs', async () => {
    // "SCPs don't affect service-linked roles" (Service control policies (SCPs), "Tasks and entities not
    // restricted by SCPs", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)
    const slr = `arn:aws:iam::${member}:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup`;
    const finding = await runCheck({ secretId: secretArn, principal: slr });
    expect(finding.status).toBe('pass');
    expect(finding.details.join(' ')).toMatch(/SCPs do not affect service-linked roles/);
  });

  it('reads each policy once per run, however many secrets', async () => {
    const s = session();
    const shared = new (await import('../../source/facts/index.js')).SharedFacts();
    const principal = `arn:aws:iam::${member}:role/app`;
    for (const id of [secretArn, await createSecret('org/second')]) {
      const inputs: Inputs = { symptom: 'access-denied', secretId: id, principal };
      await orgPolicies.run({ facts: new Facts(s, inputs, shared), inputs, symptom: 'access-denied' });
    }
    const counts = new Map<string, number>();
    for (const r of s.log.filter((r) => r.service === 'organizations')) {
      counts.set(r.operation, (counts.get(r.operation) ?? 0) + 1);
    }
    expect(counts.get('DescribeOrganization')).toBe(1);
    expect(counts.get('ListRoots')).toBe(1);
    // FullAWSAccess (root, OU, account) and DenySecretsRead: two policies, each described once.
    expect(counts.get('DescribePolicy')).toBe(2);
  });

  describe('as a member account', () => {
    let memberEnv: Record<string, string>;
    let memberSecret: string;
    beforeAll(async () => {
      const creds = (await new STSClient({ region }).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${member}:role/admin`, RoleSessionName: 'org-test' })))
        .Credentials!;
      memberEnv = { AWS_ACCESS_KEY_ID: creds.AccessKeyId!, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey!, AWS_SESSION_TOKEN: creds.SessionToken! };
      const sm = new SecretsManagerClient({
        region,
        credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! },
      });
      memberSecret = await createSecret('org/member', sm);
    });

    it('is unknown: only the management account or a delegated administrator can read the policies', async () => {
      // Given the member's own credentials (moto answers its policy reads with AccountNotFoundException where
      // AWS says AccessDeniedException: either way, "cannot see", never "none")
      const saved = { ...process.env };
      Object.assign(process.env, memberEnv);
      try {
        const finding = await runCheck({ secretId: memberSecret });
        // Then it is unknown, saying who can read them
        expect(finding.status).toBe('unknown');
        expect(finding.summary).toMatch(/only the management account or a delegated administrator/);
        // And aws:PrincipalOrgID is observed (DescribeOrganization answers members); the path is not
        expect(finding.evidence.principalOrgKeys).toEqual({ 'aws:PrincipalOrgID': orgId });
        expect(finding.evidence.unobservableKeys).toEqual(['aws:PrincipalOrgPaths']);

        // And the principal's request context costs no round trip past the first wave: a member account is
        // not sent ListParents (it would be refused a round trip later, before any policy is evaluated)
        const s = session();
        const inputs: Inputs = { symptom: 'access-denied', secretId: memberSecret };
        const p = await needPrincipal({ facts: new Facts(s, inputs), inputs, symptom: 'access-denied' });
        expect('value' in p && p.value.org?.context).toEqual({ 'aws:PrincipalOrgID': orgId });
        expect(s.log.filter((r) => r.service === 'organizations').map((r) => r.operation)).toEqual(['DescribeOrganization']);
      } finally {
        for (const k of Object.keys(memberEnv)) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
    });
  });
});
