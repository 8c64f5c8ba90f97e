/**
 * The planner on every policy shape in the corpus: it only adds, keeps the original statements JSON-equal
 * and in order, adds nothing the second time, and makes the Incident Manager check pass where no Deny
 * stands in the way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planAddition, publicStatements, serialize, sameDocument } from '../../source/fixes/document.js';
import { incidentManagerSecretStatement, incidentManagerKeyStatement } from '../../source/policy/statements.js';
import { policyFromValue } from '../../source/policy/parse.js';
import { evaluate } from '../../source/policy/evaluate.js';

const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');
const corpus = readdirSync(corpusDir)
  .filter((f) => /^\d\d-.*\.json$/.test(f))
  .map((f) => ({ name: f, ...(JSON.parse(readFileSync(path.join(corpusDir, f), 'utf8')) as { kind: string; policy: Record<string, unknown> }) }));

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pagerduty-AbCdEf';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function statements(document: unknown): unknown[] {
  const parsed = policyFromValue(document);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.statements;
}

describe.each(corpus)('$name', ({ kind, policy }) => {
  const addition = kind === 'kms-key-policy' ? incidentManagerKeyStatement() : incidentManagerSecretStatement();

  it('keeps every original statement JSON-equal and in order, and only appends', () => {
    const planned = planAddition(structuredClone(policy), [addition]);
    expect(planned.ok).toBe(true);
    if (!planned.ok) return;
    const before = statements(policy);
    const after = statements(planned.document);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBe(before.length + planned.added.length);
    // other top-level fields survive
    for (const [k, v] of Object.entries(policy)) if (k !== 'Statement') expect(planned.document[k]).toEqual(v);
  });

  it('adds nothing the second time', () => {
    const once = planAddition(structuredClone(policy), [addition]);
    if (!once.ok) throw new Error('plan failed');
    const twice = planAddition(once.document, [addition]);
    expect(twice.ok && twice.added).toEqual([]);
  });

  it('makes Incident Manager allowed, unless an explicit Deny applies', async () => {
    const planned = planAddition(structuredClone(policy), [addition]);
    if (!planned.ok) throw new Error('plan failed');
    const isKey = kind === 'kms-key-policy';
    const result = await evaluate({
      principal: 'ssm-incidents.amazonaws.com',
      action: isKey ? 'kms:Decrypt' : 'secretsmanager:GetSecretValue',
      resource: isKey ? KEY : SECRET,
      resourceAccount: '123456789012',
      context: {
        'aws:PrincipalIsAWSService': 'true',
        'aws:PrincipalServiceName': 'ssm-incidents.amazonaws.com',
        'aws:SourceAccount': '123456789012',
        'aws:SecureTransport': 'true',
        ...(isKey ? { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } : {}),
      },
      resourcePolicy: planned.document,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const before = await evaluate({
      principal: 'ssm-incidents.amazonaws.com',
      action: isKey ? 'kms:Decrypt' : 'secretsmanager:GetSecretValue',
      resource: isKey ? KEY : SECRET,
      resourceAccount: '123456789012',
      context: {
        'aws:PrincipalIsAWSService': 'true',
        'aws:PrincipalServiceName': 'ssm-incidents.amazonaws.com',
        'aws:SourceAccount': '123456789012',
        'aws:SecureTransport': 'true',
        ...(isKey ? { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } : {}),
      },
      resourcePolicy: policy,
    });
    if (before.ok && before.decision === 'ExplicitlyDenied') expect(result.decision).toBe('ExplicitlyDenied');
    else expect(result.decision).toBe('Allowed');
  });
});

describe('planAddition on the shapes IAM allows', () => {
  it('creates a policy where there was none', () => {
    const planned = planAddition(null, [incidentManagerSecretStatement()]);
    expect(planned).toEqual({
      ok: true,
      document: { Version: '2012-10-17', Statement: [incidentManagerSecretStatement()] },
      added: [incidentManagerSecretStatement()],
    });
  });

  it('turns a single Statement object into a list that starts with it, unchanged', () => {
    const single = {
      Version: '2012-10-17',
      Id: 'x',
      Statement: { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
    };
    const planned = planAddition(structuredClone(single), [incidentManagerSecretStatement()]);
    expect(planned.ok && planned.document).toEqual({ Version: '2012-10-17', Id: 'x', Statement: [single.Statement, incidentManagerSecretStatement()] });
  });

  it('numbers its Sid when another statement already uses it', () => {
    const taken = { Version: '2012-10-17', Statement: [{ ...incidentManagerKeyStatement(), Action: 'kms:Decrypt' }] };
    const planned = planAddition(structuredClone(taken), [incidentManagerKeyStatement()]);
    expect(planned.ok && planned.added.map((s) => s.Sid)).toEqual(['Allow Incident Manager to use the key2']);
  });

  it('refuses a document that is not a policy', () => {
    expect(planAddition('not json', [incidentManagerSecretStatement()]).ok).toBe(false);
    expect(planAddition({ Version: '2012-10-17' }, [incidentManagerSecretStatement()]).ok).toBe(false);
  });
});

describe('publicStatements', () => {
  it.each([
    [{ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } }, [1]],
    [
      {
        Statement: [
          { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', '*'] }, Action: '*', Resource: '*' },
        ],
      },
      [2],
    ],
    [{ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } } }, []],
    [{ Statement: { Effect: 'Allow', Principal: { Service: 'ssm-incidents.amazonaws.com' }, Action: '*', Resource: '*' } }, []],
  ])('%j -> %j', (doc, expected) => {
    expect(publicStatements(doc)).toEqual(expected);
  });
});

describe('serialize and sameDocument', () => {
  it('pretty-prints within the limit and compares documents, not formatting', () => {
    const doc = { Version: '2012-10-17', Statement: [incidentManagerSecretStatement()] };
    const text = serialize(doc, 'secret-policy');
    expect(text).toContain('\n  "Statement"');
    expect(sameDocument(text, JSON.stringify(doc))).toBe(true);
    expect(sameDocument(text, null)).toBe(false);
    expect(sameDocument(null, null)).toBe(true);
  });

  it('falls back to compact JSON when pretty-printing would pass the size limit', () => {
    const big = {
      Version: '2012-10-17',
      Statement: Array.from({ length: 150 }, (_, i) => ({
        Sid: `S${i}`,
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::123456789012:role/r${i}` },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      })),
    };
    const text = serialize(big, 'secret-policy');
    expect(JSON.stringify(big, null, 2).length).toBeGreaterThan(20_480);
    expect(text).toBe(JSON.stringify(big));
  });
});
