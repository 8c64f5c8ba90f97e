/**
 * The AccessDenied message a user got, taken apart: who was refused, which action, on which resource, and
 * which type of policy said no. The format is AWS's (IAM User Guide, "Troubleshoot access denied error
 * messages"):
 *
 *   User: ARN is not authorized to perform: ACTION [on resource: RESOURCE] because no TYPE policy allows the ACTION action
 *   User: ARN is not authorized to perform: ACTION [on resource: RESOURCE] with an explicit deny in a TYPE policy[: POLICY-ARN]
 *
 * Pasted text comes wrapped in many ways (the AWS CLI's "An error occurred (...) when calling the X
 * operation:", an SDK's "(Service: ..., Status Code: 403, ...)", line breaks, quotes): parsing never throws,
 * and what it cannot recognise it leaves out.
 */
import type { Inputs } from './types.js';
import { SECRETS_MANAGER_ACTIONS } from './operations.js';

export type DenyingPolicyType =
  | 'identity-based'
  | 'resource-based'
  | 'permissions boundary'
  | 'session'
  | 'service control'
  | 'resource control'
  | 'VPC endpoint';

export interface ParsedDenial {
  /** True when the message has AWS's "is not authorized to perform" form, or Secrets Manager's KMS denial. */
  recognised: boolean;
  /** The ARN after "User:". */
  principal?: string | undefined;
  /** `service:Action`, from "perform:" or, failing that, from the CLI's "when calling the X operation". */
  action?: string | undefined;
  /** The operation named by the AWS CLI or an SDK wrapper ("when calling the GetSecretValue operation"). */
  operation?: string | undefined;
  /** The resource exactly as AWS wrote it: an ARN, or a secret's name. */
  resource?: string | undefined;
  resourceKind?: 'secret-arn' | 'secret-name' | 'secret-wildcard' | 'kms-key' | 'other' | undefined;
  policyType?: DenyingPolicyType | undefined;
  denial?: 'explicit' | 'implicit' | undefined;
  /** The denying policy's ARN, which AWS appends to some explicit denials. */
  policyArn?: string | undefined;
  /** Secrets Manager's "Access to KMS is not allowed": the caller may not use the secret's KMS key. */
  kmsNotAllowed?: boolean | undefined;
}

/** Secrets Manager's operations: a bare operation name from a CLI message is one of these. */
const SECRETS_MANAGER_OPERATIONS = new Set<string>(SECRETS_MANAGER_ACTIONS);

const TYPES: [RegExp, DenyingPolicyType][] = [
  [/^identity[- ]based/i, 'identity-based'],
  [/^resource[- ]based/i, 'resource-based'],
  [/^permissions? boundar/i, 'permissions boundary'],
  [/^session/i, 'session'],
  [/^service control/i, 'service control'],
  [/^resource control/i, 'resource control'],
  [/^(vpc|virtual private cloud) endpoint/i, 'VPC endpoint'],
];

function policyType(text: string): DenyingPolicyType | undefined {
  return TYPES.find(([pattern]) => pattern.test(text.trim()))?.[1];
}

function resourceKind(resource: string): ParsedDenial['resourceKind'] {
  if (/^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:/.test(resource)) {
    return /[*?]/.test(resource) ? 'secret-wildcard' : 'secret-arn';
  }
  if (/^arn:[^:]+:kms:/.test(resource)) return 'kms-key';
  if (resource.startsWith('arn:') || resource === '*') return 'other';
  // Secret names are ASCII letters, digits and /_+=.@-.
  return /^[\w/+=.@-]+$/.test(resource) ? 'secret-name' : 'other';
}

/** Trims what wraps an ARN or a name at the end of a sentence: a period, quotes, brackets. */
function clean(token: string): string {
  return token.replace(/^["'`(<[]+/, '').replace(/["'`)>\],;]+$/, '').replace(/\.$/, '');
}

export function parseAccessDenied(message: string | undefined): ParsedDenial {
  if (!message) return { recognised: false };
  // One line, single spaces: pasted messages break lines anywhere.
  const text = message.replace(/\s+/g, ' ').trim();
  const result: ParsedDenial = { recognised: false };

  const operation = /when calling the (\w+) operation/i.exec(text)?.[1];
  if (operation) result.operation = operation;
  if (/Access to KMS is not allowed/i.test(text)) {
    result.recognised = true;
    result.kmsNotAllowed = true;
  }

  const head = /User:?\s+(arn:\S+|anonymous)\s+is not authorized to perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)/i.exec(text);
  if (head) {
    result.recognised = true;
    const principal = clean(head[1]!);
    if (principal !== 'anonymous') result.principal = principal;
    result.action = head[2]!;
    let rest = text.slice(head.index + head[0].length);

    const explicit = /\bwith an explicit deny in (?:an?|the)\s+(.+?)(?::\s*(arn:\S+))?(?:\.|\s+\(|\s+Encoded authorization|$)/i.exec(rest);
    const implicit = /\bbecause no\s+(.+?)\s+allows? the\s/i.exec(rest);
    const reason = explicit && (!implicit || explicit.index < implicit.index) ? explicit : implicit;
    if (reason) {
      result.denial = reason === explicit ? 'explicit' : 'implicit';
      result.policyType = policyType(reason[1]!);
      if (reason === explicit && reason[2]) result.policyArn = clean(reason[2]);
    }

    const on = /^\s*on resource:?\s+/i.exec(rest);
    if (on) {
      rest = rest.slice(on[0].length);
      const end = reason ? rest.indexOf(reason[0]) : -1;
      const span = (end >= 0 ? rest.slice(0, end) : rest).trim();
      // Some services put the resource type first ("policy arn:aws:iam::..."); a secret's name has no
      // spaces. Without a reason clause the resource is the first word (then come wrappers' additions).
      const arn = /arn:\S+/.exec(span);
      const words = span.split(' ').filter(Boolean);
      const resource = clean(arn ? arn[0] : ((end >= 0 ? words[words.length - 1] : words[0]) ?? ''));
      if (resource) {
        result.resource = resource;
        result.resourceKind = resourceKind(resource);
      }
    }
  }
  if (!result.action && operation && SECRETS_MANAGER_OPERATIONS.has(operation)) {
    result.action = `secretsmanager:${operation}`;
  }
  return result;
}

/** The policy type in words for a sentence: "an explicit deny in a service control policy". */
export function describeDenial(parsed: ParsedDenial): string {
  if (parsed.kmsNotAllowed && !parsed.policyType) return 'Secrets Manager could not use the KMS key for the caller ("Access to KMS is not allowed")';
  if (!parsed.policyType) return 'no policy type named';
  const policy = parsed.policyType === 'permissions boundary' ? 'permissions boundary' : `${parsed.policyType} policy`;
  const article = /^[aeiou]/i.test(policy) ? 'an' : 'a';
  const arn = parsed.policyArn ? ` (${parsed.policyArn})` : '';
  return parsed.denial === 'explicit' ? `an explicit deny in ${article} ${policy}${arn}` : `no ${policy} allows it`;
}

/**
 * Inputs completed from the error message: what the user gave explicitly wins; the message fills the rest.
 * A wildcard or non-secret resource does not become the secret ID; only Secrets Manager actions become
 * the action (a KMS action in the message is kept in the parsed result).
 */
export function applyErrorMessage(inputs: Inputs): { inputs: Inputs; parsed?: ParsedDenial | undefined } {
  if (!inputs.errorMessage) return { inputs };
  const parsed = parseAccessDenied(inputs.errorMessage);
  const filled: Inputs = { ...inputs };
  if (filled.principal === undefined && parsed.principal && /^arn:[^:]+:(iam|sts)::\d{12}:.+/.test(parsed.principal)) {
    filled.principal = parsed.principal;
  }
  if (filled.action === undefined && parsed.action?.startsWith('secretsmanager:')) filled.action = parsed.action;
  if (filled.secretId === undefined && parsed.resource && (parsed.resourceKind === 'secret-arn' || parsed.resourceKind === 'secret-name')) {
    filled.secretId = parsed.resource;
  }
  return { inputs: filled, parsed };
}
