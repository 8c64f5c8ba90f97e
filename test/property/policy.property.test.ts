/**
 * Properties of the policy layer over generated policies (fast-check): the planner only appends and is
 * idempotent, where no explicit Deny applies the planned policy lets Incident Manager in, and parsing and
 * evaluation never throw on any JSON value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAddition } from '../../source/fixes/document.js';
import { parsePolicy, policyFromValue } from '../../source/policy/parse.js';
import { evaluate } from '../../source/policy/evaluate.js';
import { incidentManagerSecretStatement } from '../../source/policy/statements.js';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pagerduty-AbCdEf';
const IM_CONTEXT = {
  'aws:PrincipalIsAWSService': 'true',
  'aws:PrincipalServiceName': 'ssm-incidents.amazonaws.com',
  'aws:SourceAccount': '123456789012',
  'aws:SecureTransport': 'true',
};

const oneOrMany = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));

const action = fc.constantFrom(
  'secretsmanager:GetSecretValue',
  'secretsmanager:*',
  'secretsmanager:Get*',
  'secretsmanager:DescribeSecret',
  'secretsmanager:PutSecretValue',
  '*',
);
const principal = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: oneOrMany(fc.constantFrom('arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:role/Ops', '111122223333', '*')) }),
  fc.record({ Service: oneOrMany(fc.constantFrom('ssm-incidents.amazonaws.com', 'lambda.amazonaws.com', 'appflow.amazonaws.com')) }),
);
const condition = fc.option(
  fc.constantFrom(
    { Bool: { 'aws:SecureTransport': 'false' } },
    { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    { StringNotEquals: { 'aws:PrincipalServiceName': 'ssm-incidents.amazonaws.com' } },
    { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
  ),
  { nil: undefined },
);
const statement = fc
  .record({
    Sid: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { nil: undefined }),
    Effect: fc.constantFrom('Allow', 'Deny'),
    Principal: principal,
    useNotAction: fc.boolean(),
    Action: oneOrMany(action),
    Resource: fc.constantFrom('*', SECRET, [SECRET]),
    Condition: condition,
  })
  .map(({ useNotAction, Action, Sid, Condition, ...rest }) => ({
    ...(Sid === undefined ? {} : { Sid }),
    ...rest,
    ...(useNotAction ? { NotAction: Action } : { Action }),
    ...(Condition === undefined ? {} : { Condition }),
  }));
const policy = fc.record({
  Version: fc.constant('2012-10-17'),
  Statement: fc.oneof(statement, fc.array(statement, { minLength: 1, maxLength: 5 })),
});

/** Incident Manager's GetSecretValue on SECRET, evaluated against `document` as the resource policy. */
const imRequest = (document: unknown) =>
  evaluate({
    principal: 'ssm-incidents.amazonaws.com',
    action: 'secretsmanager:GetSecretValue',
    resource: SECRET,
    resourceAccount: '123456789012',
    context: IM_CONTEXT,
    resourcePolicy: document,
  });

async function imDecision(document: unknown) {
  const result = await imRequest(document);
  if (!result.ok) throw new Error(result.error);
  return result.decision;
}

describe('planAddition', () => {
  it('keeps every original statement, unchanged and in order, and appends only', () => {
    fc.assert(
      fc.property(policy, (p) => {
        const original = structuredClone(p);
        const planned = planAddition(p, [incidentManagerSecretStatement()]);
        if (!planned.ok) return false;
        const before = policyFromValue(original);
        const after = policyFromValue(planned.document);
        if (!before.ok || !after.ok) return false;
        expect(after.statements.slice(0, before.statements.length)).toEqual(before.statements);
        expect(after.statements.length).toBe(before.statements.length + planned.added.length);
        expect(p).toEqual(original); // the input is not mutated
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('adds nothing when planned twice', () => {
    fc.assert(
      fc.property(policy, (p) => {
        const once = planAddition(p, [incidentManagerSecretStatement()]);
        if (!once.ok) return false;
        const twice = planAddition(once.document, [incidentManagerSecretStatement()]);
        return twice.ok && twice.added.length === 0 && JSON.stringify(twice.document) === JSON.stringify(once.document);
      }),
      { numRuns: 300 },
    );
  });

  it('lets Incident Manager in under the engine wherever no explicit Deny applies', async () => {
    await fc.assert(
      fc.asyncProperty(policy, async (p) => {
        const before = await imDecision(p);
        const planned = planAddition(p, [incidentManagerSecretStatement()]);
        if (!planned.ok) return false;
        const after = await imDecision(planned.document);
        return before === 'ExplicitlyDenied' ? after === 'ExplicitlyDenied' : after === 'Allowed';
      }),
      { numRuns: 200 },
    );
  });
});

describe('parsing and evaluation never throw', () => {
  it('parsePolicy and policyFromValue on any JSON value or text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        const a = policyFromValue(value);
        const b = parsePolicy(JSON.stringify(value));
        const c = parsePolicy(text);
        return [a, b, c].every((r) => typeof r.ok === 'boolean' && (r.ok || typeof r.error === 'string'));
      }),
      { numRuns: 500 },
    );
  });

  it('evaluate answers ok or not-ok (never throws) on any JSON value as a resource policy', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          policy.map((p) => ({ ...p, Extra: 1 })),
        ),
        async (value) => {
          const result = await imRequest(value);
          return result.ok ? ['Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied'].includes(result.decision) : typeof result.error === 'string';
        },
      ),
      { numRuns: 200 },
    );
  });
});
