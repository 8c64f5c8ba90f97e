/**
 * The choices of the symptom-specific questions, for a filter, shared by both front-ends (no Ink): the
 * denied operation (access-denied), what was changed (changes-not-visible) and the KMS key
 * (asymmetric-kms-key); and the rows of the many-secrets list.
 */
import type { Diagnosis } from '../diagnose.js';
import { describeDenial, parseAccessDenied } from '../error-message.js';
import type { KmsKeyEntry, KmsKeyListing } from '../facts/discovery.js';
import type { Changed } from './state.js';
import { columns, quotedId, truncate } from '../report/layout.js';
import { SECRETS_MANAGER_ACTIONS } from '../operations.js';

export interface Choice {
  value: string;
  label: string;
  /** The text as typed, rather than a listed entry. */
  typed?: boolean;
}

export { SECRETS_MANAGER_ACTIONS };

/** As --action takes it: an operation name, with or without `secretsmanager:`. */
const ACTION = /^(secretsmanager:)?[A-Z][A-Za-z]+$/;

/**
 * The operations that match `term` (case-insensitive, anywhere in the name), each as `secretsmanager:Name`;
 * the current answer first (Enter keeps it). A well-formed operation name that matches nothing listed can be
 * used as typed.
 */
export function actionChoices(term: string, current: string | undefined): Choice[] {
  const needle = term
    .trim()
    .toLowerCase()
    .replace(/^secretsmanager:/, '');
  const names: string[] = [...SECRETS_MANAGER_ACTIONS];
  const currentName = current?.replace(/^secretsmanager:/, '');
  if (currentName && !names.includes(currentName)) names.unshift(currentName);
  const ordered = currentName ? [currentName, ...names.filter((n) => n !== currentName)] : names;
  const choices: Choice[] = ordered.filter((n) => !needle || n.toLowerCase().includes(needle)).map((n) => ({ value: `secretsmanager:${n}`, label: n }));
  const typed = term.trim();
  // An operation this list does not know (a new one): usable as typed when nothing listed matches.
  if (typed && ACTION.test(typed) && choices.length === 0) {
    const name = typed.replace(/^secretsmanager:/, '');
    choices.push({ value: `secretsmanager:${name}`, label: `Use secretsmanager:${name} as typed`, typed: true });
  }
  return choices;
}

export const CHANGED_LABELS: Record<Changed, string> = {
  value: 'The value: a new version (PutSecretValue, UpdateSecret, a rotation)',
  'resource-policy': "The secret's resource policy",
  'key-policy': "The key policy of the secret's KMS key",
  metadata: 'Metadata: description, tags, KMS key ID, rotation settings',
};

/** The four answers, the current one first (Enter keeps it). */
export function changedChoices(current: Changed | undefined): { value: Changed; label: string }[] {
  const all = Object.keys(CHANGED_LABELS) as Changed[];
  const ordered = current ? [current, ...all.filter((c) => c !== current)] : all;
  return ordered.map((value) => ({ value, label: CHANGED_LABELS[value] }));
}

/** One key on one line: its alias (or ID), spec, state where not Enabled, and ID. */
export function keyLabel(k: KmsKeyEntry, width: number): string {
  const name = k.aliases.length ? k.aliases.join(', ') : '(no alias)';
  const notes = [k.spec ?? 'spec unknown', k.state && k.state !== 'Enabled' ? k.state : '', k.manager === 'AWS' ? 'AWS managed' : '']
    .filter(Boolean)
    .join(', ');
  return truncate(`${name}  ${notes}  ${k.keyId}`, width);
}

/**
 * The Region's keys that match `term` (alias, key ID, ARN or spec), each chosen by its ARN; the key that
 * matches the current answer exactly comes first. What was typed can be used as it is (a key ID, alias or
 * ARN that is not listed).
 */
export function kmsKeyChoices(term: string, listing: KmsKeyListing | undefined, current: string | undefined, width: number): Choice[] {
  const needle = term.trim().toLowerCase();
  const room = width - 4;
  const names = (k: KmsKeyEntry) => [k.keyId, k.arn, ...k.aliases, ...k.aliases.map((a) => a.replace(/^alias\//, ''))];
  const keys = (listing?.keys ?? []).filter((k) => !needle || [...names(k), k.spec ?? ''].some((t) => t.toLowerCase().includes(needle)));
  const exact = (k: KmsKeyEntry) => Boolean(current && names(k).includes(current.trim()));
  keys.sort((a, b) => Number(exact(b)) - Number(exact(a)));
  const choices: Choice[] = keys.map((k) => ({ value: k.arn, label: keyLabel(k, room) }));
  const typed = term.trim();
  if (typed && !(listing?.keys ?? []).some((k) => names(k).includes(typed))) {
    choices.push({ value: term, label: truncate(`Use ${quotedId(term)} exactly as typed`, room), typed: true });
  }
  return choices;
}

/** How many columns each count of the many-secrets list takes: its widest number. */
export type CountColumns = Record<'fail' | 'warn' | 'unknown', number>;

export function countColumns(diagnoses: readonly Diagnosis[]): CountColumns {
  const widest = (key: keyof CountColumns) => Math.max(1, ...diagnoses.map((d) => String(d.summary[key]).length));
  return { fail: widest('fail'), warn: widest('warn'), unknown: widest('unknown') };
}

/**
 * A row of the many-secrets list: the secret, then its fail / warn / unknown counts, in `width` display
 * columns. The name is cut and padded by columns (a wide character is never cut in half), and the
 * counts are right-aligned in `digits` columns, so that the rows of a list line up.
 */
export function manyRow(d: Diagnosis, width: number, digits: CountColumns = countColumns([d])): string {
  const n = (key: keyof CountColumns) => String(d.summary[key]).padStart(digits[key]);
  const counts = `${n('fail')} fail · ${n('warn')} warn · ${n('unknown')} unknown`;
  const id = d.input.secretId ?? '(no secret)';
  const room = Math.max(10, width - columns(counts) - 2);
  const shown = truncate(id, room);
  return `${shown}${' '.repeat(Math.max(0, room - columns(shown)))}  ${counts}`;
}

/** The progress of a many-secrets run as a bar of `width` characters. */
export function progressBar(done: number, total: number, width: number): string {
  const cells = Math.max(1, width);
  const filled = total > 0 ? Math.min(cells, Math.round((done / total) * cells)) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(cells - filled)}`;
}

/** What the checks take from a message, in lines for the screen (also used by --plain). */
export function messageLines(text: string, action: string | undefined): string[] {
  if (text.trim() === '') return [];
  const parsed = parseAccessDenied(text);
  if (!parsed.recognised) return ['Not recognised as an AWS denial: the checks run without it.'];
  const parts = [
    parsed.principal ? `principal ${parsed.principal}` : undefined,
    parsed.action ? `action ${parsed.action}` : undefined,
    parsed.resource ? `resource ${parsed.resource}` : undefined,
  ].filter(Boolean);
  const lines = [`From the message: ${parts.length ? parts.join(', ') : 'no principal, action or resource'}.`];
  if (parsed.policyType || parsed.kind || parsed.denial) lines.push(`Denied: ${describeDenial(parsed)}.`);
  if (parsed.authorizationId) {
    lines.push(
      `Authorization ID ${parsed.authorizationId}${parsed.authorizationRegion ? ` (${parsed.authorizationRegion})` : ''}: AWS's own record of the denial is read and shown first.`,
    );
  }
  if (action && parsed.action?.startsWith('secretsmanager:') && parsed.action !== action) {
    lines.push(`The message names ${parsed.action}, but the operation chosen is ${action}: the chosen one is checked (go back to change it).`);
  }
  return lines;
}
