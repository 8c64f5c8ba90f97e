/**
 * Terminal input split into keys, one per key pressed. A terminal's read can hold several keys (typed fast,
 * a paste, `tmux send-keys` with several keys): Ink 6 splits a read only at escape sequences, so `\x7f\x7f\x7f`
 * (three Backspaces), `\x03\x03` (Ctrl-C twice) or `\r\x03` (Enter, Ctrl-C) reach its handlers as one
 * unrecognised key, which a text field then inserted as text and every other screen dropped (issue 14,
 * item 4). Here every control character is a key of its own, every escape sequence is one key, and every
 * other character (a code point) is a key. Framework-free.
 */

const ESC = '\u001b';

/** Whether `key` is text to insert: a printable character (no C0 or C1 control, no DEL, no escape sequence). */
export function isText(key: string): boolean {
  if (key === '') return false;
  const code = key.codePointAt(0)!;
  return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f);
}

/** Where the escape sequence `ESC [ ...` or `ESC O x` starting at `at` ends; 'pending' when the input ends first. */
function sequenceEnd(input: string, at: number): number | 'pending' | undefined {
  const kind = input[at + 1];
  if (kind === undefined) return 'pending';
  if (kind === 'O') {
    const final = input.charCodeAt(at + 2);
    if (Number.isNaN(final)) return 'pending';
    return final >= 0x40 && final <= 0x7e ? at + 3 : undefined;
  }
  if (kind !== '[') return undefined;
  let i = at + 2;
  // Legacy function keys (the Linux console's F1-F5): ESC [ [ A.
  if (input[i] === '[') i++;
  for (; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code >= 0x20 && code <= 0x3f) continue; // parameter and intermediate bytes
    return code >= 0x40 && code <= 0x7e ? i + 1 : undefined;
  }
  return 'pending';
}

/** Where the key that starts with ESC at `at` ends. */
function escapeEnd(input: string, at: number): number | 'pending' {
  const next = input[at + 1];
  if (next === undefined) return 'pending'; // Esc alone, or the start of a sequence still on its way
  if (next === ESC) {
    // ESC ESC [ A is Alt with ↑ in some terminals; otherwise the first ESC is an Escape of its own.
    if (at + 2 >= input.length) return 'pending';
    const end = sequenceEnd(input, at + 1);
    if (end === 'pending') return 'pending';
    return end ?? at + 1;
  }
  const end = sequenceEnd(input, at);
  if (end === 'pending') return 'pending';
  if (end !== undefined) return end;
  // Alt with a key: ESC and one character (a code point).
  return at + 1 + (input.codePointAt(at + 1)! > 0xffff ? 2 : 1);
}

/** `input` as keys, and what is left over at its end: the start of an escape sequence, or a lone Escape. */
export function splitKeys(input: string): { keys: string[]; pending: string } {
  const keys: string[] = [];
  let i = 0;
  while (i < input.length) {
    if (input[i] !== ESC) {
      const end = i + (input.codePointAt(i)! > 0xffff ? 2 : 1);
      keys.push(input.slice(i, end));
      i = end;
      continue;
    }
    const end = escapeEnd(input, i);
    if (end === 'pending') return { keys, pending: input.slice(i) };
    keys.push(input.slice(i, end));
    i = end;
  }
  return { keys, pending: '' };
}

/**
 * Splits a stream of reads into keys. An escape sequence can be cut between two reads, so the end of a
 * read that may be one is kept until the next read, or until `flush()` (called when no more input came
 * at once: then it was the Esc key).
 */
export class KeySplitter {
  private pending = '';

  push(chunk: string): string[] {
    const { keys, pending } = splitKeys(this.pending + chunk);
    this.pending = pending;
    return keys;
  }

  get hasPending(): boolean {
    return this.pending !== '';
  }

  /** What was left over, as keys: each Escape on its own, or the unfinished sequence as one key. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    if (rest === '') return [];
    return /^\u001b+$/.test(rest) ? [...rest] : [rest];
  }
}

/**
 * Keys in order, with consecutive text characters joined into one key: the text of one read (a paste, or
 * letters typed faster than the reads) goes on as one, as Ink has it (key-stream.ts says why).
 */
export function joinText(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const last = out.length - 1;
    if (isText(key) && last >= 0 && isText(out[last]!)) out[last] += key;
    else out.push(key);
  }
  return out;
}
