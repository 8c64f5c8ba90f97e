/**
 * Condition keys the engine gets wrong by itself (source/policy/condition-keys.ts), decided as AWS documents.
 * Each expected decision is written from the AWS page cited beside it; no AWS is needed.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluationRequest } from '../../source/policy/evaluate.js';
import { displayKey, engineKey, normaliseContext, normalisePolicy } from '../../source/policy/condition-keys.js';

const ACCOUNT = '111122223333';
const SECRET = `arn:aws:secretsmanager:us-east-2:${ACCOUNT}:secret:test-secret-a1b2c3`;
const OTHER_SECRET = `arn:aws:secretsmanager:us-east-2:${ACCOUNT}:secret:other-secret-d4e5f6`;
const KEY = `arn:aws:kms:us-east-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/EC2RoleToAccessSecrets`;
const VERSION = 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1';

const principalContext = {
  'aws:PrincipalArn': ROLE,
  'aws:PrincipalAccount': ACCOUNT,
  'aws:PrincipalType': 'AssumedRole',
  'aws:PrincipalIsAWSService': 'false',
};
/** Secrets Manager's Decrypt on the caller's behalf (Secrets Manager User Guide, "Secret encryption and decryption"). */
const viaSecretsManager = (secretArn: string) => ({
  ...principalContext,
  'kms:ViaService': 'secretsmanager.us-east-2.amazonaws.com',
  'kms:CallerAccount': ACCOUNT,
  'kms:EncryptionContext:SecretARN': secretArn,
  'kms:EncryptionContext:SecretVersionId': VERSION,
  'kms:EncryptionContextKeys': ['SecretARN', 'SecretVersionId'],
});
const secretContext = (tags: Record<string, string>) => ({
  ...principalContext,
  'secretsmanager:SecretId': SECRET,
  ...Object.fromEntries(
    Object.entries(tags).flatMap(([k, v]) => [
      [`aws:ResourceTag/${k}`, v],
      [`secretsmanager:ResourceTag/${k}`, v],
    ]),
  ),
});

async function decision(request: EvaluationRequest): Promise<string> {
  const result = await evaluate(request);
  if (!result.ok) return `error: ${result.error}`;
  return result.decision;
}

describe('secretsmanager:ResourceTag/<key>', () => {
  // Secrets Manager User Guide, "Permissions policy examples", "Example: Allow access to secrets with a
  // specific tag (attach to an identity)": DescribeSecret is allowed on secrets tagged ServerName=ServerABC.
  // https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
  const abac = {
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Action: 'secretsmanager:DescribeSecret',
      Resource: '*',
      Condition: { StringEquals: { 'secretsmanager:ResourceTag/ServerName': 'ServerABC' } },
    },
  };
  const request = (tags: Record<string, string>): EvaluationRequest => ({
    principal: ROLE,
    action: 'secretsmanager:DescribeSecret',
    resource: SECRET,
    resourceAccount: ACCOUNT,
    context: secretContext(tags),
    identityPolicies: [{ name: 'abac', policy: abac }],
  });

  it('allows a secret tagged ServerName=ServerABC (the documented example)', async () => {
    expect(await decision(request({ ServerName: 'ServerABC' }))).toBe('Allowed');
  });

  it('does not allow a secret with another value, or without the tag', async () => {
    expect(await decision(request({ ServerName: 'ServerXYZ' }))).toBe('ImplicitlyDenied');
    expect(await decision(request({}))).toBe('ImplicitlyDenied');
  });

  it('takes the secret tag from secretsmanager:ResourceTag alone, and in a Deny of a resource policy (array Statement, NotPrincipal)', async () => {
    // IAM User Guide, "Policy evaluation logic": an explicit Deny in any policy overrides an Allow.
    const resourcePolicy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['secretsmanager:GetSecretValue'], Resource: '*' },
        {
          Sid: 'DenyRestricted',
          Effect: 'Deny',
          NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/BreakGlass` },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
          Condition: { StringEquals: { 'secretsmanager:ResourceTag/Classification': ['restricted', 'secret'] } },
        },
      ],
    };
    const base = { principal: ROLE, action: 'secretsmanager:GetSecretValue', resource: SECRET, resourceAccount: ACCOUNT, identityPolicies: [], resourcePolicy };
    expect(await decision({ ...base, context: { ...principalContext, 'secretsmanager:ResourceTag/Classification': 'restricted' } })).toBe('ExplicitlyDenied');
    expect(await decision({ ...base, context: secretContext({ Classification: 'public' }) })).toBe('Allowed');
  });

  it('refuses (not a guess) a block that names the same tag under both prefixes', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/Team': 'a', 'secretsmanager:ResourceTag/Team': 'b' } },
      },
    };
    const result = await evaluate({ ...request({ Team: 'a' }), identityPolicies: [{ name: 'p', policy }] });
    expect(result).toMatchObject({ ok: false, invalid: false });
  });
});

describe('kms:EncryptionContext:<key>', () => {
  // Secrets Manager User Guide, "Secret encryption and decryption": Secrets Manager's Decrypt requests
  // carry the encryption context SecretARN and SecretVersionId, which "you can use ... as a condition for
  // authorization in policies". KMS Developer Guide, "AWS KMS condition keys", kms:EncryptionContext:context-key.
  const keyStatement = (condition: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    Sid: 'AllowSecretsManagerUseForOneSecret',
    Effect: 'Allow',
    Principal: { AWS: ROLE },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    Resource: '*',
    Condition: condition,
    ...extra,
  });
  const keyRequest = (policy: unknown, secretArn: string): EvaluationRequest => ({
    principal: ROLE,
    action: 'kms:Decrypt',
    resource: KEY,
    resourceAccount: ACCOUNT,
    context: viaSecretsManager(secretArn),
    identityPolicies: [],
    resourcePolicy: policy,
  });

  for (const [shape, wrap] of [
    ['single object Statement', (s: unknown) => ({ Version: '2012-10-17', Statement: s })],
    ['array Statement', (s: unknown) => ({ Version: '2012-10-17', Statement: [s] })],
  ] as const) {
    it(`a key policy with StringEquals on SecretARN decides both ways (${shape})`, async () => {
      const policy = wrap(
        keyStatement({ StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-2.amazonaws.com', 'kms:EncryptionContext:SecretARN': SECRET } }),
      );
      expect(await decision(keyRequest(policy, SECRET))).toBe('Allowed');
      expect(await decision(keyRequest(policy, OTHER_SECRET))).toBe('ImplicitlyDenied');
    });
  }

  it('StringLike with an array of patterns, and SecretVersionId', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: keyStatement({
        StringLike: {
          'kms:EncryptionContext:SecretARN': [`arn:aws:secretsmanager:us-east-2:${ACCOUNT}:secret:test-*`, 'arn:aws:secretsmanager:*:*:secret:prod/*'],
        },
      }),
    };
    expect(await decision(keyRequest(policy, SECRET))).toBe('Allowed');
    expect(await decision(keyRequest(policy, OTHER_SECRET))).toBe('ImplicitlyDenied');
    const validation = {
      Version: '2012-10-17',
      Statement: keyStatement({ StringNotEquals: { 'kms:EncryptionContext:SecretVersionId': 'RequestToValidateKeyAccess' } }),
    };
    expect(await decision(keyRequest(validation, SECRET))).toBe('Allowed');
  });

  it('a Deny with NotAction and StringNotLike on SecretARN denies other secrets only', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Use', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' },
        {
          Sid: 'OnlyThisSecret',
          Effect: 'Deny',
          Principal: '*',
          NotAction: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
          Resource: '*',
          Condition: { StringNotLike: { 'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:us-east-2:${ACCOUNT}:secret:test-secret-??????` } },
        },
      ],
    };
    expect(await decision(keyRequest(policy, SECRET))).toBe('Allowed');
    expect(await decision(keyRequest(policy, OTHER_SECRET))).toBe('ExplicitlyDenied');
  });

  it('the context key is case-sensitive (secretarn is not SecretARN), the prefix is not', async () => {
    // KMS API Reference, "GrantConstraints": a fully case-sensitive encryption context is had with the
    // kms:EncryptionContext: conditions of an IAM or key policy.
    const lower = { Version: '2012-10-17', Statement: keyStatement({ StringEquals: { 'kms:EncryptionContext:secretarn': SECRET } }) };
    expect(await decision(keyRequest(lower, SECRET))).toBe('ImplicitlyDenied');
    const prefix = { Version: '2012-10-17', Statement: keyStatement({ StringEquals: { 'KMS:encryptioncontext:SecretARN': SECRET } }) };
    expect(await decision(keyRequest(prefix, SECRET))).toBe('Allowed');
  });

  it('in an identity policy too (the identity side of kms:Decrypt through Secrets Manager)', async () => {
    const identity = {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: { StringEquals: { 'kms:EncryptionContext:SecretARN': [SECRET] } } },
    };
    const delegating = {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    };
    const base = {
      principal: ROLE,
      action: 'kms:Decrypt',
      resource: KEY,
      resourceAccount: ACCOUNT,
      identityPolicies: [{ name: 'read-one', policy: identity }],
      resourcePolicy: delegating,
    };
    expect(await decision({ ...base, context: viaSecretsManager(SECRET) })).toBe('Allowed');
    expect(await decision({ ...base, context: viaSecretsManager(OTHER_SECRET) })).toBe('ImplicitlyDenied');
  });
});

describe('the renaming itself', () => {
  it('round-trips a key name for display, and leaves other keys and non-policies alone', () => {
    const alias = engineKey('kms:EncryptionContext:SecretARN')!;
    expect(alias).not.toContain(':SecretARN');
    expect(displayKey(alias)).toBe('kms:EncryptionContext:SecretARN');
    expect(displayKey(alias.toLowerCase())).toBe('kms:EncryptionContext:SecretARN');
    expect(engineKey('kms:EncryptionContextKeys')).toBeUndefined();
    expect(engineKey('aws:SourceIp')).toBeUndefined();
    expect(normalisePolicy('not a policy')).toBe('not a policy');
    expect(normalisePolicy({ Statement: 3 })).toEqual({ Statement: 3 });
    expect(normaliseContext({ 'secretsmanager:ResourceTag/a': 'x', 'aws:ResourceTag/a': 'x' })).toEqual({ 'aws:ResourceTag/a': 'x' });
  });
});
