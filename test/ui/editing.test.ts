/**
 * Keys and editing without Ink (issue 14, item 4): a read of input split into the keys pressed, and the
 * text field's reducer, readline's keys, applied one after the other.
 */
import { describe, expect, it } from 'vitest';
import { edit, fieldActions, fieldOf, type Field } from '../../source/ui/editing.js';
import { joinText, KeySplitter, splitKeys } from '../../source/wizard/keys.js';

/** The field after typing `input` (one read) into `start`. */
function typed(start: Field, input: string): Field {
  return fieldActions(input).reduce(edit, start);
}

/** A field shown with its cursor as `|`. */
const show = (f: Field) => {
  const chars = Array.from(f.value);
  return [...chars.slice(0, f.cursor), '|', ...chars.slice(f.cursor)].join('');
};

const BS = '\u007f';

describe('keys in one read', () => {
  it('splits control characters, escape sequences and characters into one key each', () => {
    expect(splitKeys('\u007f\u007f\u007f').keys).toEqual([BS, BS, BS]);
    expect(splitKeys('\u0003\u0003').keys).toEqual(['\u0003', '\u0003']);
    expect(splitKeys('\r\u0003').keys).toEqual(['\r', '\u0003']);
    expect(splitKeys('ab\u001b[Dc\u001b[3~\u001bOH\u001b[1;5C').keys).toEqual(['a', 'b', '\u001b[D', 'c', '\u001b[3~', '\u001bOH', '\u001b[1;5C']);
    // Alt with a key, Alt-Backspace, two Escapes, and a character outside the BMP kept whole
    expect(splitKeys('\u001bb\u001b\u007f\u001b\u001bx😀').keys).toEqual(['\u001bb', '\u001b\u007f', '\u001b', '\u001bx', '😀']);
  });

  it('keeps the start of an escape sequence cut between two reads, and a lone Escape until flushed', () => {
    const splitter = new KeySplitter();
    expect(splitter.push('a\u001b[')).toEqual(['a']);
    expect(splitter.hasPending).toBe(true);
    expect(splitter.push('Db')).toEqual(['\u001b[D', 'b']);
    expect(splitter.push('\u001b')).toEqual([]);
    expect(splitter.flush()).toEqual(['\u001b']);
    expect(splitter.hasPending).toBe(false);
  });

  it('joins text typed in a row (a paste), and nothing else', () => {
    expect(joinText(['a', 'b', BS, 'c', 'd', '\r'])).toEqual(['ab', BS, 'cd', '\r']);
  });
});

describe('the text field reducer', () => {
  const at = (value: string, cursor = Array.from(value).length): Field => ({ value, cursor });

  it('inserts at the cursor and moves it; Backspace and Delete remove one character each', () => {
    expect(show(typed(at(''), 'hello'))).toBe('hello|');
    expect(show(typed(at('hello'), '\u001b[D\u001b[DXY'))).toBe('helXY|lo');
    expect(show(typed(at('hello'), `${BS}\b`))).toBe('hel|');
    expect(show(typed(at('hello', 1), '\u001b[3~\u0004'))).toBe('h|lo');
    // At the ends nothing happens
    expect(typed(at('ab', 0), BS)).toEqual(at('ab', 0));
    expect(typed(at('ab'), '\u001b[3~')).toEqual(at('ab'));
    expect(typed(at('ab', 0), '\u001b[D')).toEqual(at('ab', 0));
  });

  it('three Backspaces in one read remove three characters; 240 remove 240', () => {
    expect(typed(fieldOf('prod/pagerduty'), BS.repeat(3)).value).toBe('prod/pagerd');
    const long = 'x'.repeat(250);
    expect(typed(fieldOf(long), BS.repeat(240))).toEqual(at('x'.repeat(10)));
  });

  it('goes to the start with Ctrl-A or Home and to the end with Ctrl-E or End, in every encoding', () => {
    for (const home of ['\u0001', '\u001b[H', '\u001bOH', '\u001b[1~', '\u001b[7~']) expect(typed(at('abc'), home).cursor).toBe(0);
    for (const end of ['\u0005', '\u001b[F', '\u001bOF', '\u001b[4~', '\u001b[8~']) expect(typed(at('abc', 0), end).cursor).toBe(3);
    expect(show(typed(at('bc'), '\u0001a\u0005d'))).toBe('abcd|');
  });

  it('Ctrl-U deletes to the start, Ctrl-K to the end', () => {
    expect(show(typed(at('prod/db', 5), '\u0015'))).toBe('|db');
    expect(show(typed(at('prod/db', 5), '\u000b'))).toBe('prod/|');
  });

  it('Ctrl-W deletes the word before the cursor up to whitespace; Alt-Backspace up to punctuation', () => {
    expect(show(typed(at('User: arn:aws:iam::1:role/Ops  '), '\u0017'))).toBe('User: |');
    expect(show(typed(at('User: arn'), '\u0017\u0017'))).toBe('|');
    expect(show(typed(at('prod/pager-duty'), '\u001b\u007f'))).toBe('prod/pager-|');
    expect(show(typed(at('prod/pager-duty'), '\u001b\u007f\u001b\u007f'))).toBe('prod/|');
  });

  it('moves by a word with Alt-B/F and Ctrl-←→', () => {
    expect(typed(at('prod/pager duty'), '\u001bb').cursor).toBe(11);
    expect(typed(at('prod/pager duty'), '\u001b[1;5D\u001b[1;5D').cursor).toBe(5);
    expect(typed(at('prod/pager duty', 0), '\u001bf').cursor).toBe(4);
    expect(typed(at('prod/pager duty', 0), '\u001b[1;5C\u001b[1;5C').cursor).toBe(10);
  });

  it('takes a paste whole, in order, and several keys of one read one after the other', () => {
    const message = 'User: arn:aws:sts::123456789012:assumed-role/Ops/alice is not authorized to perform: secretsmanager:GetSecretValue';
    expect(typed(at(''), message)).toEqual(at(message));
    // Typed, corrected, moved and typed again, all in one read
    expect(show(typed(at(''), `prod/pagr${BS}erduty\u0001x\u001b[D\u001b[3~\u0005!`))).toBe('prod/pagerduty!|');
  });

  it('never inserts a control character, and keeps characters outside the BMP whole', () => {
    expect(typed(at('a'), '\t\u0003\u001b[A\u001b\u0000')).toEqual(at('a'));
    expect(show(typed(at('ab😀'), `${BS}\u001b[Dx`))).toBe('ax|b');
    expect(show(typed(at('😀😀'), '\u001b[D'))).toBe('😀|😀');
  });

  it('ends a read with Enter as a submit action after the edits before it', () => {
    expect(fieldActions(`ab${BS}\r`).map((a) => a.type)).toEqual(['insert', 'backspace', 'submit']);
  });
});
