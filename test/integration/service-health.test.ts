/**
 * service-health (P6) and the tool's behaviour under faults: a fault-injecting proxy in front of
 * moto_server answers some requests with throttling, 5xx or a hang.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../source/diagnose.js';
import { AwsSession } from '../../source/aws/session.js';
import { seedScenario, seedCreatorRole, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEndpoint } from '../helpers/moto.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.js';

let healthy: Seeded;
let creator: string;
let proxy: FaultProxy | undefined;
const original = process.env.AWS_ENDPOINT_URL;

beforeAll(async () => {
  const session = newSession();
  [healthy, creator] = await Promise.all([seedScenario(session, 'healthy'), seedCreatorRole(session, { allow: true })]);
});

afterEach(async () => {
  process.env.AWS_ENDPOINT_URL = original;
  await proxy?.close();
  proxy = undefined;
});

async function diagnoseThrough(rule: FaultRule, timeoutMs = 5000) {
  proxy = await startFaultProxy(motoEndpoint(), rule);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  const session = new AwsSession({ region: 'us-east-1', timeoutMs });
  const d = await diagnose(session, { symptom: 'incident-manager-secret', secretId: healthy.secretArn, principal: creator });
  return { d, session, byId: Object.fromEntries(d.findings.map((f) => [f.id, f])) };
}

const THROTTLE = { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' };
const UNAVAILABLE = { status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' };

describe('service-health', () => {
  it('passes when nothing was throttled or failed', async () => {
    const { byId } = await diagnoseThrough(() => undefined);
    expect(byId['service-health']!.status).toBe('pass');
    expect(byId['service-health']!.evidence.troubled).toBe(0);
  });

  it('warns when a throttled request recovered on retry, and the check it served still passes', async () => {
    // Given DescribeKey throttled once
    const { byId } = await diagnoseThrough((op, n) => (op === 'kms.DescribeKey' && n === 1 ? THROTTLE : undefined));
    // Then the retry recovered: the key checks pass, and service-health says what happened
    expect(byId['kms-key-usable']!.status).toBe('pass');
    expect(byId['service-health']!.status).toBe('warn');
    expect(byId['service-health']!.details.join(' ')).toContain('kms:DescribeKey');
    expect(byId['service-health']!.details.join(' ')).toContain('throttled');
  });

  it('fails, naming the checks left unknown, when 5xx answers outlast the retries', async () => {
    // Given GetKeyPolicy always answering 503
    const { d, byId } = await diagnoseThrough((op) => (op === 'kms.GetKeyPolicy' ? UNAVAILABLE : undefined));
    // Then the key-policy checks are unknown, with advice to wait, and service-health fails
    expect(byId['kms-policy-incident-manager']!.status).toBe('unknown');
    expect(byId['kms-policy-incident-manager']!.remediation).toContain('Wait');
    expect(byId['kms-policy-caller']!.status).toBe('unknown');
    expect(byId['service-health']!.status).toBe('fail');
    expect(byId['service-health']!.summary).toContain('kms-policy-incident-manager');
    expect(d.summary.fail).toBe(1);
  });

  it('never hangs: a request that gets no answer times out, and the run still finishes', async () => {
    // Given GetResourcePolicy never answered, and a 300 ms timeout per attempt
    const { byId } = await diagnoseThrough((op) => (op === 'secretsmanager.GetResourcePolicy' ? 'hang' : undefined), 300);
    // Then the policy checks are unknown through a timeout, and service-health fails
    expect(byId['secret-policy-incident-manager']!.status).toBe('unknown');
    expect(byId['secret-policy-incident-manager']!.evidence.serviceProblem).toBe('timeout');
    expect(byId['service-health']!.status).toBe('fail');
    expect(byId['kms-key-usable']!.status).toBe('pass');
  });

  it('credentials that expire in the middle of a run: the checks that met it say so, nothing crashes', async () => {
    // Given every request after the first GetCallerIdentity answered ExpiredTokenException
    let identified = false;
    const { d, byId } = await diagnoseThrough((op) => {
      if (op === 'sts.GetCallerIdentity' && !identified) {
        identified = true;
        return undefined;
      }
      return identified ? { status: 400, code: 'ExpiredTokenException', message: 'The security token included in the request is expired' } : undefined;
    });
    // Then credentials passed when checked, and the later checks are unknown with the expired sentence
    expect(byId.credentials!.status).toBe('pass');
    const unknowns = d.findings.filter((f) => f.status === 'unknown');
    expect(unknowns.length).toBeGreaterThan(0);
    for (const f of unknowns) expect(f.details.join(' ') + f.summary).toMatch(/expired/i);
    expect(byId['service-health']!.status).toBe('pass');
  });

  it('dropped connections: retried, and when they persist the checks are unknown and service-health fails', async () => {
    // Given DescribeKey's first connection dropped, and GetKeyPolicy's dropped every time
    const { byId } = await diagnoseThrough((op, n) => (op === 'kms.GetKeyPolicy' || (op === 'kms.DescribeKey' && n === 1) ? 'drop' : undefined));
    // Then DescribeKey recovered on retry, the key-policy checks are unknown, and service-health names both
    expect(byId['kms-key-usable']!.status).toBe('pass');
    expect(byId['kms-policy-incident-manager']!.status).toBe('unknown');
    expect(byId['service-health']!.status).toBe('fail');
    expect(byId['service-health']!.details.join(' ')).toContain('kms:GetKeyPolicy');
  });
});
