/**
 * A principal that does not exist (SPEC v2): caller-permission fails first, "There is no role X in account
 * Y", whichever IAM read said so. IAM is aws-sdk-client-mock (see iam-fixtures.ts) where the answer must be
 * the real simulator's (moto does not implement SimulatePrincipalPolicy) or where GetRole must be refused;
 * Secrets Manager, KMS and STS are the real moto. The moto-only case is in test/integration/principals.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetRoleCommand, GetUserCommand, IAMServiceException, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { ACCOUNT, findingOf, iamAccessDenied, mockIam } from './iam-fixtures.js';
import { newSession } from '../helpers/moto.js';

const iam = mockIam();
let seeded: Seeded;

beforeAll(async () => {
  seeded = await seedScenario(newSession(), 'healthy');
});

/** IAM's answer for an entity that does not exist (query protocol: NoSuchEntity, HTTP 404). */
function noSuchEntity(what: string): IAMServiceException {
  return new IAMServiceException({
    name: 'NoSuchEntity',
    message: `The ${what} cannot be found.`,
    $fault: 'client',
    $metadata: { httpStatusCode: 404, requestId: 'c0ffee00-0000-4000-8000-000000000001', attempts: 1 },
  });
}

describe('a --principal that does not exist', () => {
  it('the simulator says NoSuchEntity and GetRole is refused: still a fail, with the remediation', async () => {
    // Given a role ARN with a typo: the simulator answers NoSuchEntity for it, and the caller may not call GetRole
    const typo = `arn:aws:iam::${ACCOUNT}:role/AppRoel`;
    iam.on(SimulatePrincipalPolicyCommand).rejects(noSuchEntity('role with name AppRoel'));
    iam.on(GetRoleCommand).rejects(iamAccessDenied('GetRole'));
    // When the Incident Manager checks run for it
    const { finding, d } = await findingOf('caller-permission', seeded.secretArn, { principal: typo });
    // Then caller-permission fails: there is no such role in that account, and how to find the right one
    expect(finding.status).toBe('fail');
    expect(finding.summary).toBe(`There is no role AppRoel in account ${ACCOUNT}.`);
    expect(finding.remediation).toContain('aws iam list-roles');
    expect(finding.evidence.error).toBe('NoSuchEntity');
    // And it comes before the other principal checks' verdicts, which do not contradict it
    expect(d.findings.find((f) => f.id === 'kms-policy-caller')!.status).not.toBe('pass');
  });

  it('a user: GetUser says NoSuchEntity', async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    iam.on(GetUserCommand).rejects(noSuchEntity('user with name bob'));
    const { finding } = await findingOf('caller-permission', seeded.secretArn, { principal: `arn:aws:iam::${ACCOUNT}:user/bob` });
    expect(finding.status).toBe('fail');
    expect(finding.summary).toBe(`There is no user bob in account ${ACCOUNT}.`);
    expect(finding.remediation).toContain('aws iam list-users');
    // GetUser was asked once, however many checks wanted to know
    expect(iam.commandCalls(GetUserCommand)).toHaveLength(1);
  });

  it('the caller itself is never reported missing (it has just made requests)', async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(iamAccessDenied('SimulatePrincipalPolicy'));
    iam.on(GetUserCommand).rejects(noSuchEntity('user with name moto'));
    const { finding } = await findingOf('caller-permission', seeded.secretArn);
    expect(finding.status).toBe('unknown');
    // Nor when it is named by its ARN, as a pasted error message names it
    const named = await findingOf('caller-permission', seeded.secretArn, { principal: seeded.callerArn });
    expect(named.finding.status).toBe('unknown');
  });
});
