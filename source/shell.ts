/**
 * Words for the commands the tool suggests (remediations, undo commands, the re-run command): a value
 * that a POSIX shell would split, expand or run (a space, `$`, `*`, a quote) is put in single quotes, so
 * that a command copied and pasted does what it says.
 */

/** A word for a POSIX shell: bare when it is safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
