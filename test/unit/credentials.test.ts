/**
 * The `credentials` check through diagnose(), with STS GetCallerIdentity answered by aws-sdk-client-mock:
 * moto accepts any key and always answers `user/moto`, so it cannot produce an expired token, an unknown
 * key, a bad signature or an assumed-role identity. Everything else (the secret, its key, the credential
 * provider chain) is real: moto and the SDK's own providers.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { diagnose, type Diagnosis } from '../../source/diagnose.js';
import { runDiagnose } from '../../source/commands/diagnose.js';
import { exitStatus } from '../../source/commands/status.js';
import { parse } from '../../source/commands/args.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import type { Finding } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

const ACCOUNT = '123456789012';

let seeded: Seeded;
let sts: AwsClientStub<STSClient>;

beforeAll(async () => {
  // The seed asks moto's STS who the caller is: seed before STS is mocked.
  seeded = await seedScenario(newSession(), 'healthy');
  sts = mockClient(STSClient);
});

beforeEach(() => {
  sts.reset();
});

afterAll(() => {
  sts.restore();
});

/** Restores the given environment variables after each test that changed them. */
const savedEnv = new Map<string, string | undefined>();
function setEnv(name: string, value: string | undefined): void {
  if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
afterEach(() => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  savedEnv.clear();
});

function stsError(name: string, message: string, httpStatusCode = 403): STSServiceException {
  return new STSServiceException({
    name,
    message,
    $fault: 'client',
    $metadata: { httpStatusCode, requestId: 'c0ffee00-0000-4000-8000-000000000000', attempts: 1 },
  });
}

function credentialsOf(d: Diagnosis): Finding {
  const finding = d.findings.find((f) => f.id === 'credentials');
  if (!finding) throw new Error('no credentials finding');
  return finding;
}

/** A run of the Incident Manager checks on the seeded (healthy) secret. */
function runIm(extra: { profile?: string } = {}): Promise<Diagnosis> {
  return diagnose(newSession(), { symptom: 'incident-manager-secret', secretId: seeded.secretArn, ...extra });
}

describe('credentials that do not work', () => {
  it('ExpiredToken: credentials fail, every other check is skipped, and the exit status is 3', async () => {
    // Given STS answering that the session token has expired (mocked: moto never expires tokens)
    sts.on(GetCallerIdentityCommand).rejects(stsError('ExpiredToken', 'The security token included in the request is expired'));
    // When the Incident Manager checks run on a healthy secret
    const d = await runIm();
    const credentials = credentialsOf(d);
    // Then credentials fail with the precise cause
    expect(credentials.status).toBe('fail');
    expect(credentials.summary).toMatch(/credentials have expired/);
    expect(credentials.evidence).toMatchObject({ api: 'sts:GetCallerIdentity', error: 'ExpiredToken', kind: 'expired-credentials' });
    expect(credentials.remediation).toContain('aws sso login');
    // And credentials come first, every other finding is skip and names the prerequisite
    expect(d.findings[0]?.id).toBe('credentials');
    const others = d.findings.filter((f) => f.id !== 'credentials');
    expect(others.length).toBeGreaterThan(5);
    for (const finding of others) {
      expect(finding.status, finding.id).toBe('skip');
      expect(finding.summary, finding.id).toContain('see credentials');
    }
    expect(d.summary).toEqual({ pass: 0, fail: 1, warn: 0, unknown: 0, skip: others.length });
    expect(d.identity).toBeNull();
    // And the exit status is 3, with or without --strict
    expect(exitStatus(d, false)).toBe(3);
    expect(exitStatus(d, true)).toBe(3);
    // And GetCallerIdentity was asked once, although several checks need the identity
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('ExpiredToken through the CLI: one JSON document on stdout, one sentence on stderr, exit 3', async () => {
    // Given STS answering ExpiredToken (mocked: moto never expires tokens)
    sts.on(GetCallerIdentityCommand).rejects(stsError('ExpiredToken', 'The security token included in the request is expired'));
    const args = parse(
      ['diagnose', '--symptom', 'incident-manager-secret', '--secret-id', seeded.secretArn, '--json', '--region', 'us-east-1'],
      process.env,
      false,
    );
    const stdout: string[] = [];
    const stderr: string[] = [];
    // When `secrets-doctor diagnose --json` runs
    const status = await runDiagnose(args, { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) });
    // Then the exit status is 3, stdout is exactly one JSON document, stderr one line
    expect(status).toBe(3);
    const out = stdout.join('');
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    const document = JSON.parse(out) as Diagnosis;
    expect(document.schemaVersion).toBe(1);
    expect(document.findings.find((f) => f.id === 'credentials')?.status).toBe('fail');
    expect(document.findings.filter((f) => f.id !== 'credentials').every((f) => f.status === 'skip')).toBe(true);
    const err = stderr.join('');
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(/expired/);
    expect(err).not.toMatch(/\bat \S+ \(/);
  });

  it('InvalidClientTokenId: fails as an unknown access key', async () => {
    // Given STS not recognising the access key (mocked: moto accepts any key)
    sts.on(GetCallerIdentityCommand).rejects(stsError('InvalidClientTokenId', 'The security token included in the request is invalid.'));
    // When the checks run
    const d = await runIm();
    const credentials = credentialsOf(d);
    // Then credentials fail, naming the access key, and the run exits 3
    expect(credentials.status).toBe('fail');
    expect(credentials.summary).toContain('does not recognise the access key ID');
    expect(credentials.evidence).toMatchObject({ error: 'InvalidClientTokenId', kind: 'invalid-key' });
    expect(credentials.details.join(' ')).toContain('InvalidClientTokenId');
    expect(exitStatus(d, false)).toBe(3);
  });

  it('SignatureDoesNotMatch: fails as a signature problem (secret key or clock)', async () => {
    // Given STS rejecting the signature (mocked: moto does not verify signatures)
    sts
      .on(GetCallerIdentityCommand)
      .rejects(
        stsError(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        ),
      );
    // When the checks run
    const d = await runIm();
    const credentials = credentialsOf(d);
    // Then credentials fail with the signature cause and everything else is skipped
    expect(credentials.status).toBe('fail');
    expect(credentials.evidence).toMatchObject({ error: 'SignatureDoesNotMatch', kind: 'signature' });
    expect(credentials.summary).toMatch(/signature/);
    expect(credentials.summary).toMatch(/clock/);
    expect(d.summary.skip).toBe(d.findings.length - 1);
  });

  it('an expired SSO session: fails with `aws sso login --profile P`', async () => {
    // Given the SDK's SSO provider failing inside the request, as it does for an expired SSO session
    // (mocked STS: the SSO provider would need an SSO portal)
    sts
      .on(GetCallerIdentityCommand)
      .rejects(
        Object.assign(
          new Error(
            "The SSO session associated with this profile has expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
          ),
          { name: 'CredentialsProviderError', tryNextLink: false },
        ),
      );
    // When the checks run for profile "dev"
    const d = await runIm({ profile: 'dev' });
    const credentials = credentialsOf(d);
    // Then credentials fail, and both summary and remediation give the exact command
    expect(credentials.status).toBe('fail');
    expect(credentials.evidence).toMatchObject({ kind: 'sso-expired' });
    expect(credentials.summary).toContain('`aws sso login --profile dev`');
    expect(credentials.remediation).toContain('`aws sso login --profile dev`');
    expect(exitStatus(d, false)).toBe(3);
  });

  it('no credentials anywhere: the real provider chain fails, and credentials fail as "none found"', async () => {
    // Given no keys in the environment (the config files are the tests' own, empty; metadata is disabled),
    // and STS mocked only to resolve the client's real credential chain the way a real request does
    setEnv('AWS_ACCESS_KEY_ID', undefined);
    setEnv('AWS_SECRET_ACCESS_KEY', undefined);
    sts.on(GetCallerIdentityCommand).callsFake(async (_input: unknown, getClient: () => STSClient) => {
      const provider = getClient().config.credentials as () => Promise<unknown>;
      await provider();
      throw new Error('the credential chain unexpectedly found credentials');
    });
    // When the checks run
    const d = await diagnose(newSession(), { symptom: 'changes-not-visible' });
    const credentials = credentialsOf(d);
    // Then credentials fail with "no credentials", and the run exits 3
    expect(credentials.status).toBe('fail');
    expect(credentials.evidence).toMatchObject({ error: 'CredentialsProviderError', kind: 'no-credentials' });
    expect(credentials.summary).toMatch(/^No AWS credentials were found/);
    expect(exitStatus(d, false)).toBe(3);
  });
});

describe('credentials that work', () => {
  it('an assumed-role identity is reported with type assumed-role', async () => {
    // Given STS answering with an assumed-role session (mocked: moto always answers user/moto)
    const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/alice`;
    sts.on(GetCallerIdentityCommand).resolves({ Arn: arn, Account: ACCOUNT, UserId: 'AROA3XFRBF535PLBIFPI4:alice' });
    // When the checks run
    const d = await diagnose(newSession(), { symptom: 'changes-not-visible' });
    const credentials = credentialsOf(d);
    // Then credentials pass, with the session and its type as evidence, and the document's identity agrees
    expect(credentials.status).toBe('pass');
    expect(credentials.summary).toContain(arn);
    expect(credentials.evidence).toMatchObject({ api: 'sts:GetCallerIdentity', arn, account: ACCOUNT, type: 'assumed-role' });
    expect(d.identity).toEqual({ arn, account: ACCOUNT, type: 'assumed-role' });
    expect(exitStatus(d, true)).toBe(0);
  });

  it.each([
    [`arn:aws:iam::${ACCOUNT}:user/alice`, 'user'],
    [`arn:aws:iam::${ACCOUNT}:user/division/team/alice`, 'user'],
    [`arn:aws:sts::${ACCOUNT}:federated-user/bob`, 'federated-user'],
    [`arn:aws:iam::${ACCOUNT}:root`, 'root'],
    [`arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/Ops/alice`, 'assumed-role'],
    [`arn:aws-cn:iam::${ACCOUNT}:user/alice`, 'user'],
  ])('identity %s has type %s', async (arn, type) => {
    // Given STS answering with that identity (mocked: moto's STS always answers user/moto)
    sts.on(GetCallerIdentityCommand).resolves({ Arn: arn, Account: ACCOUNT, UserId: 'AIDAEXAMPLE' });
    // When the checks run
    const d = await diagnose(newSession(), { symptom: 'changes-not-visible' });
    // Then the identity type is right, in the finding and in the document
    expect(credentialsOf(d).evidence.type).toBe(type);
    expect(d.identity?.type).toBe(type);
  });

  it('temporary credentials that expire in 5 minutes: warn (exit 0, or 1 with --strict)', async () => {
    // Given session credentials in the environment that expire in 5 minutes (read by the SDK's env provider),
    // and STS answering for an assumed role (mocked: moto cannot be an assumed-role session)
    const expiration = new Date(Date.now() + 5 * 60_000);
    setEnv('AWS_SESSION_TOKEN', 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN');
    setEnv('AWS_CREDENTIAL_EXPIRATION', expiration.toISOString());
    sts.on(GetCallerIdentityCommand).resolves({ Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/alice`, Account: ACCOUNT, UserId: 'AROAEXAMPLE:alice' });
    // When the checks run
    const d = await diagnose(newSession(), { symptom: 'changes-not-visible' });
    const credentials = credentialsOf(d);
    // Then credentials warn, with the time left and the expiry as evidence
    expect(credentials.status).toBe('warn');
    expect(credentials.summary).toMatch(/expire in [45] min/);
    expect(credentials.evidence).toMatchObject({ temporary: true, type: 'assumed-role' });
    expect(credentials.evidence.expiration).toBe(expiration.toISOString());
    expect(credentials.remediation).toMatch(/Refresh/);
    // And a warning does not fail the run unless --strict
    expect(exitStatus(d, false)).toBe(0);
    expect(exitStatus(d, true)).toBe(1);
  });

  it('temporary credentials with hours left: pass, saying when they expire', async () => {
    // Given session credentials that expire in 3 hours, and STS answering for an assumed role
    // (mocked: moto cannot be an assumed-role session)
    const expiration = new Date(Date.now() + 3 * 3600_000);
    setEnv('AWS_SESSION_TOKEN', 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN');
    setEnv('AWS_CREDENTIAL_EXPIRATION', expiration.toISOString());
    sts.on(GetCallerIdentityCommand).resolves({ Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/alice`, Account: ACCOUNT, UserId: 'AROAEXAMPLE:alice' });
    // When the checks run
    const credentials = credentialsOf(await diagnose(newSession(), { symptom: 'changes-not-visible' }));
    // Then credentials pass and the details say they are temporary and when they expire
    expect(credentials.status).toBe('pass');
    expect(credentials.evidence.temporary).toBe(true);
    expect(credentials.details.join(' ')).toMatch(/expire at .* \(in 3 h\)/);
  });

  it('long-term keys: pass, and are not called temporary', async () => {
    // Given the environment's long-term keys (no session token) and STS answering for a user
    // (mocked: this file's STS is mocked throughout, and moto would answer with its sts:: form of user/moto)
    sts.on(GetCallerIdentityCommand).resolves({ Arn: `arn:aws:iam::${ACCOUNT}:user/alice`, Account: ACCOUNT, UserId: 'AIDAEXAMPLE' });
    // When the checks run
    const credentials = credentialsOf(await diagnose(newSession(), { symptom: 'changes-not-visible' }));
    // Then credentials pass without a temporary flag
    expect(credentials.status).toBe('pass');
    expect(credentials.evidence.temporary).toBeUndefined();
    expect(credentials.summary).toBe(`Signed in as arn:aws:iam::${ACCOUNT}:user/alice (user, account ${ACCOUNT}).`);
  });
});
