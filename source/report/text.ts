/** The human-readable report of a diagnosis: one block per finding, then what to do. */
import type { Diagnosis } from '../diagnose.js';
import type { Finding, Status } from '../types.js';
import { visible } from '../visible.js';

const CODES: Record<string, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  gray: [90, 39],
  bold: [1, 22],
};

export type Paint = (style: keyof typeof CODES, text: string) => string;

export function painter(color: boolean): Paint {
  return (style, text) => (color ? `\u001b[${CODES[style]![0]}m${text}\u001b[${CODES[style]![1]}m` : text);
}

const BADGE: Record<Status, [string, keyof typeof CODES]> = {
  pass: ['PASS', 'green'],
  fail: ['FAIL', 'red'],
  warn: ['WARN', 'yellow'],
  unknown: ['UNKNOWN', 'blue'],
  skip: ['SKIP', 'gray'],
};

export function badge(status: Status, paint: Paint): string {
  const [text, style] = BADGE[status];
  return paint(style, text.padEnd(7));
}

function evidenceLines(evidence: Record<string, unknown>): string[] {
  return Object.entries(evidence).map(([k, v]) => visible(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`));
}

export function renderFinding(f: Finding, paint: Paint, verbose: boolean): string[] {
  const lines = [`${badge(f.status, paint)} ${paint('bold', f.id)}  ${visible(f.summary)}`];
  const show = verbose || f.status === 'fail' || f.status === 'warn' || f.status === 'unknown';
  if (!show) return lines;
  for (const d of f.details) lines.push(`        ${visible(d)}`);
  const ev = evidenceLines(f.evidence);
  if (ev.length) lines.push(paint('gray', `        evidence: ${ev.join('; ')}`));
  return lines;
}

export function renderReport(d: Diagnosis, options: { color: boolean; verbose?: boolean }): string {
  const paint = painter(options.color);
  const out: string[] = [];
  out.push(paint('bold', `secrets-doctor: ${d.symptom}`));
  const inputs = [
    d.input.secretId !== null ? `secret ${JSON.stringify(d.input.secretId)}` : undefined,
    d.input.region ? `region ${d.input.region}` : undefined,
    d.input.principal ? `principal ${d.input.principal}` : undefined,
  ].filter(Boolean);
  if (inputs.length) out.push(paint('gray', visible(inputs.join(', '))));
  out.push('');
  for (const f of d.findings) out.push(...renderFinding(f, paint, options.verbose ?? false));
  const todo = d.findings.filter((f) => f.remediation && (f.status === 'fail' || f.status === 'warn' || f.status === 'unknown'));
  if (todo.length) {
    out.push('', paint('bold', 'What to do'));
    for (const f of todo) {
      out.push(`- ${paint('bold', f.id)}: ${visible(f.remediation)}${f.fix ? paint('gray', ` [fix: ${f.fix}]`) : ''}`);
    }
  }
  const s = d.summary;
  out.push(
    '',
    `${paint('green', `${s.pass} pass`)}, ${paint('red', `${s.fail} fail`)}, ${paint('yellow', `${s.warn} warn`)}, ${paint('blue', `${s.unknown} unknown`)}, ${paint('gray', `${s.skip} skip`)}`,
  );
  return `${out.join('\n')}\n`;
}
