/**
 * Condition keys that AWS evaluates but @cloud-copilot/iam-simulate (0.1.173) gets wrong, rewritten before
 * evaluation so that the engine decides them as AWS does (SPEC.md, "Condition keys the engine gets wrong").
 *
 * - `secretsmanager:ResourceTag/<key>`: the engine's data names the literal `tag-key` instead of a variable,
 *   so the engine cannot type the key and throws ("Condition key ... not found"). For a secret it is the
 *   secret's tag, the same value as `aws:ResourceTag/<key>` (Secrets Manager User Guide, "Permissions
 *   policy examples", "Control access to secrets using tags"; Service Authorization Reference, "Condition
 *   keys for AWS Secrets Manager"): the policy's key is renamed to `aws:ResourceTag/<key>`.
 * - `kms:EncryptionContext:<key>`: the engine keeps a context key only when the action lists it or when it
 *   matches a `/`-style variable key; KMS lists it with a `:` separator, so the engine drops it
 *   (`ignoredContextKeys`) and the condition sees no key. The key is renamed, in the policy and in the
 *   context alike, to a private `aws:RequestTag/` name that every action accepts as a String. The name
 *   carries the context key hex-encoded: the engine compares key names case-insensitively, and an
 *   encryption-context key is case-sensitive (KMS API Reference, "GrantConstraints": "To require a fully
 *   case-sensitive encryption context, use the kms:EncryptionContext: ... conditions in an IAM or key policy").
 *
 * `displayKey` turns a renamed key back into the policy's own name for evidence and details.
 */
import type { RequestContext } from './context.js';

const EC_PREFIX = /^kms:encryptioncontext:(.+)$/i;
const SM_TAG_PREFIX = /^secretsmanager:resourcetag\/(.+)$/i;
const ALIAS = 'aws:RequestTag/secrets-doctor.encryption-context.';

function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

function unhex(text: string): string {
  return Buffer.from(text, 'hex').toString('utf8');
}

function encryptionContextAlias(contextKey: string): string {
  return `${ALIAS}${hex(contextKey)}`;
}

/** The name the engine evaluates instead of `key`, or undefined when the engine takes it as it is. */
export function engineKey(key: string): string | undefined {
  const ec = EC_PREFIX.exec(key);
  if (ec) return encryptionContextAlias(ec[1]!);
  const tag = SM_TAG_PREFIX.exec(key);
  if (tag) return `aws:ResourceTag/${tag[1]!}`;
  return undefined;
}

/** The policy's own name for a key the engine reports (undoes `engineKey`). */
export function displayKey(key: string): string {
  if (key.toLowerCase().startsWith(ALIAS.toLowerCase())) return `kms:EncryptionContext:${unhex(key.slice(ALIAS.length))}`;
  return key;
}

export class ConditionKeyClash extends Error {}

function normaliseCondition(condition: unknown): unknown {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return condition;
  const result: Record<string, unknown> = {};
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      result[operator] = block;
      continue;
    }
    const renamed: Record<string, unknown> = {};
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      const name = engineKey(key) ?? key;
      // Two keys of one block that become one (secretsmanager:ResourceTag/x beside aws:ResourceTag/x) would
      // lose a condition: refuse rather than decide on half of the block.
      if (Object.keys(renamed).some((k) => k.toLowerCase() === name.toLowerCase())) {
        throw new ConditionKeyClash(`the condition block ${operator} names ${key} and ${name}, which the policy engine cannot tell apart`);
      }
      renamed[name] = values;
    }
    result[operator] = renamed;
  }
  return result;
}

/** The policy with its condition keys renamed for the engine; anything not shaped like a policy is returned as it is. */
export function normalisePolicy<T>(document: T): T {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const doc = document as Record<string, unknown>;
  const raw = doc.Statement;
  const fix = (s: unknown) =>
    typeof s === 'object' && s !== null && !Array.isArray(s) && 'Condition' in s
      ? { ...(s as Record<string, unknown>), Condition: normaliseCondition((s as Record<string, unknown>).Condition) }
      : s;
  if (Array.isArray(raw)) return { ...doc, Statement: raw.map(fix) } as T;
  if (raw !== undefined) return { ...doc, Statement: fix(raw) } as T;
  return document;
}

/**
 * The context with the renamed keys: encryption-context keys under their private name, and
 * `secretsmanager:ResourceTag/<key>` as `aws:ResourceTag/<key>` (the engine cannot type the former).
 */
export function normaliseContext(context: RequestContext): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  const present = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  for (const [key, value] of Object.entries(context)) {
    const name = engineKey(key);
    if (name === undefined) result[key] = value;
    else if (!present.has(name.toLowerCase())) result[name] = value;
  }
  return result;
}
