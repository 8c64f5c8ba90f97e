/**
 * Verdicts AWS would agree with, through diagnose() on secrets, keys and policies made in moto (issue 11,
 * classes 1, 6 and 10). Each expected verdict is written from the AWS page cited beside it.
 *
 * IAM is answered by aws-sdk-client-mock (iam-fixtures.ts): moto does not implement SimulatePrincipalPolicy
 * (it is mocked as unavailable here, so the policies read through IAM are evaluated locally), and the
 * identity policies under test need IAM answers shaped per test. Secrets Manager, KMS and STS are moto.
 */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../source/diagnose.js';
import type { CheckId, Finding, Inputs, SymptomId } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';
import { ACCOUNT, mockIam, policy, simulatorNotImplemented, userPolicies, type PolicyDocument } from './iam-fixtures.js';

const iam = mockIam();
const USER = `arn:aws:iam::${ACCOUNT}:user/moto`;
const IM = 'ssm-incidents.amazonaws.com';
const GET = 'secretsmanager:GetSecretValue';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const rootKeyStatement = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const imSecretStatement = { Sid: 'AllowIncidentManager', Effect: 'Allow', Principal: { Service: IM }, Action: GET, Resource: '*' };
const allowAll = policy([{ Sid: 'Everything', Effect: 'Allow', Action: ['secretsmanager:*', 'kms:*'], Resource: '*' }]);

interface Made {
  secretArn: string;
  keyArn?: string | undefined;
}

/** A secret in moto with, optionally, a customer managed key, a resource policy and tags. */
async function makeSecret(
  options: { resourcePolicy?: PolicyDocument; keyPolicy?: (secretPrefix: string) => PolicyDocument; tags?: Record<string, string> } = {},
): Promise<Made> {
  const session = newSession();
  const name = `ctx/${randomBytes(4).toString('hex')}`;
  const prefix = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ctx/`;
  let keyArn: string | undefined;
  if (options.keyPolicy) {
    const key = await (await session.kms()).send(new CreateKeyCommand({ Policy: JSON.stringify(options.keyPolicy(prefix)) }));
    keyArn = key.KeyMetadata!.Arn!;
  }
  const sm = await session.secretsManager();
  const secret = await sm.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: '{"pagerDutyToken":"x"}',
      ...(keyArn ? { KmsKeyId: keyArn } : {}),
      ...(options.tags ? { Tags: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
    }),
  );
  if (options.resourcePolicy) await sm.send(new PutResourcePolicyCommand({ SecretId: secret.ARN!, ResourcePolicy: JSON.stringify(options.resourcePolicy) }));
  return { secretArn: secret.ARN!, keyArn };
}

/** The caller's (moto's user's) identity policies, evaluated locally: the simulator is unavailable, as on moto. */
function callerPolicies(inline: Record<string, PolicyDocument>): void {
  iam.on(SimulatePrincipalPolicyCommand).rejects(simulatorNotImplemented());
  userPolicies(iam, 'moto', { inline });
}

async function run(made: Made, symptom: SymptomId, extra: Partial<Inputs> = {}): Promise<{ d: Diagnosis; f: (id: CheckId) => Finding }> {
  const d = await diagnose(newSession(), { symptom, secretId: made.secretArn, ...extra });
  return {
    d,
    f: (id) => {
      const found = d.findings.find((x) => x.id === id);
      if (!found) throw new Error(`no ${id} finding`);
      return found;
    },
  };
}

describe('class 1: no verdict on an assumed absence', () => {
  it("Secrets Manager's VPC-endpoint Deny: secret-policy-caller and policy-conditions are both unknown, naming aws:sourceVpce", async () => {
    // Secrets Manager User Guide, "Permissions policy examples", "Example: Require requests to come through a
    // VPC endpoint (attach to secret)": GetSecretValue is denied unless the request comes through
    // vpce-1234a5678b9012c. Which endpoint (if any) the refused request used, the tool cannot see.
    const made = await makeSecret({
      resourcePolicy: policy([
        imSecretStatement,
        {
          Sid: 'RestrictGetSecretValueoperation',
          Effect: 'Deny',
          Principal: '*',
          Action: GET,
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:sourceVpce': 'vpce-1234a5678b9012c' } },
        },
      ]),
    });
    callerPolicies({ all: allowAll });
    const { d, f } = await run(made, 'access-denied');
    expect(f('secret-policy-caller').status).toBe('unknown');
    expect(f('secret-policy-caller').evidence.unobservable).toEqual(['aws:sourceVpce']);
    expect(f('secret-policy-caller').details.join(' ')).toContain('allowed when aws:sourceVpce = vpce-1234a5678b9012c');
    expect(f('policy-conditions').status).toBe('unknown');
    expect(f('policy-conditions').evidence.keyKinds).toEqual({ 'aws:sourceVpce': 'unobservable' });
    expect(f('caller-permission').status).toBe('pass');
    expect(d.findings.filter((x) => x.status === 'fail')).toEqual([]);
  });

  for (const [name, deny, key] of [
    [
      // IAM User Guide, "AWS: Denies access to AWS based on the source IP" (today's version, with
      // aws:ViaAWSService false so AWS services acting for the user are let through).
      "the IAM User Guide's source-IP Deny",
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] }, Bool: { 'aws:ViaAWSService': 'false' } },
      },
      'aws:SourceIp',
    ],
    [
      // IAM User Guide, "Condition operators", "...IfExists condition operators": BoolIfExists matches
      // when the key is absent, so long-term keys without MFA are denied; with MFA the Deny does not apply.
      'an MFA Deny with BoolIfExists',
      {
        Sid: 'DenyWithoutMFA',
        Effect: 'Deny',
        NotAction: ['iam:ChangePassword', 'sts:GetSessionToken'],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
      'aws:MultiFactorAuthPresent',
    ],
  ] as const) {
    it(`${name} in the identity policies: caller-permission is unknown (not "explicitly denied"), as policy-conditions`, async () => {
      const made = await makeSecret();
      callerPolicies({ all: allowAll, deny: policy(deny) });
      const { d, f } = await run(made, 'access-denied');
      const cp = f('caller-permission');
      expect(cp.status).toBe('unknown');
      expect(cp.summary).toContain(key);
      expect(cp.details.join(' ')).toMatch(/allowed when .*; explicitly denied when|explicitly denied when .*; allowed when/i);
      expect(f('policy-conditions').status).toBe('unknown');
      expect(d.findings.filter((x) => x.status === 'fail')).toEqual([]);
    });
  }
});

describe('class 1: only a value that changes the outcome makes a finding uncertain', () => {
  it('an Allow conditioned on the source IP beside an unconditional Allow: policy-conditions passes (no warn)', async () => {
    // IAM User Guide, "Policy evaluation logic": one applicable Allow suffices; the other Allow's condition
    // cannot change the outcome, whatever address the request comes from.
    const made = await makeSecret();
    callerPolicies({
      read: policy([
        { Sid: 'Read', Effect: 'Allow', Action: GET, Resource: '*' },
        { Sid: 'ReadFromOffice', Effect: 'Allow', Action: GET, Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } },
      ]),
    });
    const { f } = await run(made, 'access-denied');
    expect(f('caller-permission').status).toBe('pass');
    expect(f('policy-conditions').status).toBe('pass');
    expect(f('policy-conditions').details.join(' ')).toContain('do not change the decision here');
  });
});

describe('class 1 with IAM SimulatePrincipalPolicy answering', () => {
  it('a denial the simulator reached without aws:SourceIp is not a verdict: caller-permission is unknown, as policy-conditions', async () => {
    // IAM API Reference, SimulatePrincipalPolicy: MissingContextValues lists the keys the policies use that
    // the request did not supply; the simulator then evaluates as if they were absent.
    const made = await makeSecret();
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) => ({
      EvaluationResults: input.ActionNames.map((action) => ({
        EvalActionName: action,
        EvalResourceName: input.ResourceArns[0],
        EvalDecision: 'explicitDeny',
        MatchedStatements: [{ SourcePolicyId: 'DenyOutsideOffice', SourcePolicyType: 'user' }],
        MissingContextValues: ['aws:SourceIp'],
      })),
    }));
    const { f } = await run(made, 'access-denied');
    expect(f('caller-permission').status).toBe('unknown');
    expect(f('caller-permission').details.join(' ')).toContain('aws:SourceIp');
    expect(f('policy-conditions').status).toBe('unknown');
  });
});

describe('class 10: a cause is what the whole evaluation denies', () => {
  // IAM User Guide, "Policy evaluation logic" ("Identity-based policies and resource-based policies"): within
  // one account, an Allow in either an identity-based or a resource-based policy allows the request, unless
  // an explicit Deny applies. Secrets Manager User Guide, "Secret encryption and decryption": the KMS
  // permissions may be given "in an IAM policy or key policy".
  const onlyS3 = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
  const allowUser = { Sid: 'AllowMotoUser', Effect: 'Allow', Principal: { AWS: USER }, Action: GET, Resource: '*' };

  it("the secret's resource policy names the user: caller-permission passes without an identity-policy Allow, naming that statement", async () => {
    const made = await makeSecret({ resourcePolicy: policy([imSecretStatement, allowUser]) });
    callerPolicies({ s3: onlyS3 });
    const { f } = await run(made, 'access-denied');
    const cp = f('caller-permission');
    expect(cp.status).toBe('pass');
    expect((cp.evidence[GET] as { allowedBy: string[] }).allowedBy).toEqual(['statement "AllowMotoUser" (#2) of the secret\'s resource policy']);
    expect(f('secret-policy-caller').status).toBe('pass');
  });

  it('an explicit Deny in the identity policies still wins over that Allow', async () => {
    const made = await makeSecret({ resourcePolicy: policy([allowUser]) });
    callerPolicies({ deny: policy({ Sid: 'NoSecrets', Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' }) });
    const { f } = await run(made, 'access-denied');
    expect(f('caller-permission').status).toBe('fail');
    expect(f('caller-permission').summary).toContain('explicitly denied');
  });

  it('kms:Decrypt: a key policy naming the user suffices; one that only delegates to the account root needs the IAM Allow', async () => {
    // KMS Developer Guide, "Default key policy": the account-root statement lets IAM policies allow; by
    // itself it allows no one.
    const direct = await makeSecret({
      resourcePolicy: policy([imSecretStatement, allowUser]),
      keyPolicy: () =>
        policy([
          rootKeyStatement,
          { Sid: 'UserDecrypts', Effect: 'Allow', Principal: { AWS: USER }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
        ]),
    });
    callerPolicies({ s3: onlyS3 });
    const first = await run(direct, 'access-denied');
    expect(first.f('caller-permission').status).toBe('pass');
    expect((first.f('caller-permission').evidence['kms:Decrypt'] as { allowedBy: string[] }).allowedBy).toEqual([
      'statement "UserDecrypts" (#2) of the key policy',
    ]);

    const delegated = await makeSecret({ resourcePolicy: policy([imSecretStatement, allowUser]), keyPolicy: () => policy([rootKeyStatement]) });
    iam.reset();
    callerPolicies({ s3: onlyS3 });
    const second = await run(delegated, 'access-denied');
    expect(second.f('caller-permission').status).toBe('fail');
    expect(second.f('caller-permission').summary).toContain('kms:Decrypt');
    expect(second.f('caller-permission').summary).not.toContain(GET);
  });
});

describe('class 6: condition keys AWS documents, decided', () => {
  it('a key policy conditioned on kms:EncryptionContext:SecretARN is decided for Incident Manager (pass)', async () => {
    // Secrets Manager User Guide, "Secret encryption and decryption" (SecretARN in the encryption context)
    // and Incident Manager User Guide, "Storing the PagerDuty secret" (the key statement, optionally with
    // kms:ViaService).
    const made = await makeSecret({
      resourcePolicy: policy(imSecretStatement),
      keyPolicy: (prefix) =>
        policy([
          rootKeyStatement,
          {
            Sid: 'Allow Incident Manager to use the key',
            Effect: 'Allow',
            Principal: { Service: IM },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
              StringLike: { 'kms:EncryptionContext:SecretARN': `${prefix}*` },
            },
          },
        ]),
    });
    callerPolicies({ all: allowAll });
    const { f } = await run(made, 'incident-manager-secret');
    expect(f('kms-policy-incident-manager').status).toBe('pass');
  });

  it('a failure that another condition already decides is reported, not hidden behind the encryption-context condition', async () => {
    const made = await makeSecret({
      resourcePolicy: policy(imSecretStatement),
      keyPolicy: (prefix) =>
        policy([
          rootKeyStatement,
          {
            Sid: 'DecryptOnly',
            Effect: 'Allow',
            Principal: { Service: IM },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringLike: { 'kms:EncryptionContext:SecretARN': `${prefix}*` } },
          },
        ]),
    });
    callerPolicies({ all: allowAll });
    const { f } = await run(made, 'incident-manager-secret');
    expect(f('kms-policy-incident-manager').status).toBe('fail');
    expect(f('kms-policy-incident-manager').summary).toContain('kms:GenerateDataKey');
  });

  it('an identity policy with kms:EncryptionContext:SecretARN for this secret allows kms:Decrypt (no false fail)', async () => {
    const made = await makeSecret({ keyPolicy: () => policy([rootKeyStatement]) });
    callerPolicies({
      read: policy([
        { Effect: 'Allow', Action: GET, Resource: '*' },
        {
          Sid: 'DecryptThisSecret',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:SecretARN': made.secretArn } },
        },
      ]),
    });
    const { f } = await run(made, 'access-denied');
    expect(f('caller-permission').status).toBe('pass');
  });

  it("secretsmanager:ResourceTag/<key> (the Secrets Manager ABAC example) decides by the secret's tags", async () => {
    // Secrets Manager User Guide, "Permissions policy examples", "Control access to secrets using tags".
    const abac = policy({ Effect: 'Allow', Action: GET, Resource: '*', Condition: { StringEquals: { 'secretsmanager:ResourceTag/ServerName': 'ServerABC' } } });
    const tagged = await makeSecret({ tags: { ServerName: 'ServerABC' } });
    callerPolicies({ abac });
    expect((await run(tagged, 'access-denied')).f('caller-permission').status).toBe('pass');
    const other = await makeSecret({ tags: { ServerName: 'ServerXYZ' } });
    iam.reset();
    callerPolicies({ abac });
    expect((await run(other, 'access-denied')).f('caller-permission').status).toBe('fail');
  });

  it("Incident Manager's confused-deputy statement: unknown without the plan, decided with --response-plan", async () => {
    // Secrets Manager User Guide, "Permissions policy examples", "Allow a service to access a secret using a
    // service principal" (aws:SourceArn and aws:SourceAccount against the confused deputy problem).
    const made = await makeSecret({
      resourcePolicy: policy({
        Effect: 'Allow',
        Principal: { Service: [IM] },
        Action: GET,
        Resource: '*',
        Condition: { ArnLike: { 'aws:sourceArn': `arn:aws:ssm-incidents::${ACCOUNT}:*` }, StringEquals: { 'aws:sourceAccount': ACCOUNT } },
      }),
    });
    callerPolicies({ all: allowAll });
    const unknown = (await run(made, 'incident-manager-secret')).f('secret-policy-incident-manager');
    expect(unknown.status).toBe('unknown');
    expect(unknown.remediation).toContain('--response-plan');
    iam.reset();
    callerPolicies({ all: allowAll });
    const plan = `arn:aws:ssm-incidents::${ACCOUNT}:response-plan/pagerduty`;
    const known = (await run(made, 'incident-manager-secret', { responsePlanArn: plan })).f('secret-policy-incident-manager');
    expect(known.status).toBe('pass');
    expect(known.evidence.responsePlan).toBe(plan);
  });
});
