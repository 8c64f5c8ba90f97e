/** The text report of a diagnosis (the report model, in lines), and the status badges every text front-end uses. */
import type { Diagnosis } from '../diagnose.js';
import type { Finding, Status } from '../types.js';
import { evidenceLines, reportModel, type ReportModel, type RerunInputs } from './model.js';
import { visible } from '../visible.js';
import { painter, type Paint, type Style } from './paint.js';

const BADGE: Record<Status, [string, Style]> = {
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

export function renderFinding(f: Finding, paint: Paint, verbose: boolean): string[] {
  const lines = [`${badge(f.status, paint)} ${paint('bold', f.id)}  ${visible(f.summary)}`];
  const show = verbose || f.status === 'fail' || f.status === 'warn' || f.status === 'unknown';
  if (!show) return lines;
  for (const d of f.details) lines.push(`        ${visible(d)}`);
  const evidence = evidenceLines(f.evidence);
  if (evidence.length) lines.push(paint('gray', '        evidence:'), ...evidence.map((e) => paint('gray', `          ${e}`)));
  return lines;
}

const HEADLINE_STYLE = (m: ReportModel): 'red' | 'yellow' | 'green' => (m.summary.fail ? 'red' : m.summary.unknown || m.summary.warn ? 'yellow' : 'green');

/**
 * The text report: the headline, what to do first (each command on a line of its own, to copy whole), the
 * problems with their details and evidence, then the passes in one line. `verbose` shows every check in full.
 */
export function renderReport(d: Diagnosis, options: { color: boolean; verbose?: boolean } & RerunInputs): string {
  const paint = painter(options.color);
  const m = reportModel(d, options);
  const out: string[] = [];
  out.push(paint('bold', `secrets-doctor: ${m.title}`));
  out.push(paint(HEADLINE_STYLE(m), m.headline));
  out.push(paint('gray', m.input.map((i) => `${i.label} ${i.value}`).join(', ')));
  if (m.todo.length) {
    out.push('', paint('bold', 'What to do first'));
    m.todo.forEach((t, n) => {
      out.push(`  ${n + 1}. ${paint('bold', t.check)}: ${t.text}`);
      if (t.command) out.push(`       ${t.command}`);
    });
  }
  const verbose = options.verbose ?? false;
  for (const { finding } of m.problems) out.push('', ...renderFinding(finding, paint, verbose));
  if (verbose) {
    for (const f of [...m.passes, ...m.skipped]) out.push('', ...renderFinding(f, paint, true));
  } else {
    if (m.passes.length) out.push('', `${paint('green', 'Passed:')} ${m.passes.map((f) => f.id).join(', ')}`);
    if (m.skipped.length) out.push(`${paint('gray', 'Skipped:')} ${m.skipped.map((f) => f.id).join(', ')} ${paint('gray', '(--verbose says why)')}`);
  }
  const s = d.summary;
  out.push(
    '',
    `${paint('red', `${s.fail} fail`)}, ${paint('blue', `${s.unknown} unknown`)}, ${paint('yellow', `${s.warn} warn`)}, ${paint('green', `${s.pass} pass`)}, ${paint('gray', `${s.skip} skip`)}`,
  );
  return `${out.join('\n')}\n`;
}
