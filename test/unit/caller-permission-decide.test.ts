/**
 * caller-permission's decision (source/checks/caller-permission/decide.ts), on verdicts written out: the
 * identity side's and, where it does not decide by itself, the resource side's. The order follows the IAM
 * User Guide, "Policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): the identity
 * side is a cause only where no policy allows; within one account an Allow in the resource's own policy
 * suffices ("Policy evaluation for requests within a single account").
 */
import { describe, expect, it } from 'vitest';
import { decidePermission, type PermissionVerdict } from '../../source/checks/caller-permission/decide.js';
import { LOCAL, SIMULATOR, type IdentityVerdict } from '../../source/checks/identity-side.js';
import { PRINCIPAL_IN_OTHER_ACCOUNT } from '../../source/facts/principal-account.js';
import type { Combined, ResourceSide } from '../../source/checks/resource-side.js';
import type { Principal } from '../../source/facts/index.js';

const ACCOUNT = '123456789012';
const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:s-AbCdEf`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const principal = { arn: USER, given: USER, account: ACCOUNT, kind: 'user', name: 'alice', isCaller: true } as Principal;

const identity = (over: Partial<IdentityVerdict> = {}): IdentityVerdict => ({ decision: 'Allowed', source: SIMULATOR, statements: [], notes: [], ...over });
function verdict(combined: Combined, v: Partial<IdentityVerdict> = {}, other?: ResourceSide, onKey = false): PermissionVerdict {
  return { action: onKey ? 'kms:Decrypt' : 'secretsmanager:GetSecretValue', resource: onKey ? KEY : SECRET, v: identity(v), other, combined };
}
const problem = (code: string) => ({ kind: 'other' as const, code, message: `${code} happened` });

describe('decidePermission', () => {
  it('denied wins over everything else, explicit when the first denied request is explicitly denied', () => {
    const explicit = verdict('denied', { decision: 'ExplicitlyDenied', statements: ['statement "NoRead" (#1)'] });
    const implicit = verdict('denied', { decision: 'ImplicitlyDenied' }, { kind: 'no' }, true);
    expect(decidePermission([verdict('unknown', { decision: 'unknown', problem: problem('Throttling') }), explicit, implicit], principal)).toEqual({
      case: 'denied',
      denied: [explicit, implicit],
      explicit: true,
    });
    expect(decidePermission([implicit], principal)).toMatchObject({ case: 'denied', explicit: false });
  });

  it("depends on unobservable values: the identity side's decision, or the resource side's", () => {
    const depends = { ok: true, depends: true, unobserved: [], outcomes: [], evaluation: {} } as never;
    const byIdentity = verdict('depends', { decision: 'unknown', source: LOCAL, depends });
    expect(decidePermission([byIdentity], principal)).toEqual({ case: 'depends', verdict: byIdentity, decision: depends });
    const byResource = verdict('depends', { decision: 'ImplicitlyDenied' }, { kind: 'depends', decision: depends });
    expect(decidePermission([byResource], principal)).toEqual({ case: 'depends', verdict: byResource, decision: depends });
  });

  it("the identity side does not allow, and the resource's own policy could not be read: unseen, with why", () => {
    const unseen = verdict('unseen', { decision: 'ImplicitlyDenied' }, { kind: 'unseen', why: 'GetResourcePolicy was refused' });
    expect(decidePermission([unseen], principal)).toEqual({ case: 'resource-unseen', verdict: unseen, why: 'GetResourcePolicy was refused' });
  });

  it('an identity side that could not be evaluated: another account, values not observable, or a failure', () => {
    const elsewhere = verdict('unknown', { decision: 'unknown', problem: problem(PRINCIPAL_IN_OTHER_ACCOUNT) });
    expect(decidePermission([elsewhere], principal)).toMatchObject({ case: 'other-account', verdict: elsewhere });
    expect(decidePermission([verdict('unknown', { decision: 'unknown', problem: problem('UnobservableContext') })], principal)).toMatchObject({
      case: 'unobservable',
    });
    expect(decidePermission([verdict('unknown', { decision: 'unknown', problem: problem('ThrottlingException') })], principal)).toMatchObject({
      case: 'unknown',
      problem: { code: 'ThrottlingException' },
    });
  });

  it("allowed: by the resource's own policy (same account) where the identity side does not, else by the IAM policies", () => {
    const byResource = verdict('allowed-by-resource', { decision: 'ImplicitlyDenied' }, { kind: 'allows', statements: ['statement "Alice" (#1)'] }, true);
    expect(decidePermission([verdict('allowed'), byResource], principal)).toEqual({ case: 'allowed-by-resource', byResource: [byResource] });
    expect(decidePermission([verdict('allowed'), verdict('allowed', {}, undefined, true)], principal)).toEqual({ case: 'allowed' });
  });
});
