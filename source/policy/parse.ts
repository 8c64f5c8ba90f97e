/**
 * Policy documents as they come from AWS: JSON text whose `Statement` is one object or an array, and whose
 * fields are strings or arrays. Parsing never throws; a document that is not a policy is a finding.
 */

export type Statement = Record<string, unknown>;

export type ParsedPolicy =
  | { ok: true; document: Record<string, unknown>; statements: Statement[] }
  | { ok: false; error: string };

export function parsePolicy(text: string): ParsedPolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `it is not valid JSON (${(error as Error).message})` };
  }
  return policyFromValue(value);
}

export function policyFromValue(value: unknown): ParsedPolicy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'it is not a JSON object' };
  }
  const document = value as Record<string, unknown>;
  const raw = document.Statement;
  if (raw === undefined) return { ok: false, error: 'it has no Statement' };
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) {
    return { ok: false, error: 'a Statement entry is not a JSON object' };
  }
  return { ok: true, document, statements: list as Statement[] };
}

/** A field that IAM lets be a string or an array, always as an array of strings. */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** How a person finds the statement: its Sid when it has one, always its 1-based position. */
export function statementLabel(statements: Statement[], index: number): string {
  const sid = statements[index]?.Sid;
  return typeof sid === 'string' && sid ? `statement "${sid}" (#${index + 1})` : `statement #${index + 1}`;
}
