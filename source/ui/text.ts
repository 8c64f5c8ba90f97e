/**
 * Text for the front-ends, pre-wrapped to the terminal's width so that a view can count its lines (to
 * scroll) and nothing spills past 80 columns: the report (failures first), a change's diff, the check rows.
 * Pure functions; no Ink. Colour goes on after wrapping, through a Paint (a no-op without colour).
 */
import type { Diagnosis } from '../diagnose.js';
import { documentDiff } from '../fixes/diff.js';
import { badge, painter, type Paint } from '../report/text.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import type { Finding, Status } from '../types.js';
import stringWidth from 'string-width';
import { visible } from '../visible.js';
import { narrowWidth, unitGraphemes } from './narrow-width.js';

/** Display columns of printable text (string-width, after the fast path for ASCII and the wizard's symbols). */
export function columns(text: string): number {
  return narrowWidth(text) ?? stringWidth(text);
}

let segmenter: Intl.Segmenter | undefined;
function graphemes(text: string): string[] {
  const units = unitGraphemes(text);
  if (units) return units.map((u) => u.segment);
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The longest head of `text` at most `room` columns wide, and the rest; never a grapheme cut in two, unless
 * `byCodePoint` (for a room narrower than the first grapheme), which gives at least one code point.
 */
function cut(text: string, room: number, byCodePoint = false): [string, string] {
  const parts = byCodePoint ? Array.from(text) : graphemes(text);
  let head = '';
  let used = 0;
  let i = 0;
  for (; i < parts.length; i++) {
    const w = columns(parts[i]!);
    if (used + w > room || (byCodePoint && columns(head + parts[i]) > room)) break;
    head += parts[i];
    used += w;
  }
  if (byCodePoint && i === 0 && parts.length) return [parts[0]!, parts.slice(1).join('')];
  return [head, parts.slice(i).join('')];
}

/**
 * Word-wraps one line of text to `width` columns; continuation lines start with `indent`. A word longer
 * than a line (an ARN) is cut where the line ends. Outside text is made visible first (a control character
 * never reaches the screen, a newline inside a value never breaks a row), and measured as displayed.
 */
export function wrap(raw: string, width: number, indent = ''): string[] {
  const text = visible(raw);
  const lines: string[] = [];
  let line = '';
  // An indent that leaves no room on a narrow screen is dropped rather than pushing the text past the edge.
  if (columns(indent) >= width) indent = '';
  const indentColumns = columns(indent);
  const room = () => Math.max(1, width - (lines.length ? indentColumns : 0));
  const push = () => {
    lines.push(lines.length ? `${indent}${line.trimEnd()}` : line.trimEnd());
    line = '';
  };
  for (const word of text.split(/(?<= )/)) {
    const bare = columns(word.trimEnd());
    if (columns(line) + bare <= room()) {
      line += word;
      continue;
    }
    // A word that fits on a line of its own starts one; a longer one (an ARN, a path) fills this line first.
    if (bare <= width - indentColumns && line.trim()) push();
    let rest = word;
    while (columns(line) + columns(rest.trimEnd()) > room()) {
      if (columns(line) >= room()) {
        push();
        continue;
      }
      let [head, tail] = cut(rest, room() - columns(line));
      // A character wider than the room left: it starts the next line.
      if (!head && line) {
        push();
        continue;
      }
      // A line's room narrower than one character: the character's code points that fit (at least one).
      if (!head) {
        head = cut(graphemes(rest)[0]!, room(), true)[0];
        tail = rest.slice(head.length);
      }
      line += head;
      rest = tail;
      push();
    }
    line += rest;
  }
  if (line.trim() || !lines.length) push();
  return lines;
}

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

/** Text without ANSI styles. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** One line: text made visible and cut to `width` columns, with an ellipsis where it was cut. */
export function truncate(raw: string, width: number): string {
  const text = visible(raw);
  return columns(text) <= width ? text : `${cut(text, Math.max(0, width - 1))[0]}…`;
}

/** A secret ID in quotes, with spaces (`␠`) and every hidden character made visible. */
export function quotedId(id: string): string {
  return `"${visible(id.replace(/ /g, '␠')).replace(/"/g, '\\"')}"`;
}
