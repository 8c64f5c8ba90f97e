/**
 * propagation, the decision: what to expect and so what to read (from the inputs), when a read settles the
 * wait, and what the last read says about the change. Pure: no AWS request and no sentence; word.ts says it.
 *
 * Eventual consistency (Secrets Manager User Guide, "Troubleshoot AWS Secrets Manager": "Changes I make
 * aren't always immediately visible") means a read that does not show the change yet proves nothing: a
 * version that is missing, or not AWSCURRENT, may still arrive. Only what no later write can change stops
 * the wait early: an expected version ID that no version can have (Secrets Manager API Reference,
 * SecretVersionsListEntry and PutSecretValue: a VersionId, the ClientRequestToken of its write, has 32 to
 * 64 characters).
 */
import { createHash } from 'node:crypto';
import type { ChangeRead, ChangeReadKind, Got, VersionRead } from '../../facts/index.js';
import type { Problem } from '../../aws/errors.js';
import type { Inputs } from '../../types.js';

export type Changed = NonNullable<Inputs['changed']>;

export type Expectation =
  | { mode: 'version'; versionId: string }
  | { mode: 'digest'; digests: string[] }
  | { mode: 'document'; canonical: string; statements: string[] }
  | { mode: 'fields'; fields: Record<string, unknown> }
  | { mode: 'agree' };

/** What the inputs left aside, or how they were used (word.ts says each). */
export type PlanNote = 'expect-not-needed' | 'digest-compared' | 'expect-needs-read-value' | 'version-id-ignored';

export type Plan =
  | { kind: ChangeReadKind; expectation: Expectation; notes: PlanNote[] }
  /** --expect cannot be compared: not JSON (`error`), or not an object for metadata. */
  | { skip: 'not-json'; error: string }
  | { skip: 'metadata-not-object' };

/** Secrets Manager version IDs (SecretVersionIdType, ClientRequestTokenType): 32 to 64 characters. */
export const VERSION_ID_LENGTH = { min: 32, max: 64 } as const;

const SEPARATOR = '\u0000';

/** IAM lets Statement be one object or an array of them: compare both the same way. */
function statementsAsList(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'Statement' in value) {
    const doc = value as Record<string, unknown>;
    return { ...doc, Statement: Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement] };
  }
  return value;
}

/** JSON with object keys sorted, so that two documents that differ only in key order compare equal. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(statementsAsList(value)));
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export function statementLabels(value: unknown): string[] {
  const doc = value as { Statement?: unknown } | null;
  const list = doc && typeof doc === 'object' ? (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) : [];
  return list.map((s, i) => {
    const sid = (s as { Sid?: unknown })?.Sid;
    return typeof sid === 'string' && sid ? `"${sid}"` : `#${i + 1}`;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

export function current(versions: VersionRead[]): VersionRead | undefined {
  return versions.find((v) => v.stages.includes('AWSCURRENT'));
}

/** What to expect, and so what to read, from what was changed and the --expect inputs. */
export function planOf(inputs: Pick<Inputs, 'expect' | 'expectVersionId' | 'readValue'>, changed: Changed): Plan {
  const notes: PlanNote[] = [];
  if (changed === 'value') {
    if (inputs.expectVersionId) {
      if (inputs.expect !== undefined) notes.push('expect-not-needed');
      return { kind: 'versions', expectation: { mode: 'version', versionId: inputs.expectVersionId.trim() }, notes };
    }
    if (inputs.expect === undefined) return { kind: 'versions', expectation: { mode: 'agree' }, notes };
    if (!inputs.readValue) return { kind: 'versions', expectation: { mode: 'agree' }, notes: ['expect-needs-read-value'] };
    // An editor's file ends in a newline the value may not have: either counts.
    const text = inputs.expect;
    const digests = [sha256(text)];
    if (/\r?\n$/.test(text)) digests.push(sha256(text.replace(/\r?\n$/, '')));
    return { kind: 'value-digest', expectation: { mode: 'digest', digests }, notes: ['digest-compared'] };
  }
  const kind: ChangeReadKind = changed === 'metadata' ? 'metadata' : changed;
  if (inputs.expectVersionId) notes.push('version-id-ignored');
  if (inputs.expect === undefined) return { kind, expectation: { mode: 'agree' }, notes };
  const parsed = parseJson(inputs.expect);
  if (!parsed.ok) return { skip: 'not-json', error: parsed.error };
  if (changed !== 'metadata')
    return { kind, expectation: { mode: 'document', canonical: canonical(parsed.value), statements: statementLabels(parsed.value) }, notes };
  if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return { skip: 'metadata-not-object' };
  const fields = { ...(parsed.value as Record<string, unknown>) };
  // Tags as the CLI writes them ([{Key, Value}]) or as a map: compare as a map.
  if (Array.isArray(fields.Tags)) {
    fields.Tags = Object.fromEntries((fields.Tags as { Key?: string; Value?: string }[]).map((t) => [t.Key ?? '', t.Value ?? '']));
  }
  return { kind, expectation: { mode: 'fields', fields }, notes };
}

/** What a read showed, in a form two reads can be compared by (never a value). */
export function signature(read: ChangeRead): string {
  switch (read.kind) {
    case 'versions':
      return read.versions
        .map((v) => `${v.id}:${[...v.stages].sort().join(',')}`)
        .sort()
        .join(SEPARATOR);
    case 'value-digest':
      return `${read.versionId ?? ''}:${read.matches}`;
    case 'policy': {
      if (read.text === undefined) return 'none';
      const parsed = parseJson(read.text);
      return parsed.ok ? canonical(parsed.value) : read.text;
    }
    case 'metadata':
      return canonical(read.fields);
  }
}

export function satisfies(read: ChangeRead, expectation: Expectation): boolean {
  switch (expectation.mode) {
    case 'version':
      return read.kind === 'versions' && current(read.versions)?.id === expectation.versionId;
    case 'digest':
      return read.kind === 'value-digest' && read.matches;
    case 'document':
      return read.kind === 'policy' && signature(read) === expectation.canonical;
    case 'fields':
      return read.kind === 'metadata' && Object.entries(expectation.fields).every(([k, v]) => canonical(read.fields[k] ?? null) === canonical(v));
    case 'agree':
      return false;
  }
}

/**
 * Why no later read can satisfy the expectation, when this read proves it; undefined while a later write
 * (or AWS converging) still could. `labels`: versions that carry the expected text as a staging label.
 */
export function cannotMatch(read: ChangeRead, expectation: Expectation): { case: 'not-a-version-id'; labels: VersionRead[] } | undefined {
  if (expectation.mode !== 'version' || read.kind !== 'versions') return undefined;
  const { length } = expectation.versionId;
  if (length >= VERSION_ID_LENGTH.min && length <= VERSION_ID_LENGTH.max) return undefined;
  return { case: 'not-a-version-id', labels: read.versions.filter((v) => v.stages.includes(expectation.versionId)) };
}

/** Whether polling may stop at this read: it fails (polling does not help), it settles, or it cannot. */
export function settles(read: Got<ChangeRead>, previous: Got<ChangeRead> | undefined, expectation: Expectation): boolean {
  if (!read.ok) return true; // a refused or failed read does not get better by polling
  if (expectation.mode !== 'agree') return satisfies(read.value, expectation) || cannotMatch(read.value, expectation) !== undefined;
  return previous?.ok === true && signature(previous.value) === signature(read.value);
}

/** Why the change is not visible yet, where the last read says more than "not yet". */
export type NotVisibleWhy =
  | { case: 'version-not-current'; wanted: VersionRead; current: VersionRead | undefined }
  | { case: 'no-such-version' }
  | { case: 'statements'; missing: string[]; unexpected: string[] }
  | { case: 'fields'; differing: string[] }
  | undefined;

export type PropagationDecision =
  | { case: 'unreadable'; problem: Problem }
  /** The expectation is met. */
  | { case: 'visible' }
  /** The expectation can never be met (cannotMatch): the wait stopped at once. */
  | { case: 'not-a-version-id'; versionId: string; labels: VersionRead[] }
  /** The wait ran out before the expectation was met. */
  | { case: 'not-visible'; why: NotVisibleWhy }
  /** No expectation, and consecutive reads never agreed. */
  | { case: 'kept-changing' }
  /** Consecutive reads agree, but a version waits as AWSPENDING. */
  | { case: 'pending'; pending: VersionRead; current: VersionRead | undefined }
  /** Consecutive reads agree, but a newer version than AWSCURRENT has other labels. */
  | { case: 'newer-not-current'; newest: VersionRead; current: VersionRead }
  /** Consecutive reads agree. */
  | { case: 'consistent' };

/** The verdict from the last read of the wait; `agreed`: without an expectation, consecutive reads agreed. */
export function decidePropagation(last: Got<ChangeRead>, expectation: Expectation, agreed: boolean): PropagationDecision {
  if (!last.ok) return { case: 'unreadable', problem: last.problem };
  const read = last.value;
  if (expectation.mode !== 'agree') {
    if (satisfies(read, expectation)) return { case: 'visible' };
    const impossible = cannotMatch(read, expectation);
    if (impossible && expectation.mode === 'version') return { ...impossible, versionId: expectation.versionId };
    return { case: 'not-visible', why: notVisibleWhy(read, expectation) };
  }
  if (!agreed) return { case: 'kept-changing' };
  if (read.kind === 'versions') {
    const cur = current(read.versions);
    const pending = read.versions.find((v) => v.stages.includes('AWSPENDING') && !v.stages.includes('AWSCURRENT'));
    if (pending) return { case: 'pending', pending, current: cur };
    // Among labelled versions: one without labels is deprecated (ListSecretVersionIds, IncludeDeprecated).
    const newest = read.versions.filter((v) => v.created && v.stages.length).sort((a, b) => (b.created! < a.created! ? -1 : 1))[0];
    if (cur && newest && newest.id !== cur.id && newest.created! > (cur.created ?? '')) return { case: 'newer-not-current', newest, current: cur };
  }
  return { case: 'consistent' };
}

function notVisibleWhy(read: ChangeRead, expectation: Exclude<Expectation, { mode: 'agree' }>): NotVisibleWhy {
  if (expectation.mode === 'version' && read.kind === 'versions') {
    const wanted = read.versions.find((v) => v.id === expectation.versionId);
    return wanted ? { case: 'version-not-current', wanted, current: current(read.versions) } : { case: 'no-such-version' };
  }
  if (expectation.mode === 'document' && read.kind === 'policy') {
    const parsed = read.text === undefined ? undefined : parseJson(read.text);
    const seen = parsed?.ok ? statementLabels(parsed.value) : [];
    return {
      case: 'statements',
      missing: expectation.statements.filter((s) => !seen.includes(s)),
      unexpected: seen.filter((s) => !expectation.statements.includes(s)),
    };
  }
  if (expectation.mode === 'fields' && read.kind === 'metadata') {
    return { case: 'fields', differing: Object.keys(expectation.fields).filter((k) => canonical(read.fields[k] ?? null) !== canonical(expectation.fields[k])) };
  }
  return undefined;
}
