/**
 * A value the user typed, as a usage error echoes it (SPEC.md, "Usage errors stay one line"): quoted, on
 * one line, control and bidirectional characters made visible, at most 80 characters (with the length
 * when cut). Local until the shared `visible()` (source/visible.ts) lands; then the escaping moves there.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escaped(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Control characters made visible (no cut): a safety net for a message as a whole. */
export function oneLine(text: string): string {
  return text.replace(INVISIBLE, escaped);
}

export function shown(value: string, max = 80): string {
  const chars = [...oneLine(value)];
  if (chars.length <= max) return `"${chars.join('')}"`;
  return `"${chars.slice(0, max - 1).join('')}…" (${value.length.toLocaleString('en-US')} characters)`;
}
