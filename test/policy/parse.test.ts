/**
 * parse.ts on the shapes policies really come in, and the failure contract of evaluate(): a document that
 * is not a policy is a result to report, never an exception.
 */
import { describe, expect, it } from 'vitest';
import { asList, parsePolicy, policyFromValue, statementLabel } from '../../source/policy/parse.js';
import type { Statement } from '../../source/policy/parse.js';
import { describeStatement, evaluate } from '../../source/policy/evaluate.js';
import type { DecidingStatement, EvaluationRequest } from '../../source/policy/evaluate.js';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/pagerduty-AbCdEf';
const IM_STATEMENT = {
  Effect: 'Allow',
  Principal: { Service: 'ssm-incidents.amazonaws.com' },
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
};

describe('parsePolicy', () => {
  it('takes a Statement that is a single object as one statement', () => {
    const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: IM_STATEMENT }));
    expect(parsed).toEqual({
      ok: true,
      document: { Version: '2012-10-17', Statement: IM_STATEMENT },
      statements: [IM_STATEMENT],
    });
  });

  it('takes a Statement array in order', () => {
    const deny = { Sid: 'DenyDelete', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' };
    const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [IM_STATEMENT, deny] }));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.statements).toEqual([IM_STATEMENT, deny]);
  });

  it('keeps the whole document, including fields it does not use', () => {
    const document = { Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: [IM_STATEMENT] };
    const parsed = parsePolicy(JSON.stringify(document));
    expect(parsed.ok && parsed.document).toEqual(document);
  });

  it('reports a document without Statement', () => {
    expect(parsePolicy('{"Version": "2012-10-17"}')).toEqual({ ok: false, error: 'it has no Statement' });
  });

  it.each([
    ['a string', '"Allow"'],
    ['a number', '42'],
    ['null', 'null'],
    ['null Statement', '{"Statement": null}'],
    ['an array of strings', '["a"]'],
  ])('reports a document or Statement that is not an object: %s', (_label, text) => {
    const parsed = parsePolicy(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/not a JSON object/);
  });

  it.each([
    ['Statement is a string', { Statement: 'Allow everything' }],
    ['Statement is a number', { Statement: 1 }],
    ['one entry is a string', { Statement: [IM_STATEMENT, 'oops'] }],
    ['one entry is an array', { Statement: [[IM_STATEMENT]] }],
    ['one entry is null', { Statement: [IM_STATEMENT, null] }],
  ])('reports a Statement entry that is not an object: %s', (_label, document) => {
    expect(parsePolicy(JSON.stringify(document))).toEqual({ ok: false, error: 'a Statement entry is not a JSON object' });
  });

  it.each([
    ['empty text', ''],
    ['truncated', '{"Statement": ['],
    ['single quotes', "{'Statement': []}"],
    ['trailing comma', '{"Statement": [{"Effect": "Allow"},]}'],
    ['whitespace only', '   \n'],
  ])('reports invalid JSON text without throwing: %s', (_label, text) => {
    let parsed: ReturnType<typeof parsePolicy> | undefined;
    expect(() => {
      parsed = parsePolicy(text);
    }).not.toThrow();
    expect(parsed?.ok).toBe(false);
    if (parsed && !parsed.ok) expect(parsed.error).toMatch(/^it is not valid JSON \(.+\)$/);
  });

  it('policyFromValue takes an already-parsed document the same way', () => {
    expect(policyFromValue({ Statement: IM_STATEMENT })).toMatchObject({ ok: true, statements: [IM_STATEMENT] });
    expect(policyFromValue(undefined)).toEqual({ ok: false, error: 'it is not a JSON object' });
    expect(policyFromValue([IM_STATEMENT])).toEqual({ ok: false, error: 'it is not a JSON object' });
  });
});

describe('asList', () => {
  it('wraps a string', () => {
    expect(asList('secretsmanager:GetSecretValue')).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('keeps an array, as strings', () => {
    expect(asList(['kms:Decrypt', 'kms:GenerateDataKey*'])).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(asList([123456789012, true])).toEqual(['123456789012', 'true']);
    expect(asList([])).toEqual([]);
  });

  it('gives nothing for a missing field', () => {
    expect(asList(undefined)).toEqual([]);
    expect(asList(null)).toEqual([]);
  });

  it('turns a lone number (a bare account ID) into a string', () => {
    expect(asList(123456789012)).toEqual(['123456789012']);
  });
});

describe('statementLabel', () => {
  const statements: Statement[] = [
    { Effect: 'Allow' },
    { Sid: 'AllowIncidentManager', Effect: 'Allow' },
    { Sid: '', Effect: 'Deny' },
    { Sid: 7, Effect: 'Deny' },
  ];

  it('names the Sid and the 1-based position', () => {
    expect(statementLabel(statements, 1)).toBe('statement "AllowIncidentManager" (#2)');
  });

  it('gives the position alone without a Sid', () => {
    expect(statementLabel(statements, 0)).toBe('statement #1');
  });

  it('treats an empty or non-string Sid as none', () => {
    expect(statementLabel(statements, 2)).toBe('statement #3');
    expect(statementLabel(statements, 3)).toBe('statement #4');
  });

  it('does not throw past the end', () => {
    expect(statementLabel(statements, 9)).toBe('statement #10');
  });
});

describe('evaluate failures', () => {
  const base: EvaluationRequest = {
    principal: 'arn:aws:iam::123456789012:role/Ops',
    action: 'secretsmanager:GetSecretValue',
    resource: SECRET,
    resourceAccount: '123456789012',
    context: {},
  };

  it.each([
    ['an Effect that is neither Allow nor Deny', { Version: '2012-10-17', Statement: [{ ...IM_STATEMENT, Effect: 'Permit' }] }],
    ['an unknown element', { Version: '2012-10-17', Statement: [{ ...IM_STATEMENT, Bogus: 1 }] }],
    ['a Condition block that is not an object', { Version: '2012-10-17', Statement: [{ ...IM_STATEMENT, Condition: { StringEquals: 'x' } }] }],
    ['a document that is an array', [IM_STATEMENT]],
    ['a document that is a string', 'not a policy'],
  ])('returns ok:false, not a throw, for a resource policy with %s', async (_label, resourcePolicy) => {
    const result = await evaluate({ ...base, resourcePolicy });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^it is not a valid IAM policy \(resource policy: .+\)$/);
  });

  it('returns ok:false for an action that does not exist', async () => {
    const result = await evaluate({ ...base, action: 'secrets:GetSecretValue' });
    expect(result.ok).toBe(false);
  });
});

describe('describeStatement', () => {
  it('names the Sid and the 1-based index', () => {
    const d: DecidingStatement = { policy: 'resource', sid: 'DenyOutsideOrganization', index: 2 };
    expect(describeStatement(d, "the secret's resource policy")).toBe(`statement "DenyOutsideOrganization" (#2) of the secret's resource policy`);
  });

  it('names the index alone without a Sid, and the identity policy by name', () => {
    expect(describeStatement({ policy: 'resource', index: 3 }, 'the key policy')).toBe('statement #3 of the key policy');
    expect(describeStatement({ policy: 'identity', policyName: 'ReadSecrets', sid: 'Read', index: 1 }, 'x')).toBe(
      'statement "Read" (#1) of the identity policy ReadSecrets',
    );
    expect(describeStatement({ policy: 'permissions-boundary', policyName: 'Boundary', index: 4 }, 'x')).toBe(
      'statement #4 of the permissions boundary Boundary',
    );
  });

  it('describes the statements evaluate() reports, with the index counted from 1', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Creator',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:role/Creator' },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
        { Sid: 'IncidentManager', ...IM_STATEMENT },
        { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    };
    const request: EvaluationRequest = {
      principal: 'ssm-incidents.amazonaws.com',
      action: 'secretsmanager:GetSecretValue',
      resource: SECRET,
      resourceAccount: '123456789012',
      context: { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': 'ssm-incidents.amazonaws.com' },
      resourcePolicy: policy,
    };

    const allowed = await evaluate(request);
    expect(allowed).toMatchObject({ ok: true, decision: 'Allowed' });
    if (!allowed.ok) return;
    expect(allowed.grants.map((d) => describeStatement(d, "the secret's resource policy"))).toEqual([
      `statement "IncidentManager" (#2) of the secret's resource policy`,
    ]);

    const denied = await evaluate({ ...request, context: { ...request.context, 'aws:SecureTransport': 'false' } });
    expect(denied).toMatchObject({ ok: true, decision: 'ExplicitlyDenied' });
    if (!denied.ok) return;
    expect(denied.denies.map((d) => describeStatement(d, "the secret's resource policy"))).toEqual([`statement #3 of the secret's resource policy`]);
  });
});
