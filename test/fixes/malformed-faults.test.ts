/**
 * Nothing is planned or written on a malformed answer (SPEC.md, Version 2, "Hostile input and malformed
 * answers"). Through the fault proxy in front of moto_server: GetResourcePolicy answering an empty 200
 * once made `fix` plan as if there were no policy, overwrite the existing statement, back up
 * `"policy": null` (an undo that deletes the policy) and blame "someone else".
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsSession } from '../../source/aws/session.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { planFix } from '../../source/fixes/index.js';
import { applyChange, type FixIo } from '../../source/fixes/protocol.js';
import { secretPolicyTarget } from '../../source/fixes/targets.js';
import { writeBackup } from '../../source/fixes/backup.js';
import { motoEndpoint, motoEnv, newSession } from '../helpers/moto.js';
import { runCli } from '../helpers/cli.js';
import { startFaultProxy, type Fault, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.js';

const direct = newSession();
const original = process.env.AWS_ENDPOINT_URL;
let proxy: FaultProxy | undefined;

afterEach(async () => {
  process.env.AWS_ENDPOINT_URL = original;
  await proxy?.close();
  proxy = undefined;
});

const IM_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'IM', Effect: 'Allow', Principal: { Service: 'ssm-incidents.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});
const EMPTY_200: Fault = { body: '' };
const HTML_200: Fault = { body: '<html><body>Service temporarily unavailable</body></html>', contentType: 'text/html' };
const UNAVAILABLE: Fault = { status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' };
const io: FixIo = { event: () => {}, confirm: async () => true };

async function policyNow(seeded: Seeded): Promise<string | undefined> {
  const out = await (await direct.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }));
  return out.ResourcePolicy;
}

async function through(rule: FaultRule) {
  proxy = await startFaultProxy(motoEndpoint(), rule);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  return new AwsSession({ region: 'us-east-1', timeoutMs: 2000 });
}

async function applyThrough(rule: FaultRule) {
  const seeded = await seedScenario(direct, 'policy-other-service');
  const before = (await policyNow(seeded)) ?? null;
  const session = await through(rule);
  const target = secretPolicyTarget(session, seeded.secretArn, 'us-east-1', seeded.secretName);
  const dir = await mkdtemp(path.join(tmpdir(), 'sd-malformed-'));
  const result = await applyChange({ fix: 'secret-policy', target, before, after: IM_ONLY, description: 'test', passes: async () => true }, io, {
    backupDir: dir,
    dryRun: false,
    yes: true,
    waitMs: 1500,
  });
  return { seeded, before, result, backups: await readdir(dir) };
}

describe('no plan and no write on a malformed answer', () => {
  it.each([
    ['an empty 200', EMPTY_200],
    ['an HTML 200', HTML_200],
  ])('planning on GetResourcePolicy answering %s: no plan, saying the answer could not be read', async (_, fault) => {
    const seeded = await seedScenario(direct, 'policy-other-service');
    const session = await through((op) => (op === 'secretsmanager.GetResourcePolicy' ? fault : undefined));
    const plan = await planFix(session, { symptom: 'incident-manager-secret', secretId: seeded.secretArn }, 'secret-policy', { includeCreator: false });
    expect('skip' in plan).toBe(true);
    expect('skip' in plan && plan.skip).toMatch(/AWS's answer could not be read/);
    expect(proxy!.seen).not.toContain('secretsmanager.PutResourcePolicy');
  });

  it('planning on DescribeSecret answering an empty 200: no plan', async () => {
    const seeded = await seedScenario(direct, 'policy-other-service');
    const session = await through((op) => (op === 'secretsmanager.DescribeSecret' ? EMPTY_200 : undefined));
    const plan = await planFix(session, { symptom: 'incident-manager-secret', secretId: seeded.secretArn }, 'secret-policy', { includeCreator: false });
    expect('skip' in plan).toBe(true);
  });

  it('the re-read before the write (step 6) answering an empty 200 stops the fix: nothing written', async () => {
    const { seeded, before, result } = await applyThrough((op) => (op === 'secretsmanager.GetResourcePolicy' ? EMPTY_200 : undefined));
    expect(result.status).toBe('failed');
    expect(result.message).toContain('could not be re-read');
    expect(proxy!.seen).not.toContain('secretsmanager.PutResourcePolicy');
    expect(await policyNow(seeded)).toBe(before);
  });

  it('a failed write whose follow-up read is malformed says the state is unknown, not "as it was"', async () => {
    let written = false;
    const { result } = await applyThrough((op) => {
      if (op === 'secretsmanager.PutResourcePolicy') {
        written = true;
        return UNAVAILABLE;
      }
      return written && op === 'secretsmanager.GetResourcePolicy' ? EMPTY_200 : undefined;
    });
    expect(result.status).toBe('failed');
    expect(result.message).toContain('its state is unknown');
  });

  it('verification reading an empty 200 after the write does not blame someone else', async () => {
    let written = false;
    const { result, backups } = await applyThrough((op) => {
      if (op === 'secretsmanager.PutResourcePolicy') {
        written = true;
        return undefined;
      }
      return written && op === 'secretsmanager.GetResourcePolicy' ? EMPTY_200 : undefined;
    });
    expect(result.status).toBe('applied');
    expect(result.message).not.toContain('someone else');
    expect(result.message).toContain('could not be read back');
    expect(backups).toHaveLength(1);
  });

  it('restore-policy reading the current policy as an empty 200: exit 1, nothing written, no backup of "no policy"', async () => {
    const seeded = await seedScenario(direct, 'policy-other-service');
    const before = await policyNow(seeded);
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-malformed-'));
    const file = await writeBackup(dir, 'secret-policy', seeded.secretArn, 'us-east-1', IM_ONLY);
    proxy = await startFaultProxy(motoEndpoint(), (op) => (op === 'secretsmanager.GetResourcePolicy' ? EMPTY_200 : undefined));
    const backups = await mkdtemp(path.join(tmpdir(), 'sd-malformed-'));
    const result = await runCli(
      ['restore-policy', '--secret-id', seeded.secretArn, '--from', file, '--yes', '--backup-dir', backups],
      motoEnv({ AWS_ENDPOINT_URL: proxy.endpoint }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("AWS's answer could not be read");
    expect(proxy.seen).not.toContain('secretsmanager.PutResourcePolicy');
    expect(proxy.seen).not.toContain('secretsmanager.DeleteResourcePolicy');
    expect(await readdir(backups)).toEqual([]);
    expect(await policyNow(seeded)).toBe(before);
  });
});
