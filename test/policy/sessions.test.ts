/**
 * Role sessions in resource policies (SPEC v2, "Role sessions"). Verdicts from the IAM User Guide:
 * - "AWS JSON policy elements: NotPrincipal"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html): an
 *   assumed-role session is identified by its role session name, and AWS may validate "the account first,
 *   then the role, and then the assumed-role user"; the documented example keeps a session out of a Deny by
 *   listing the assumed-role session ARN together with the role ARN and the account ARN. Naming the role
 *   alone does not exempt its sessions.
 * - "AWS JSON policy elements: Principal"
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html): a role
 *   session principal (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION) may be named in Principal; a role ARN
 *   in Principal covers the sessions of that role.
 * Engine-level first (evaluate), then through secret-policy-caller with --principal set to a session.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { evaluate } from '../../source/policy/evaluate.js';
import { forSessionRequest } from '../../source/policy/sessions.js';
import { evaluatedArn } from '../../source/checks/common.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import { diagnose } from '../../source/diagnose.js';
import type { Principal } from '../../source/facts/index.js';
import { newSession } from '../helpers/moto.js';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/cross-account-read-only-role`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/cross-account-read-only-role/cross-account-audit-app`;
const OTHER_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/cross-account-read-only-role/someone-else`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
const GET = 'secretsmanager:GetSecretValue';

const denyAllBut = (...notPrincipals: string[]) => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowAccount', Effect: 'Allow', Principal: { AWS: ROOT }, Action: GET, Resource: '*' },
    { Sid: 'DenyAllButListed', Effect: 'Deny', NotPrincipal: { AWS: notPrincipals }, Action: GET, Resource: '*' },
  ],
});

async function decide(principal: string, resourcePolicy: unknown): Promise<string> {
  const result = await evaluate({ principal, action: GET, resource: SECRET, resourceAccount: ACCOUNT, context: {}, resourcePolicy });
  if (!result.ok) throw new Error(result.error);
  return result.decision;
}

describe('NotPrincipal with Deny and role sessions (IAM User Guide, NotPrincipal)', () => {
  it('a Deny whose NotPrincipal lists the role but not its session still denies the session', async () => {
    expect(await decide(SESSION, denyAllBut(ROLE, ROOT))).toBe('ExplicitlyDenied');
  });

  it("the documented example (session ARN, role ARN and account ARN) exempts that session, not the role's other sessions", async () => {
    const policy = denyAllBut(SESSION, ROLE, ROOT);
    expect(await decide(SESSION, policy)).not.toBe('ExplicitlyDenied');
    expect(await decide(OTHER_SESSION, policy)).toBe('ExplicitlyDenied');
  });

  it('leaves a policy without NotPrincipal, and requests by a non-session, as they are', () => {
    const policy = denyAllBut(ROLE, ROOT);
    expect(forSessionRequest(policy, ROLE)).toBe(policy);
    const plain = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: GET, Resource: '*' }] };
    expect(forSessionRequest(plain, SESSION)).toBe(plain);
  });
});

describe('Principal and role sessions (IAM User Guide, Principal)', () => {
  it('a Deny naming the session ARN denies that session', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: ROOT }, Action: GET, Resource: '*' },
        { Sid: 'DenyThisSession', Effect: 'Deny', Principal: { AWS: SESSION }, Action: GET, Resource: '*' },
      ],
    };
    expect(await decide(SESSION, policy)).toBe('ExplicitlyDenied');
    expect(await decide(OTHER_SESSION, policy)).not.toBe('ExplicitlyDenied');
  });

  it('a role ARN in Principal covers its sessions', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Sid: 'DenyRole', Effect: 'Deny', Principal: { AWS: ROLE }, Action: GET, Resource: '*' }] };
    expect(await decide(SESSION, policy)).toBe('ExplicitlyDenied');
  });

  it('a session given with --principal is evaluated as the session, not only as its role', () => {
    const given: Principal = { given: SESSION, arn: ROLE, account: ACCOUNT, kind: 'role', name: 'cross-account-read-only-role', isCaller: false };
    expect(evaluatedArn(given)).toBe(SESSION);
    expect(evaluatedArn({ ...given, given: ROLE })).toBe(ROLE);
  });
});

describe('secret-policy-caller with --principal set to a role session (moto)', () => {
  let seeded: Seeded;
  let sessionArn: string;

  beforeAll(async () => {
    const session = newSession();
    seeded = await seedScenario(session, 'healthy');
    // The role exists in moto's account, so the session's role is found (GetRole) and the principal is real.
    const { CreateRoleCommand } = await import('@aws-sdk/client-iam');
    const roleName = `sessions-${Date.now().toString(36)}`;
    await (await session.iam()).send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/audit-app`;
    const sm = await session.secretsManager(seeded.region);
    await sm.send(
      new PutResourcePolicyCommand({
        SecretId: seeded.secretArn,
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'DenyAuditSession', Effect: 'Deny', Principal: { AWS: sessionArn }, Action: GET, Resource: '*' }],
        }),
      }),
    );
  });

  it('fails on the Deny that names the session', async () => {
    const d = await diagnose(newSession(), { symptom: 'access-denied', secretId: seeded.secretArn, principal: sessionArn });
    const finding = d.findings.find((f) => f.id === 'secret-policy-caller')!;
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('DenyAuditSession');
  });
});
