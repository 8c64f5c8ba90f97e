/**
 * The AccessDenied message a user got, taken apart: who was refused, which action, on which resource, and
 * which type of policy said no. The format is AWS's (IAM User Guide, "Troubleshoot access denied error
 * messages"):
 *
 *   User: ARN is not authorized to perform: ACTION [on resource: RESOURCE] because no TYPE policy allows the ACTION action
 *   User: ARN is not authorized to perform: ACTION [on resource: RESOURCE] with an explicit deny in a TYPE policy[: POLICY-ARN]
 *   ... [. Go to CONSOLE-URL#/authorization-details/ID for complete details, or call the
 *   GetRequestAuthorizationDetails API with the following authorization id: ID]
 *
 * and Secrets Manager's and KMS's own texts (KIND_TEXTS below). See test/fixtures/error-messages.json for
 * the messages the parser is held to, each with its source.
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
  | 'VPC endpoint'
  | 'role trust';

/** Secrets Manager's and KMS's own denial texts, which name no policy. */
export type MessageKind =
  | 'kms-not-allowed'
  | 'kms-not-current-key'
  | 'cross-account-default-key'
  | 'kms-key-inaccessible'
  | 'kms-key-state'
  | 'asymmetric-key'
  | 'secret-not-found'
  | 'marked-for-deletion';

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
  /** Which of Secrets Manager's or KMS's own texts the message is, where it is one. */
  kind?: MessageKind | undefined;
  /** "a VPC endpoint policy transitively through a service control policy". */
  transitive?: boolean | undefined;
  /** IAM Access Troubleshooter's authorization ID, where the message carries one. */
  authorizationId?: string | undefined;
  /** The Region of the console link that carries the authorization ID (where the denial was recorded). */
  authorizationRegion?: string | undefined;
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
  [/^(role )?trust policy/i, 'role trust'],
];

/** Secrets Manager's and KMS's own texts, most specific first (AWS's wording; aws-facts.md sections 1, 2, 11). */
const KIND_TEXTS: [RegExp, MessageKind][] = [
  [/not encrypted with the current KMS key/i, 'kms-not-current-key'],
  [/access a secret from a different AWS account if you encrypt the secret with the default KMS service key/i, 'cross-account-default-key'],
  [/Access to KMS is not allowed/i, 'kms-not-allowed'],
  [/ciphertext refers to a customer master key that does not exist/i, 'kms-key-inaccessible'],
  [/generate a data key with an asymmetric (CMK|KMS key)/i, 'asymmetric-key'],
  [/\bis (disabled|pending deletion|pending import|pending replica deletion|unavailable)\b/i, 'kms-key-state'],
  [/Secrets Manager can.?t find the specified secret/i, 'secret-not-found'],
  [/because it was marked for deletion/i, 'marked-for-deletion'],
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
  return token
    .replace(/^["'`(<[]+/, '')
    .replace(/["'`)>\],;]+$/, '')
    .replace(/\.$/, '');
}

export function parseAccessDenied(message: string | undefined): ParsedDenial {
  if (!message) return { recognised: false };
  // One line, single spaces: pasted messages break lines anywhere.
  const text = message.replace(/\s+/g, ' ').trim();
  const result: ParsedDenial = { recognised: false };

  const operation = /when calling the (\w+) operation/i.exec(text)?.[1];
  if (operation) result.operation = operation;
  const kind = KIND_TEXTS.find(([pattern]) => pattern.test(text))?.[1];
  if (kind) {
    result.recognised = true;
    result.kind = kind;
    if (kind === 'kms-not-allowed' || kind === 'kms-not-current-key') result.kmsNotAllowed = true;
  }
  const authorization = /authorization id:?\s+([A-Za-z0-9]+)/i.exec(text) ?? /#\/authorization-details\/([A-Za-z0-9]+)/i.exec(text);
  if (authorization) result.authorizationId = authorization[1]!;
  const consoleRegion = /console\.aws\.amazon\.com[^\s#]*[?&]region=([a-z0-9-]+)[^\s]*#\/authorization-details\//i.exec(text)?.[1];
  if (consoleRegion) result.authorizationRegion = consoleRegion;

  const head = /User:?\s+(arn:\S+|anonymous)\s+is not authorized to perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)/i.exec(text);
  if (head) {
    result.recognised = true;
    const principal = clean(head[1]!);
    if (principal !== 'anonymous') result.principal = principal;
    result.action = head[2]!;
    let rest = text.slice(head.index + head[0].length);

    // "... with an explicit deny" alone (older messages) says explicit and names no policy type.
    const explicit =
      /\bwith an explicit deny in (?:an?|the)\s+(.+?)(?::\s*(arn:\S+?))?(?:\.(?:\s|$)|\s+\(|\s+status code|\s+Encoded authorization|\s+Go to |$)/i.exec(rest) ??
      /\bwith an explicit deny()(?=\s*(?:\.|\(|status code|$))/i.exec(rest);
    const implicit = /\bbecause no\s+(.+?)\s+allows? the\s/i.exec(rest);
    const reason = explicit && (!implicit || explicit.index < implicit.index) ? explicit : implicit;
    if (reason) {
      result.denial = reason === explicit ? 'explicit' : 'implicit';
      const type = reason[1] ? policyType(reason[1]) : undefined;
      if (type) result.policyType = type;
      if (reason === explicit && /transitively through a service control policy/i.test(reason[1] ?? '')) result.transitive = true;
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

const KIND_WORDS: Record<MessageKind, string> = {
  'kms-not-allowed': 'Secrets Manager could not use the KMS key for the caller ("Access to KMS is not allowed")',
  'kms-not-current-key':
    'Secrets Manager could not use the KMS key for the caller, and this version of the secret is not encrypted with the current key (the key was changed without re-encrypting older versions)',
  'cross-account-default-key': 'a secret encrypted with the AWS managed key aws/secretsmanager cannot be read from another account',
  'kms-key-inaccessible': 'KMS could not use the key: it does not exist, is in another Region, or the caller may not use it',
  'kms-key-state': 'the KMS key is not enabled (disabled, pending deletion, pending import or unavailable)',
  'asymmetric-key': 'the KMS key is asymmetric: Secrets Manager needs a symmetric encryption key',
  'secret-not-found': 'Secrets Manager cannot find the secret (a wrong name or Region, or a deleted secret)',
  'marked-for-deletion': 'the secret is scheduled for deletion (restore it first)',
};

/** The policy type in words for a sentence: "an explicit deny in a service control policy". */
export function describeDenial(parsed: ParsedDenial): string {
  if (!parsed.policyType) {
    if (parsed.kind) return KIND_WORDS[parsed.kind];
    return parsed.denial === 'explicit' ? 'an explicit deny (no policy type named)' : 'no policy type named';
  }
  const policy =
    parsed.policyType === 'permissions boundary'
      ? 'permissions boundary'
      : parsed.policyType === 'VPC endpoint' && parsed.transitive
        ? 'VPC endpoint policy (transitively through a service control policy)'
        : `${parsed.policyType} policy`;
  const article = /^[aeiou]/i.test(policy) ? 'an' : 'a';
  const arn = parsed.policyArn ? ` (${parsed.policyArn})` : '';
  return parsed.denial === 'explicit' ? `an explicit deny in ${article} ${policy}${arn}` : `no ${policy} allows it`;
}

/** SPEC.md's names for the denying policy's type in `input.errorMessage`. */
const JSON_POLICY_TYPES: Record<DenyingPolicyType, ErrorMessageInput['denial']['policyType']> = {
  'identity-based': 'identity',
  'resource-based': 'resource',
  'permissions boundary': 'permissions-boundary',
  session: 'session',
  'service control': 'scp',
  'resource control': 'rcp',
  'VPC endpoint': 'vpc-endpoint',
  'role trust': 'resource',
};

/** The parse as the JSON document's `input.errorMessage` (SPEC.md, "The error message"); null where the message does not say. */
export interface ErrorMessageInput {
  recognised: boolean;
  principal: string | null;
  action: string | null;
  resource: string | null;
  denial: {
    effect: 'explicit' | 'implicit' | null;
    policyType: 'identity' | 'resource' | 'permissions-boundary' | 'session' | 'scp' | 'rcp' | 'vpc-endpoint' | null;
    policyArn: string | null;
  };
  authorizationId: string | null;
  /** Which of Secrets Manager's or KMS's own texts it is, where it is one. */
  kind: MessageKind | null;
}

export function errorMessageInput(parsed: ParsedDenial): ErrorMessageInput {
  return {
    recognised: parsed.recognised,
    principal: parsed.principal ?? null,
    action: parsed.action ?? null,
    resource: parsed.resource ?? null,
    denial: {
      effect: parsed.denial ?? null,
      policyType: parsed.policyType ? JSON_POLICY_TYPES[parsed.policyType] : null,
      policyArn: parsed.policyArn ?? null,
    },
    authorizationId: parsed.authorizationId ?? null,
    kind: parsed.kind ?? null,
  };
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
