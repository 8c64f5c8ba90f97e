/** The change as a line diff of the pretty-printed JSON documents, coloured when asked. */
// (Documents that do not survive parsing are laid out from their text, not from JSON.parse's reading.)
import { diffLines } from 'diff';
import { documentValue } from './document.js';
import { jsonLoss } from '../policy/parse.js';
import type { Paint } from '../report/paint.js';
import { visible } from '../visible.js';

/**
 * JSON text laid out two spaces an indent, every token kept as written: for documents that JSON.parse
 * would change (duplicate keys, long numbers), so the diff shows what is really there.
 */
function reindent(text: string): string {
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end;
    } else if (c === '{' || c === '[') {
      depth++;
      out += c + newline();
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') out += c + newline();
    else if (c === ':') out += ': ';
    else if (!/\s/.test(c)) out += c;
  }
  return out.replace(/([[{])\n\s*([\]}])/g, '$1$2');
}

function pretty(text: string | null): string {
  if (text === null) return '';
  if (jsonLoss(text)) return `${reindent(text)}\n`;
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
