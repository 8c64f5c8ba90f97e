/**
 * The fix protocol under faults, through a fault-injecting proxy in front of moto_server: a fault before
 * the write leaves the policy untouched, a lost answer is found out by reading back, a fault after the
 * write is reported by the verification; the backup exists every time, and the message says what state
 * the secret is in.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsSession } from '../../source/aws/session.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { applyChange, type FixIo } from '../../source/fixes/protocol.js';
import { secretPolicyTarget } from '../../source/fixes/targets.js';
import { motoEndpoint, newSession } from '../helpers/moto.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.js';

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
const UNAVAILABLE = { status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' };

const io: FixIo = { event: () => {}, confirm: async () => true };

async function policyNow(seeded: Seeded): Promise<string | undefined> {
  const out = await (await direct.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }));
  return out.ResourcePolicy;
}

async function fixThrough(rule: FaultRule) {
  const seeded = await seedScenario(direct, 'policy-other-service');
  const before = await policyNow(seeded);
  proxy = await startFaultProxy(motoEndpoint(), rule);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  const session = new AwsSession({ region: 'us-east-1', timeoutMs: 2000 });
  const target = secretPolicyTarget(session, seeded.secretArn, 'us-east-1', seeded.secretName);
  const dir = await mkdtemp(path.join(tmpdir(), 'sd-faults-'));
  const result = await applyChange(
    { fix: 'secret-policy', target, before: before ?? null, after: IM_ONLY, description: 'test', passes: async () => true },
    io,
    { backupDir: dir, dryRun: false, yes: true, waitMs: 1500 },
  );
  return { seeded, before, result, backups: await readdir(dir) };
}

describe('faults during a fix', () => {
  it('a write that fails before reaching AWS leaves the policy untouched, says so, and keeps the backup', async () => {
    const { seeded, before, result, backups } = await fixThrough((op) => (op === 'secretsmanager.PutResourcePolicy' ? UNAVAILABLE : undefined));
    expect(result.status).toBe('failed');
    expect(result.message).toContain('is as it was');
    expect(await policyNow(seeded)).toBe(before);
    expect(backups).toHaveLength(1);
  });

  it('a write whose answer is lost is found out by reading back', async () => {
    const { seeded, result, backups } = await fixThrough((op) => (op === 'secretsmanager.PutResourcePolicy' ? { ...UNAVAILABLE, forward: true } : undefined));
    expect(result.status).toBe('failed');
    expect(result.message).toContain('was changed all the same');
    expect(JSON.parse((await policyNow(seeded))!)).toEqual(JSON.parse(IM_ONLY));
    expect(backups).toHaveLength(1);
  });

  it('a fault after the write is reported by the verification, with the undo command', async () => {
    let written = false;
    const { seeded, result, backups } = await fixThrough((op) => {
      if (op === 'secretsmanager.PutResourcePolicy') {
        written = true;
        return undefined;
      }
      return written && op === 'secretsmanager.GetResourcePolicy' ? UNAVAILABLE : undefined;
    });
    expect(result.status).toBe('applied');
    expect(result.verified).toBe(false);
    expect(result.message).toContain('could not be read back to verify');
    expect(result.undo).toContain('restore-policy');
    expect(JSON.parse((await policyNow(seeded))!)).toEqual(JSON.parse(IM_ONLY));
    expect(backups).toHaveLength(1);
  });

  it('a re-read that fails stops the fix before the write', async () => {
    let reads = 0;
    const { seeded, before, result, backups } = await fixThrough((op) => {
      if (op !== 'secretsmanager.GetResourcePolicy') return undefined;
      reads++;
      return UNAVAILABLE;
    });
    expect(reads).toBeGreaterThan(0);
    expect(result.status).toBe('failed');
    expect(result.message).toContain('could not be re-read');
    expect(await policyNow(seeded)).toBe(before);
    expect(backups).toHaveLength(1);
  });
});
