/**
 * `--timeout` bounds a whole attempt, the body included (SPEC.md, "Hostile input"): an answer dripped one
 * byte at a time (test/helpers/slow-proxy.ts, in front of moto) is cut at the deadline, retried, and
 * counted by service-health; and the value itself must be a positive number of seconds.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../source/diagnose.js';
import { AwsSession } from '../../source/aws/session.js';
import { parse, UsageError } from '../../source/commands/args.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { newSession, motoEndpoint } from '../helpers/moto.js';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.js';

let healthy: Seeded;
let proxy: SlowProxy | undefined;
const original = process.env.AWS_ENDPOINT_URL;

beforeAll(async () => {
  healthy = await seedScenario(newSession(), 'healthy');
});

afterEach(async () => {
  process.env.AWS_ENDPOINT_URL = original;
  await proxy?.close();
  proxy = undefined;
});

describe('a dripped answer', () => {
  it('ends each attempt at the deadline; the operation ends within attempts x timeout; service-health counts it', async () => {
    // Given DescribeSecret's answer (some hundreds of bytes) dripped at one byte per 50 ms: tens of seconds whole
    proxy = await startSlowProxy(motoEndpoint());
    proxy.rule = (op) => (op === 'secretsmanager.DescribeSecret' ? { drip: 50 } : undefined);
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    const timeoutMs = 1000;
    const session = new AwsSession({ region: 'us-east-1', timeoutMs });
    const d = await diagnose(session, { symptom: 'access-denied', secretId: healthy.secretArn });
    // Then every DescribeSecret ended within its attempts' deadlines (plus the SDK's short back-off)
    const described = session.log.filter((r) => r.operation === 'DescribeSecret');
    expect(described.length).toBeGreaterThan(0);
    for (const r of described) {
      expect(r.problem?.kind).toBe('timeout');
      expect(r.attempts).toBeGreaterThan(1);
      expect(r.ms).toBeLessThan(r.attempts * timeoutMs + 2000);
      expect(r.ms).toBeGreaterThanOrEqual(r.attempts * timeoutMs - 50);
    }
    const health = d.findings.find((f) => f.id === 'service-health')!;
    expect(health.status).toBe('fail');
    expect(health.details.join(' ')).toContain('DescribeSecret');
  }, 60_000);
});

describe('--timeout values', () => {
  const timeout = (value: string) => parse(['diagnose', '--timeout', value], {}, false).timeoutMs;
  const refusal = (value: string) => {
    try {
      timeout(value);
    } catch (error) {
      return error as Error;
    }
    throw new Error(`--timeout ${value} was accepted`);
  };

  it('rounds a sub-millisecond value up to 1 ms, never to "no timeout"', () => {
    expect(timeout('0.0001')).toBe(1);
    expect(timeout('0.0015')).toBe(2);
    expect(timeout('2')).toBe(2000);
  });

  it.each(['-1', '-0.5', '0', 'NaN', 'abc', 'Infinity', '1e9'])('refuses %s in one sentence (exit 2)', (value) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(/^--timeout "[^"]+" is not a number of seconds above 0/);
  });
});
