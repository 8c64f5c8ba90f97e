/**
 * Principals AWS would agree on (SPEC v2, "The request context": principals in another account, a principal
 * that does not exist; and the AWS managed key across accounts), against moto_server.
 *
 * moto serves several accounts: STS AssumeRole into arn:aws:iam::<other>:role/X returns credentials whose
 * access key moto files under <other>, and every later call signed with them acts in that account (moto
 * `get_account_id_from(access_key)`). Those credentials go in a profile of a credentials file of this test's
 * own, which --principal-profile names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { seedScenarios, type Seeded } from '../../source/demo/seed.js';
import { diagnose } from '../../source/diagnose.js';
import { AwsSession } from '../../source/aws/session.js';
import { parse } from '../../source/commands/args.js';
import { runDiagnose } from '../../source/commands/diagnose.js';
import type { CheckId, Inputs } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

const CALLER_ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const GET = 'secretsmanager:GetSecretValue';
const IAM_READS =
  /^(GetRole|GetUser|ListRolePolicies|ListAttachedRolePolicies|GetRolePolicy|ListUserPolicies|ListAttachedUserPolicies|ListGroupsForUser|SimulatePrincipalPolicy)$/;

const suffix = Date.now().toString(36);
const twin = `Twin-${suffix}`;
const otherPrincipal = `arn:aws:iam::${OTHER_ACCOUNT}:role/${twin}`;
let cmk: Seeded;
let awsKey: Seeded;
let dir: string;
const savedCredentialsFile = process.env.AWS_SHARED_CREDENTIALS_FILE;

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});
const allowRead = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['secretsmanager:*', 'kms:*'], Resource: '*' }] });

beforeAll(async () => {
  const session = newSession();
  const seeded = await seedScenarios(session, ['healthy', 'aws-managed-key']);
  cmk = seeded[0]!;
  awsKey = seeded[1]!;
  // The caller's account has a role of the same name that allows everything: reading it would be a false pass.
  const iam = await session.iam();
  await iam.send(new CreateRoleCommand({ RoleName: twin, AssumeRolePolicyDocument: trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: twin, PolicyName: 'everything', PolicyDocument: allowRead }));
  // Credentials that act in the other account, and there the principal's role, with no policy at all.
  const creds = (await (await session.sts()).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/Admin`, RoleSessionName: 'tests' })))
    .Credentials!;
  dir = await mkdtemp(join(tmpdir(), 'secrets-doctor-principals-'));
  const file = join(dir, 'credentials');
  await writeFile(
    file,
    `[other]\naws_access_key_id = ${creds.AccessKeyId}\naws_secret_access_key = ${creds.SecretAccessKey}\naws_session_token = ${creds.SessionToken}\n\n[same]\naws_access_key_id = testing\naws_secret_access_key = testing\n`,
    { mode: 0o600 },
  );
  process.env.AWS_SHARED_CREDENTIALS_FILE = file;
  const other = new AwsSession({ region: 'us-east-1', profile: 'other', timeoutMs: 5000 });
  await (await other.iam()).send(new CreateRoleCommand({ RoleName: twin, AssumeRolePolicyDocument: trust }));
  // The secret lets the other account's role in, so only the identity side is in question.
  for (const seeded of [cmk, awsKey]) {
    await (await session.secretsManager(seeded.region)).send(
      new PutResourcePolicyCommand({
        SecretId: seeded.secretArn,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: otherPrincipal }, Action: GET, Resource: '*' }],
        }),
      }),
    );
  }
});

afterAll(async () => {
  process.env.AWS_SHARED_CREDENTIALS_FILE = savedCredentialsFile;
  await rm(dir, { recursive: true, force: true });
});

async function run(secretArn: string, extra: Partial<Inputs>) {
  const session = newSession();
  const d = await diagnose(session, { symptom: 'access-denied', secretId: secretArn, ...extra });
  const finding = (id: CheckId) => d.findings.find((f) => f.id === id)!;
  return { session, d, finding };
}

describe('a principal in another account', () => {
  it("without --principal-profile: the identity side is unknown, and the caller's same-named role is never read", async () => {
    const { session, finding } = await run(cmk.secretArn, { principal: otherPrincipal });
    const check = finding('caller-permission');
    expect(check.status).toBe('unknown');
    expect(check.summary).toContain(OTHER_ACCOUNT);
    expect(check.remediation).toContain('--principal-profile');
    // No IAM read or simulation was made for it in the caller's account (the twin there allows everything).
    expect(session.log.filter((r) => r.service === 'iam' && IAM_READS.test(r.operation)).map((r) => r.operation)).toEqual([]);
  });

  it('with --principal-profile: its policies are read in its own account (where the role allows nothing)', async () => {
    const { session, finding } = await run(cmk.secretArn, { principal: otherPrincipal, principalProfile: 'other' });
    const check = finding('caller-permission');
    expect(check.status).toBe('fail');
    expect(check.summary).toContain('not allowed');
    // The requests of the other profile's session are in the run's request log.
    const ops = session.log.map((r) => r.operation);
    expect(ops).toContain('GetRole');
    expect(ops).toContain('ListRolePolicies');
  });

  it('a --principal-profile of the wrong account: unknown in the engine, and exit 2 with one sentence on the command line', async () => {
    const { finding } = await run(cmk.secretArn, { principal: otherPrincipal, principalProfile: 'same' });
    expect(finding('caller-permission').status).toBe('unknown');
    expect(finding('caller-permission').summary).toContain(`acts in account ${CALLER_ACCOUNT}`);

    const stdout: string[] = [];
    const stderr: string[] = [];
    const args = parse(
      [
        'diagnose',
        '--symptom',
        'access-denied',
        '--secret-id',
        cmk.secretArn,
        '--principal',
        otherPrincipal,
        '--principal-profile',
        'same',
        '--region',
        'us-east-1',
      ],
      process.env,
      false,
    );
    const status = await runDiagnose(args, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) });
    expect(status).toBe(2);
    expect(stdout.join('')).toBe('');
    expect(stderr.join('').trim().split('\n')).toHaveLength(1);
    expect(stderr.join('')).toContain(`principal is in account ${OTHER_ACCOUNT}`);
  });

  it("kms-policy-caller: a key policy that delegates to the principal's account is unknown, with the same way to see it", async () => {
    // Given a key policy that lets the other account's IAM policies decide (its account root), as AWS's
    // cross-account examples do: the answer lies in the principal's identity policies, which are not readable here
    const kms = await newSession().kms(cmk.region);
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: cmk.keyId!,
        PolicyName: 'default',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Owner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
            {
              Sid: 'OtherAccount',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
              Action: ['kms:Decrypt', 'kms:DescribeKey'],
              Resource: '*',
            },
          ],
        }),
      }),
    );
    const { finding } = await run(cmk.secretArn, { principal: otherPrincipal });
    const check = finding('kms-policy-caller');
    expect(check.status).toBe('unknown');
    expect(check.remediation).toContain('--principal-profile');
  });

  it('--principal-profile needs a principal (usage error)', () => {
    expect(() => parse(['diagnose', '--secret-id', 'x', '--principal-profile', 'other'], process.env, false)).toThrow(
      /--principal-profile goes with --principal/,
    );
  });
});

describe('a principal that does not exist', () => {
  it('fails caller-permission first: there is no such role in that account; the other principal checks skip', async () => {
    const ghost = `arn:aws:iam::${CALLER_ACCOUNT}:role/NoSuchRole-${suffix}`;
    const { finding } = await run(cmk.secretArn, { principal: ghost });
    const check = finding('caller-permission');
    expect(check.status).toBe('fail');
    expect(check.summary).toBe(`There is no role NoSuchRole-${suffix} in account ${CALLER_ACCOUNT}.`);
    expect(check.evidence.error).toMatch(/^NoSuchEntity/);
    expect(check.remediation).toContain('aws iam list-roles');
    expect(finding('secret-policy-caller').status).toBe('skip');
    expect(finding('secret-policy-caller').summary).toContain('see caller-permission');
  });
});

describe('the AWS managed key across accounts', () => {
  it('a principal of another account can never read a secret under aws/secretsmanager: kms-policy-caller fails with the way out', async () => {
    // Secrets Manager User Guide, "Permissions for users in a different account": "you can't use the AWS managed
    // key (aws/secretsmanager) for cross-account access"; AWS's own error: "You can't access a secret from a
    // different AWS account if you encrypt the secret with the default KMS service key."
    const { session, d, finding } = await run(awsKey.secretArn, { principal: otherPrincipal });
    const check = finding('kms-policy-caller');
    expect(check.status).toBe('fail');
    expect(check.summary).toContain('aws/secretsmanager');
    expect(check.remediation).toContain(`aws secretsmanager update-secret --secret-id ${awsKey.secretArn} --kms-key-id`);
    expect(check.remediation).toContain('customer managed key');
    expect(d.summary.fail).toBeGreaterThan(0);
    // The AWS managed key is never described (that call would create it on a real account).
    expect(session.log.map((r) => r.operation)).not.toContain('DescribeKey');
  });

  it('with temporary credentials (where kms-policy-caller does not run) secret-policy-caller says it', async () => {
    const session = newSession();
    const d = await diagnose(session, { symptom: 'access-denied-temporary-credentials', secretId: awsKey.secretArn, principal: otherPrincipal });
    const check = d.findings.find((f) => f.id === 'secret-policy-caller')!;
    expect(check.status).toBe('fail');
    expect(check.summary).toContain('aws/secretsmanager');
    expect(check.remediation).toContain('update-secret');
  });

  it('a metadata operation across accounts does not need the key: no such failure', async () => {
    const { finding } = await run(awsKey.secretArn, { principal: otherPrincipal, action: 'secretsmanager:DescribeSecret' });
    expect(finding('kms-policy-caller').status).toBe('skip');
  });
});
