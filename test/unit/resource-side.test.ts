/**
 * resource-side.ts: the identity side in the context of the resource side (IAM User Guide, "Policy evaluation
 * logic": within one account an Allow in either kind of policy suffices; across accounts both must allow).
 * The facts are a stand-in object here: only the memoised policy reads are asked for.
 */
import { describe, expect, it } from 'vitest';
import { combine, resourceSide, type ResourceSide } from '../../source/checks/resource-side.js';
import { LOCAL, SIMULATOR, type IdentityVerdict } from '../../source/checks/identity-side.js';
import type { CheckContext } from '../../source/checks/common.js';
import type { Principal } from '../../source/facts/index.js';

const ACCOUNT = '123456789012';
const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:s-AbCdEf`;
const principal = { arn: USER, given: USER, account: ACCOUNT, kind: 'user', name: 'alice', isCaller: true } as unknown as Principal;
const implicit: IdentityVerdict = { decision: 'ImplicitlyDenied', source: SIMULATOR, statements: [], notes: [] };
const context = { 'aws:PrincipalArn': USER, 'aws:PrincipalAccount': ACCOUNT, 'aws:SecureTransport': 'true' };

function ctxWith(
  secretPolicy: { ok: true; value: string | undefined } | { ok: false; problem: { kind: 'access-denied'; code: string; message: string } },
): CheckContext {
  const facts = { secretPolicy: async () => secretPolicy, keyPolicy: async () => undefined, identityPolicies: async () => ({ ok: false }) };
  return { facts, inputs: { symptom: 'access-denied' }, symptom: 'access-denied' } as unknown as CheckContext;
}

const allowAlice = JSON.stringify({
  Version: '2012-10-17',
  Statement: { Sid: 'Alice', Effect: 'Allow', Principal: { AWS: USER }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
});

describe('resourceSide and combine', () => {
  it('same account, a resource policy naming the principal: allowed by it', async () => {
    const side = await resourceSide(ctxWith({ ok: true, value: allowAlice }), principal, 'secretsmanager:GetSecretValue', SECRET, ACCOUNT, context, implicit);
    expect(side).toEqual({ kind: 'allows', statements: ['statement "Alice" (#1) of the secret\'s resource policy'] });
    expect(combine(implicit, side)).toBe('allowed-by-resource');
  });

  it('across accounts: never suffices by itself (both sides must allow)', async () => {
    const other = `arn:aws:secretsmanager:us-east-1:210987654321:secret:s-AbCdEf`;
    const side = await resourceSide(
      ctxWith({ ok: true, value: allowAlice }),
      principal,
      'secretsmanager:GetSecretValue',
      other,
      '210987654321',
      context,
      implicit,
    );
    expect(side.kind).toBe('no');
    expect(combine(implicit, side)).toBe('denied');
  });

  it('a resource policy that cannot be read: not a denial, unknown', async () => {
    const side = await resourceSide(
      ctxWith({ ok: false, problem: { kind: 'access-denied', code: 'AccessDeniedException', message: 'denied' } }),
      principal,
      'secretsmanager:GetSecretValue',
      SECRET,
      ACCOUNT,
      context,
      implicit,
    );
    expect(side).toMatchObject({ kind: 'unseen' });
    expect(combine(implicit, side)).toBe('unseen');
  });

  it('an explicit Deny on the identity side wins; a depending identity side with a resource Allow depends only on its Deny', () => {
    const allows: ResourceSide = { kind: 'allows', statements: ['x'] };
    expect(combine({ ...implicit, decision: 'ExplicitlyDenied' }, allows)).toBe('denied');
    const depends = (possible: IdentityVerdict['possible']): IdentityVerdict => ({
      decision: 'unknown',
      source: LOCAL,
      statements: [],
      notes: [],
      possible,
      depends: {} as never,
    });
    expect(combine(depends(['Allowed', 'ImplicitlyDenied']), allows)).toBe('allowed-by-resource');
    expect(combine(depends(['Allowed', 'ExplicitlyDenied']), allows)).toBe('depends');
    expect(combine(depends(['ImplicitlyDenied', 'ExplicitlyDenied']), { kind: 'no' })).toBe('denied');
    expect(combine(depends(['Allowed', 'ImplicitlyDenied']), { kind: 'no' })).toBe('depends');
  });
});
