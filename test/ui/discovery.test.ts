/**
 * What the wizard offers to choose from: the account's secrets (against moto) and the secrets that
 * response plans use. moto has no SSM Incidents: there the answer is "not available"; the response-plan
 * reading itself is tested against a mocked SSM Incidents client (aws-sdk-client-mock).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { AccessDeniedException, GetResponsePlanCommand, ListResponsePlansCommand, SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { randomBytes } from 'node:crypto';
import { callerArn, listKmsKeys, listSecrets, responsePlanSecrets } from '../../source/facts/discovery.js';
import { seedKmsKey, seedScenario } from '../../source/demo/seed.js';
import { newSession } from '../helpers/moto.js';

describe('against moto', () => {
  it('lists the secrets by name, those scheduled for deletion included', async () => {
    // Given two secrets, one scheduled for deletion
    const prefix = `disc-${randomBytes(3).toString('hex')}/`;
    const session = newSession();
    const [healthy, deleted] = await Promise.all([seedScenario(session, 'healthy', { prefix }), seedScenario(session, 'deleted-secret', { prefix })]);
    // When listing
    const listed = await listSecrets(newSession());
    // Then both are there, in name order, and the deleted one says so
    expect(listed.available).toBe(true);
    if (!listed.available) return;
    const ours = listed.value.secrets.filter((s) => s.name.startsWith(prefix));
    expect(ours.map((s) => s.name)).toEqual([deleted.secretName, healthy.secretName].sort());
    expect(ours.find((s) => s.name === deleted.secretName)?.deletedDate).toBeInstanceOf(Date);
    expect(ours.find((s) => s.name === healthy.secretName)).toMatchObject({ arn: healthy.secretArn, deletedDate: undefined });
    expect(listed.value.region).toBe('us-east-1');
  });

  it('stops at the cap and says the list is truncated', async () => {
    const session = newSession();
    await Promise.all([1, 2, 3].map(() => seedScenario(session, 'healthy', { prefix: 'cap/' })));
    const listed = await listSecrets(newSession(), { cap: 2 });
    expect(listed).toMatchObject({ available: true, value: { truncated: true } });
    if (listed.available) expect(listed.value.secrets).toHaveLength(2);
  });

  it("lists the Region's KMS keys with aliases and spec, describing each by key ID only, and caps the descriptions", async () => {
    // Given an RSA key and a symmetric key, each with an alias, in a Region of this test's own
    const session = newSession('ap-south-2');
    const [rsa, sym] = await Promise.all([
      seedKmsKey(session, { spec: 'RSA_2048', alias: true, prefix: 'disc-' }),
      seedKmsKey(session, { alias: true, prefix: 'disc-' }),
    ]);
    // When listing through a session whose requests are logged
    const listing = newSession('ap-south-2');
    const found = await listKmsKeys(listing);
    // Then both are there with their aliases and specs
    expect(found.available).toBe(true);
    if (!found.available) return;
    expect(found.value.keys.find((k) => k.keyId === rsa.keyId)).toMatchObject({ arn: rsa.keyArn, aliases: [rsa.alias], spec: 'RSA_2048', state: 'Enabled' });
    expect(found.value.keys.find((k) => k.keyId === sym.keyId)).toMatchObject({ aliases: [sym.alias], spec: 'SYMMETRIC_DEFAULT' });
    // And only List and Describe calls were made, never DescribeKey on an alias
    const ops = listing.log.map((r) => `${r.service}:${r.operation}`);
    expect(new Set(ops)).toEqual(new Set(['kms:ListKeys', 'kms:ListAliases', 'kms:DescribeKey']));
    expect(ops.filter((o) => o === 'kms:DescribeKey').length).toBe(found.value.keys.length + found.value.notDescribed);
    // And a cap limits the descriptions
    const capped = await listKmsKeys(newSession('ap-south-2'), { cap: 1 });
    expect(capped).toMatchObject({ available: true, value: { truncated: true } });
    if (capped.available) expect(capped.value.keys).toHaveLength(1);
  });

  it('names the caller', async () => {
    expect(await callerArn(newSession())).toEqual({ available: true, value: 'arn:aws:sts::123456789012:user/moto' });
  });

  it('finds response plans "not available" where SSM Incidents is not implemented, without an error', async () => {
    const found = await responsePlanSecrets(newSession());
    expect(found).toEqual({ available: false, reason: 'ssm-incidents:ListResponsePlans is not implemented at this endpoint' });
  });
});

describe('response plans (SSM Incidents mocked)', () => {
  let incidents: AwsClientStub<SSMIncidentsClient>;
  const plan = (name: string) => `arn:aws:ssm-incidents::123456789012:response-plan/${name}`;

  // Mocked only here: the tests above reach moto.
  beforeAll(() => {
    incidents = mockClient(SSMIncidentsClient);
  });
  beforeEach(() => incidents.reset());
  afterAll(() => incidents.restore());

  it("reads every page of plans and each plan's PagerDuty secret; a plan it may not read is counted, not fatal", async () => {
    // Given three plans over two pages: two use a PagerDuty secret, one may not be read
    incidents
      .on(ListResponsePlansCommand)
      .resolvesOnce({
        responsePlanSummaries: [
          { arn: plan('critical'), name: 'critical' },
          { arn: plan('minor'), name: 'minor' },
        ],
        nextToken: 'page2',
      })
      .resolvesOnce({ responsePlanSummaries: [{ arn: plan('secret-ops'), name: 'secret-ops' }] });
    incidents.on(GetResponsePlanCommand, { arn: plan('critical') }).resolves({
      arn: plan('critical'),
      name: 'critical',
      incidentTemplate: { title: 't', impact: 1 },
      integrations: [{ pagerDutyConfiguration: { name: 'pd', secretId: 'prod/pagerduty', pagerDutyIncidentConfiguration: { serviceId: 'S1' } } }],
    });
    incidents.on(GetResponsePlanCommand, { arn: plan('minor') }).resolves({
      arn: plan('minor'),
      name: 'minor',
      incidentTemplate: { title: 't', impact: 5 },
      integrations: [
        {
          pagerDutyConfiguration: {
            name: 'pd',
            secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pd-AbCdEf',
            pagerDutyIncidentConfiguration: { serviceId: 'S2' },
          },
        },
      ],
    });
    incidents.on(GetResponsePlanCommand, { arn: plan('secret-ops') }).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
    // When looking
    const found = await responsePlanSecrets(newSession());
    // Then both references are found, by plan name, and the unreadable plan is counted
    expect(found).toEqual({
      available: true,
      value: {
        region: 'us-east-1',
        plans: 3,
        unreadable: 1,
        truncated: false,
        references: [
          { secretId: 'prod/pagerduty', planArn: plan('critical'), planName: 'critical' },
          { secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pd-AbCdEf', planArn: plan('minor'), planName: 'minor' },
        ],
      },
    });
    expect(incidents.commandCalls(ListResponsePlansCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page2']);
  });

  it('is "not available" when ListResponsePlans is refused', async () => {
    incidents.on(ListResponsePlansCommand).rejects(new AccessDeniedException({ message: 'User is not authorized', $metadata: { httpStatusCode: 400 } }));
    expect(await responsePlanSecrets(newSession())).toEqual({
      available: false,
      reason: 'ssm-incidents:ListResponsePlans is not allowed for these credentials',
    });
  });

  it('reads at most the cap of plans', async () => {
    incidents.on(ListResponsePlansCommand).resolves({
      responsePlanSummaries: [
        { arn: plan('a'), name: 'a' },
        { arn: plan('b'), name: 'b' },
      ],
      nextToken: 'more',
    });
    incidents.on(GetResponsePlanCommand).resolves({ integrations: [] });
    const found = await responsePlanSecrets(newSession(), { cap: 2 });
    expect(found).toMatchObject({ available: true, value: { plans: 2, truncated: true, references: [] } });
    expect(incidents.commandCalls(ListResponsePlansCommand)).toHaveLength(1);
  });
});
