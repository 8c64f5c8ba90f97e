/**
 * One diagnosis makes each distinct request once, and independent requests overlap. Counted from the
 * session's request log, against moto_server.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../source/diagnose.js';
import { seedScenario, seedCreatorRole, type Seeded } from '../../source/demo/seed.js';
import type { RequestRecord } from '../../source/aws/session.js';
import { newSession } from '../helpers/moto.js';

let healthy: Seeded;
let creator: string;

beforeAll(async () => {
  const session = newSession();
  [healthy, creator] = await Promise.all([seedScenario(session, 'healthy'), seedCreatorRole(session, { allow: true })]);
  // Seeding loaded the other clients' modules; load Organizations' too, so start times compare like for like.
  await import('@aws-sdk/client-organizations');
});

const key = (r: RequestRecord) => `${r.service}:${r.operation}@${r.region}`;
const overlap = (a: RequestRecord, b: RequestRecord) => a.startedAt < b.startedAt + b.ms && b.startedAt < a.startedAt + a.ms;

describe('requests of one incident-manager-secret diagnosis', () => {
  it('makes no request twice and runs the independent ones concurrently', async () => {
    // Given a healthy set-up and a creator role whose policies must be read through IAM (moto has no simulator)
    const session = newSession();
    // When diagnosing it with every check, the value included
    const d = await diagnose(session, {
      symptom: 'incident-manager-secret',
      secretId: healthy.secretArn,
      principal: creator,
      readValue: true,
    });
    expect(d.summary.fail).toBe(0);
    // Then no operation was sent twice to the same Region (each distinct request once)
    const counts = new Map<string, number>();
    for (const r of session.log) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1);
    expect(repeated).toEqual([]);
    // And the requests that need nothing but the input started together
    const byOp = (op: string) => session.log.find((r) => r.operation === op)!;
    expect(overlap(byOp('GetCallerIdentity'), byOp('DescribeSecret'))).toBe(true);
    expect(overlap(byOp('DescribeSecret'), byOp('GetResourcePolicy'))).toBe(true);
    // And the organization is read in that first wave too (org-policies, aws:PrincipalOrgID), once
    expect(counts.get('organizations:DescribeOrganization@us-east-1')).toBe(1);
    expect(overlap(byOp('GetCallerIdentity'), byOp('DescribeOrganization'))).toBe(true);
    // And the key policy was read alongside DescribeKey, not after it
    expect(overlap(byOp('DescribeKey'), byOp('GetKeyPolicy'))).toBe(true);
    // And the unimplemented simulator was asked once, then the policies were read through IAM
    expect(counts.get('iam:SimulatePrincipalPolicy@us-east-1')).toBe(1);
    expect(counts.get('iam:GetRole@us-east-1')).toBe(1);
    expect(counts.get('iam:GetRolePolicy@us-east-1')).toBe(1);
  });

  it('never describes the AWS managed key (that call would create it on a real account)', async () => {
    const session = newSession();
    const managed = await seedScenario(newSession(), 'aws-managed-key');
    await diagnose(session, { symptom: 'incident-manager-secret', secretId: managed.secretArn, principal: creator });
    expect(session.log.map((r) => r.operation)).not.toContain('DescribeKey');
    expect(session.log.map((r) => r.operation)).not.toContain('GetKeyPolicy');
  });

  it('diagnosis is read-only: only Describe/Get/List/Lookup/Simulate operations are sent', async () => {
    const session = newSession();
    await diagnose(session, { symptom: 'not-sure', secretId: healthy.secretArn, principal: creator, readValue: true });
    const writes = session.log.map((r) => r.operation).filter((op) => !/^(Describe|Get|List|Lookup|Simulate)/.test(op));
    expect(writes).toEqual([]);
  });
});
