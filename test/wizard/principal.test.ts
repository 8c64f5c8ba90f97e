/**
 * The principal question without a view: which choices a filter gives, and what is said of a typed ARN
 * (a role or user the complete list of the caller's account does not have; no verdict where the tool
 * cannot see).
 */
import { describe, expect, it } from 'vitest';
import type { PrincipalListing } from '../../source/facts/discovery.js';
import { namedEntity, principalChoices, principalVerdict } from '../../source/wizard/principal.js';
import type { Lookup } from '../../source/wizard/state.js';
import { CALLER, CREATOR, PRINCIPALS } from '../ui/fixtures.js';

const listing: PrincipalListing = { entries: PRINCIPALS, roles: { listed: true, truncated: false }, users: { listed: true, truncated: false } };
const done = (value: PrincipalListing = listing): Lookup<PrincipalListing> => ({ state: 'done', result: { available: true, value } });
const verdict = (arn: string, lookup = done()) => principalVerdict(arn, lookup, CALLER);
const SUPPORT = PRINCIPALS[2]!.arn;

describe('what an ARN names', () => {
  it('a role by its IAM ARN (path included), a session by its role, users by name; root names nothing listed', () => {
    expect(namedEntity(SUPPORT)).toEqual({ kind: 'role', name: 'AWSServiceRoleForSupport', account: '123456789012', wholeArn: true });
    expect(namedEntity('arn:aws:sts::123456789012:assumed-role/Ops/alice')).toEqual({ kind: 'role', name: 'Ops', account: '123456789012', wholeArn: false });
    expect(namedEntity('arn:aws:sts::123456789012:user/moto')).toMatchObject({ kind: 'user', name: 'moto', wholeArn: false });
    expect(namedEntity('arn:aws:iam::123456789012:root')).toBeUndefined();
  });
});

describe('the verdict on a typed ARN', () => {
  it('a listed role or user, or its session, is listed', () => {
    expect(verdict(CREATOR)).toMatchObject({ kind: 'listed', entry: { name: 'ResponsePlanCreator' } });
    expect(verdict('arn:aws:sts::123456789012:assumed-role/ResponsePlanCreator/s1')).toMatchObject({ kind: 'listed' });
    expect(verdict('arn:aws:iam::123456789012:user/alice')).toMatchObject({ kind: 'listed' });
  });

  it('says that one the complete list lacks does not exist, with a near name or the right ARN', () => {
    expect(verdict('arn:aws:iam::123456789012:role/ResponsePlanCreater')).toEqual({
      kind: 'missing',
      text: 'No role named ResponsePlanCreater in account 123456789012: check the name, or choose from the list.',
    });
    expect(verdict('arn:aws:iam::123456789012:user/Alice')).toEqual({
      kind: 'missing',
      text: 'No user named Alice in account 123456789012 (there is alice): check the name, or choose from the list.',
    });
    // The right name under the wrong path is not the role's ARN
    expect(verdict('arn:aws:iam::123456789012:role/AWSServiceRoleForSupport')).toEqual({
      kind: 'missing',
      text: `The role AWSServiceRoleForSupport of account 123456789012 has the ARN ${SUPPORT}, not this one: choose it from the list.`,
    });
    // A name shown as typed, every character visible
    expect(verdict('arn:aws:iam::123456789012:role/App\u001b[31m')).toMatchObject({
      kind: 'missing',
      text: expect.stringContaining('No role named App\\x1b[31m in'),
    });
  });

  it('gives no verdict where it cannot see: another account, a list cut short or refused, still loading, no caller', () => {
    expect(verdict('arn:aws:iam::210987654321:role/X')).toMatchObject({ kind: 'note', text: expect.stringContaining('cannot be listed from here') });
    expect(verdict('arn:aws:iam::123456789012:role/X', done({ ...listing, roles: { listed: true, truncated: true } }))).toEqual({
      kind: 'note',
      text: 'The roles of account 123456789012 could not all be listed (more than the roles listed): whether role X exists is checked when the checks run.',
    });
    // Users refused: a user gets no verdict, a role still does
    const noUsers = done({ ...listing, users: { listed: false, reason: 'iam:ListUsers is not allowed for these credentials' } });
    expect(verdict('arn:aws:iam::123456789012:user/bob', noUsers)).toMatchObject({
      kind: 'note',
      text: expect.stringContaining('(iam:ListUsers is not allowed for these credentials)'),
    });
    expect(verdict('arn:aws:iam::123456789012:role/X', noUsers)).toMatchObject({ kind: 'missing' });
    expect(verdict('arn:aws:iam::123456789012:role/X', { state: 'done', result: { available: false, reason: 'refused' } })).toMatchObject({ kind: 'note' });
    expect(verdict('arn:aws:iam::123456789012:role/X', { state: 'loading' })).toBeUndefined();
    expect(principalVerdict('arn:aws:iam::123456789012:role/X', done(), undefined)).toBeUndefined();
    expect(verdict('arn:aws:iam::123456789012:root')).toBeUndefined();
    // The caller exists, listed or not (moto's caller user/moto is not)
    expect(principalVerdict('arn:aws:iam::123456789012:user/moto', done(), 'arn:aws:sts::123456789012:user/moto')).toBeUndefined();
    expect(verdict('arn:aws:iam::123456789012:role/Ops', done({ ...listing, entries: [] }))).toBeUndefined();
  });
});

describe('the choices', () => {
  const input = { listing, caller: { arn: CALLER, text: CALLER } };

  it('the given principal, the caller, then every role and user; the given one once', () => {
    const all = principalChoices('', { ...input, current: { kind: 'arn', arn: CREATOR } });
    expect(all.map((c) => c.label)).toEqual([
      CREATOR,
      `The caller (these credentials): ${CALLER}`,
      'role/Ops',
      'role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
      'user/alice',
    ]);
  });

  it('filters by name or ARN in any case; a typed ARN nothing has comes first, as typed', () => {
    expect(principalChoices('ALICE', input).map((c) => c.value)).toEqual(['caller', 'user:arn:aws:iam::123456789012:user/alice']);
    const typed = principalChoices(' arn:aws:iam::123456789012:role/Op ', input);
    expect(typed[0]).toEqual({
      value: 'typed',
      label: 'Use arn:aws:iam::123456789012:role/Op as typed',
      answer: { kind: 'arn', arn: 'arn:aws:iam::123456789012:role/Op' },
      typed: true,
    });
    expect(typed.map((c) => c.value)).toContain('role:arn:aws:iam::123456789012:role/Ops');
    // A listed ARN typed whole is that entry, first, not "as typed"
    const exact = principalChoices(CREATOR, input);
    expect(exact[0]).toMatchObject({ value: `role:${CREATOR}`, answer: { kind: 'arn', arn: CREATOR } });
    expect(exact.some((c) => c.typed)).toBe(false);
    // Not an IAM or STS ARN: never offered as typed
    expect(principalChoices('arn:aws:s3:::bucket', input)).toEqual([]);
  });
});
