/**
 * `access-denied`: in-process diagnose() against moto_server, with roles and resource policies seeded to
 * pass and to fail each check. moto implements no IAM policy simulator, so the identity side is evaluated
 * locally from the policies read through IAM; the simulator's own answers (missing context values) are
 * given by aws-sdk-client-mock in one block below, since moto cannot produce them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { diagnose, type Diagnosis } from '../../source/diagnose.js';
import { AwsSession } from '../../source/aws/session.js';
import { seedScenario, seedCreatorRole, seedRole, type Seeded } from '../../source/demo/seed.js';
import type { Finding, Inputs } from '../../source/types.js';
import type { RequestRecord } from '../../source/aws/session.js';
import { newSession, motoEndpoint } from '../helpers/moto.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

const KMS_ALL = { Sid: 'UseKeyThroughSecretsManager', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' };
const doc = (...statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });

let healthy: Seeded;
let reader: string;
let nobody: string;
let vpceOnly: string;
let year2000Only: string;
let writerWithoutKms: string;
let writer: string;
let denyOutsideNetwork: Seeded;
let denyAfter2000: Seeded;
let denyInsecure: Seeded;

async function withResourcePolicy(session: AwsSession, policy: Record<string, unknown>): Promise<Seeded> {
  const seeded = await seedScenario(session, 'no-resource-policy');
  const sm = await session.secretsManager(seeded.region);
  await sm.send(new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: JSON.stringify(policy) }));
  return seeded;
}

beforeAll(async () => {
  const session = newSession();
  [healthy, reader, nobody, vpceOnly, year2000Only, writerWithoutKms, writer, denyOutsideNetwork, denyAfter2000, denyInsecure] = await Promise.all([
    seedScenario(session, 'healthy'),
    seedCreatorRole(session, { allow: true }),
    seedCreatorRole(session, { allow: false }),
    seedRole(
      session,
      doc(
        {
          Sid: 'ReadThroughEndpoint',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0abc1234' } },
        },
        KMS_ALL,
      ),
    ).then((r) => r.arn),
    seedRole(
      session,
      doc(
        {
          Sid: 'OnlyIn2000',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:CurrentTime': '2001-01-01T00:00:00Z' } },
        },
        KMS_ALL,
      ),
    ).then((r) => r.arn),
    seedRole(session, doc({ Sid: 'WriteOnly', Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: '*' })).then((r) => r.arn),
    seedRole(session, doc({ Sid: 'Write', Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: '*' }, KMS_ALL)).then((r) => r.arn),
    withResourcePolicy(
      session,
      doc({
        Sid: 'DenyOutsideNetwork',
        Effect: 'Deny',
        Principal: '*',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
    ),
    withResourcePolicy(
      session,
      doc({
        Sid: 'DenyAfter2000',
        Effect: 'Deny',
        Principal: '*',
        Action: 'secretsmanager:*',
        Resource: '*',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': '2001-01-01T00:00:00Z' } },
      }),
    ),
    withResourcePolicy(
      session,
      doc({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 'secretsmanager:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ),
  ]);
});

async function run(inputs: Omit<Inputs, 'symptom'>, session = newSession()): Promise<{ d: Diagnosis; byId: Record<string, Finding>; session: AwsSession }> {
  const d = await diagnose(session, { symptom: 'access-denied', ...inputs });
  return { d, session, byId: Object.fromEntries(d.findings.map((f) => [f.id, f])) };
}

describe('access-denied', () => {
  it('passes every check for a principal that may read the secret and use its key', async () => {
    // Given a healthy secret and a role whose policies allow GetSecretValue and the key
    const { d } = await run({ secretId: healthy.secretArn, principal: reader });
    // Then every check of the symptom passes, in the table's order
    expect(Object.fromEntries(d.findings.map((f) => [f.id, f.status]))).toEqual({
      // No authorization ID was given; moto has no CloudTrail LookupEvents (the record cannot be looked up there).
      'aws-authorization': 'skip',
      'denied-request': 'unknown',
      credentials: 'pass',
      'clock-skew': 'pass',
      'secret-id': 'pass',
      'secret-exists': 'pass',
      'caller-permission': 'pass',
      'secret-policy-caller': 'pass',
      'org-policies': 'pass',
      'kms-key-usable': 'pass',
      'kms-policy-caller': 'pass',
      'policy-conditions': 'pass',
      'service-health': 'pass',
    });
  });

  it('takes principal, action and secret from the pasted message, and fails caller-permission naming its evidence', async () => {
    // Given only the message the user got, with the secret as a name
    const message = `An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: ${nobody} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${healthy.secretName} because no identity-based policy allows the secretsmanager:GetSecretValue action`;
    const { d, byId } = await run({ errorMessage: message });
    // Then the diagnosis is of that principal and secret
    expect(d.input).toMatchObject({ secretId: healthy.secretName, principal: nobody });
    expect(byId['secret-exists']!.status).toBe('pass');
    // And caller-permission fails, naming the principal, the action, the source that decided and the message's verdict
    const f = byId['caller-permission']!;
    expect(f.status).toBe('fail');
    expect(f.summary).toContain(nobody);
    expect(f.summary).toContain('secretsmanager:GetSecretValue');
    expect(f.evidence).toMatchObject({
      principal: nobody,
      decidedBy: 'local evaluation of the identity policies read through IAM',
      errorMessage: { policyType: 'identity-based', denial: 'implicit', principal: nobody, resource: healthy.secretName },
    });
    expect(f.details.join(' ')).toContain('The error message says: no identity-based policy allows it. That is what this check evaluates.');
    expect(f.remediation).toContain('aws iam put-role-policy');
  });

  it('for a write, evaluates kms:GenerateDataKey on the key and fails when only the Secrets Manager action is allowed', async () => {
    // Given a role that may PutSecretValue but not use the key
    const { byId } = await run({ secretId: healthy.secretArn, principal: writerWithoutKms, action: 'secretsmanager:PutSecretValue' });
    const f = byId['caller-permission']!;
    // Then the write itself is allowed and kms:GenerateDataKey is not
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('kms:GenerateDataKey');
    expect(f.evidence['secretsmanager:PutSecretValue']).toMatchObject({ decision: 'Allowed' });
    expect(f.evidence['kms:GenerateDataKey']).toMatchObject({ decision: 'ImplicitlyDenied', resource: healthy.keyArn });
    expect(f.evidence['kms:Decrypt']).toBeUndefined();
    // And with the key use allowed, the write passes
    const ok = await run({ secretId: healthy.secretArn, principal: writer, action: 'secretsmanager:PutSecretValue' });
    expect(ok.byId['caller-permission']!.status).toBe('pass');
    expect(ok.byId['caller-permission']!.evidence['kms:GenerateDataKey']).toMatchObject({ decision: 'Allowed' });
  });
});

describe('policy-conditions', () => {
  it('fails when the only Allow has a condition the request observably does not meet (the time)', async () => {
    const { byId } = await run({ secretId: healthy.secretArn, principal: year2000Only });
    const f = byId['policy-conditions']!;
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('statement "OnlyIn2000" (#1) of the identity policy inline app');
    expect(f.summary).toContain('aws:CurrentTime DateLessThan 2001-01-01T00:00:00Z');
    expect(f.evidence.decidedBy).toBe('statement "OnlyIn2000" (#1) of the identity policy inline app');
    expect(f.evidence.mustCarry).toContain(
      'aws:CurrentTime DateLessThan 2001-01-01T00:00:00Z (for statement "OnlyIn2000" (#1) of the identity policy inline app)',
    );
    expect(Object.keys(f.evidence.observedContext as object)).toEqual(['aws:CurrentTime']);
    expect(f.remediation).toContain('aws iam simulate-principal-policy');
  });

  it('is unknown, naming the VPC endpoint a request must come through, when an Allow depends on it', async () => {
    const { byId } = await run({ secretId: healthy.secretArn, principal: vpceOnly });
    const f = byId['policy-conditions']!;
    expect(f.status).toBe('unknown');
    expect(f.summary).toContain('aws:SourceVpce (the VPC or VPC endpoint the request comes through)');
    expect(f.evidence.mustCarry).toEqual([
      'aws:SourceVpce StringEquals vpce-0abc1234 (for statement "ReadThroughEndpoint" (#1) of the identity policy inline app)',
    ]);
    expect(f.evidence.notObservable).toEqual(['aws:SourceVpce (the VPC or VPC endpoint the request comes through)']);
    expect(f.remediation).toContain('aws cloudtrail lookup-events');
    expect(f.remediation).toContain('ContextKeyName=aws:SourceVpce,ContextKeyValues=vpce-0abc1234');
  });

  it('is unknown when a resource-policy Deny depends on the source IP, which the tool cannot see', async () => {
    const { byId } = await run({ secretId: denyOutsideNetwork.secretArn, principal: reader });
    const f = byId['policy-conditions']!;
    expect(f.status).toBe('unknown');
    expect(f.summary).toContain('aws:SourceIp');
    expect(f.details.join(' ')).toContain('aws:SourceIp IpAddress 10.0.0.0/8');
    expect(JSON.stringify(f.evidence.statements)).toContain('statement \\"DenyOutsideNetwork\\" (#1) of the secret\'s resource policy');
  });

  it('fails when a resource-policy Deny applies on an observed value (the time), naming the statement', async () => {
    const { byId } = await run({ secretId: denyAfter2000.secretArn, principal: reader });
    const f = byId['policy-conditions']!;
    expect(f.status).toBe('fail');
    expect(f.evidence.decidedBy).toBe('statement "DenyAfter2000" (#1) of the secret\'s resource policy');
    expect(f.summary).toContain('aws:CurrentTime DateGreaterThan 2001-01-01T00:00:00Z is met');
    expect(f.remediation).toContain(`aws secretsmanager get-resource-policy --secret-id ${denyAfter2000.secretArn}`);
  });

  it('passes when the conditions that apply are met, and says which', async () => {
    const { byId } = await run({ secretId: denyInsecure.secretArn, principal: reader });
    const f = byId['policy-conditions']!;
    expect(f.status).toBe('pass');
    expect(f.summary).toContain('aws:SecureTransport');
    expect(f.evidence.observedContext).toEqual({ 'aws:SecureTransport': 'true' });
  });

  it('says conditions are not the cause when nothing would allow the request at all', async () => {
    const { byId } = await run({ secretId: healthy.secretArn, principal: nobody });
    expect(byId['caller-permission']!.status).toBe('fail');
    expect(byId['policy-conditions']).toMatchObject({ status: 'pass' });
    expect(byId['policy-conditions']!.summary).toContain('Conditions are not the cause');
  });
});

describe('policy-conditions with the IAM simulator', () => {
  // moto answers SimulatePrincipalPolicy with HTTP 500: the simulator's verdict and its missing context
  // values can only come from a mocked IAM client.
  let iam: AwsClientStub<IAMClient>;
  beforeAll(() => {
    iam = mockClient(IAMClient);
  });
  afterAll(() => iam.restore());

  it("reports the simulator's missing context values, and is unknown when its denial hinges on them", async () => {
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) => ({
      EvaluationResults: [
        {
          EvalActionName: input.ActionNames[0],
          EvalResourceName: input.ResourceArns[0],
          EvalDecision: input.ActionNames[0] === 'secretsmanager:GetSecretValue' ? 'implicitDeny' : 'allowed',
          MatchedStatements: [],
          MissingContextValues: input.ActionNames[0] === 'secretsmanager:GetSecretValue' ? ['aws:SourceIp'] : [],
        },
      ],
    }));
    const { byId } = await run({ secretId: healthy.secretArn });
    expect(byId['caller-permission']!.evidence.decidedBy).toBe('IAM SimulatePrincipalPolicy');
    const f = byId['policy-conditions']!;
    expect(f.status).toBe('unknown');
    expect(f.summary).toContain('aws:SourceIp');
    expect(f.evidence.simulatorMissingContextValues).toEqual(['aws:SourceIp']);
    expect(f.details.join(' ')).toContain('IAM SimulatePrincipalPolicy evaluated without values for: aws:SourceIp');
  });
});

describe('clock-skew', () => {
  let proxy: FaultProxy | undefined;
  const original = process.env.AWS_ENDPOINT_URL;
  afterEach(async () => {
    process.env.AWS_ENDPOINT_URL = original;
    await proxy?.close();
    proxy = undefined;
  });

  async function throughClock(offsetMs: number): Promise<Finding> {
    proxy = await startFaultProxy(motoEndpoint(), () => undefined, { dateOffsetMs: offsetMs });
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    const { byId } = await run({ secretId: healthy.secretArn, principal: reader }, new AwsSession({ region: 'us-east-1', timeoutMs: 5000 }));
    expect(proxy.rewritten()).toBeGreaterThan(0);
    return byId['clock-skew']!;
  }

  it("fails when AWS's Date is 10 minutes off the local clock, naming the header, the request and the offset", async () => {
    const f = await throughClock(10 * 60_000);
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('behind AWS');
    expect(f.evidence).toMatchObject({ header: 'Date', api: expect.stringMatching(/^[a-z-]+:[A-Za-z]+$/) });
    expect(Math.abs((f.evidence.offsetSeconds as number) - 600)).toBeLessThanOrEqual(2);
    expect(f.remediation).toContain('aws sts get-caller-identity');
  });

  it("warns at 2 minutes off (the other way), still inside SigV4's 5", async () => {
    const f = await throughClock(-2 * 60_000);
    expect(f.status).toBe('warn');
    expect(f.summary).toContain('ahead of AWS');
    expect(Math.abs((f.evidence.offsetSeconds as number) + 120)).toBeLessThanOrEqual(2);
  });

  it('passes against an unmoved clock', async () => {
    const { byId } = await run({ secretId: healthy.secretArn, principal: reader });
    expect(byId['clock-skew']!.status).toBe('pass');
    expect(Math.abs(byId['clock-skew']!.evidence.offsetSeconds as number)).toBeLessThanOrEqual(2);
  });
});

describe('requests of one access-denied diagnosis', () => {
  it('makes no request twice and is read-only', async () => {
    const { session } = await run({ secretId: healthy.secretArn, principal: writer, action: 'secretsmanager:PutSecretValue' });
    const key = (r: RequestRecord) => `${r.service}:${r.operation}@${r.region}`;
    const counts = new Map<string, number>();
    for (const r of session.log) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
    expect(session.log.map((r) => r.operation).filter((op) => !/^(Describe|Get|List|Lookup|Simulate)/.test(op))).toEqual([]);
  });
});
