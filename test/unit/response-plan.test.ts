/**
 * The response plan's ARN, Incident Manager's aws:SourceArn (SPEC.md, "documented": "aws:SourceArn (the
 * response plan's ARN, when the plan is known: --response-plan ARN or discovery)"): from the flag, from
 * `--response-plans` discovery, and from the wizard's discovery.
 *
 * SSM Incidents is aws-sdk-client-mock: moto does not implement it. IAM too (moto has no
 * SimulatePrincipalPolicy). Secrets Manager, KMS and STS are moto.
 */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { GetResponsePlanCommand, ListResponsePlansCommand, SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, UsageError } from '../../source/commands/args.js';
import { inputsFromArgs } from '../../source/commands/inputs.js';
import { runDiagnose } from '../../source/commands/diagnose.js';
import { planArnFor, withPlanArn } from '../../source/facts/plan-arn.js';
import { reduce } from '../../source/wizard/flow.js';
import { initialState, inputsOf } from '../../source/wizard/state.js';
import type { Diagnosis } from '../../source/diagnose.js';
import { newSession } from '../helpers/moto.js';
import { ACCOUNT, allowEverything, mockIam, simulator } from './iam-fixtures.js';

const PLAN = `arn:aws:ssm-incidents::${ACCOUNT}:response-plan/pagerduty`;
const OTHER_PLAN = `arn:aws:ssm-incidents::${ACCOUNT}:response-plan/minor`;
const listing = (references: { secretId: string; planArn: string }[]) => ({
  region: 'us-east-1',
  plans: 2,
  unreadable: 0,
  truncated: false,
  references: references.map((r) => ({ ...r, planName: r.planArn.split('/').pop()! })),
});

describe('--response-plan', () => {
  it('gives the Inputs their responsePlanArn', async () => {
    const args = parse(['diagnose', '--symptom', 'incident-manager-secret', '--secret-id', 'prod/pd', '--response-plan', PLAN], {}, false);
    expect(args.responsePlan).toBe(PLAN);
    expect((await inputsFromArgs(args, 'prod/pd')).responsePlanArn).toBe(PLAN);
  });

  it('is a usage error when it is not a response plan ARN', () => {
    expect(() => parse(['diagnose', '--secret-id', 'x', '--response-plan', 'pagerduty'], {}, false)).toThrow(UsageError);
    expect(() => parse(['diagnose', '--secret-id', 'x', '--response-plan', `arn:aws:iam::${ACCOUNT}:role/x`], {}, false)).toThrow(/response plan ARN/);
  });
});

describe('the plan found by discovery', () => {
  it('is the one plan that uses the secret; several plans or none give no ARN', () => {
    const found = listing([
      { secretId: 'prod/pd', planArn: PLAN },
      { secretId: 'shared', planArn: PLAN },
      { secretId: 'shared', planArn: OTHER_PLAN },
    ]);
    expect(planArnFor('prod/pd', found)).toBe(PLAN);
    expect(planArnFor('shared', found)).toBeUndefined();
    expect(planArnFor('unused', found)).toBeUndefined();
    expect(planArnFor('prod/pd', undefined)).toBeUndefined();
  });

  it("the wizard's inputs carry it once the secret is chosen from the plans' list", () => {
    let state = initialState({ symptom: 'incident-manager-secret' });
    state = reduce(state, { type: 'plans-found', result: { available: true, value: listing([{ secretId: 'prod/pd', planArn: PLAN }]) } });
    state = { ...state, secretId: 'prod/pd' };
    expect(withPlanArn(inputsOf(state, {}), state).responsePlanArn).toBe(PLAN);
    expect(withPlanArn(inputsOf({ ...state, secretId: 'other' }, {}), state).responsePlanArn).toBeUndefined();
    expect(withPlanArn(inputsOf(state, { responsePlanArn: OTHER_PLAN }), state).responsePlanArn).toBe(OTHER_PLAN);
  });
});

describe('diagnose --response-plans: each secret is checked with the plan that uses it', () => {
  const incidents = mockClient(SSMIncidentsClient);
  const iam = mockIam();
  afterAll(() => incidents.restore());

  it("a resource policy with Incident Manager's aws:SourceArn condition passes for the plan's secret", async () => {
    // Secrets Manager User Guide, "Permissions policy examples", "Allow a service to access a secret using a
    // service principal": the service's request carries the resource it acts for as aws:SourceArn.
    const sm = await newSession().secretsManager();
    const secret = await sm.send(new CreateSecretCommand({ Name: `plan/${randomBytes(4).toString('hex')}`, SecretString: 'x' }));
    await sm.send(
      new PutResourcePolicyCommand({
        SecretId: secret.ARN!,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: {
            Effect: 'Allow',
            Principal: { Service: 'ssm-incidents.amazonaws.com' },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
            Condition: { ArnEquals: { 'aws:SourceArn': PLAN } },
          },
        }),
      }),
    );
    incidents.on(ListResponsePlansCommand).resolves({ responsePlanSummaries: [{ arn: PLAN, name: 'pagerduty' }] });
    incidents.on(GetResponsePlanCommand, { arn: PLAN }).resolves({
      arn: PLAN,
      name: 'pagerduty',
      incidentTemplate: { title: 't', impact: 1 },
      integrations: [{ pagerDutyConfiguration: { name: 'pd', secretId: secret.ARN!, pagerDutyIncidentConfiguration: { serviceId: 'S1' } } }],
    });
    simulator(iam, allowEverything);
    const stdout: string[] = [];
    const args = parse(['diagnose', '--symptom', 'incident-manager-secret', '--response-plans', '--json', '--region', 'us-east-1'], process.env, false);
    await runDiagnose(args, { stdout: (t) => stdout.push(t), stderr: () => {} });
    const documents = stdout
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Diagnosis);
    expect(documents).toHaveLength(1);
    expect(documents[0]!.findings.find((f) => f.id === 'secret-policy-incident-manager')).toMatchObject({ status: 'pass', evidence: { responsePlan: PLAN } });
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand).length).toBeGreaterThan(0);
  });
});
