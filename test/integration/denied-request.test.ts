/**
 * `denied-request`: the refused request in CloudTrail. moto has no LookupEvents, so a loopback server answers
 * it with realistic records (test/helpers/cloudtrail-server.ts); the secret and the principal come from
 * moto_server. Sources: aws-facts.md section 12 (LookupEvents: one lookup attribute, 2 requests per second,
 * 90 days; through a VPC endpoint a request carries aws:SourceVpce and aws:VpcSourceIp, not aws:SourceIp).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deniedRequest, observedFromRecord } from '../../source/checks/denied-request.js';
import { PAGE_INTERVAL_MS, MAX_PAGES } from '../../source/facts/denied-request.js';
import { parseSince } from '../../source/commands/args.js';
import { Facts } from '../../source/facts/index.js';
import type { CheckContext } from '../../source/checks/common.js';
import type { Inputs } from '../../source/types.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { newSession } from '../helpers/moto.js';
import { startCloudTrailServer, trailRecord, type CloudTrailServer } from '../helpers/cloudtrail-server.js';

const ROLE = 'arn:aws:iam::123456789012:role/App';
const SESSION = 'arn:aws:sts::123456789012:assumed-role/App/i-0abc';
const OTHER = 'arn:aws:iam::123456789012:user/mallory';

let trail: CloudTrailServer;
let secret: Seeded;
const saved = process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;

beforeAll(async () => {
  trail = await startCloudTrailServer();
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = trail.url;
  secret = await seedScenario(newSession(), 'healthy');
});
afterAll(async () => {
  if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
  else process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = saved;
  await trail.close();
});
beforeEach(() => {
  trail.requests.length = 0;
  trail.pages = [];
  trail.fail = undefined;
});

function context(inputs: Omit<Inputs, 'symptom'>): CheckContext {
  const full: Inputs = { symptom: 'access-denied', ...inputs };
  return { facts: new Facts(newSession(), full), inputs: full, symptom: 'access-denied' };
}

const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

describe('denied-request', () => {
  it('finds the newest refusal by a session of the role on this secret, through a VPC endpoint: pass, with what it carried', async () => {
    // Given CloudTrail holds a success by the role, a refusal by someone else, and the role's refusal via an endpoint
    trail.pages = [
      [
        trailRecord({ id: 'e1', time: at(1), arn: SESSION, issuer: ROLE, secretId: secret.secretArn }),
        trailRecord({ id: 'e2', time: at(2), arn: OTHER, secretId: secret.secretArn, errorCode: 'AccessDenied' }),
        trailRecord({
          id: 'e3',
          time: at(3),
          arn: SESSION,
          issuer: ROLE,
          secretId: secret.secretName,
          errorCode: 'AccessDenied',
          sourceIp: '10.1.2.3',
          vpce: 'vpce-0a1b2c3d',
          mfa: false,
        }),
      ],
    ];
    const out = await deniedRequest.run(context({ secretId: secret.secretName, principal: ROLE }));
    // Then the lookup filtered by event name only, within the default 24 hours
    expect(trail.requests).toHaveLength(1);
    expect(trail.requests[0]!.target).toBe('CloudTrail_20131101.LookupEvents');
    expect(trail.requests[0]!.body.LookupAttributes).toEqual([{ AttributeKey: 'EventName', AttributeValue: 'GetSecretValue' }]);
    const window = (trail.requests[0]!.body.EndTime! - trail.requests[0]!.body.StartTime!) * 1000;
    expect(window).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(window).toBeLessThan(24 * 3_600_000 + 60_000);
    // And the role's own refusal is the one found, with its endpoint, private address and MFA
    expect(out.status).toBe('pass');
    expect(out.summary).toContain('from 10.1.2.3 through the VPC endpoint vpce-0a1b2c3d');
    expect(out.evidence).toMatchObject({ eventId: 'e3', vpcEndpointId: 'vpce-0a1b2c3d', mfaAuthenticated: false });
    expect(out.evidence.observed).toEqual({ 'aws:SourceVpce': 'vpce-0a1b2c3d', 'aws:VpcSourceIp': '10.1.2.3', 'aws:MultiFactorAuthPresent': 'false' });
  });

  it("a session ARN matches only itself, not the role's other sessions", async () => {
    trail.pages = [
      [
        trailRecord({
          id: 's1',
          time: at(1),
          arn: `${ROLE.replace(':iam:', ':sts:').replace('role/', 'assumed-role/')}/other`,
          issuer: ROLE,
          secretId: secret.secretArn,
          errorCode: 'AccessDenied',
        }),
      ],
    ];
    const out = await deniedRequest.run(context({ secretId: secret.secretArn, principal: SESSION }));
    expect(out.status).toBe('unknown');
    expect(out.summary).toContain('No refused GetSecretValue');
  });

  it('pages at most 2 requests a second, and stops at the first match', async () => {
    trail.pages = [
      [trailRecord({ id: 'p1', time: at(1), arn: OTHER, secretId: secret.secretArn, errorCode: 'AccessDenied' })],
      [
        trailRecord({
          id: 'p2',
          time: at(5),
          arn: SESSION,
          issuer: ROLE,
          secretId: secret.secretArn,
          errorCode: 'AccessDeniedException',
          sourceIp: '203.0.113.9',
        }),
      ],
      [trailRecord({ id: 'p3', time: at(9), arn: SESSION, issuer: ROLE, secretId: secret.secretArn, errorCode: 'AccessDenied' })],
    ];
    const out = await deniedRequest.run(context({ secretId: secret.secretArn, principal: ROLE }));
    expect(out.status).toBe('pass');
    expect(out.evidence.observed).toEqual({ 'aws:SourceIp': '203.0.113.9', 'aws:MultiFactorAuthPresent': 'false' });
    expect(trail.requests.map((r) => r.body.NextToken ?? null)).toEqual([null, '1']);
    expect(trail.requests[1]!.at - trail.requests[0]!.at).toBeGreaterThanOrEqual(PAGE_INTERVAL_MS - 20);
  });

  it(`never reads more than ${MAX_PAGES} pages: unknown, saying older events were not read`, async () => {
    trail.pages = Array.from({ length: MAX_PAGES + 3 }, (_, i) => [trailRecord({ id: `n${i}`, time: at(i + 1), arn: OTHER, secretId: secret.secretArn })]);
    const out = await deniedRequest.run(context({ secretId: secret.secretArn, principal: ROLE, sinceMs: 7 * 86_400_000 }));
    expect(trail.requests).toHaveLength(MAX_PAGES);
    expect(out.status).toBe('unknown');
    expect(out.details[0]).toContain('older ones were not read');
    expect(out.remediation).toContain('--since');
  }, 15_000);

  it('LookupEvents refused: unknown, naming cloudtrail:LookupEvents', async () => {
    trail.fail = { status: 400, type: 'AccessDeniedException', message: 'User is not authorized to perform: cloudtrail:LookupEvents' };
    const out = await deniedRequest.run(context({ secretId: secret.secretArn, principal: ROLE }));
    expect(out.status).toBe('unknown');
    expect(out.remediation).toContain('cloudtrail:LookupEvents');
    expect(out.evidence).not.toHaveProperty('serviceProblem');
  });
});

describe('what a record observes', () => {
  it("a direct request carries aws:SourceIp; an AWS service calling on the principal's behalf gives no address", () => {
    expect(observedFromRecord({ eventTime: '', eventName: 'GetSecretValue', errorCode: 'AccessDenied', sourceIp: '198.51.100.1' })).toEqual({
      'aws:SourceIp': '198.51.100.1',
    });
    expect(observedFromRecord({ eventTime: '', eventName: 'GetSecretValue', errorCode: 'AccessDenied', sourceIp: 'lambda.amazonaws.com' })).toEqual({});
    expect(
      observedFromRecord({ eventTime: '', eventName: 'GetSecretValue', errorCode: 'AccessDenied', sourceIp: '2001:db8::1', mfaAuthenticated: true }),
    ).toEqual({
      'aws:SourceIp': '2001:db8::1',
      'aws:MultiFactorAuthPresent': 'true',
    });
  });
});

describe('--since', () => {
  it('durations, ISO times, and what is refused', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(parseSince('30m', now)).toBe(30 * 60_000);
    expect(parseSince('24h', now)).toBe(86_400_000);
    expect(parseSince('7d', now)).toBe(7 * 86_400_000);
    expect(parseSince('2026-11-30T08:00:00Z', now)).toBe(4 * 3_600_000);
    for (const bad of ['', 'yesterday', '-1h', '0m', '2026-12-01T00:00:00Z', '91d']) expect(() => parseSince(bad, now)).toThrow(/--since/);
  });
});

describe('what the refused request carried decides the other checks (SPEC v2, "observed")', () => {
  it('a Deny on aws:SourceIp: unknown without the record, then decided from the address CloudTrail recorded', async () => {
    const { diagnose } = await import('../../source/diagnose.js');
    const { PutResourcePolicyCommand } = await import('@aws-sdk/client-secrets-manager');
    const session = newSession();
    const seeded = await seedScenario(session, 'no-resource-policy');
    const { seedRole } = await import('../../source/demo/seed.js');
    const role = await seedRole(session, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['secretsmanager:*', 'kms:*'], Resource: '*' }] });
    const roleSession = `arn:aws:sts::123456789012:assumed-role/${role.name}/s1`;
    // The IAM User Guide's "deny access based on the source IP" pattern, on the secret
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyOutsideCorp',
          Effect: 'Deny',
          Principal: '*',
          Action: 'secretsmanager:*',
          Resource: '*',
          Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' }, Bool: { 'aws:ViaAWSService': 'false' } },
        },
      ],
    };
    await (await session.secretsManager(seeded.region)).send(
      new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: JSON.stringify(policy) }),
    );
    const status = async () => {
      const d = await diagnose(newSession(), { symptom: 'access-denied', secretId: seeded.secretArn, principal: role.arn });
      return Object.fromEntries(d.findings.map((f) => [f.id, f]));
    };

    // Without a record: the decision depends on an address the tool cannot see
    trail.pages = [[]];
    expect((await status())['secret-policy-caller']!.status).toBe('unknown');

    // Refused from outside the range: the Deny applies
    trail.pages = [
      [
        trailRecord({
          id: 'x1',
          time: at(1),
          arn: roleSession,
          issuer: role.arn,
          secretId: seeded.secretArn,
          errorCode: 'AccessDenied',
          sourceIp: '203.0.113.9',
        }),
      ],
    ];
    const outside = await status();
    expect(outside['denied-request']!.status).toBe('pass');
    expect(outside['secret-policy-caller']!.status).toBe('fail');
    expect(outside['secret-policy-caller']!.summary).toContain('DenyOutsideCorp');

    // Refused from inside the range: the Deny does not apply
    trail.pages = [
      [
        trailRecord({
          id: 'x2',
          time: at(1),
          arn: roleSession,
          issuer: role.arn,
          secretId: seeded.secretArn,
          errorCode: 'AccessDenied',
          sourceIp: '192.0.2.10',
        }),
      ],
    ];
    expect((await status())['secret-policy-caller']!.status).toBe('pass');

    // Through a VPC endpoint the request carried no aws:SourceIp at all: NotIpAddress on an absent key applies
    trail.pages = [
      [
        trailRecord({
          id: 'x3',
          time: at(1),
          arn: roleSession,
          issuer: role.arn,
          secretId: seeded.secretArn,
          errorCode: 'AccessDenied',
          sourceIp: '10.0.0.5',
          vpce: 'vpce-0abc',
        }),
      ],
    ];
    expect((await status())['secret-policy-caller']!.status).toBe('fail');
  }, 30_000);
});
