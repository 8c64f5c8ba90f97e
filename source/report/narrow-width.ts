/**
 * Fast paths in front of `string-width` and of the grapheme segmenter in `@alcalzone/ansi-tokenize`,
 * which Ink uses for every piece of text it lays out and draws. Both rest on Unicode tables that are
 * slow to build: ICU's grapheme break data (about 10 ms on first use) and string-width's emoji
 * expressions (about 15 ms to build, 30 ms on first use), all of it before the wizard's first frame,
 * which is plain ASCII and a few symbols. Text made only of those characters needs no tables: each is one
 * column wide and a grapheme of its own, which is what string-width and Intl.Segmenter say of each of
 * them (tests check every one). Anything else still goes to the libraries. The build wires these in
 * (scripts/esbuild-ink.mjs).
 */

/**
 * The symbols the wizard and @inkjs/ui draw: arrows, the pointer, ticks and crosses, boxes and blocks,
 * the spinner's braille, dashes and dots. Several are East Asian "ambiguous": one column only with
 * string-width's `ambiguousIsNarrow`, which is on by default and which the wrapper requires. Not here:
 * symbols that can be emoji (✔ ✖ ℹ ⚠ ◼ ◻ ▪ ▫), which the two string-width versions in the bundle
 * measure differently.
 */
export const NARROW_SYMBOLS = [...'←↑→↓❯›·•…–—✘✓✗■□█░▒▓▌▐─│┌┐└┘├┤┬┴┼╭╮╯╰␠'].concat(
  Array.from({ length: 0x100 }, (_, i) => String.fromCharCode(0x2800 + i)), // braille (spinners)
);

const symbols = NARROW_SYMBOLS.map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
/** Printable ASCII and the symbols: one column each. */
const NARROW = new RegExp(`^[\\x20-\\x7E${symbols}]*$`);
/** The same plus control characters but CR (CR LF is one grapheme): one grapheme per UTF-16 unit. */
const OWN_GRAPHEMES = new RegExp(`^[\\x00-\\x0C\\x0E-\\x7F${symbols}]*$`);

/** The width of `text` in columns if it is made only of single-column characters, otherwise undefined. */
export function narrowWidth(text: string): number | undefined {
  return NARROW.test(text) ? text.length : undefined;
}

/** `text`'s graphemes as Intl.Segmenter lists them, if each is one UTF-16 unit; otherwise undefined. */
export function unitGraphemes(text: string): Array<{ segment: string; index: number }> | undefined {
  if (!OWN_GRAPHEMES.test(text)) return undefined;
  return Array.from(text, (segment, index) => ({ segment, index }));
}
