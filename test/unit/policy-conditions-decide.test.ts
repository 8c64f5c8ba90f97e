/**
 * policy-conditions' decision (source/checks/policy-conditions/decide.ts), on statements as the IAM engine
 * explains them: which case a set of facts makes, and which statements and keys make it. No AWS, no engine:
 * the facts are written out. The order follows the IAM User Guide, "Policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit
 * Deny wins over any Allow; without an applicable Allow the request is implicitly denied.
 */
import { describe, expect, it } from 'vitest';
import { decideConditions, type ConditionSeen, type ConditionsFacts, type StatementSeen } from '../../source/checks/policy-conditions/decide.js';
import type { ContextDecision } from '../../source/policy/observability.js';
import type { Decision } from '../../source/policy/evaluate.js';

const ACCOUNT = '123456789012';
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:s-AbCdEf`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const GET = 'secretsmanager:GetSecretValue';
const ON_SECRET = { label: `${GET} on the secret`, action: GET, resource: SECRET };
const ON_KEY = { label: 'kms:Decrypt on the key, through Secrets Manager', action: 'kms:Decrypt', resource: KEY };

const condition = (over: Partial<ConditionSeen> = {}): ConditionSeen => ({
  operator: 'StringEquals',
  key: 'aws:PrincipalTag/team',
  values: ['ops'],
  matches: true,
  observed: 'ops',
  ...over,
});
const statement = (over: Partial<StatementSeen> = {}): StatementSeen => ({
  request: ON_SECRET.label,
  action: GET,
  resource: SECRET,
  where: 'statement "S" (#1) of the identity policy "app"',
  effect: 'Allow',
  applies: true,
  conditions: [condition()],
  ...over,
});
/** The IP the request comes from: a key the tool cannot observe from here. */
const sourceIp = (over: Partial<ConditionSeen> = {}): ConditionSeen =>
  condition({
    operator: 'IpAddress',
    key: 'aws:SourceIp',
    values: ['192.0.2.0/24'],
    matches: false,
    observed: undefined,
    unobserved: 'the IP address the request comes from',
    ...over,
  });

/** A decision with the given outcomes over the unobservable keys (only `ok`, `depends` and the outcomes matter here). */
function decided(...outcomes: Decision[]): ContextDecision {
  return {
    ok: true,
    depends: outcomes.length > 1,
    unobserved: outcomes.length > 1 ? [{ key: 'aws:SourceIp', why: 'the IP address the request comes from' }] : [],
    outcomes: outcomes.map((decision) => ({ decision, evaluation: {} as never, when: [{}] })),
    evaluation: {} as never,
  };
}

function facts(statements: StatementSeen[], decision: Decision = 'Allowed', over: Partial<ConditionsFacts> = {}): ConditionsFacts {
  return {
    action: GET,
    requests: [ON_SECRET],
    seen: [{ ...ON_SECRET, decision, statements }],
    decisions: [decided(decision)],
    missing: [],
    unobservableMissing: [],
    simulatorDenied: false,
    simulatorAnswered: true,
    identityPoliciesRead: true,
    vpcEndpointDenial: false,
    ...over,
  };
}

describe('decideConditions: denied requests', () => {
  it('a Deny whose observed condition is met decides, naming the condition that matched', () => {
    // Given an explicit Deny unless the request comes from us-west-2, and a request from us-east-1
    const deny = statement({
      effect: 'Deny',
      where: 'statement "OnlyWest" (#2) of the secret\'s resource policy',
      conditions: [condition({ operator: 'StringNotEquals', key: 'aws:RequestedRegion', values: ['us-west-2'], observed: 'us-east-1' })],
    });
    const d = decideConditions(facts([statement(), deny], 'ExplicitlyDenied'));
    // Then the Deny is the cause (an explicit deny overrides any allow)
    expect(d).toMatchObject({ case: 'deny-met', statement: deny, condition: deny.conditions[0] });
  });

  it('a Deny that applies only for want of a value the tool cannot observe is not called met', () => {
    const deny = statement({ effect: 'Deny', conditions: [sourceIp({ operator: 'NotIpAddress', matches: true })] });
    expect(decideConditions(facts([deny], 'ExplicitlyDenied')).case).toBe('not-conditions');
  });

  it('an Allow whose observed condition fails is the cause of an implicit deny, with its failing conditions', () => {
    const allow = statement({
      applies: false,
      conditions: [
        condition({ observed: 'dev', matches: false }),
        condition({ key: 'aws:SecureTransport', operator: 'Bool', values: ['true'], observed: 'true' }),
      ],
    });
    const d = decideConditions(facts([allow], 'ImplicitlyDenied'));
    expect(d).toMatchObject({ case: 'allow-unmet', statement: allow, failing: [allow.conditions[0]] });
  });

  it('an unmet Allow is not the cause where the request is explicitly denied anyway', () => {
    const allow = statement({ applies: false, conditions: [condition({ observed: 'dev', matches: false })] });
    expect(decideConditions(facts([allow], 'ExplicitlyDenied'))).toEqual({ case: 'not-conditions', denied: ON_SECRET.label });
  });

  it('no condition explains the denial: conditions are not the cause, naming every denied request', () => {
    const d = decideConditions({
      ...facts([], 'ImplicitlyDenied'),
      requests: [ON_SECRET, ON_KEY],
      seen: [
        { ...ON_SECRET, decision: 'ImplicitlyDenied', statements: [] },
        { ...ON_KEY, decision: 'ImplicitlyDenied', statements: [] },
      ],
      decisions: [decided('ImplicitlyDenied'), decided('ImplicitlyDenied')],
    });
    expect(d).toEqual({ case: 'not-conditions', denied: `${ON_SECRET.label} and ${ON_KEY.label}` });
  });

  it("the simulator's denial without values the tool cannot observe depends on them (SimulatePrincipalPolicy MissingContextValues)", () => {
    // IAM API Reference, EvaluationResult: MissingContextValues are keys the policies need but the request did not give
    const hinging = statement({ applies: false, conditions: [sourceIp()] });
    const d = decideConditions(
      facts([hinging], 'ImplicitlyDenied', { simulatorDenied: true, missing: ['aws:SourceIp'], unobservableMissing: ['aws:SourceIp'] }),
    );
    expect(d).toEqual({ case: 'simulator-depends', denied: ON_SECRET.label, hinging: [hinging], keys: [hinging.conditions[0]], unseen: ['aws:SourceIp'] });
    // Allowed locally, denied by the simulator: the secret action is named as the denied request
    const local = decideConditions(facts([], 'Allowed', { simulatorDenied: true, missing: ['aws:SourceIp'], unobservableMissing: ['aws:SourceIp'] }));
    expect(local).toEqual({ case: 'simulator-depends', denied: ON_SECRET.label, hinging: [], keys: [], unseen: ['aws:SourceIp'] });
  });
});

describe('decideConditions: what the tool cannot observe, and a VPC endpoint', () => {
  it('a request allowed for some values of an unobservable key and denied for others depends on it', () => {
    const hinging = statement({ applies: false, conditions: [sourceIp()] });
    const d = decideConditions({ ...facts([hinging], 'ImplicitlyDenied'), decisions: [decided('Allowed', 'ImplicitlyDenied')] });
    expect(d).toMatchObject({ case: 'depends', request: ON_SECRET, hinging: [hinging], keys: [hinging.conditions[0]] });
  });

  it('a change between two denials (implicit, explicit) is not a dependence', () => {
    const d = decideConditions({ ...facts([], 'ImplicitlyDenied'), decisions: [decided('ImplicitlyDenied', 'ExplicitlyDenied')] });
    expect(d.case).toBe('not-conditions');
  });

  it('a message that names a VPC endpoint policy decides first: that policy is not visible from the secret', () => {
    // IAM User Guide, "Troubleshoot access denied error messages": "... because no VPC endpoint policy allows ..."
    const d = decideConditions({ ...facts([], 'Allowed'), decisions: [decided('Allowed', 'ImplicitlyDenied')], vpcEndpointDenial: true });
    expect(d).toEqual({ case: 'vpc-endpoint' });
  });
});

describe('decideConditions: allowed requests', () => {
  it('conditions met by what the tool observes: their keys, once each', () => {
    const d = decideConditions(facts([statement(), statement({ where: 'statement "T" (#2) of the identity policy "app"' })]));
    expect(d).toEqual({ case: 'conditions-met', keys: ['aws:PrincipalTag/team'], risky: [] });
  });

  it('unobservable conditions that change nothing (every value tried) are named as such', () => {
    const risky = statement({ effect: 'Deny', applies: false, conditions: [sourceIp()] });
    expect(decideConditions(facts([statement(), risky]))).toMatchObject({ case: 'conditions-met', risky: [risky] });
  });

  it('no statement with a condition applies', () => {
    expect(decideConditions(facts([]))).toEqual({ case: 'no-conditions' });
  });

  it('identity policies unread and no simulator answer: their conditions were not seen at all', () => {
    expect(decideConditions(facts([], 'Allowed', { identityPoliciesRead: false, simulatorAnswered: false }))).toEqual({ case: 'identity-unseen' });
    expect(decideConditions(facts([], 'Allowed', { identityPoliciesRead: false, simulatorAnswered: true })).case).toBe('no-conditions');
  });

  it("the simulator's Allow evaluated without a value the tool cannot observe is only allowed as far as it can see", () => {
    const d = decideConditions(facts([], 'Allowed', { missing: ['aws:SourceVpce'], unobservableMissing: ['aws:SourceVpce'] }));
    expect(d).toEqual({ case: 'allowed-unseen', unseen: ['aws:SourceVpce'], risky: [] });
  });
});
