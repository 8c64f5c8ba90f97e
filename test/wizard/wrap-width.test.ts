/**
 * The wizard's wrap and truncate measure text as a terminal shows it (display columns, whole graphemes),
 * on text that was made visible first, and in time proportional to its length: a long hostile value (a
 * 20 KB Sid of CJK text) must not stall a screen.
 */
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { graphemes, OWN_GRAPHEMES, truncate, wrap } from '../../source/report/layout.js';

const segment = (text: string) => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);

describe('graphemes', () => {
  it('the fast path agrees with Intl.Segmenter on any text it accepts', () => {
    const ranges: [number, number][] = [
      [0x20, 0x7e],
      [0xa0, 0x24f],
      [0x370, 0x482],
      [0x48a, 0x52f],
      [0x3000, 0x3029],
      [0x3030, 0x3096],
      [0x30a0, 0x30ff],
      [0x3400, 0x4dbf],
      [0x4e00, 0x9fff],
      [0xac00, 0xd7a3],
      [0xff01, 0xff60],
    ];
    const char = fc.oneof(...ranges.map(([min, max]) => fc.integer({ min, max }))).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(OWN_GRAPHEMES.test(text)).toBe(true);
        expect(graphemes(text)).toEqual(segment(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('declines combining marks, joiners, regional indicators and Hangul jamo, which join graphemes', () => {
    for (const text of ['e\u0301', 'カ\u3099', 'ｶﾞ', '👨‍👩‍👧', '🇫🇷', '\u1100\u1161', '각\u11a8', 'д\u0483']) {
      expect(OWN_GRAPHEMES.test(text), text).toBe(false);
      expect(graphemes(text)).toEqual(segment(text));
    }
  });
});

describe('wrap and truncate', () => {
  it('cut wide text by columns, never inside a grapheme', () => {
    expect(wrap('秘密の鍵 秘密の鍵秘密の鍵', 10)).toEqual(['秘密の鍵', '秘密の鍵秘', '密の鍵']);
    expect(truncate('秘密の鍵秘密の鍵', 7)).toBe('秘密の…');
    expect(truncate('e\u0301e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301…');
    expect(wrap('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 4)).toEqual(['👨‍👩‍👧👨‍👩‍👧', '👨‍👩‍👧']);
    for (const line of wrap('a 秘密 \u001b]0;t\u0007 👍🏽👍🏽 e\u0301 ｗｉｄｅ', 6)) expect(stringWidth(line)).toBeLessThanOrEqual(6);
  });

  it('a 30,000-character value is wrapped and cut in time proportional to its length', () => {
    for (const text of ['秘'.repeat(30_000), 'a'.repeat(30_000), '\u001b'.repeat(8_000), '👍🏽'.repeat(5_000)]) {
      const started = performance.now();
      const lines = wrap(text, 80, '  ');
      truncate(text, 80);
      // Quadratic work took minutes here; linear work takes milliseconds, with room for a loaded machine.
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(lines.length).toBeGreaterThan(100);
    }
  });
});
