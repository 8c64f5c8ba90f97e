/**
 * --error-message: AccessDenied messages in the shapes AWS really sends them (IAM User Guide, "Troubleshoot
 * access denied error messages", and messages quoted in public issues), wrapped the ways people paste them.
 */
import { describe, expect, it } from 'vitest';
import { applyErrorMessage, describeDenial, parseAccessDenied } from '../../source/error-message.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';

describe('parseAccessDenied', () => {
  it('an identity-based implicit denial, as the AWS CLI prints it', () => {
    const parsed = parseAccessDenied(
      `An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:sts::123456789012:assumed-role/AppRole/i-0abc is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    );
    expect(parsed).toEqual({
      recognised: true,
      operation: 'GetSecretValue',
      principal: 'arn:aws:sts::123456789012:assumed-role/AppRole/i-0abc',
      action: 'secretsmanager:GetSecretValue',
      resource: SECRET_ARN,
      resourceKind: 'secret-arn',
      policyType: 'identity-based',
      denial: 'implicit',
    });
    expect(describeDenial(parsed)).toBe('no identity-based policy allows it');
  });

  it("a resource-based implicit denial (AWS's own Secrets Manager example)", () => {
    const parsed = parseAccessDenied(
      `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
    );
    expect(parsed).toMatchObject({ principal: 'arn:aws:iam::123456789012:user/alice', policyType: 'resource-based', denial: 'implicit', resource: SECRET_ARN });
  });

  it('an explicit deny in a resource-based policy on a wildcard resource: not taken as the secret', () => {
    const message =
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:* with an explicit deny in a resource-based policy';
    const parsed = parseAccessDenied(message);
    expect(parsed).toMatchObject({ policyType: 'resource-based', denial: 'explicit', resourceKind: 'secret-wildcard' });
    expect(describeDenial(parsed)).toBe('an explicit deny in a resource-based policy');
    const { inputs } = applyErrorMessage({ symptom: 'access-denied', errorMessage: message });
    expect(inputs.secretId).toBeUndefined();
    expect(inputs.principal).toBe('arn:aws:iam::123456789012:user/alice');
  });

  it("the resource given as a name (cloud-custodian's sample), which becomes the secret ID", () => {
    const message =
      'An error occurred (AccessDeniedException) when calling the DescribeSecret operation: User: arn:aws:sts::123456789012:assumed-role/custodian/session is not authorized to perform: secretsmanager:DescribeSecret on resource: my-example-secret with an explicit deny in a resource-based policy';
    const parsed = parseAccessDenied(message);
    expect(parsed).toMatchObject({
      resource: 'my-example-secret',
      resourceKind: 'secret-name',
      action: 'secretsmanager:DescribeSecret',
      denial: 'explicit',
      policyType: 'resource-based',
    });
    const { inputs } = applyErrorMessage({ symptom: 'access-denied', errorMessage: message });
    expect(inputs).toMatchObject({
      secretId: 'my-example-secret',
      action: 'secretsmanager:DescribeSecret',
      principal: 'arn:aws:sts::123456789012:assumed-role/custodian/session',
    });
  });

  it('an explicit deny in a service control policy, with the policy ARN AWS now appends', () => {
    const parsed = parseAccessDenied(
      `User: arn:aws:sts::111122223333:assumed-role/Dev/bob is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} with an explicit deny in a service control policy: arn:aws:organizations::999988887777:policy/o-abc123/service_control_policy/p-deny1234.`,
    );
    expect(parsed).toMatchObject({
      policyType: 'service control',
      denial: 'explicit',
      policyArn: 'arn:aws:organizations::999988887777:policy/o-abc123/service_control_policy/p-deny1234',
      resource: SECRET_ARN,
    });
    expect(describeDenial(parsed)).toContain('an explicit deny in a service control policy (arn:aws:organizations::');
  });

  it("an SCP denial without a resource (the IAM guide's example form)", () => {
    const parsed = parseAccessDenied(
      'User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: secretsmanager:ListSecrets with an explicit deny in a service control policy',
    );
    expect(parsed).toMatchObject({ action: 'secretsmanager:ListSecrets', policyType: 'service control', denial: 'explicit' });
    expect(parsed.resource).toBeUndefined();
  });

  it('a permissions boundary, explicit, with its ARN, an SDK wrapper and line breaks', () => {
    const parsed = parseAccessDenied(`User: arn:aws:iam::123456789012:user/dev
is not authorized to perform: secretsmanager:PutSecretValue on resource:
${SECRET_ARN}
with an explicit deny in a permissions boundary: arn:aws:iam::123456789012:policy/DeveloperBoundary (Service: SecretsManager, Status Code: 400, Request ID: 1234)`);
    expect(parsed).toMatchObject({
      action: 'secretsmanager:PutSecretValue',
      resource: SECRET_ARN,
      policyType: 'permissions boundary',
      denial: 'explicit',
      policyArn: 'arn:aws:iam::123456789012:policy/DeveloperBoundary',
    });
  });

  it('implicit denials by a session policy, a permissions boundary, a VPC endpoint policy', () => {
    const base = `User: arn:aws:sts::123456789012:assumed-role/R/s is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} because no`;
    expect(parseAccessDenied(`${base} session policy allows the secretsmanager:GetSecretValue action`).policyType).toBe('session');
    expect(parseAccessDenied(`${base} permissions boundary allows the secretsmanager:GetSecretValue action`).policyType).toBe('permissions boundary');
    expect(parseAccessDenied(`${base} VPC endpoint policy allows the secretsmanager:GetSecretValue action`).policyType).toBe('VPC endpoint');
    expect(parseAccessDenied(`${base} resource control policy allows the secretsmanager:GetSecretValue action`).policyType).toBe('resource control');
  });

  it('an explicit deny in an identity-based policy, and a trailing encoded authorization message', () => {
    const parsed = parseAccessDenied(
      `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/DenySecrets. Encoded authorization failure message: AbC-123`,
    );
    expect(parsed).toMatchObject({
      policyType: 'identity-based',
      denial: 'explicit',
      policyArn: 'arn:aws:iam::123456789012:policy/DenySecrets',
      resource: SECRET_ARN,
    });
  });

  it("Secrets Manager's KMS denial names no policy, only the key problem", () => {
    const parsed = parseAccessDenied('An error occurred (AccessDeniedException) when calling the GetSecretValue operation: Access to KMS is not allowed');
    expect(parsed).toMatchObject({ recognised: true, kmsNotAllowed: true, operation: 'GetSecretValue', action: 'secretsmanager:GetSecretValue' });
    expect(parsed.principal).toBeUndefined();
  });

  it('text that is no AccessDenied message is not recognised, and fills nothing', () => {
    expect(parseAccessDenied('something went wrong')).toEqual({ recognised: false });
    expect(parseAccessDenied(undefined)).toEqual({ recognised: false });
    const { inputs } = applyErrorMessage({ symptom: 'access-denied', errorMessage: 'something went wrong' });
    expect(inputs).toEqual({ symptom: 'access-denied', errorMessage: 'something went wrong' });
  });

  it('what the user gave explicitly wins over the message', () => {
    const { inputs } = applyErrorMessage({
      symptom: 'access-denied',
      secretId: 'other',
      principal: 'arn:aws:iam::123456789012:role/Mine',
      action: 'secretsmanager:DescribeSecret',
      errorMessage: `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET_ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    });
    expect(inputs).toMatchObject({ secretId: 'other', principal: 'arn:aws:iam::123456789012:role/Mine', action: 'secretsmanager:DescribeSecret' });
  });

  it('a KMS action in the message does not become the Secrets Manager action', () => {
    const { inputs, parsed } = applyErrorMessage({
      symptom: 'access-denied',
      errorMessage:
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab because no resource-based policy allows the kms:Decrypt action',
    });
    expect(parsed).toMatchObject({ action: 'kms:Decrypt', resourceKind: 'kms-key', policyType: 'resource-based' });
    expect(inputs.action).toBeUndefined();
    expect(inputs.secretId).toBeUndefined();
  });
});
