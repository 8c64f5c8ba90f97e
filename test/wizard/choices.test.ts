/** The choices of the symptom questions and the many-secrets rows, shared by both front-ends. */
import { describe, expect, it } from 'vitest';
import { actionChoices, changedChoices, kmsKeyChoices, manyRow, messageLines, progressBar } from '../../source/wizard/choices.js';
import { manyChoices } from '../../source/wizard/secret-choices.js';
import { diagnosis, finding, KEYS, RSA_KEY, SYMMETRIC_KEY } from '../ui/fixtures.js';

const listing = { region: 'us-east-1', keys: KEYS, listed: 3, awsManaged: 1, notDescribed: 0, truncated: false };

describe('choices', () => {
  it('operations: GetSecretValue first, the current one first when given, as typed only when nothing listed matches', () => {
    expect(actionChoices('', undefined)[0]).toEqual({ value: 'secretsmanager:GetSecretValue', label: 'GetSecretValue' });
    expect(actionChoices('', 'secretsmanager:TagResource')[0]!.label).toBe('TagResource');
    expect(actionChoices('secretsmanager:putsecret', undefined).map((c) => c.label)).toEqual(['PutSecretValue']);
    expect(actionChoices('Policy', undefined).some((c) => c.typed)).toBe(false);
    expect(actionChoices('GetFutureThing', undefined)).toEqual([
      { value: 'secretsmanager:GetFutureThing', label: 'Use secretsmanager:GetFutureThing as typed', typed: true },
    ]);
    expect(actionChoices('not an action', undefined)).toEqual([]);
  });

  it('what was changed: the four, the current first', () => {
    expect(changedChoices(undefined).map((c) => c.value)).toEqual(['value', 'resource-policy', 'key-policy', 'metadata']);
    expect(changedChoices('metadata')[0]!.value).toBe('metadata');
  });

  it('keys: filtered by alias, ID or spec, chosen by ARN; the current key first; anything else as typed', () => {
    // (as in the secret step, what is typed can always be used as it is, after the matches)
    expect(kmsKeyChoices('rsa', listing, undefined, 80).map((c) => c.value)).toEqual([RSA_KEY.arn, 'rsa']);
    expect(kmsKeyChoices('', listing, 'alias/signing', 80)[0]!.value).toBe(RSA_KEY.arn);
    expect(kmsKeyChoices(SYMMETRIC_KEY.keyId, listing, undefined, 80)).toEqual([expect.objectContaining({ value: SYMMETRIC_KEY.arn })]);
    expect(kmsKeyChoices('alias/other', listing, undefined, 80)).toEqual([{ value: 'alias/other', label: 'Use "alias/other" exactly as typed', typed: true }]);
    for (const c of kmsKeyChoices('', listing, undefined, 80)) expect(c.label.length).toBeLessThanOrEqual(76);
  });

  it('many secrets: offered while nothing is typed; rows with their counts; a bar', () => {
    const secrets = { region: 'eu-west-1', truncated: false, secrets: ['a', 'b'].map((name) => ({ name, arn: `arn:${name}` })) };
    expect(manyChoices('', secrets, undefined, 80)).toMatchObject([{ value: 'many:all', label: 'All 2 secrets in eu-west-1', secretIds: ['a', 'b'] }]);
    expect(manyChoices('a', secrets, undefined, 80)).toEqual([]);
    expect(manyRow(diagnosis([finding('credentials', 'fail'), finding('clock-skew', 'warn')], 'prod/x'), 60)).toMatch(
      /^prod\/x\s+1 fail · 1 warn · 0 unknown$/,
    );
    expect(progressBar(1, 4, 8)).toBe('██░░░░░░');
  });

  it('a message: what the checks take from it, or that it is not recognised', () => {
    expect(messageLines('', undefined)).toEqual([]);
    expect(messageLines('something else', undefined)).toEqual(['Not recognised as an AWS denial: the checks run without it.']);
  });

  it('a message with a policy ARN and an authorization ID: everything understood is shown (issue 15, item 4)', () => {
    const lines = messageLines(
      'User: arn:aws:iam::123456789012:user/janedoe is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/db with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/Deny. Go to https://eu-west-1.console.aws.amazon.com/iam/home?region=eu-west-1#/authorization-details/abc123 for complete details, or call the GetRequestAuthorizationDetails API with the following authorization id: abc123',
      undefined,
    );
    expect(lines).toEqual([
      'From the message: principal arn:aws:iam::123456789012:user/janedoe, action secretsmanager:GetSecretValue, resource prod/db.',
      'Denied: an explicit deny in an identity-based policy (arn:aws:iam::123456789012:policy/Deny).',
      "Authorization ID abc123 (eu-west-1): AWS's own record of the denial is read and shown first.",
    ]);
    expect(
      messageLines('An error occurred (AccessDeniedException) when calling the GetSecretValue operation: Access to KMS is not allowed', undefined),
    ).toEqual([
      'From the message: action secretsmanager:GetSecretValue.',
      'Denied: Secrets Manager could not use the KMS key for the caller ("Access to KMS is not allowed").',
    ]);
  });
});
