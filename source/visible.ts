/**
 * Text from outside (secret names, descriptions, tags, policy text and Sids, AWS's error messages, backup
 * fields) made safe to show on a terminal (SPEC.md, "Hostile input and malformed answers"). A carriage
 * return, an escape sequence or a bidirectional override in a Sid could otherwise redraw a FAIL row as
 * PASS, retitle the terminal or hide what follows. Every front-end shows outside text through `visible()`
 * before adding colour of its own; the engine keeps the raw values, which policies are evaluated on.
 * Framework-free and tiny: the wizard's first frame loads it.
 */

/**
 * What a terminal would act on or hide rather than show: C0 and C1 controls and DEL; bidirectional marks,
 * embeddings, overrides and isolates (U+061C, U+200E-200F, U+202A-202E, U+2066-2069); line and paragraph
 * separators; invisible format characters that hide text or make two names look alike (soft hyphen,
 * U+180E, U+200B, U+2060-206F, U+FEFF, U+FFF9-FFFB, and the tag characters U+E0000-E007F); and lone
 * surrogates, which are no characters at all.
 */
const INVISIBLE = '\\u00ad\\u061c\\u180e\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
const TAG = '\\udb40[\\udc00-\\udc7f]';
const HIDDEN = new RegExp(
  `[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE}]|${TAG}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`,
  'g',
);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(c: string): string {
  const code = c.codePointAt(0)!;
  if (NAMED[c]) return NAMED[c];
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every hidden character written out as an escape (`\x1b`, `\r`, `\u202e`), on one line.
 * Printable text, wide characters, combining marks and emoji pass unchanged. The result is printable, so
 * `visible(visible(t)) === visible(t)`: a renderer may apply it to text that already went through it.
 */
export function visible(text: string): string {
  return text.replace(HIDDEN, escaped);
}

/** Text of several lines (a --debug line, a stack): each line made visible, the newlines kept. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}

/** True when `text` has nothing that `visible()` would change. */
export function isVisible(text: string): boolean {
  return !ANY_HIDDEN.test(text);
}
const ANY_HIDDEN = new RegExp(HIDDEN.source);

/**
 * JSON text with C1 controls, DEL, bidirectional and invisible characters escaped as `\uXXXX` too
 * (JSON.stringify escapes only C0 and lone surrogates): it parses to the same strings, and a terminal
 * showing it acts on none of them. Outside strings JSON text has none of these characters.
 */
export function visibleJson(json: string): string {
  return json.replace(JSON_HIDDEN, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

const JSON_HIDDEN = new RegExp(`[\\u007f-\\u009f${INVISIBLE}]|${TAG}`, 'g');

/** The styles the tool's own painter writes (report/paint.ts), the reset, and erase-line for progress. */
const OWN = /(\u001b\[(?:0|1|22|31|32|33|34|39|90)m|^\r\u001b\[2K|^\r|\n)/;

/**
 * The last guard before stdout and stderr of the commands: text already rendered (with the tool's own
 * colours, newlines and a progress line's leading carriage return) with anything else hidden made visible.
 * Renderers make outside text visible themselves; this catches what one forgot.
 */
export function guardTerminal(text: string): string {
  if (isVisible(text)) return text;
  return text
    .split(OWN)
    .map((part, i) => (i % 2 === 1 ? part : visible(part)))
    .join('');
}

/** Sets every text attribute back to normal: written at exit where the tool wrote colour on a terminal. */
export const RESET = '\u001b[0m';
