/**
 * The wizard's text, pre-wrapped to the terminal's width so that a view can count its lines (to scroll)
 * and nothing spills past the screen: the report (failures first), a change's diff, the check rows.
 * Pure functions; no Ink. Colour goes on after wrapping, through a Paint (a no-op without colour).
 */
import type { Diagnosis } from '../diagnose.js';
import { documentDiff } from '../fixes/diff.js';
import { quotedId, wrap } from '../report/layout.js';
import { badge, painter, type Paint } from '../report/text.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import type { Finding, Status } from '../types.js';

/** Statuses in the order the report shows them: what needs attention first. */
const REPORT_ORDER: Status[] = ['fail', 'warn', 'unknown', 'pass', 'skip'];

/** Findings for the report: failures first, then warnings and unknowns, then the rest; table order within each. */
export function byConcern(findings: Finding[]): Finding[] {
  return REPORT_ORDER.flatMap((status) => findings.filter((f) => f.status === status));
}

const PAD = ' '.repeat(8);

function evidenceValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One finding: its badge, id and summary; for failures, warnings and unknowns also details, evidence and what to do. */
export function findingLines(f: Finding, width: number, paint: Paint): string[] {
  const [first = '', ...rest] = wrap(`${'x'.repeat(8)}${f.id}  ${f.summary}`, width, PAD);
  const lines = [`${badge(f.status, paint)} ${paint('bold', f.id)}${first.slice(8 + f.id.length)}`, ...rest];
  if (f.status === 'pass' || f.status === 'skip') return lines;
  for (const d of f.details) lines.push(...wrap(`${PAD}${d}`, width, PAD));
  const evidence = Object.entries(f.evidence);
  evidence.forEach(([key, value], i) => {
    const label = i === 0 ? `${PAD}evidence: ` : ' '.repeat(PAD.length + 10);
    lines.push(...wrap(`${label}${key}: ${evidenceValue(value)}`, width, ' '.repeat(PAD.length + 12)).map((l) => paint('gray', l)));
  });
  if (f.remediation) lines.push(...wrap(`${PAD}What to do: ${f.remediation}`, width, PAD));
  if (f.fix) lines.push(paint('green', `${PAD}Fix offered after this report: ${f.fix}`));
  return lines;
}

export function summaryLine(summary: Record<Status, number>, paint: Paint): string {
  return [
    paint('red', `${summary.fail} fail`),
    paint('yellow', `${summary.warn} warn`),
    paint('blue', `${summary.unknown} unknown`),
    paint('green', `${summary.pass} pass`),
    paint('gray', `${summary.skip} skip`),
  ].join(', ');
}

/** What was checked, in one or two lines. */
export function inputLines(d: Diagnosis, width: number): string[] {
  const parts = [
    d.input.secretId !== null ? `secret ${quotedId(d.input.secretId)}` : undefined,
    d.input.region ? `region ${d.input.region}` : undefined,
    d.input.principal ? `principal ${d.input.principal}` : d.identity ? `principal: the caller, ${d.identity.arn}` : undefined,
  ].filter(Boolean);
  return wrap(parts.join(', '), width, '  ');
}

/** The whole report: symptom, inputs, counts, then every finding, failures first. */
export function reportLines(d: Diagnosis, width: number, paint: Paint): string[] {
  const lines: string[] = [];
  lines.push(...wrap(`Error: ${SYMPTOM_CATALOGUE[d.symptom].label}`, width, '  ').map((l) => paint('bold', l)));
  lines.push(...inputLines(d, width).map((l) => paint('gray', l)));
  lines.push(summaryLine(d.summary, paint));
  const concern = byConcern(d.findings);
  for (const f of concern.filter((x) => x.status !== 'pass' && x.status !== 'skip')) lines.push('', ...findingLines(f, width, paint));
  const settled = concern.filter((x) => x.status === 'pass' || x.status === 'skip');
  if (settled.length) lines.push('');
  for (const f of settled) lines.push(...findingLines(f, width, paint));
  return lines;
}

/** A change as a diff of the pretty-printed documents, wrapped, `+` lines green and `-` lines red. */
export function diffLines(before: string | null, after: string | null, width: number, paint: Paint): string[] {
  const plain = documentDiff(before, after, painter(false)).split('\n');
  return plain.flatMap((line) => {
    const marker = line.slice(0, 2);
    const indent = `${marker}${' '.repeat(Math.min(24, line.slice(2).search(/\S|$/) + 2))}`;
    const wrapped = wrap(line, width, indent);
    if (marker === '+ ') return wrapped.map((l) => paint('green', l));
    if (marker === '- ') return wrapped.map((l) => paint('red', l));
    return wrapped;
  });
}

