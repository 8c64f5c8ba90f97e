/** The change as a line diff of the pretty-printed JSON documents, coloured when asked. */
import { diffLines } from 'diff';
import { documentValue } from './document.js';
import type { Paint } from '../report/text.js';
import { visible } from '../visible.js';

function pretty(text: string | null): string {
  if (text === null) return '';
  const value = documentValue(text);
  return `${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`;
}

/** `+` added lines, `-` removed lines, two spaces for context. */
export function documentDiff(before: string | null, after: string | null, paint: Paint): string {
  const out: string[] = [];
  for (const part of diffLines(pretty(before), pretty(after))) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const line of lines) {
      // Policy text from outside: a Sid's escape sequence is shown, never sent to the terminal.
      if (part.added) out.push(paint('green', `+ ${visible(line)}`));
      else if (part.removed) out.push(paint('red', `- ${visible(line)}`));
      else out.push(`  ${visible(line)}`);
    }
  }
  return out.join('\n');
}
