/**
 * Policy documents for the fixes: the plan that only adds statements, the size limits, the public-access
 * test, and the text that is written. Pure functions.
 */
import { isDeepStrictEqual } from 'node:util';
import { policyFromValue, asList, jsonLoss, type Statement } from '../policy/parse.js';

export type DocumentKind = 'secret-policy' | 'key-policy';

/** The largest document AWS accepts, in characters. */
export const SIZE_LIMITS: Record<DocumentKind, number> = { 'secret-policy': 20_480, 'key-policy': 131_072 };

export type Planned = { ok: true; document: Record<string, unknown>; added: Statement[] } | { ok: false; reason: string };

/**
 * The current document plus the fewest statements needed: each addition that is not already there,
 * JSON-equal, is appended. Existing statements stay JSON-equal and in order; other top-level fields stay.
 * A single `Statement` object becomes a one-element array, which IAM reads the same way.
 */
export function planAddition(current: unknown, additions: Statement[]): Planned {
  if (current === null || current === undefined) {
    return { ok: true, document: { Version: '2012-10-17', Statement: [...additions] }, added: [...additions] };
  }
  const parsed = policyFromValue(current);
  if (!parsed.ok) return { ok: false, reason: `the current policy cannot be extended: ${parsed.error}` };
  const sids = new Set(parsed.statements.map((s) => s.Sid).filter((sid) => typeof sid === 'string'));
  const added = additions
    .filter((a) => !parsed.statements.some((s) => isDeepStrictEqual(s, a)))
    .map((a) => {
      // A Sid must be unique in its policy: where ours is taken by another statement, number it.
      if (typeof a.Sid !== 'string' || !sids.has(a.Sid)) return a;
      let n = 2;
      while (sids.has(`${a.Sid}${n}`)) n++;
      return { ...a, Sid: `${a.Sid}${n}` };
    });
  return { ok: true, document: { ...parsed.document, Statement: [...parsed.statements, ...added] }, added };
}

function hasCondition(statement: Statement): boolean {
  const condition = statement.Condition;
  return typeof condition === 'object' && condition !== null && Object.keys(condition).length > 0;
}

/**
 * Statements that grant access to anyone: an Allow whose principal is "*" (or {"AWS": "*"}) with no
 * condition. This is the local stand-in for the checks behind BlockPublicPolicy; a condition is assumed to
 * narrow it (ValidateResourcePolicy, where available, judges that properly).
 */
export function publicStatements(document: unknown): number[] {
  const parsed = policyFromValue(document);
  if (!parsed.ok) return [];
  return parsed.statements.flatMap((s, i) => {
    if (s.Effect !== 'Allow' || hasCondition(s)) return [];
    const principal = s.Principal;
    const everyone =
      principal === '*' || (typeof principal === 'object' && principal !== null && asList((principal as Record<string, unknown>).AWS).includes('*'));
    return everyone ? [i + 1] : [];
  });
}

/** The text written to AWS: pretty-printed when that fits the limit, compact otherwise. */
export function serialize(document: unknown, kind: DocumentKind): string {
  const pretty = JSON.stringify(document, null, 2);
  return pretty.length <= SIZE_LIMITS[kind] ? pretty : JSON.stringify(document);
}

/** The document as a JSON value, or the text itself where it is not JSON (moto accepts anything). */
export function documentValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Equal as documents: the same JSON, whatever the formatting. Text that JSON.parse would change
 * (duplicate keys, long numbers) is equal only to itself: two such texts can parse alike and differ.
 */
export function sameDocument(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if ((a !== null && jsonLoss(a)) || (b !== null && jsonLoss(b))) return false;
  return isDeepStrictEqual(documentValue(a), documentValue(b));
}
