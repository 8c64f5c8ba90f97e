/**
 * A one-line text field's editing, as a pure reducer: a key (as keys.ts splits them) becomes an action, an
 * action changes the field. The keys are readline's (bash, psql, most prompts), so that hands trained
 * elsewhere work here: Ctrl-A/Home and Ctrl-E/End to the ends, Ctrl-B/F and ←→ by a character, Alt-B/F
 * and Ctrl-←→ by a word, Backspace/Ctrl-H and Delete/Ctrl-D, Ctrl-U (delete to the start), Ctrl-K (to the
 * end), Ctrl-W (the word before the cursor, up to whitespace: all of `prod/db` or an ARN, as in bash) and
 * Alt-Backspace (the word before the cursor, up to punctuation: `db` of `prod/db`). Text, typed or pasted,
 * goes in at the cursor; control characters never do. Framework-free (test/ui/editing.test.ts).
 */
import { isText, joinText, splitKeys } from '../wizard/keys.js';

/** The text, and the cursor as a count of characters (code points) before it. */
export interface Field {
  value: string;
  cursor: number;
}

export type FieldAction =
  | { type: 'insert'; text: string }
  | {
      type:
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'word-left'
        | 'word-right'
        | 'home'
        | 'end'
        | 'delete-to-start'
        | 'delete-to-end'
        | 'delete-word'
        | 'delete-alnum-word'
        | 'submit';
    };

type Simple = Exclude<FieldAction, { type: 'insert' }>['type'];

/** The keys a field acts on, as terminals send them (xterm, VT220, rxvt, the Linux console, tmux). */
const KEYS: Record<string, Simple> = {
  '\r': 'submit',
  '\u007f': 'backspace',
  '\b': 'backspace',
  '\u001b[3~': 'delete',
  '\u0004': 'delete',
  '\u001b[D': 'left',
  '\u001bOD': 'left',
  '\u0002': 'left',
  '\u001b[C': 'right',
  '\u001bOC': 'right',
  '\u0006': 'right',
  '\u001bb': 'word-left',
  '\u001b[1;5D': 'word-left',
  '\u001b[1;3D': 'word-left',
  '\u001bf': 'word-right',
  '\u001b[1;5C': 'word-right',
  '\u001b[1;3C': 'word-right',
  '\u0001': 'home',
  '\u001b[H': 'home',
  '\u001bOH': 'home',
  '\u001b[1~': 'home',
  '\u001b[7~': 'home',
  '\u0005': 'end',
  '\u001b[F': 'end',
  '\u001bOF': 'end',
  '\u001b[4~': 'end',
  '\u001b[8~': 'end',
  '\u0015': 'delete-to-start',
  '\u000b': 'delete-to-end',
  '\u0017': 'delete-word',
  '\u001b\u007f': 'delete-alnum-word',
  '\u001b\b': 'delete-alnum-word',
};

/** What one key does to a field; undefined for a key it leaves to others (↑↓, Esc, Tab, Ctrl-C...). */
export function fieldAction(key: string): FieldAction | undefined {
  if (isText(key)) return { type: 'insert', text: key };
  const type = KEYS[key];
  return type ? { type } : undefined;
}

/** What a read of input does to a field, key by key, in order (text typed in a row is one insert). */
export function fieldActions(input: string): FieldAction[] {
  const { keys, pending } = splitKeys(input);
  return joinText(pending ? [...keys, pending] : keys)
    .map(fieldAction)
    .filter((a): a is FieldAction => a !== undefined);
}

const isSpace = (c: string) => /\s/u.test(c);
const isWordChar = (c: string) => /[\p{L}\p{N}]/u.test(c);

/** Where the cursor lands moving left over `skip`-characters and then over characters that are not. */
function back(chars: readonly string[], from: number, skip: (c: string) => boolean): number {
  let i = from;
  while (i > 0 && skip(chars[i - 1]!)) i--;
  while (i > 0 && !skip(chars[i - 1]!)) i--;
  return i;
}

function forward(chars: readonly string[], from: number, skip: (c: string) => boolean): number {
  let i = from;
  while (i < chars.length && skip(chars[i]!)) i++;
  while (i < chars.length && !skip(chars[i]!)) i++;
  return i;
}

const notWord = (c: string) => !isWordChar(c);

/** The field after `action`. `submit` leaves it as it is (the component hands the value on). */
export function edit(field: Field, action: FieldAction): Field {
  const chars = Array.from(field.value);
  const at = Math.max(0, Math.min(field.cursor, chars.length));
  const cut = (from: number, to: number): Field => ({ value: [...chars.slice(0, from), ...chars.slice(to)].join(''), cursor: from });
  const move = (cursor: number): Field => (cursor === field.cursor ? field : { value: field.value, cursor });
  switch (action.type) {
    case 'insert': {
      const text = Array.from(action.text).filter(isText);
      if (!text.length) return field;
      return { value: [...chars.slice(0, at), ...text, ...chars.slice(at)].join(''), cursor: at + text.length };
    }
    case 'backspace':
      return at > 0 ? cut(at - 1, at) : field;
    case 'delete':
      return at < chars.length ? cut(at, at + 1) : field;
    case 'left':
      return move(Math.max(0, at - 1));
    case 'right':
      return move(Math.min(chars.length, at + 1));
    case 'word-left':
      return move(back(chars, at, notWord));
    case 'word-right':
      return move(forward(chars, at, notWord));
    case 'home':
      return move(0);
    case 'end':
      return move(chars.length);
    case 'delete-to-start':
      return at > 0 ? cut(0, at) : field;
    case 'delete-to-end':
      return at < chars.length ? cut(at, chars.length) : field;
    case 'delete-word': {
      const from = back(chars, at, isSpace);
      return from < at ? cut(from, at) : field;
    }
    case 'delete-alnum-word': {
      const from = back(chars, at, notWord);
      return from < at ? cut(from, at) : field;
    }
    case 'submit':
      return field;
  }
}

/** A field holding `value` with the cursor at its end. */
export function fieldOf(value: string): Field {
  return { value, cursor: Array.from(value).length };
}
