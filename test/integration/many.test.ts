/**
 * Many secrets in one run (`--secret-id` repeated, `--all-secrets`): one JSON document per secret, streamed
 * as each finishes, with the facts about the account and a shared key read once. A counting proxy in front
 * of moto_server counts the requests per operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSecretCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { seedScenario, seedCreatorRole, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEndpoint, motoEnv } from '../helpers/moto.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { runCli, documents, finding } from '../helpers/cli.js';

const REGION = 'sa-east-1'; // a Region of this file's own: --all-secrets lists all of it
let proxy: FaultProxy;
let creator: string;
let base: Seeded;
const sameKey: string[] = [];

beforeAll(async () => {
  const session = newSession(REGION);
  [base, creator] = await Promise.all([seedScenario(session, 'healthy'), seedCreatorRole(session, { allow: true })]);
  // Four more secrets on the same key, with the same resource policy.
  const sm = await session.secretsManager(REGION);
  for (let i = 0; i < 4; i++) {
    const out = await sm.send(new CreateSecretCommand({ Name: `many/${i}-${Date.now()}`, SecretString: '{}', KmsKeyId: base.keyArn }));
    await sm.send(new PutResourcePolicyCommand({ SecretId: out.ARN, ResourcePolicy: base.resourcePolicy }));
    sameKey.push(out.ARN!);
  }
  proxy = await startFaultProxy(motoEndpoint(), () => undefined);
});

afterAll(async () => {
  await proxy.close();
});

const env = () => motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint, AWS_REGION: REGION });
const count = (op: string) => proxy.seen.filter((s) => s === op).length;

describe('several secrets in one run', () => {
  it('streams one document per secret and reads the shared key, the caller and the principal once', async () => {
    proxy.seen.length = 0;
    const ids = [base.secretArn, ...sameKey];
    const result = await runCli(
      ['diagnose', '--symptom', 'incident-manager-secret', '--principal', creator, '--json', ...ids.flatMap((id) => ['--secret-id', id])],
      env(),
    );
    const docs = documents(result.stdout);
    expect(docs.map((d) => d.input.secretId).sort()).toEqual([...ids].sort());
    for (const d of docs) expect(finding(d, 'kms-policy-incident-manager').status).toBe('pass');
    expect(result.code).toBe(0);
    // one request per secret for what is the secret's, one per run for what is the account's
    expect(count('secretsmanager.DescribeSecret')).toBe(ids.length);
    expect(count('secretsmanager.GetResourcePolicy')).toBe(ids.length);
    expect(count('kms.DescribeKey')).toBe(1);
    expect(count('kms.GetKeyPolicy')).toBe(1);
    expect(count('sts.GetCallerIdentity')).toBe(1);
    expect(count('iam.GetRole')).toBe(1);
    expect(count('iam.SimulatePrincipalPolicy')).toBe(1);
  });

  it('--all-secrets diagnoses every secret of the Region, listed page by page', async () => {
    proxy.seen.length = 0;
    const result = await runCli(['diagnose', '--symptom', 'incident-manager-secret', '--principal', creator, '--json', '--all-secrets'], env());
    const docs = documents(result.stdout);
    expect(docs.length).toBe(1 + sameKey.length);
    expect(count('secretsmanager.ListSecrets')).toBeGreaterThanOrEqual(1);
    expect(new Set(docs.map((d) => d.input.secretId)).size).toBe(docs.length);
  });

  it('--response-plans without SSM Incidents (moto has none) says so and exits 3', async () => {
    const result = await runCli(['diagnose', '--symptom', 'incident-manager-secret', '--response-plans', '--json'], env());
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The response plans could not be read');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['diagnose', '--all-secrets', '--secret-id', 'x'], 'one way'],
    [['diagnose', '--response-plans', '--symptom', 'access-denied'], 'incident-manager-secret'],
    [['fix', '--all-secrets', '--symptom', 'incident-manager-secret', '--yes'], 'go with `secrets-doctor diagnose`'],
  ])('%j is a usage error', async (args, words) => {
    const result = await runCli(args, env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(words);
  });
});
