/**
 * visible(): every character a terminal would act on or hide is written out; everything printable, wide or
 * combining passes unchanged (SPEC.md, "Hostile input and malformed answers").
 */
import { describe, expect, it } from 'vitest';
import { guardTerminal, isVisible, visible, visibleJson, visibleLines } from '../../source/visible.js';

describe('visible', () => {
  it('writes out C0 controls, DEL and C1 controls', () => {
    expect(visible('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009bg')).toBe('a\\x00b\\x07c\\x1bd\\x7fe\\x85f\\x9bg');
  });

  it('names newline, carriage return and tab: a value never breaks or rewrites a row', () => {
    expect(visible('deny\r\nPASS\tx')).toBe('deny\\r\\nPASS\\tx');
  });

  it('writes out escape sequences whole: CSI, SGR, OSC (a terminal title) and the 8-bit CSI', () => {
    expect(visible('\u001b[2J\u001b[8mhidden')).toBe('\\x1b[2J\\x1b[8mhidden');
    expect(visible('\u001b]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
    expect(visible('\u009b31m')).toBe('\\x9b31m');
  });

  it('writes out bidirectional marks, embeddings, overrides and isolates', () => {
    const bidi = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(visible(bidi)).toBe('\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069');
    expect(visible('admin\u202eresu')).toBe('admin\\u202eresu');
  });

  it('writes out line separators, invisible characters and lone surrogates', () => {
    expect(visible('a\u2028b\u2029c\u200bd\ufeffe\u2060')).toBe('a\\u2028b\\u2029c\\u200bd\\ufeffe\\u2060');
    expect(visible('x\ud800y\udc00z')).toBe('x\\ud800y\\udc00z');
  });

  it('writes out invisible format characters: soft hyphen, U+180E, deprecated format controls, annotations, tags', () => {
    expect(visible('a\u00adb\u180ec\u206ad\ufff9e')).toBe('a\\xadb\\u180ec\\u206ad\\ufff9e');
    // ASCII smuggled in tag characters (U+E0041 is a tag "A")
    expect(visible('ok\u{e0041}\u{e007f}')).toBe('ok\\u{e0041}\\u{e007f}');
  });

  it('lets printable, wide, combining and emoji text through unchanged', () => {
    for (const text of ['prod/pagerduty-AbCdEf', '秘密の鍵', 'e\u0301te\u0301', '👍🏽 🇫🇷 👨‍👩‍👧', 'Ünïcödé ☃ ✓', '\\x1b as typed', '␠']) {
      expect(visible(text)).toBe(text);
      expect(isVisible(text)).toBe(true);
    }
  });

  it('is idempotent: text shown once is shown the same again', () => {
    const once = visible('\u001b]0;t\u0007\r\u202e\ud800');
    expect(visible(once)).toBe(once);
    expect(isVisible(once)).toBe(true);
  });

  it('visibleLines keeps the newlines of a stack or a debug block, and writes out the rest', () => {
    expect(visibleLines('Error: \u001b[8mx\n    at y\r')).toBe('Error: \\x1b[8mx\n    at y\\r');
  });
});

describe('visibleJson', () => {
  it('escapes C1, DEL, bidirectional and invisible characters, and the JSON still parses to the same strings', () => {
    const value = { sid: 'a\u0085b\u009b\u007f\u202e\u2066\u200f\u2028\ufeff\u001b\r\u{e0041}', name: '秘密 e\u0301 👍' };
    const text = visibleJson(JSON.stringify(value));
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\udb40/);
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u0085');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('guardTerminal', () => {
  it("keeps the tool's own colours, newlines and a progress line's carriage return, and writes out the rest", () => {
    expect(guardTerminal('\u001b[31mFAIL   \u001b[39m x\n')).toBe('\u001b[31mFAIL   \u001b[39m x\n');
    expect(guardTerminal('\r3 secret(s) diagnosed')).toBe('\r3 secret(s) diagnosed');
    expect(guardTerminal('\r\u001b[2KChecked 3')).toBe('\r\u001b[2KChecked 3');
    expect(guardTerminal('a\rPASS\u001b[8m\u001b]0;t\u0007\u202e\n')).toBe('a\\rPASS\\x1b[8m\\x1b]0;t\\x07\\u202e\n');
  });
});
