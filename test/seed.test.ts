/**
 * The demo/test seeder, against the moto_server of global-setup.ts: each scenario leaves exactly the state it
 * promises, read back through the SDK.
 */
import { describe, expect, test } from 'vitest';
import { DescribeKeyCommand, GetKeyPolicyCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import { DescribeSecretCommand, GetResourcePolicyCommand, GetSecretValueCommand, type DescribeSecretResponse } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { PAGERDUTY_VALUE_EXAMPLE, SCENARIOS, seedScenario, seedScenarios, type ScenarioName, type Seeded } from '../source/demo/seed.js';
import type { AwsSession } from '../source/aws/session.js';
import { motoEndpoint, motoEnv, newSession } from './helpers/moto.js';

type Statement = Record<string, unknown>;

interface Observed {
  secret: DescribeSecretResponse;
  /** The resource policy string exactly as GetResourcePolicy returned it. */
  resourcePolicy: string | undefined;
  resourceStatements: Statement[] | undefined;
  key: KeyMetadata | undefined;
  keyStatements: Statement[] | undefined;
}

function statementsOf(document: string): Statement[] {
  const parsed = JSON.parse(document) as { Statement?: Statement | Statement[] };
  if (parsed.Statement === undefined) throw new Error('policy without Statement');
  return Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
}

/** Everything a check would read about a seeded secret, read independently of the seeder. */
async function observe(session: AwsSession, seeded: Seeded): Promise<Observed> {
  const [sm, kms] = await Promise.all([session.secretsManager(seeded.region), session.kms(seeded.region)]);
  const [secret, policy, key, keyPolicy] = await Promise.all([
    sm.send(new DescribeSecretCommand({ SecretId: seeded.secretArn })),
    sm.send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn })),
    seeded.keyId ? kms.send(new DescribeKeyCommand({ KeyId: seeded.keyId })) : undefined,
    seeded.keyId ? kms.send(new GetKeyPolicyCommand({ KeyId: seeded.keyId, PolicyName: 'default' })) : undefined,
  ]);
  return {
    secret,
    resourcePolicy: policy.ResourcePolicy,
    resourceStatements: policy.ResourcePolicy ? statementsOf(policy.ResourcePolicy) : undefined,
    key: key?.KeyMetadata,
    keyStatements: keyPolicy?.Policy ? statementsOf(keyPolicy.Policy) : undefined,
  };
}

async function secretValue(session: AwsSession, seeded: Seeded): Promise<string | undefined> {
  const sm = await session.secretsManager(seeded.region);
  return (await sm.send(new GetSecretValueCommand({ SecretId: seeded.secretArn }))).SecretString;
}

const session = newSession();
const ACCOUNT = '123456789012'; // moto's account, to check the seeder used STS's answer

const rootStatement = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const imKeyStatement = {
  Sid: 'Allow Incident Manager to use the key',
  Effect: 'Allow',
  Principal: { Service: 'ssm-incidents.amazonaws.com' },
  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  Resource: '*',
};
const imSecretStatement = expect.objectContaining({
  Effect: 'Allow',
  Principal: { Service: 'ssm-incidents.amazonaws.com' },
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
});

/** The parts every "healthy key" scenario shares. */
function expectHealthyKey(seeded: Seeded, seen: Observed, region = 'us-east-1'): void {
  expect(seeded.keyArn).toBe(`arn:aws:kms:${region}:${ACCOUNT}:key/${seeded.keyId}`);
  expect(seen.secret.KmsKeyId).toBe(seeded.keyArn);
  expect(seen.key).toMatchObject({
    KeyId: seeded.keyId,
    KeyManager: 'CUSTOMER',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: 'Enabled',
    Enabled: true,
  });
  expect(seen.keyStatements).toEqual([rootStatement, imKeyStatement]);
}

describe('test environment', () => {
  test('workers talk only to the loopback moto, with dummy keys and config files of their own', () => {
    expect(motoEndpoint()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.AWS_ENDPOINT_URL).toBe(motoEndpoint());
    expect(process.env.AWS_EC2_METADATA_DISABLED).toBe('true');
    expect(process.env.AWS_ACCESS_KEY_ID).toBe('testing');
    expect(process.env.AWS_SECRET_ACCESS_KEY).toBe('testing');
    expect(process.env.AWS_REGION).toBe('us-east-1');
    expect(process.env.AWS_CONFIG_FILE).toMatch(/secrets-doctor-test-.*config$/);
    expect(process.env.AWS_SHARED_CREDENTIALS_FILE).toMatch(/secrets-doctor-test-.*credentials$/);
    for (const name of ['CI', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy']) {
      expect(process.env[name], name).toBeUndefined();
    }
  });

  test('motoEnv is a complete, minimal environment for the CLI', () => {
    const env = motoEnv({ NO_COLOR: '1', AWS_REGION: 'eu-west-1', HOME: undefined });
    expect(env).toMatchObject({
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
      AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'eu-west-1',
      NO_COLOR: '1',
    });
    expect(env).not.toHaveProperty('HOME');
    expect(env).not.toHaveProperty('CI');
    expect(Object.keys(env).sort()).toEqual(
      [
        'PATH',
        'AWS_ENDPOINT_URL',
        'AWS_EC2_METADATA_DISABLED',
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'AWS_CONFIG_FILE',
        'AWS_SHARED_CREDENTIALS_FILE',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_REGION',
        'NO_COLOR',
      ].sort(),
    );
  });

  test('an AwsSession reaches moto through AWS_ENDPOINT_URL', async () => {
    const sts = await session.sts();
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(ACCOUNT);
    expect(session.log.some((r) => r.service === 'sts' && r.tries.some((t) => t.status === 200))).toBe(true);
  });
});

describe.concurrent('seedScenario', () => {
  test('healthy: customer managed symmetric key with the IM statement, resource policy allowing IM', async () => {
    const seeded = await seedScenario(session, 'healthy');
    const seen = await observe(session, seeded);
    expect(seeded).toMatchObject({ scenario: 'healthy', region: 'us-east-1', account: ACCOUNT });
    expect(seeded.secretName).toMatch(/^sd\/healthy-[0-9a-f]{8}$/);
    expect(seen.secret.ARN).toBe(seeded.secretArn);
    expect(seen.secret.Name).toBe(seeded.secretName);
    expect(seen.secret.DeletedDate).toBeUndefined();
    expectHealthyKey(seeded, seen);
    expect(seen.resourceStatements).toEqual([imSecretStatement]);
    // moto hands the policy back byte for byte.
    expect(seen.resourcePolicy).toBe(seeded.resourcePolicy);
    expect(Array.isArray(JSON.parse(seen.resourcePolicy ?? '{}').Statement)).toBe(true);
    expect(await secretValue(session, seeded)).toBe(PAGERDUTY_VALUE_EXAMPLE);
  });

  test('healthy-single-statement: Statement is one object with a list principal and a wildcard action', async () => {
    const seeded = await seedScenario(session, 'healthy-single-statement');
    const seen = await observe(session, seeded);
    const document = JSON.parse(seen.resourcePolicy ?? '{}') as { Statement: unknown };
    expect(Array.isArray(document.Statement)).toBe(false);
    expect(document.Statement).toEqual({
      Effect: 'Allow',
      Principal: { Service: ['ssm-incidents.amazonaws.com'] },
      Action: 'secretsmanager:Get*',
      Resource: '*',
    });
    expectHealthyKey(seeded, seen);
  });

  test('no-resource-policy: GetResourcePolicy has no ResourcePolicy', async () => {
    const seeded = await seedScenario(session, 'no-resource-policy');
    const seen = await observe(session, seeded);
    expect(seeded.resourcePolicy).toBeUndefined();
    expect(seen.resourcePolicy).toBeUndefined();
    expectHealthyKey(seeded, seen);
  });

  test('policy-other-service: the only principal is lambda', async () => {
    const seeded = await seedScenario(session, 'policy-other-service');
    const seen = await observe(session, seeded);
    expect(seen.resourceStatements).toHaveLength(1);
    expect(seen.resourceStatements?.[0]).toMatchObject({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } });
    expect(seen.resourcePolicy).not.toContain('ssm-incidents');
    expectHealthyKey(seeded, seen);
  });

  test('deny-caller: IM allowed, the caller explicitly denied by its IAM user ARN', async () => {
    const seeded = await seedScenario(session, 'deny-caller');
    const seen = await observe(session, seeded);
    const sts = await session.sts();
    const caller = await sts.send(new GetCallerIdentityCommand({}));
    expect(seeded.callerArn).toBe(caller.Arn);
    expect(seen.resourceStatements).toEqual([
      imSecretStatement,
      {
        Sid: 'DenyCaller',
        Effect: 'Deny',
        // moto reports the caller as arn:aws:sts::ACCOUNT:user/moto; a policy names a user by its IAM ARN
        Principal: { AWS: caller.Arn!.replace(':sts::', ':iam::') },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      },
    ]);
  });

  test('deny-everyone: IM allowed, then a Deny of secretsmanager:* for "*"', async () => {
    const seeded = await seedScenario(session, 'deny-everyone');
    const seen = await observe(session, seeded);
    expect(seen.resourceStatements).toEqual([imSecretStatement, { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*' }]);
  });

  test('aws-managed-key: no key created, DescribeSecret has no KmsKeyId', async () => {
    const seeded = await seedScenario(session, 'aws-managed-key');
    const seen = await observe(session, seeded);
    expect(seeded.keyId).toBeUndefined();
    expect(seeded.keyArn).toBeUndefined();
    expect(seen.secret.KmsKeyId).toBeUndefined();
    expect(seen.resourceStatements).toEqual([imSecretStatement]);
    expect(await secretValue(session, seeded)).toBe(PAGERDUTY_VALUE_EXAMPLE);
  });

  test('key-policy-without-im: the key policy is only the account-root statement', async () => {
    const seeded = await seedScenario(session, 'key-policy-without-im');
    const seen = await observe(session, seeded);
    expect(seen.keyStatements).toEqual([rootStatement]);
    expect(seen.key).toMatchObject({ KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' });
    expect(seen.resourceStatements).toEqual([imSecretStatement]);
  });

  test('key-policy-decrypt-only: the IM statement grants kms:Decrypt alone', async () => {
    const seeded = await seedScenario(session, 'key-policy-decrypt-only');
    const seen = await observe(session, seeded);
    expect(seen.keyStatements).toEqual([rootStatement, { ...imKeyStatement, Action: 'kms:Decrypt' }]);
  });

  test('disabled-key: the key is Disabled, its policy intact', async () => {
    const seeded = await seedScenario(session, 'disabled-key');
    const seen = await observe(session, seeded);
    expect(seen.key).toMatchObject({ KeyState: 'Disabled', Enabled: false, KeySpec: 'SYMMETRIC_DEFAULT' });
    expect(seen.keyStatements).toEqual([rootStatement, imKeyStatement]);
    expect(seen.secret.KmsKeyId).toBe(seeded.keyArn);
  });

  test('asymmetric-key: the secret uses an RSA_2048 ENCRYPT_DECRYPT key', async () => {
    const seeded = await seedScenario(session, 'asymmetric-key');
    const seen = await observe(session, seeded);
    expect(seen.secret.KmsKeyId).toBe(seeded.keyArn);
    expect(seen.key).toMatchObject({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' });
  });

  test('deleted-secret: scheduled for deletion, still described, value refused', async () => {
    const before = Date.now();
    const seeded = await seedScenario(session, 'deleted-secret');
    const seen = await observe(session, seeded);
    expect(seen.secret.DeletedDate).toBeInstanceOf(Date);
    // moto reports the scheduled deletion time (request time + 7 days) as DeletedDate.
    const days = ((seen.secret.DeletedDate?.getTime() ?? 0) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    expect(seen.resourceStatements).toEqual([imSecretStatement]);
    await expect(secretValue(session, seeded)).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  test('other-region: key and secret live in us-west-2 and not in the session Region', async () => {
    const seeded = await seedScenario(session, 'other-region');
    expect(seeded.region).toBe('us-west-2');
    expect(seeded.secretArn).toMatch(/^arn:aws:secretsmanager:us-west-2:123456789012:secret:/);
    const seen = await observe(session, seeded);
    expectHealthyKey(seeded, seen, 'us-west-2');
    expect(seen.resourceStatements).toEqual([imSecretStatement]);
    const east = await session.secretsManager('us-east-1');
    await expect(east.send(new DescribeSecretCommand({ SecretId: seeded.secretName }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  test('bad-value: the value is the given canary (or the wrong-shape default)', async () => {
    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    const [withCanary, withDefault] = await Promise.all([seedScenario(session, 'bad-value', { value: canary }), seedScenario(session, 'bad-value')]);
    expect(await secretValue(session, withCanary)).toBe(canary);
    expect(JSON.parse((await secretValue(session, withDefault)) ?? 'null')).toEqual({ token: 'not-the-right-shape' });
    expectHealthyKey(withCanary, await observe(session, withCanary));
  });

  test('demo: pagerduty-demo name, IM missing from both the resource policy and the key policy, valid value', async () => {
    const seeded = await seedScenario(session, 'demo', { prefix: 'prod/' });
    const seen = await observe(session, seeded);
    expect(seeded.secretName).toMatch(/^prod\/pagerduty-demo-[0-9a-f]{8}$/);
    expect(seen.resourceStatements).toHaveLength(1);
    expect(seen.resourcePolicy).not.toContain('ssm-incidents');
    expect(seen.keyStatements).toEqual([rootStatement]);
    expect(seen.key).toMatchObject({ KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled' });
    const value = JSON.parse((await secretValue(session, seeded)) ?? 'null') as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(['pagerDutyFromEmail', 'pagerDutyServiceRegion', 'pagerDutyToken']);
  });

  test('the PagerDuty example has the documented shape', () => {
    expect(JSON.parse(PAGERDUTY_VALUE_EXAMPLE)).toEqual({
      pagerDutyToken: expect.stringMatching(/^[A-Za-z0-9_+-]{20}$/),
      pagerDutyServiceRegion: 'US',
      pagerDutyFromEmail: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[a-z]+$/),
    });
  });
});

describe('seedScenarios', () => {
  test('seeds every scenario concurrently, in order, without collisions', async () => {
    const names: ScenarioName[] = [...SCENARIOS, 'healthy', 'healthy'];
    const seeded = await seedScenarios(session, names, { prefix: 'batch/' });
    expect(seeded.map((s) => s.scenario)).toEqual(names);
    expect(new Set(seeded.map((s) => s.secretArn)).size).toBe(names.length);
    expect(new Set(seeded.map((s) => s.secretName)).size).toBe(names.length);
    const keyIds = seeded.flatMap((s) => (s.keyId ? [s.keyId] : []));
    expect(new Set(keyIds).size).toBe(keyIds.length);
    expect(keyIds).toHaveLength(names.length - 1); // all but aws-managed-key
    for (const s of seeded) expect(s.secretName.startsWith('batch/')).toBe(true);
    // Each one exists where it says it is.
    const described = await Promise.all(seeded.map((s) => observe(session, s)));
    expect(described.map((d) => d.secret.ARN)).toEqual(seeded.map((s) => s.secretArn));
  });

  test('sessions in two Regions see the same account through STS', async () => {
    const west = newSession('us-west-2');
    const [a, b] = await Promise.all([seedScenario(west, 'healthy'), seedScenario(session, 'healthy')]);
    expect(a.region).toBe('us-west-2');
    expect(b.region).toBe('us-east-1');
    expect(a.account).toBe(b.account);
    expect(a.secretArn).toContain(':us-west-2:');
  });
});
