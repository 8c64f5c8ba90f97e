/**
 * One ordered report model that every rendering of a diagnosis uses (text, Markdown, the wizard's report
 * screen): a headline, what to do first, the problems with their evidence as labelled lines, the passes, and
 * the command that runs the same diagnosis again (SPEC.md, "Reports a person can act on"). Pure; no colour.
 * Every string from outside in the model's own fields is made visible here; a renderer that shows a
 * finding's own text passes it through `visible()` itself.
 */
import type { Diagnosis } from '../diagnose.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import type { Finding, FixId, Status } from '../types.js';
import { visible } from '../visible.js';
import { shellQuote } from '../shell.js';

export interface TodoItem {
  check: string;
  status: Status;
  /** What to do, in a sentence (without the command, which stands on its own line). */
  text: string;
  /** The command to copy: `secrets-doctor fix ...` where the tool can fix it, else the AWS CLI command. */
  command?: string | undefined;
  /** The fix that `command` applies, where the tool can fix it (the wizard offers it after its report). */
  fix?: FixId | undefined;
}

export interface ProblemItem {
  finding: Finding;
  /** The evidence as `label: value` lines: never raw JSON. */
  evidence: string[];
}

export interface ReportModel {
  title: string;
  headline: string;
  input: { label: string; value: string }[];
  todo: TodoItem[];
  /** Failures, then unknowns, then warnings; table order within each. */
  problems: ProblemItem[];
  passes: Finding[];
  skipped: Finding[];
  rerun: string;
  summary: Record<Status, number>;
}

export { shellQuote };

/** The first command a remediation quotes in backticks, and the sentence without it. */
export function splitCommand(remediation: string): { text: string; command?: string | undefined } {
  const match = /`([^`]+)`/.exec(remediation);
  if (!match) return { text: remediation };
  const command = match[1]!;
  if (!/^(aws|secrets-doctor)\s/.test(command)) return { text: remediation };
  const text = remediation
    .replace(match[0], 'the command below')
    .replace(/,?\s*e\.g\.\s*the command below/, ' (the command below)')
    .replace(/\s+/g, ' ')
    .trim();
  return { text, command };
}

/** `label: value` lines for an evidence object: nested objects as dotted labels, lists joined. */
export function evidenceLines(evidence: Record<string, unknown>, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(evidence)) {
    const label = prefix ? `${prefix}.${key}` : key;
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) lines.push(visible(`${label}: ${value.map(String).join(', ') || '(none)'}`));
      else {
        for (const [i, v] of value.entries()) {
          lines.push(
            ...(typeof v === 'object' && v !== null
              ? evidenceLines(v as Record<string, unknown>, `${label}[${i + 1}]`)
              : [visible(`${label}[${i + 1}]: ${String(v)}`)]),
          );
        }
      }
    } else if (value !== null && typeof value === 'object') {
      lines.push(...evidenceLines(value as Record<string, unknown>, label));
    } else {
      lines.push(visible(`${label}: ${String(value)}`));
    }
  }
  return lines;
}

/** What a report cannot take from the diagnosis itself: the inputs of the symptom's own questions. */
export interface RerunInputs {
  action?: string | undefined;
  errorMessage?: string | undefined;
  kmsKeyId?: string | undefined;
  changed?: string | undefined;
  expectVersionId?: string | undefined;
}

/** The command line that runs the same diagnosis without the wizard. */
export function rerunCommand(d: Diagnosis, extra: RerunInputs = {}): string {
  const words = ['secrets-doctor', 'diagnose', '--symptom', d.symptom];
  if (d.input.secretId !== null) words.push('--secret-id', shellQuote(d.input.secretId));
  if (d.input.region) words.push('--region', d.input.region);
  if (d.input.principal && d.input.principal !== d.identity?.arn) words.push('--principal', shellQuote(d.input.principal));
  if (extra.action) words.push('--action', extra.action);
  if (extra.errorMessage) words.push('--error-message', shellQuote(extra.errorMessage));
  if (extra.kmsKeyId) words.push('--kms-key-id', shellQuote(extra.kmsKeyId));
  if (extra.changed) words.push('--changed', extra.changed);
  if (extra.expectVersionId) words.push('--expect-version-id', shellQuote(extra.expectVersionId));
  return words.join(' ');
}

function fixCommand(d: Diagnosis, fix: FixId): string {
  const words = ['secrets-doctor', 'fix', '--symptom', d.symptom === 'not-sure' ? 'incident-manager-secret' : d.symptom];
  if (d.input.secretId !== null) words.push('--secret-id', shellQuote(d.input.secretId));
  if (d.input.region) words.push('--region', d.input.region);
  if (d.input.principal && d.input.principal !== d.identity?.arn) words.push('--principal', shellQuote(d.input.principal));
  words.push('--fixes', fix);
  return words.join(' ');
}

const CONCERN: Status[] = ['fail', 'unknown', 'warn'];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function headline(summary: Record<Status, number>): string {
  if (summary.fail) {
    const rest = [summary.unknown ? `${plural(summary.unknown, 'check')} could not decide` : '', summary.warn ? plural(summary.warn, 'warning') : ''].filter(
      Boolean,
    );
    return `${plural(summary.fail, 'problem')} found${rest.length ? `; ${rest.join(', ')}` : ''}.`;
  }
  if (summary.unknown)
    return `No problem found, but ${plural(summary.unknown, 'check')} could not decide${summary.warn ? ` and ${plural(summary.warn, 'warning')}` : ''}.`;
  if (summary.warn) return `No problem found; ${plural(summary.warn, 'warning')}.`;
  return 'No problem found: every check passed.';
}

export function reportModel(d: Diagnosis, extra: RerunInputs = {}): ReportModel {
  const problems = CONCERN.flatMap((status) => d.findings.filter((f) => f.status === status)).map((finding) => ({
    finding,
    evidence: evidenceLines(finding.evidence),
  }));
  const todo: TodoItem[] = [];
  for (const { finding } of problems) {
    if (!finding.remediation && !finding.fix) continue;
    const split = splitCommand(finding.remediation);
    const command = finding.fix ? fixCommand(d, finding.fix) : split.command;
    todo.push({
      check: finding.id,
      status: finding.status,
      text: visible(split.text || `Apply the ${finding.fix} fix.`),
      command: command === undefined ? undefined : visible(command),
      fix: finding.fix,
    });
  }
  const input = [
    ...(d.input.secretId !== null ? [{ label: 'secret', value: `"${visible(d.input.secretId).replace(/"/g, '\\"')}"` }] : []),
    ...(d.input.region ? [{ label: 'region', value: d.input.region }] : []),
    {
      label: 'principal',
      value: d.input.principal && d.input.principal !== d.identity?.arn ? d.input.principal : `the caller${d.identity ? `, ${d.identity.arn}` : ''}`,
    },
  ];
  if (extra.action) input.push({ label: 'operation', value: extra.action });
  const message = d.input.errorMessage;
  if (message) {
    input.push({
      label: 'error message',
      value: message.recognised
        ? [
            message.denial.effect && `${message.denial.effect} deny`,
            message.denial.policyType && `by a ${message.denial.policyType} policy`,
            message.denial.policyArn,
            message.action,
            message.authorizationId && `authorization ID ${message.authorizationId}`,
          ]
            .filter(Boolean)
            .join(', ') || 'recognised'
        : 'not recognised as an AWS denial: the checks ran without it',
    });
  }
  for (const i of input) i.value = visible(i.value);
  return {
    title: SYMPTOM_CATALOGUE[d.symptom].label,
    headline: headline(d.summary),
    input,
    todo,
    problems,
    passes: d.findings.filter((f) => f.status === 'pass'),
    skipped: d.findings.filter((f) => f.status === 'skip'),
    rerun: visible(rerunCommand(d, extra)),
    summary: d.summary,
  };
}
