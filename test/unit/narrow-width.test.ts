/**
 * The wizard's fast paths must give exactly what the libraries they stand in front of give: each symbol's
 * width per both copies of string-width in the bundle, widths of any text made of them, and graphemes per
 * Intl.Segmenter; and they must decline everything else.
 */
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
// wrap-ansi (Ink's wrapping) carries an older string-width of its own; the build wraps it too.
import olderStringWidth from '../../node_modules/wrap-ansi/node_modules/string-width/index.js';
import { NARROW_SYMBOLS, narrowWidth, unitGraphemes } from '../../source/report/narrow-width.js';

const graphemes = (text: string) =>
  Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), ({ segment, index }) => ({ segment, index }));
const printable = Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i));
const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i))
  .filter((c) => c !== '\r')
  .concat('\x7f');

describe('narrowWidth', () => {
  it('each symbol is one column for both copies of string-width', () => {
    for (const symbol of NARROW_SYMBOLS) {
      expect([symbol, stringWidth(symbol), olderStringWidth(symbol)]).toEqual([symbol, 1, 1]);
    }
  });

  it('agrees with string-width on any text made of printable ASCII and the symbols', () => {
    const text = fc.array(fc.constantFrom(...printable, ...NARROW_SYMBOLS), { maxLength: 60 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(narrowWidth(t)).toBe(stringWidth(t));
        expect(narrowWidth(t)).toBe(olderStringWidth(t));
      }),
    );
  });

  it('declines wide, combining, emoji, control and unlisted text', () => {
    for (const text of ['秘密', 'e\u0301', '👍', '✔\uFE0F', 'a\tb', '\x1b[1mbold\x1b[22m', 'é', '★']) {
      expect(narrowWidth(text)).toBeUndefined();
    }
    expect(stringWidth('秘密')).toBe(4); // what the fallback is for
  });
});

describe('unitGraphemes', () => {
  it('agrees with Intl.Segmenter on any text made of ASCII but CR, controls and the symbols', () => {
    const text = fc.array(fc.constantFrom(...printable, ...controls, ...NARROW_SYMBOLS), { maxLength: 60 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(unitGraphemes(t)).toEqual(graphemes(t));
      }),
    );
  });

  it('declines text whose graphemes span several units', () => {
    for (const text of ['\r\n', 'e\u0301', '👍🏽', '🇫🇷', '秘', 'x\u200dy']) expect(unitGraphemes(text)).toBeUndefined();
    expect(graphemes('\r\n')).toHaveLength(1); // what the fallback is for
  });
});
