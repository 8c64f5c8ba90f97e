/**
 * A malformed answer is a service fault, never a fact (SPEC.md, Version 2, "Hostile input and malformed
 * answers"): the fault proxy in front of moto_server answers a read with an empty 200, an HTML page, text
 * that is not JSON, moto's own answer cut short, or JSON without the fields AWS always sends. The check
 * that needed the read is `unknown` with advice to wait (never "grant a permission"), and service-health
 * fails naming the request.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../source/diagnose.js';
import { AwsSession } from '../../source/aws/session.js';
import { seedScenario, seedCreatorRole, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEndpoint } from '../helpers/moto.js';
import { startFaultProxy, type Fault, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.js';

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

async function diagnoseThrough(rule: FaultRule) {
  proxy = await startFaultProxy(motoEndpoint(), rule);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  const session = new AwsSession({ region: 'us-east-1', timeoutMs: 5000 });
  const d = await diagnose(session, { symptom: 'incident-manager-secret', secretId: healthy.secretArn, principal: creator });
  return { d, session, byId: Object.fromEntries(d.findings.map((f) => [f.id, f])) };
}

const EMPTY_200: Fault = { body: '' };
const HTML_200: Fault = { body: '<!DOCTYPE html><html><body><h1>Sign in to the Wi-Fi</h1></body></html>', contentType: 'text/html' };
const TEXT_200: Fault = { body: 'OK' };
const TRUNCATED: Fault = { alter: (body) => body.slice(0, Math.floor(body.length / 2)) };
const EMPTY_OBJECT: Fault = { body: '{}' };

const only =
  (operation: string, fault: Fault): FaultRule =>
  (op) =>
    op === operation ? fault : undefined;

describe('a malformed answer is a service fault', () => {
  it.each([
    ['an empty 200', EMPTY_200],
    ['an HTML 200', HTML_200],
    ['a 200 that is not JSON', TEXT_200],
    ["moto's answer cut in half", TRUNCATED],
    ['JSON without ARN and Name', EMPTY_OBJECT],
  ])('GetResourcePolicy answering %s: the resource-policy checks are unknown, service-health fails', async (_, fault) => {
    const { byId } = await diagnoseThrough(only('secretsmanager.GetResourcePolicy', fault));
    for (const id of ['secret-policy-incident-manager', 'secret-policy-caller']) {
      const f = byId[id]!;
      // Not "the secret has no policy" (a fail naming a missing statement), not "grant a permission".
      expect(f.status).toBe('unknown');
      expect(f.evidence.serviceProblem).toBe('malformed');
      expect(f.remediation).not.toContain('Grant');
      expect(f.fix).toBeUndefined();
    }
    const health = byId['service-health']!;
    expect(health.status).toBe('fail');
    expect(health.summary).toContain('secret-policy-incident-manager');
    expect(health.details.join(' ')).toContain('secretsmanager:GetResourcePolicy');
    expect(health.details.join(' ')).toContain('malformed answer');
  });

  it.each([
    ['an HTML 200', HTML_200],
    ['an empty 200', EMPTY_200],
  ])('DescribeSecret answering %s: secret-exists is unknown, not a missing permission, and service-health fails', async (_, fault) => {
    const { byId } = await diagnoseThrough(only('secretsmanager.DescribeSecret', fault));
    expect(byId['secret-exists']!.status).toBe('unknown');
    expect(byId['secret-exists']!.evidence.serviceProblem).toBe('malformed');
    expect(byId['secret-exists']!.remediation).not.toContain('Grant');
    expect(byId['service-health']!.status).toBe('fail');
    expect(byId['service-health']!.details.join(' ')).toContain('secretsmanager:DescribeSecret');
  });

  it('GetKeyPolicy answering JSON without Policy: the key-policy checks are unknown, not "the policy is not JSON"', async () => {
    const { byId } = await diagnoseThrough(only('kms.GetKeyPolicy', EMPTY_OBJECT));
    expect(byId['kms-policy-incident-manager']!.status).toBe('unknown');
    expect(byId['kms-policy-incident-manager']!.evidence.serviceProblem).toBe('malformed');
    expect(byId['service-health']!.status).toBe('fail');
  });

  it('DescribeKey cut in half: the key checks are unknown and service-health fails', async () => {
    const { byId } = await diagnoseThrough(only('kms.DescribeKey', TRUNCATED));
    expect(byId['kms-key-usable']!.status).toBe('unknown');
    expect(byId['service-health']!.status).toBe('fail');
    expect(byId['service-health']!.details.join(' ')).toContain('kms:DescribeKey');
  });

  it('a 403 with an HTML body is still a denial (moto answers denials so): the advice is a permission', async () => {
    const { byId } = await diagnoseThrough(only('secretsmanager.GetResourcePolicy', { body: '<html>denied</html>', status: 403, contentType: 'text/html' }));
    const f = byId['secret-policy-incident-manager']!;
    expect(f.status).toBe('unknown');
    expect(f.evidence.serviceProblem).toBeUndefined();
    expect(f.remediation).toContain('Grant');
  });

  it('an answer dripped out slowly, but whole, is an answer', async () => {
    const { byId } = await diagnoseThrough(only('secretsmanager.GetResourcePolicy', { drip: { chunkBytes: 64, everyMs: 5 } }));
    expect(byId['secret-policy-incident-manager']!.status).toBe('pass');
    expect(byId['service-health']!.status).toBe('pass');
  });

  it.each([
    ['an empty 200', EMPTY_200],
    ['an HTML 200', HTML_200],
  ])('IAM ListAttachedRolePolicies answering %s (the XML reader takes it for an empty list): a fault, not "no policies"', async (_, fault) => {
    const { byId, session } = await diagnoseThrough(only('iam.ListAttachedRolePolicies', fault));
    const record = session.log.find((r) => r.operation === 'ListAttachedRolePolicies');
    expect(record?.problem?.kind).toBe('malformed');
    expect(byId['caller-permission']!.status).toBe('unknown');
    expect(byId['service-health']!.status).toBe('fail');
    expect(byId['service-health']!.summary).toContain('caller-permission');
    expect(byId['service-health']!.details.join(' ')).toContain('iam:ListAttachedRolePolicies');
  });
});
