/**
 * Text laid out for a terminal: display columns (string-width, after a fast path for ASCII and the
 * wizard's symbols), graphemes, word wrap to a width, truncation with an ellipsis, a quoted secret ID.
 * Outside text is made visible first. Pure functions; no Ink. Every front-end and report that draws on a
 * terminal measures through here.
 */
import stringWidth from 'string-width';
import { visible } from '../visible.js';
import { narrowWidth, unitGraphemes } from './narrow-width.js';

/** Display columns of printable text (string-width, after the fast path for ASCII and the wizard's symbols). */
export function columns(text: string): number {
  return narrowWidth(text) ?? stringWidth(text);
}

/**
 * Text whose every character is a grapheme of its own: printable ASCII and Latin, Greek and Cyrillic
 * letters without combining marks, CJK ideographs and punctuation, kana, Hangul syllables, full-width
 * forms. Intl.Segmenter is slow on long text (about 30 ms per thousand characters here); a long name or Sid
 * in these scripts needs none of it (a test compares the two).
 */
export const OWN_GRAPHEMES =
  /^[\u0020-\u007e\u00a0-\u024f\u0370-\u0482\u048a-\u052f\u3000-\u3029\u3030-\u3096\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff60]*$/;

let segmenter: Intl.Segmenter | undefined;
export function graphemes(text: string): string[] {
  if (OWN_GRAPHEMES.test(text)) return text.split('');
  const units = unitGraphemes(text);
  if (units) return units.map((u) => u.segment);
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Each grapheme's width, measured once per distinct grapheme. */
function measured(parts: string[]): number[] {
  const known = new Map<string, number>();
  return parts.map((g) => known.get(g) ?? known.set(g, columns(g)).get(g)!);
}

/**
 * Word-wraps one line of text to `width` columns; continuation lines start with `indent`. A word longer
 * than a line (an ARN) is cut where the line ends. Outside text is made visible first (a control character
 * never reaches the screen, a newline inside a value never breaks a row), and measured as displayed:
 * each grapheme once, so that a long hostile value costs time in proportion to its length.
 */
export function wrap(raw: string, width: number, indent = ''): string[] {
  const text = visible(raw);
  if (width === Number.POSITIVE_INFINITY) return [text.trimEnd()];
  // An indent that leaves no room on a narrow screen is dropped rather than pushing the text past the edge.
  if (columns(indent) >= width) indent = '';
  const indentColumns = columns(indent);
  const parts = graphemes(text);
  const widths = measured(parts);
  const lines: string[] = [];
  let line = '';
  let used = 0;
  const room = () => Math.max(1, width - (lines.length ? indentColumns : 0));
  const push = () => {
    lines.push(lines.length ? `${indent}${line.trimEnd()}` : line.trimEnd());
    line = '';
    used = 0;
  };
  const add = (piece: string, w: number) => {
    line += piece;
    used += w;
  };
  for (let start = 0; start < parts.length; ) {
    // A word: up to and including the next space.
    let end = start;
    let bare = 0;
    while (end < parts.length && parts[end] !== ' ') bare += widths[end++]!;
    if (end < parts.length) end++;
    if (used + bare <= room()) {
      for (let k = start; k < end; k++) add(parts[k]!, widths[k]!);
      start = end;
      continue;
    }
    // A word that fits on a line of its own starts one; a longer one (an ARN, a path) fills this line first.
    if (bare <= width - indentColumns && line.trim()) push();
    for (let k = start; k < end; k++) {
      const g = parts[k]!;
      const w = widths[k]!;
      if (g === ' ' || used + w <= room()) add(g, w);
      else if (used > 0) {
        push();
        k--;
      } else {
        // A character wider than a whole line's room: its code points, as many as fit (at least one).
        for (const point of Array.from(g)) {
          const pw = columns(point);
          if (used > 0 && used + pw > room()) push();
          add(point, pw);
        }
      }
    }
    start = end;
  }
  if (line.trim() || !lines.length) push();
  return lines;
}

/** Text without ANSI styles. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** One line: text made visible and cut to `width` columns, with an ellipsis where it was cut. */
export function truncate(raw: string, width: number): string {
  const text = visible(raw);
  const narrow = narrowWidth(text);
  if (narrow !== undefined) return narrow <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
  const parts = graphemes(text);
  const widths = measured(parts);
  let used = 0;
  let fits = 0; // graphemes that fit before the ellipsis
  for (let i = 0; i < parts.length; i++) {
    used += widths[i]!;
    if (used <= width - 1) fits = i + 1;
    if (used > width) return `${parts.slice(0, fits).join('')}…`;
  }
  return text;
}

/** A secret ID in quotes, with spaces (`␠`) and every hidden character made visible. */
export function quotedId(id: string): string {
  return `"${visible(id.replace(/ /g, '␠')).replace(/"/g, '\\"')}"`;
}
