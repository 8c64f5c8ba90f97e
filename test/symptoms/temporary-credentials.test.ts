/**
 * `access-denied-temporary-credentials`: in-process diagnose() with the session credentials moto's own STS
 * AssumeRole hands out (moto answers GetCallerIdentity for them with the assumed-role ARN), put in the
 * environment as the SDK reads them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
 * AWS_CREDENTIAL_EXPIRATION). moto never refuses an expired token, so STS's ExpiredToken comes from
 * aws-sdk-client-mock in one test below.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { diagnose, type Diagnosis } from '../../source/diagnose.js';
import { exitStatus } from '../../source/commands/status.js';
import { AwsSession } from '../../source/aws/session.js';
import { seedScenario, seedRole, type Seeded } from '../../source/demo/seed.js';
import type { Finding, Inputs } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

const KMS_ALL = { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' };
const doc = (...statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });

let healthy: Seeded;
let reader: { arn: string; name: string };
let nobody: { arn: string; name: string };
let bounded: { arn: string; name: string };

interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  arn: string;
}

async function assume(roleArn: string, sessionName: string): Promise<SessionCredentials> {
  const sts = await newSession().sts();
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
  return {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
    arn: out.AssumedRoleUser!.Arn!,
  };
}

beforeAll(async () => {
  const session = newSession();
  [healthy, reader, nobody, bounded] = await Promise.all([
    seedScenario(session, 'healthy'),
    seedRole(session, doc({ Sid: 'Read', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }, KMS_ALL)),
    seedRole(session, doc({ Sid: 'Other', Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' })),
    seedRole(session, doc({ Sid: 'Read', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }, KMS_ALL), {
      boundary: doc({ Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: '*' }),
    }),
  ]);
});

const saved = new Map<string, string | undefined>();
function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  saved.clear();
});

/** Signs in with the session's credentials, expiring `expiresInMs` from now. */
function startSession(creds: SessionCredentials, expiresInMs: number): void {
  setEnv({
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + expiresInMs).toISOString(),
  });
}

async function run(inputs: Omit<Inputs, 'symptom'> = {}): Promise<{ d: Diagnosis; byId: Record<string, Finding> }> {
  // A new session: the credential chain reads the environment afresh.
  const d = await diagnose(new AwsSession({ region: 'us-east-1', timeoutMs: 5000 }), { symptom: 'access-denied-temporary-credentials', ...inputs });
  return { d, byId: Object.fromEntries(d.findings.map((f) => [f.id, f])) };
}

describe('access-denied-temporary-credentials', () => {
  it('passes for a live role session whose role may read the secret, naming the role behind the session', async () => {
    const creds = await assume(reader.arn, 'app-session');
    startSession(creds, 60 * 60_000);
    const { d, byId } = await run({ secretId: healthy.secretArn });
    expect(Object.fromEntries(d.findings.map((f) => [f.id, f.status]))).toEqual({
      // No authorization ID was given; moto has no CloudTrail LookupEvents (the record cannot be looked up there).
      'aws-authorization': 'skip',
      'denied-request': 'unknown',
      credentials: 'pass',
      'clock-skew': 'pass',
      'temporary-credentials': 'pass',
      'secret-id': 'pass',
      'secret-exists': 'pass',
      'caller-permission': 'pass',
      'secret-policy-caller': 'pass',
      'org-policies': 'pass',
      'policy-conditions': 'pass',
      'service-health': 'pass',
    });
    expect(d.identity).toMatchObject({ arn: creds.arn, type: 'assumed-role' });
    const f = byId['temporary-credentials']!;
    // The session ARN has no path: the role's real ARN (with /apps/) came from iam:GetRole
    expect(f.evidence).toMatchObject({
      temporary: true,
      role: reader.arn,
      sessionName: 'app-session',
      permissionsBoundary: 'none',
      sessionPolicy: 'not visible through any AWS API',
    });
    expect(f.evidence.minutesLeft).toBeGreaterThanOrEqual(59);
    expect(f.details.join(' ')).toContain('can only narrow the role');
    expect(byId['caller-permission']!.evidence.principal).toBe(reader.arn);
  });

  it('the same permission checks for the role: a role that may not read the secret fails caller-permission', async () => {
    startSession(await assume(nobody.arn, 'app-session'), 60 * 60_000);
    const { byId } = await run({ secretId: healthy.secretArn });
    expect(byId['temporary-credentials']!.status).toBe('pass');
    expect(byId['caller-permission']).toMatchObject({ status: 'fail', evidence: { principal: nobody.arn } });
    expect(byId['caller-permission']!.remediation).toContain(`aws iam put-role-policy --role-name ${nobody.name}`);
  });

  it("names the role's permissions boundary, which narrows the session", async () => {
    startSession(await assume(bounded.arn, 'bounded'), 60 * 60_000);
    const { byId } = await run({ secretId: healthy.secretArn });
    const f = byId['temporary-credentials']!;
    expect(f.evidence.permissionsBoundary).toMatch(/:policy\/.*-boundary$/);
    expect(f.details.join(' ')).toContain('permissions boundary');
    expect(byId['caller-permission']!.status).toBe('fail');
    expect(byId['caller-permission']!.details.join(' ')).toContain('The permissions boundary does not allow it.');
  });

  it('warns when the session expires within 15 minutes', async () => {
    startSession(await assume(reader.arn, 'short'), 5 * 60_000);
    const { byId } = await run({ secretId: healthy.secretArn });
    const f = byId['temporary-credentials']!;
    expect(f.status).toBe('warn');
    expect(f.evidence.minutesLeft).toBeLessThanOrEqual(5);
    expect(f.remediation).toContain('aws sts assume-role');
  });

  it('fails when the credentials have expired, with when, and how to get new ones', async () => {
    // moto still answers expired session credentials; AWS would refuse them (the next test)
    startSession(await assume(reader.arn, 'stale'), -10 * 60_000);
    const { byId } = await run({ secretId: healthy.secretArn });
    const f = byId['temporary-credentials']!;
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('expired at');
    expect(f.evidence).toMatchObject({ source: 'the SDK credential identity and sts:GetCallerIdentity', role: reader.arn });
    expect(f.evidence.minutesLeft).toBeLessThanOrEqual(-9);
    expect(f.remediation).toContain(`aws sts assume-role --role-arn ${reader.arn}`);
  });

  it('says the credentials in use are not temporary ones (so not the ones refused)', async () => {
    const { byId } = await run({ secretId: healthy.secretArn });
    const f = byId['temporary-credentials']!;
    expect(f.status).toBe('warn');
    expect(f.evidence).toMatchObject({ temporary: false, identityType: 'user' });
    expect(f.remediation).toContain('--principal');
  });

  it('fails when the error message names a session policy, which no API shows', async () => {
    const creds = await assume(reader.arn, 'narrowed');
    startSession(creds, 60 * 60_000);
    const { byId } = await run({
      errorMessage: `User: ${creds.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${healthy.secretArn} because no session policy allows the secretsmanager:GetSecretValue action`,
    });
    const f = byId['temporary-credentials']!;
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('no session policy allows it');
    expect(f.evidence.errorMessage).toMatchObject({ policyType: 'session', denial: 'implicit' });
    expect(f.remediation).toContain('aws cloudtrail lookup-events');
    // The role's own policies allow it: the session policy is what narrows it
    expect(byId['caller-permission']!.status).toBe('pass');
  });
});

describe('an expired token that STS refuses', () => {
  // moto accepts any session token, expired or not: STS's ExpiredToken answer needs a mocked client.
  it('fails credentials with the cause, skips every other check, and exits 3', async () => {
    const sts = mockClient(STSClient);
    try {
      sts.on(GetCallerIdentityCommand).rejects(
        new STSServiceException({
          name: 'ExpiredToken',
          message: 'The security token included in the request is expired',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
        }),
      );
      startSession({ accessKeyId: 'ASIAEXPIRED', secretAccessKey: 'x', sessionToken: 'y', arn: '' }, -60 * 60_000);
      const { d, byId } = await run({ secretId: healthy.secretArn });
      expect(byId.credentials).toMatchObject({
        status: 'fail',
        evidence: { api: 'sts:GetCallerIdentity', error: 'ExpiredToken', kind: 'expired-credentials' },
      });
      expect(d.findings.filter((f) => f.id !== 'credentials').every((f) => f.status === 'skip')).toBe(true);
      expect(exitStatus(d, false)).toBe(3);
    } finally {
      sts.restore();
    }
  });
});
