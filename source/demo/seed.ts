/**
 * Seeds an AWS API emulator (moto) with Incident Manager set-ups, healthy and broken, for the tests and for
 * `npm run demo`. Everything goes through an AwsSession, so the endpoint is whatever the SDK resolves
 * (AWS_ENDPOINT_URL). Names get a random suffix: concurrent seeds in one server never collide.
 *
 * Never point this at a real account: it creates keys and secrets.
 */
import { randomBytes } from 'node:crypto';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateSecretCommand, DeleteSecretCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { AwsSession } from '../aws/session.js';
import { IM_PRINCIPAL } from '../types.js';
import { incidentManagerKeyStatement as imKeyStatement, incidentManagerSecretStatement as imSecretStatement } from '../policy/statements.js';

export type ScenarioName =
  | 'healthy'
  | 'healthy-single-statement'
  | 'no-resource-policy'
  | 'policy-other-service'
  | 'deny-caller'
  | 'deny-everyone'
  | 'aws-managed-key'
  | 'key-policy-without-im'
  | 'key-policy-decrypt-only'
  | 'disabled-key'
  | 'asymmetric-key'
  | 'deleted-secret'
  | 'other-region'
  | 'bad-value'
  | 'demo';

export const SCENARIOS: readonly ScenarioName[] = [
  'healthy',
  'healthy-single-statement',
  'no-resource-policy',
  'policy-other-service',
  'deny-caller',
  'deny-everyone',
  'aws-managed-key',
  'key-policy-without-im',
  'key-policy-decrypt-only',
  'disabled-key',
  'asymmetric-key',
  'deleted-secret',
  'other-region',
  'bad-value',
  'demo',
];

export interface Seeded {
  scenario: ScenarioName;
  secretName: string;
  secretArn: string;
  region: string;
  /** The key's ID; absent for `aws-managed-key`. */
  keyId?: string;
  keyArn?: string;
  /** The key policy as written (absent for `aws-managed-key`). */
  keyPolicy?: string;
  /** The secret resource policy as written (absent when none was attached). */
  resourcePolicy?: string;
  /** The caller that seeded it, from STS GetCallerIdentity. */
  callerArn: string;
  account: string;
}

export interface SeedOptions {
  /** Put before the scenario name. @default 'sd/' */
  prefix?: string;
  /** The secret value; default: PAGERDUTY_VALUE_EXAMPLE (for `bad-value`: a JSON object of the wrong shape). */
  value?: string;
}

/** A secret value of the shape Incident Manager expects for PagerDuty. The token is fake. */
export const PAGERDUTY_VALUE_EXAMPLE = JSON.stringify({
  pagerDutyToken: 'y_FAKEdemoTOKEN00000',
  pagerDutyServiceRegion: 'US',
  pagerDutyFromEmail: 'oncall@example.com',
});

const BAD_VALUE_DEFAULT = '{"token":"not-the-right-shape"}';

type Statement = Record<string, unknown>;

const policy = (statement: Statement | Statement[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statement }, null, 2);

const rootStatement = (account: string): Statement => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

const incidentManagerKeyStatement = (actions: string | string[]): Statement => ({ ...imKeyStatement(), Action: actions });

const incidentManagerSecretStatement: Statement = imSecretStatement();

const otherServiceStatement: Statement = {
  Sid: 'AllowLambda',
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
};

interface Identity {
  account: string;
  arn: string;
}

const identities = new WeakMap<AwsSession, Promise<Identity>>();

/** STS GetCallerIdentity, once per session. */
function callerIdentity(session: AwsSession): Promise<Identity> {
  let identity = identities.get(session);
  if (!identity) {
    identity = (async () => {
      const sts = await session.sts();
      const out = await sts.send(new GetCallerIdentityCommand({}));
      if (!out.Account || !out.Arn) throw new Error('STS GetCallerIdentity returned no account or ARN.');
      return { account: out.Account, arn: out.Arn };
    })();
    identities.set(session, identity);
    identity.catch(() => identities.delete(session));
  }
  return identity;
}

function uniqueName(prefix: string, base: string): string {
  // 8 characters: a name must not end in "-" plus 6 characters (Secrets Manager would take it for an ARN suffix).
  return `${prefix}${base}-${randomBytes(4).toString('hex')}`;
}

interface Plan {
  region?: string;
  nameBase: string;
  /** undefined: the AWS managed key (no KmsKeyId). */
  key?: { spec: 'SYMMETRIC_DEFAULT' | 'RSA_2048'; policy: (account: string) => string; disable?: boolean };
  resourcePolicy?: (identity: Identity) => string;
  value: string;
  deleteSecret?: boolean;
}

function plan(scenario: ScenarioName, value: string | undefined): Plan {
  const healthyKey = {
    spec: 'SYMMETRIC_DEFAULT' as const,
    policy: (account: string) => policy([rootStatement(account), incidentManagerKeyStatement(['kms:Decrypt', 'kms:GenerateDataKey*'])]),
  };
  const healthyResourcePolicy = () => policy([incidentManagerSecretStatement]);
  const healthy: Plan = {
    nameBase: scenario,
    key: healthyKey,
    resourcePolicy: healthyResourcePolicy,
    value: value ?? PAGERDUTY_VALUE_EXAMPLE,
  };
  switch (scenario) {
    case 'healthy':
      return healthy;
    case 'healthy-single-statement':
      return {
        ...healthy,
        resourcePolicy: () =>
          policy({
            Effect: 'Allow',
            Principal: { Service: [IM_PRINCIPAL] },
            Action: 'secretsmanager:Get*',
            Resource: '*',
          }),
      };
    case 'no-resource-policy': {
      const { resourcePolicy: _none, ...rest } = healthy;
      return rest;
    }
    case 'policy-other-service':
      return { ...healthy, resourcePolicy: () => policy([otherServiceStatement]) };
    case 'deny-caller':
      return {
        ...healthy,
        resourcePolicy: (identity) =>
          policy([
            incidentManagerSecretStatement,
            {
              Sid: 'DenyCaller',
              Effect: 'Deny',
              // As a policy names a user: moto's caller comes back as arn:aws:sts::...:user/NAME.
              Principal: { AWS: identity.arn.replace(/^(arn:[^:]+:)sts(::\d{12}:user\/)/, '$1iam$2') },
              Action: 'secretsmanager:GetSecretValue',
              Resource: '*',
            },
          ]),
      };
    case 'deny-everyone':
      return {
        ...healthy,
        resourcePolicy: () =>
          policy([incidentManagerSecretStatement, { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*' }]),
      };
    case 'aws-managed-key': {
      const { key: _none, ...rest } = healthy;
      return rest;
    }
    case 'key-policy-without-im':
      return { ...healthy, key: { ...healthyKey, policy: (account) => policy([rootStatement(account)]) } };
    case 'key-policy-decrypt-only':
      return {
        ...healthy,
        key: {
          ...healthyKey,
          policy: (account) => policy([rootStatement(account), incidentManagerKeyStatement('kms:Decrypt')]),
        },
      };
    case 'disabled-key':
      return { ...healthy, key: { ...healthyKey, disable: true } };
    case 'asymmetric-key':
      return { ...healthy, key: { ...healthyKey, spec: 'RSA_2048' } };
    case 'deleted-secret':
      return { ...healthy, deleteSecret: true };
    case 'other-region':
      return { ...healthy, region: 'us-west-2' };
    case 'bad-value':
      return { ...healthy, value: value ?? BAD_VALUE_DEFAULT };
    case 'demo':
      return {
        ...healthy,
        nameBase: 'pagerduty-demo',
        key: { ...healthyKey, policy: (account) => policy([rootStatement(account)]) },
        resourcePolicy: () => policy([otherServiceStatement]),
      };
  }
}

/** Creates one scenario's key (if any) and secret, and returns what was made. */
export async function seedScenario(session: AwsSession, scenario: ScenarioName, options: SeedOptions = {}): Promise<Seeded> {
  const p = plan(scenario, options.value);
  const region = p.region ?? (await session.region());
  const [identity, kms, sm] = await Promise.all([callerIdentity(session), session.kms(region), session.secretsManager(region)]);
  const secretName = uniqueName(options.prefix ?? 'sd/', p.nameBase);

  let keyId: string | undefined;
  let keyArn: string | undefined;
  let keyPolicy: string | undefined;
  if (p.key) {
    const created = await kms.send(
      new CreateKeyCommand({
        Description: `secrets-doctor seed: ${scenario} (${secretName})`,
        KeySpec: p.key.spec,
        KeyUsage: 'ENCRYPT_DECRYPT',
        Tags: [{ TagKey: 'secrets-doctor-seed', TagValue: scenario }],
      }),
    );
    keyId = created.KeyMetadata?.KeyId;
    keyArn = created.KeyMetadata?.Arn;
    if (!keyId || !keyArn) throw new Error('KMS CreateKey returned no key ID or ARN.');
    keyPolicy = p.key.policy(identity.account);
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: keyPolicy }));
  }

  const secret = await sm.send(
    new CreateSecretCommand({
      Name: secretName,
      Description: `secrets-doctor seed: ${scenario}`,
      SecretString: p.value,
      ...(keyArn ? { KmsKeyId: keyArn } : {}),
      Tags: [{ Key: 'secrets-doctor-seed', Value: scenario }],
    }),
  );
  const secretArn = secret.ARN;
  if (!secretArn) throw new Error('Secrets Manager CreateSecret returned no ARN.');

  const resourcePolicy = p.resourcePolicy?.(identity);
  await Promise.all([
    resourcePolicy ? sm.send(new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: resourcePolicy })) : undefined,
    p.key?.disable && keyId ? kms.send(new DisableKeyCommand({ KeyId: keyId })) : undefined,
  ]);
  if (p.deleteSecret) {
    await sm.send(new DeleteSecretCommand({ SecretId: secretArn, RecoveryWindowInDays: 7 }));
  }

  return {
    scenario,
    secretName,
    secretArn,
    region,
    callerArn: identity.arn,
    account: identity.account,
    ...(keyId ? { keyId } : {}),
    ...(keyArn ? { keyArn } : {}),
    ...(keyPolicy ? { keyPolicy } : {}),
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
}

/** Seeds several scenarios concurrently; results in the order of `names`. */
export function seedScenarios(session: AwsSession, names: readonly ScenarioName[], options: SeedOptions = {}): Promise<Seeded[]> {
  return Promise.all(names.map((name) => seedScenario(session, name, options)));
}

/**
 * An IAM role standing for the identity that creates the response plan, with one inline policy: with
 * `allow`, secretsmanager:GetSecretValue and the key use Incident Manager's creator needs; without, only
 * an unrelated permission. Returns the role's ARN (with its path).
 */
export async function seedCreatorRole(session: AwsSession, options: { allow: boolean; prefix?: string }): Promise<string> {
  const iam = await session.iam();
  const name = `${(options.prefix ?? 'sd-').replace(/[^\w+=,.@-]/g, '-')}creator-${randomBytes(4).toString('hex')}`;
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const created = await iam.send(new CreateRoleCommand({ RoleName: name, Path: '/incident-response/', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const statement = options.allow
    ? [
        { Sid: 'ReadPagerDutySecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
        { Sid: 'UseKeyThroughSecretsManager', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
      ]
    : { Sid: 'SomethingElse', Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' };
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: name,
      PolicyName: 'response-plan-creator',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statement }),
    }),
  );
  if (!created.Role?.Arn) throw new Error('IAM CreateRole returned no ARN.');
  return created.Role.Arn;
}

export interface SeededKey {
  keyId: string;
  keyArn: string;
  /** `alias/...`, when one was asked for. */
  alias?: string;
  region: string;
}

/**
 * A KMS key on its own (for asymmetric-kms-key): its spec and usage, optionally an alias and disabled.
 * The key policy is KMS's default (the account root may use it).
 */
export async function seedKmsKey(
  session: AwsSession,
  options: {
    spec?: 'SYMMETRIC_DEFAULT' | 'RSA_2048' | 'ECC_NIST_P256';
    usage?: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';
    region?: string;
    alias?: boolean;
    disable?: boolean;
    prefix?: string;
  } = {},
): Promise<SeededKey> {
  const region = options.region ?? (await session.region());
  const kms = await session.kms(region);
  const spec = options.spec ?? 'SYMMETRIC_DEFAULT';
  const created = await kms.send(
    new CreateKeyCommand({
      Description: `secrets-doctor seed: ${spec} key`,
      KeySpec: spec,
      KeyUsage: options.usage ?? 'ENCRYPT_DECRYPT',
      Tags: [{ TagKey: 'secrets-doctor-seed', TagValue: spec }],
    }),
  );
  const keyId = created.KeyMetadata?.KeyId;
  const keyArn = created.KeyMetadata?.Arn;
  if (!keyId || !keyArn) throw new Error('KMS CreateKey returned no key ID or ARN.');
  let alias: string | undefined;
  if (options.alias) {
    alias = `alias/${(options.prefix ?? 'sd-').replace(/[^\w/-]/g, '-')}${spec.toLowerCase().replace(/_/g, '-')}-${randomBytes(4).toString('hex')}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  }
  if (options.disable) await kms.send(new DisableKeyCommand({ KeyId: keyId }));
  return { keyId, keyArn, region, ...(alias ? { alias } : {}) };
}

/**
 * An IAM role with one inline policy of the caller's choosing and, optionally, a permissions boundary
 * (a managed policy created for it). Returns the role's ARN (with its path) and name.
 */
export async function seedRole(
  session: AwsSession,
  policyDocument: Record<string, unknown>,
  options: { prefix?: string; boundary?: Record<string, unknown> } = {},
): Promise<{ arn: string; name: string }> {
  const iam = await session.iam();
  const suffix = randomBytes(4).toString('hex');
  const name = `${(options.prefix ?? 'sd-').replace(/[^\w+=,.@-]/g, '-')}role-${suffix}`;
  let boundaryArn: string | undefined;
  if (options.boundary) {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-boundary`, PolicyDocument: JSON.stringify(options.boundary) }));
    boundaryArn = created.Policy?.Arn;
  }
  const { account } = await callerIdentity(session);
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] };
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      Path: '/apps/',
      AssumeRolePolicyDocument: JSON.stringify(trust),
      ...(boundaryArn ? { PermissionsBoundary: boundaryArn } : {}),
    }),
  );
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'app', PolicyDocument: JSON.stringify(policyDocument) }));
  if (!role.Role?.Arn) throw new Error('IAM CreateRole returned no ARN.');
  return { arn: role.Role.Arn, name };
}
