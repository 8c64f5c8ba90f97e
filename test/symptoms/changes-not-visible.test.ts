/**
 * `changes-not-visible`: `propagation` reads what was changed until it matches the expectation (or two reads
 * agree), with backoff, and says how long it took. In-process diagnose() against moto_server; moto is
 * consistent at once, so "visible later" is made by changing the secret while the tool is already polling
 * (the test waits for the tool's first read in the request log, never for a fixed time).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { diagnose, type DiagnoseEvent, type Diagnosis } from '../../source/diagnose.js';
import { AwsSession } from '../../source/aws/session.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import type { Finding, Inputs } from '../../source/types.js';
import { newSession, motoEndpoint } from '../helpers/moto.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { runCli } from '../helpers/cli.js';

const CANARY = `canary-${randomUUID()}`;

let healthy: Seeded;

beforeAll(async () => {
  healthy = await seedScenario(newSession(), 'healthy');
});

async function run(inputs: Omit<Inputs, 'symptom'>, session: AwsSession = newSession()): Promise<{ d: Diagnosis; f: Finding; session: AwsSession }> {
  const d = await diagnose(session, { symptom: 'changes-not-visible', ...inputs });
  return { d, session, f: d.findings.find((x) => x.id === 'propagation')! };
}

async function fresh(): Promise<{ seeded: Seeded; put: (value: string, stages?: string[]) => Promise<string> }> {
  const session = newSession();
  const seeded = await seedScenario(session, 'healthy');
  const sm = await session.secretsManager();
  const put = async (value: string, stages?: string[]) => {
    const out = await sm.send(
      new PutSecretValueCommand({
        SecretId: seeded.secretArn,
        SecretString: value,
        ClientRequestToken: randomUUID(),
        ...(stages ? { VersionStages: stages } : {}),
      }),
    );
    return out.VersionId!;
  };
  return { seeded, put };
}

describe('propagation of a new value', () => {
  it('passes on the first read when AWSCURRENT is already the expected version, naming it', async () => {
    const { seeded, put } = await fresh();
    const version = await put('{"v":2}');
    const { d, f } = await run({ secretId: seeded.secretArn, changed: 'value', expectVersionId: version });
    expect(d.findings.map((x) => x.id)).toEqual(['credentials', 'secret-id', 'secret-exists', 'propagation', 'service-health']);
    expect(f.status).toBe('pass');
    expect(f.summary).toContain(`The change is visible on the first read: AWSCURRENT is version ${version}`);
    expect(f.evidence).toMatchObject({ api: 'secretsmanager:ListSecretVersionIds', changed: 'value', reads: 1, expectedVersionId: version });
    expect(f.remediation).toContain('eventually consistent');
    expect(f.remediation).toContain('TTL');
  });

  it('keeps reading with backoff until the version appears, and reports how long it took', async () => {
    // Given a version ID the tool waits for, written only after the tool has started reading
    const { seeded } = await fresh();
    const version = randomUUID();
    const session = newSession();
    const running = run({ secretId: seeded.secretArn, changed: 'value', expectVersionId: version, waitMs: 20_000 }, session);
    await vi.waitFor(() => expect(session.log.some((r) => r.operation === 'ListSecretVersionIds' && r.attempts > 0)).toBe(true), {
      timeout: 10_000,
      interval: 20,
    });
    const sm = await newSession().secretsManager();
    await sm.send(new PutSecretValueCommand({ SecretId: seeded.secretArn, SecretString: '{"v":3}', ClientRequestToken: version }));
    // Then it passed after more than one read, and says how long that took
    const { f } = await running;
    expect(f.status).toBe('pass');
    expect(f.evidence.reads).toBeGreaterThan(1);
    expect(f.evidence.seconds).toBeGreaterThan(0);
    expect(f.summary).toMatch(new RegExp(`visible after [0-9.]+ s \\(\\d+ reads\\): AWSCURRENT is version ${version}`));
  });

  it('fails after the wait when the version never becomes current, naming what AWS returns', async () => {
    const { seeded } = await fresh();
    const missing = randomUUID();
    const { f } = await run({ secretId: seeded.secretArn, changed: 'value', expectVersionId: missing, waitMs: 1200 });
    expect(f.status).toBe('fail');
    expect(f.summary).toMatch(/^After [0-9.]+ s \(\d+ reads\) the change is still not visible: AWSCURRENT is version /);
    expect(f.evidence.reads).toBeGreaterThan(1);
    expect(f.evidence.versionStages).toBeTypeOf('object');
    expect(f.details.join(' ')).toContain(`There is no version ${missing}`);
  });

  it('fails with the command that promotes a version written without AWSCURRENT', async () => {
    const { seeded, put } = await fresh();
    const pending = await put('{"v":"pending"}', ['AWSPENDING']);
    const { f } = await run({ secretId: seeded.secretArn, changed: 'value', expectVersionId: pending, waitMs: 600 });
    expect(f.status).toBe('fail');
    expect(f.details.join(' ')).toContain(`Version ${pending} exists with the staging labels [AWSPENDING]`);
    expect(f.remediation).toContain(
      `aws secretsmanager update-secret-version-stage --secret-id ${seeded.secretArn} --version-stage AWSCURRENT --move-to-version-id ${pending}`,
    );
  });

  it('without an expectation, passes once two reads agree, and warns when a version waits as AWSPENDING', async () => {
    const { seeded, put } = await fresh();
    const agreed = await run({ secretId: seeded.secretArn, changed: 'value' });
    expect(agreed.f.status).toBe('pass');
    expect(agreed.f.evidence.reads).toBe(2);
    expect(agreed.f.details.join(' ')).toContain('cannot tell whether this is your change');
    const pending = await put('{"v":"pending"}', ['AWSPENDING']);
    const { f } = await run({ secretId: seeded.secretArn, changed: 'value' });
    expect(f.status).toBe('warn');
    expect(f.summary).toContain(`version ${pending} is labelled AWSPENDING, not AWSCURRENT`);
    expect(f.evidence.pendingVersionId).toBe(pending);
    expect(f.remediation).toContain(`--move-to-version-id ${pending}`);
  });

  it('compares the value with --expect only with --read-value, by digest, and never shows it', async () => {
    const { seeded, put } = await fresh();
    await put(CANARY);
    // With consent: a SHA-256 comparison in memory (the file's trailing newline does not matter)
    const { d, f } = await run({ secretId: seeded.secretArn, changed: 'value', expect: `${CANARY}\n`, readValue: true });
    expect(f.status).toBe('pass');
    expect(f.evidence).toMatchObject({ api: 'secretsmanager:GetSecretValue', valueMatchesExpect: true });
    expect(JSON.stringify(d)).not.toContain(CANARY);
    // And a different expectation fails, still without the value anywhere
    const other = await run({ secretId: seeded.secretArn, changed: 'value', expect: 'something-else', readValue: true, waitMs: 500 });
    expect(other.f.status).toBe('fail');
    expect(other.f.evidence.valueMatchesExpect).toBe(false);
    expect(JSON.stringify(other.d)).not.toContain(CANARY);
    // Without consent the value is not read: the versions are compared instead, and the finding says so
    const noConsent = await run({ secretId: seeded.secretArn, changed: 'value', expect: CANARY });
    expect(noConsent.session.log.map((r) => r.operation)).not.toContain('GetSecretValue');
    expect(noConsent.f.details.join(' ')).toContain('allow the read (--read-value)');
    expect(JSON.stringify(noConsent.d)).not.toContain(CANARY);
  });
});

describe('propagation of a policy or metadata', () => {
  it('resource-policy: passes when the policy matches --expect (key order aside), fails naming the missing statement', async () => {
    const { seeded } = await fresh();
    const policy = JSON.parse(seeded.resourcePolicy!) as { Statement: Record<string, unknown>[] };
    const reordered = JSON.stringify({ Statement: policy.Statement.map((s) => Object.fromEntries(Object.entries(s).reverse())), Version: '2012-10-17' });
    const ok = await run({ secretId: seeded.secretArn, changed: 'resource-policy', expect: reordered });
    expect(ok.f.status).toBe('pass');
    expect(ok.f.evidence).toMatchObject({ api: 'secretsmanager:GetResourcePolicy', reads: 1, statements: ['"AllowIncidentManagerToReadSecret"'] });

    const wanted = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        ...policy.Statement,
        { Sid: 'AllowApp', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
      ],
    });
    const { f } = await run({ secretId: seeded.secretArn, changed: 'resource-policy', expect: wanted, waitMs: 500 });
    expect(f.status).toBe('fail');
    expect(f.details.join(' ')).toContain('Statements in --expect that AWS does not return: "AllowApp"');
    expect(f.remediation).toContain(`aws secretsmanager get-resource-policy --secret-id ${seeded.secretArn}`);

    // Once the policy is written, the same expectation passes
    await (await newSession().secretsManager()).send(new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: wanted }));
    expect((await run({ secretId: seeded.secretArn, changed: 'resource-policy', expect: wanted })).f.status).toBe('pass');
  });

  it('key-policy: reads the key named by --kms-key-id (no secret needed)', async () => {
    const { f, d } = await run({ kmsKeyId: healthy.keyArn, changed: 'key-policy', expect: healthy.keyPolicy });
    expect(f.status).toBe('pass');
    expect(f.evidence).toMatchObject({ api: 'kms:GetKeyPolicy', statements: ['"Enable IAM User Permissions"', '"Allow Incident Manager to use the key"'] });
    expect(d.findings.find((x) => x.id === 'secret-exists')!.status).toBe('skip');
  });

  it('metadata: compares the fields given in --expect and names the ones that differ', async () => {
    const { seeded } = await fresh();
    await (await newSession().secretsManager()).send(new UpdateSecretCommand({ SecretId: seeded.secretArn, Description: 'rotated by ops' }));
    const ok = await run({
      secretId: seeded.secretArn,
      changed: 'metadata',
      expect: JSON.stringify({ Description: 'rotated by ops', Tags: [{ Key: 'secrets-doctor-seed', Value: 'healthy' }] }),
    });
    expect(ok.f.status).toBe('pass');
    const { f } = await run({ secretId: seeded.secretArn, changed: 'metadata', expect: JSON.stringify({ Description: 'something else' }), waitMs: 400 });
    expect(f.status).toBe('fail');
    expect(f.evidence).toMatchObject({ api: 'secretsmanager:DescribeSecret', differing: ['Description'] });
  });

  it('skips without --changed, naming the flag; and an --expect that is not JSON is said so', async () => {
    expect((await run({ secretId: healthy.secretArn })).f).toMatchObject({ status: 'skip', summary: expect.stringContaining('--changed') });
    expect((await run({ secretId: healthy.secretArn, changed: 'resource-policy', expect: '{not json' })).f).toMatchObject({
      status: 'skip',
      summary: expect.stringContaining('--expect file is not valid JSON'),
    });
  });

  it('a refused read is unknown, naming the permission that would let the tool see', async () => {
    // Given GetResourcePolicy refused (a fault proxy in front of moto answers AccessDeniedException)
    const proxy = await startFaultProxy(motoEndpoint(), (op) =>
      op === 'secretsmanager.GetResourcePolicy' ? { status: 400, code: 'AccessDeniedException', message: 'not allowed' } : undefined,
    );
    const original = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    try {
      const { f } = await run({ secretId: healthy.secretArn, changed: 'resource-policy' }, new AwsSession({ region: 'us-east-1', timeoutMs: 5000 }));
      // Then polling stops at once, and the finding names the permission
      expect(f.status).toBe('unknown');
      expect(f.evidence).toMatchObject({ error: 'AccessDeniedException', reads: 1, api: 'secretsmanager:GetResourcePolicy' });
      expect(f.remediation).toContain('secretsmanager:GetResourcePolicy on the secret');
    } finally {
      process.env.AWS_ENDPOINT_URL = original;
      await proxy.close();
    }
  });
});

describe('propagation: stopping at a read that proves the wait vain, and saying how long it has waited', () => {
  it('a version ID no version can have stops on the first read, unknown, with the versions seen', async () => {
    // Given a secret with a version labelled "v2" (a staging label, not a version ID), and the default 60 s wait
    const { seeded, put } = await fresh();
    const labelled = await put('{"v":"labelled"}', ['v2']);
    const { f, session } = await run({ secretId: seeded.secretArn, changed: 'value', expectVersionId: 'v2' });
    // Then one read was made, well within the wait, and the finding says why it stopped
    expect(session.log.filter((r) => r.operation === 'ListSecretVersionIds')).toHaveLength(1);
    expect(f.status).toBe('unknown');
    expect(f.evidence).toMatchObject({ reads: 1, waitSeconds: 60, expectedVersionId: 'v2', stopped: 'not a version ID' });
    expect(f.evidence.seconds).toBeLessThan(10);
    expect(f.summary).toContain('"v2": it is not a version ID');
    expect(Object.values(f.evidence.versionStages as Record<string, string[]>)).toContainEqual(['AWSCURRENT']);
    expect(f.details.join(' ')).toContain(`"v2" is a staging label, on version ${labelled}`);
    expect(f.details.join(' ')).toContain('stopped on the first read instead of waiting up to 60 s');
  });

  it('waits for an existing version to become AWSCURRENT, emitting progress while it waits, then passes', async () => {
    // Given a version written as AWSPENDING, which a rotation (or a person) may still make current
    const { seeded, put } = await fresh();
    const pending = await put('{"v":"next"}', ['AWSPENDING']);
    const events: DiagnoseEvent[] = [];
    const running = diagnose(
      newSession(),
      { symptom: 'changes-not-visible', secretId: seeded.secretArn, changed: 'value', expectVersionId: pending, waitMs: 30_000 },
      (e) => events.push(e),
    );
    // When the tool says it is waiting, AWSCURRENT moves to that version
    await vi.waitFor(() => expect(events.some((e) => e.type === 'progress')).toBe(true), { timeout: 10_000, interval: 20 });
    const sm = await newSession().secretsManager();
    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: seeded.secretArn }));
    const current = listed.Versions!.find((v) => v.VersionStages?.includes('AWSCURRENT'))!.VersionId!;
    await sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: seeded.secretArn, VersionStage: 'AWSCURRENT', MoveToVersionId: pending, RemoveFromVersionId: current }),
    );
    // Then it passes, and the progress said what it waited for, with time and reads, before the finding only
    const f = (await running).findings.find((x) => x.id === 'propagation')!;
    expect(f.status).toBe('pass');
    expect(f.summary).toContain(`AWSCURRENT is version ${pending}`);
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    expect(progress[0]).toMatchObject({
      check: 'propagation',
      text: expect.stringMatching(new RegExp(`^waiting for version ${pending} to become AWSCURRENT: \\d+ s, \\d+ reads?$`)),
    });
    const finished = events.findIndex((e) => e.type === 'finding' && e.finding.id === 'propagation');
    expect(events.slice(finished).some((e) => e.type === 'progress')).toBe(false);
  });

  it('diagnose shows the progress on stderr off a terminal only with --verbose', async () => {
    const { seeded } = await fresh();
    const args = [
      'diagnose',
      '--symptom',
      'changes-not-visible',
      '--secret-id',
      seeded.secretArn,
      '--changed',
      'value',
      '--expect-version-id',
      randomUUID(),
      '--wait',
      '2.5',
      '--json',
    ];
    const verbose = await runCli([...args, '--verbose']);
    expect(verbose.stderr).toMatch(/^propagation {2}waiting for version [0-9a-f-]{36} to become AWSCURRENT: \d+ s, \d+ reads?$/m);
    expect(verbose.code).toBe(1);
    const quiet = await runCli(args);
    expect(quiet.stderr).not.toContain('waiting for');
    expect(quiet.code).toBe(1);
  });
});
