/**
 * What AWS always sends in the answers the tool builds facts and plans on. The SDK accepts an empty or
 * cut-down body as a valid answer with every field missing (an empty 200 from a proxy, a captive portal,
 * a broken middlebox): read that way, "no ResourcePolicy" would look like "no policy" and a fix would
 * overwrite the real one. An answer without these fields is a malformed answer, a service fault, never a
 * fact. One validator per operation; the session applies them to every call, reads by fixes included.
 */

type Output = Record<string, unknown>;

/** Each "A.B" names a field (A's B) that must be non-empty text, or `?name` one that must be a boolean. */
function requires(...paths: string[]): (out: Output) => string | undefined {
  return (out) => {
    const absent = paths.filter((p) => {
      const flag = p.startsWith('?');
      let value: unknown = out;
      for (const part of (flag ? p.slice(1) : p).split('.')) value = typeof value === 'object' && value !== null ? (value as Output)[part] : undefined;
      return flag ? typeof value !== 'boolean' : typeof value !== 'string' || value.length === 0;
    });
    return absent.length ? absent.map((p) => p.replace(/^\?/, '')).join(', ') : undefined;
  };
}

/**
 * What must be there, by "service:Operation". The XML protocols (IAM, STS) read an empty body or an HTML
 * page as an answer with nothing in it: a list without IsTruncated would read as "no policies".
 */
const VALIDATORS: Record<string, (out: Output) => string | undefined> = {
  'secretsmanager:DescribeSecret': requires('ARN', 'Name'),
  'secretsmanager:GetResourcePolicy': requires('ARN', 'Name'),
  'secretsmanager:ListSecretVersionIds': requires('ARN', 'Name'),
  'secretsmanager:ListSecrets': (out) => (Array.isArray(out.SecretList) ? undefined : 'SecretList'),
  'kms:GetKeyPolicy': requires('Policy'),
  'kms:DescribeKey': requires('KeyMetadata.KeyId', 'KeyMetadata.Arn'),
  'kms:ListKeys': requires('?Truncated'),
  'sts:GetCallerIdentity': requires('Arn', 'Account'),
  'iam:GetUser': requires('User.Arn'),
  'iam:GetRole': requires('Role.Arn'),
  'iam:GetPolicy': requires('Policy.Arn'),
  'iam:GetPolicyVersion': requires('PolicyVersion.Document'),
  'iam:GetUserPolicy': requires('PolicyDocument'),
  'iam:GetRolePolicy': requires('PolicyDocument'),
  'iam:GetGroupPolicy': requires('PolicyDocument'),
  'iam:ListUserPolicies': requires('?IsTruncated'),
  'iam:ListRolePolicies': requires('?IsTruncated'),
  'iam:ListGroupPolicies': requires('?IsTruncated'),
  'iam:ListAttachedUserPolicies': requires('?IsTruncated'),
  'iam:ListAttachedRolePolicies': requires('?IsTruncated'),
  'iam:ListAttachedGroupPolicies': requires('?IsTruncated'),
  'iam:ListGroupsForUser': requires('?IsTruncated'),
  'iam:ListRoles': requires('?IsTruncated'),
  'iam:ListUsers': requires('?IsTruncated'),
};

/** Why an answer is malformed (the fields AWS always sends that it lacks), or undefined when it is whole. */
export function malformedAnswer(service: string, operation: string, output: unknown): string | undefined {
  const validate = VALIDATORS[`${service}:${operation}`];
  if (!validate) return undefined;
  if (typeof output !== 'object' || output === null) return 'the whole answer';
  return validate(output as Output);
}

/** The error a malformed answer becomes: `classify` makes it a 'malformed' problem, a service fault. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedResponse';
  readonly $metadata: { httpStatusCode?: number | undefined };
  constructor(service: string, operation: string, what: string, status: number | undefined) {
    super(`${service}:${operation} answered without ${what}, which AWS always sends`);
    this.$metadata = { httpStatusCode: status };
  }
}
