/**
 * The wizard's text, pre-wrapped to the terminal's width so that a view can count its lines (to scroll)
 * and nothing spills past the screen: the report (what to do first, then the problems), a change's diff.
 * Pure functions; no Ink. Colour goes on after wrapping, through a Paint (a no-op without colour).
 */
import type { Diagnosis } from '../diagnose.js';
import { documentDiff } from '../fixes/diff.js';
import type { Proposal } from '../fixes/protocol.js';
import { wrap } from '../report/layout.js';
import { reportModel, type ProblemItem, type RerunInputs } from '../report/model.js';
import { badge } from '../report/text.js';
import { painter, type Paint } from '../report/paint.js';
import type { Finding, Status } from '../types.js';

/** Statuses in the order the report shows them: what needs attention first (as the report model orders them). */
const REPORT_ORDER: Status[] = ['fail', 'unknown', 'warn', 'pass', 'skip'];

/** Findings for the report: failures first, then unknowns and warnings, then the rest; table order within each. */
export function byConcern(findings: Finding[]): Finding[] {
  return REPORT_ORDER.flatMap((status) => findings.filter((f) => f.status === status));
}

const PAD = ' '.repeat(8);

/** One problem: its badge, id and summary, its details, and its evidence as labelled lines. */
function problemLines({ finding: f, evidence }: ProblemItem, width: number, paint: Paint): string[] {
  const [first = '', ...rest] = wrap(`${'x'.repeat(8)}${f.id}  ${f.summary}`, width, PAD);
  const lines = [`${badge(f.status, paint)} ${paint('bold', f.id)}${first.slice(8 + f.id.length)}`, ...rest];
  for (const d of f.details) lines.push(...wrap(`${PAD}${d}`, width, PAD));
  if (evidence.length) lines.push(paint('gray', `${PAD}evidence:`));
  for (const e of evidence) lines.push(...wrap(`${PAD}  ${e}`, width, `${PAD}    `).map((l) => paint('gray', l)));
  return lines;
}

export function summaryLine(summary: Record<Status, number>, paint: Paint): string {
  return [
    paint('red', `${summary.fail} fail`),
    paint('blue', `${summary.unknown} unknown`),
    paint('yellow', `${summary.warn} warn`),
    paint('green', `${summary.pass} pass`),
    paint('gray', `${summary.skip} skip`),
  ].join(', ');
}

export interface ReportLineOptions extends RerunInputs {
  /** The wizard offers the fixes right after this report (not from the many-secrets list). @default false */
  fixesFollow?: boolean;
}

/**
 * The report on the report model (report/model.ts), as the wizard shows it: the symptom and the headline,
 * what to do first (a command on lines of its own; the fixes the wizard offers next are named instead of
 * their command line), the problems with labelled evidence, then the passes and skips in a line each.
 * Commands are printed whole again when the wizard is left (wizard/finish.ts), to copy.
 */
export function reportLines(d: Diagnosis, width: number, paint: Paint, options: ReportLineOptions = {}): string[] {
  const m = reportModel(d, options);
  const lines: string[] = [];
  const headline = m.summary.fail ? 'red' : m.summary.unknown || m.summary.warn ? 'yellow' : 'green';
  lines.push(...wrap(`Error: ${m.title}`, width, '  ').map((l) => paint('bold', l)));
  lines.push(...wrap(m.headline, width, '  ').map((l) => paint(headline, l)));
  lines.push(...wrap(m.input.map((i) => `${i.label} ${i.value}`).join(', '), width, '  ').map((l) => paint('gray', l)));
  if (m.todo.length) {
    lines.push('', paint('bold', 'What to do first'));
    m.todo.forEach((t, n) => {
      // A fix the wizard offers next is reviewed there, diff and all: named here, not spelled out.
      if (options.fixesFollow && t.fix) {
        lines.push(...wrap(`  ${n + 1}. ${t.check}: review and apply the ${t.fix} fix, offered after this report.`, width, '     '));
        return;
      }
      lines.push(...wrap(`  ${n + 1}. ${t.check}: ${t.text}`, width, '     '));
      if (t.command) lines.push(...wrap(`     ${t.command}`, width, '       '));
    });
  }
  for (const problem of m.problems) lines.push('', ...problemLines(problem, width, paint));
  if (m.passes.length || m.skipped.length) lines.push('');
  if (m.passes.length) lines.push(...wrap(`Passed: ${m.passes.map((f) => f.id).join(', ')}`, width, '  ').map((l) => paint('green', l)));
  if (m.skipped.length) lines.push(...wrap(`Skipped: ${m.skipped.map((f) => `${f.id} (${f.summary})`).join(', ')}`, width, '  ').map((l) => paint('gray', l)));
  lines.push('', summaryLine(m.summary, paint));
  return lines;
}

/** What a proposed change shows below its headline: a document's diff; nothing more for a deletion to cancel. */
export function proposalLines(p: Proposal, width: number, paint: Paint): string[] {
  return p.kind === 'secret-deletion' ? [] : diffLines(p.before, p.after, width, paint);
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
