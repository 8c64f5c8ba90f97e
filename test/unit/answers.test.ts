/**
 * The fields AWS always sends (see source/aws/answers.ts): an answer without them is malformed. The SDK
 * reads an empty body, `{}`, or (XML protocols) an HTML page as an answer with every field missing.
 */
import { describe, expect, it } from 'vitest';
import { malformedAnswer } from '../../source/aws/answers.js';
import { classify, isServiceProblem, sentence } from '../../source/aws/errors.js';
import { MalformedAnswerError } from '../../source/aws/answers.js';

describe('malformedAnswer', () => {
  it('names what is missing', () => {
    expect(malformedAnswer('secretsmanager', 'GetResourcePolicy', { $metadata: {} })).toBe('ARN, Name');
    expect(malformedAnswer('kms', 'DescribeKey', { KeyMetadata: { KeyId: 'k' } })).toBe('KeyMetadata.Arn');
    expect(malformedAnswer('iam', 'ListRolePolicies', { PolicyNames: [] })).toBe('IsTruncated');
    expect(malformedAnswer('sts', 'GetCallerIdentity', undefined)).toBe('the whole answer');
  });

  it('accepts whole answers, a secret without a policy included', () => {
    expect(
      malformedAnswer('secretsmanager', 'GetResourcePolicy', { ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf', Name: 'x' }),
    ).toBeUndefined();
    expect(malformedAnswer('iam', 'ListRolePolicies', { PolicyNames: [], IsTruncated: false })).toBeUndefined();
    expect(malformedAnswer('kms', 'ListKeys', { Keys: [], Truncated: false })).toBeUndefined();
  });

  it('leaves operations it has no rule for alone', () => {
    expect(malformedAnswer('secretsmanager', 'PutResourcePolicy', {})).toBeUndefined();
  });

  it('its error is a malformed problem, a service problem with status', () => {
    const problem = classify(new MalformedAnswerError('secretsmanager', 'GetResourcePolicy', 'ARN, Name', 200));
    expect(problem).toMatchObject({ kind: 'malformed', code: 'MalformedResponse', status: 200 });
    expect(isServiceProblem(problem)).toBe(true);
  });

  it('a SyntaxError from the JSON reader on a 200 is malformed; on a 403 still a denial', () => {
    const syntax = (status: number) =>
      Object.assign(new SyntaxError('Unexpected token \'<\', "<html>" is not valid JSON\n  Deserialization error: to see the raw response...'), {
        $metadata: { httpStatusCode: status },
      });
    expect(classify(syntax(200)).kind).toBe('malformed');
    expect(classify(syntax(403)).kind).toBe('access-denied');
    expect(classify(syntax(502)).kind).toBe('unreadable-response');
  });
});

describe('the sentence for a malformed answer', () => {
  it('does not quote the body the other end sent', () => {
    const error = Object.assign(
      new SyntaxError('Unexpected token \'<\', "<html>\u001b[31mEVIL"... is not valid JSON\n  Deserialization error: to see the raw response...'),
      { $metadata: { httpStatusCode: 200 } },
    );
    const text = sentence(classify(error));
    expect(text).toContain('HTTP 200');
    expect(text).toContain('not the JSON document expected');
    expect(text).not.toContain('EVIL');
    expect(text).not.toContain('\u001b');
  });
});

describe('a malformed problem', () => {
  it('keeps no piece of the body in its message (evidence and --json carry it)', () => {
    const error = Object.assign(new SyntaxError('Unexpected token \'<\', "<html>EVIL"... is not valid JSON'), { $metadata: { httpStatusCode: 200 } });
    expect(classify(error).message).toBe('the body is not the JSON document expected');
  });
});
