/** The line at the bottom of every screen that says which keys do what. */
import { Text } from 'ink';
import { Fragment } from 'react';
import { useScreen } from './context.js';
import { columns } from '../report/layout.js';

export type Hint = readonly [key: string, action: string];

const SEPARATOR = ' · ';

/**
 * The hints laid out in lines of at most `width` columns, a hint never split from its key: the layout
 * the screen shows, so that a view can count the rows its keys take (hintRows).
 */
export function hintLines(hints: readonly Hint[], width: number): Hint[][] {
  const lines: Hint[][] = [];
  let line: Hint[] = [];
  let used = 0;
  for (const hint of hints) {
    const w = columns(`${hint[0]} ${hint[1]}`);
    if (line.length && used + SEPARATOR.length + w > width) {
      lines.push(line);
      line = [];
      used = 0;
    }
    used += (line.length ? SEPARATOR.length : 0) + w;
    line.push(hint);
  }
  if (line.length) lines.push(line);
  return lines;
}

/** Rows the hints take at `width` (a hint wider than a line wraps); the same before they are shown. */
export function hintRows(hints: readonly Hint[], width: number): number {
  const widthOf = (line: Hint[]) => columns(line.map(([key, action]) => `${key} ${action}`).join(SEPARATOR));
  return Math.max(
    1,
    hintLines(hints, width).reduce((rows, line) => rows + Math.max(1, Math.ceil(widthOf(line) / Math.max(1, width))), 0),
  );
}

/** @param hints pairs of a key and what it does, e.g. ['Esc', 'back'] */
export function KeyHints({ hints }: { hints: readonly Hint[] }) {
  const { keysReady, width } = useScreen();
  const lines = hintLines(hints, width);
  // Until the keys work, the same rows, empty: the screen does not jump when they appear.
  if (!keysReady) return <Text>{Array.from({ length: hintRows(hints, width) }, () => ' ').join('\n')}</Text>;
  return (
    <Text wrap="wrap">
      {lines.map((line, l) => (
        <Fragment key={l}>
          {l > 0 ? '\n' : null}
          {line.map(([key, action], i) => (
            <Fragment key={key}>
              {i > 0 ? <Text dimColor>{SEPARATOR}</Text> : null}
              <Text bold>{key}</Text>
              <Text dimColor> {action}</Text>
            </Fragment>
          ))}
        </Fragment>
      ))}
    </Text>
  );
}

export const QUIT: Hint = ['Ctrl-C', 'quit'];
export const BACK: Hint = ['Esc', 'back'];
