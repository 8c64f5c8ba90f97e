/**
 * Documents that do not survive parsing (SPEC.md, Version 2, "Hostile input and malformed answers"):
 * JSON.parse silently keeps the last of duplicated keys and rounds long numbers; `jsonLoss` says so, at any
 * depth, and does not count formatting (1.0 for 1, 1e2 for 100) as a loss.
 */
import { describe, expect, it } from 'vitest';
import { jsonLoss } from '../../source/policy/parse.js';

const ALLOW = '{"Effect":"Allow","Principal":{"Service":"ssm-incidents.amazonaws.com"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}';
const DENY = '{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}';

describe('jsonLoss', () => {
  it('passes ordinary policies, whatever their formatting', () => {
    expect(jsonLoss(`{"Version":"2012-10-17","Statement":[${ALLOW},${DENY}]}`)).toBeUndefined();
    expect(jsonLoss(JSON.stringify(JSON.parse(`{"Statement":[${ALLOW}]}`), null, 2))).toBeUndefined();
    expect(jsonLoss('{"a": [1.0, 1e2, 100.00, -0, 0.1, 123456789012, 9007199254740991, 1.5E-3, "x\\"y"]}')).toBeUndefined();
    expect(jsonLoss('{"a\\u0062": 1, "ab2": 2}')).toBeUndefined();
  });

  it('a duplicated top-level Statement: the first (a Deny) would be lost', () => {
    const loss = jsonLoss(`{"Version":"2012-10-17","Statement":[${DENY}],"Statement":[${ALLOW}]}`);
    expect(loss).toContain('"Statement"');
    expect(loss).toContain('top level');
  });

  it('a duplicated Principal inside a statement, named by its place', () => {
    const loss = jsonLoss('{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Principal":{"AWS":"*"}}]}');
    expect(loss).toContain('"Principal"');
    expect(loss).toContain('Statement[0]');
  });

  it('duplicates spelt differently are the same key ("Principal" and "Princip\\u0061l")', () => {
    expect(jsonLoss('{"Principal":1,"Princip\\u0061l":2}')).toContain('"Principal"');
  });

  it('a key repeated deep inside a Condition', () => {
    expect(jsonLoss('{"Statement":{"Condition":{"StringEquals":{"aws:SourceAccount":"1","aws:SourceAccount":"2"}}}}')).toContain(
      'Statement.Condition.StringEquals',
    );
  });

  it('a number that loses precision, or does not fit at all', () => {
    expect(jsonLoss('{"Statement":[{"Condition":{"NumericLessThan":{"x":12345678901234567890}}}]}')).toContain('12345678901234567890');
    expect(jsonLoss('{"n": 0.12345678901234567890123}')).toContain('cannot be kept exactly');
    expect(jsonLoss('{"n": 1e400}')).toContain('1e400');
  });

  it('text that is not JSON is left to JSON.parse', () => {
    expect(jsonLoss('{"Statement": [')).toBeUndefined();
    expect(jsonLoss('not a policy')).toBeUndefined();
  });

  it('nesting too deep to check is a refusal, not a crash', () => {
    expect(jsonLoss(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toContain('nested too deeply');
  });
});
