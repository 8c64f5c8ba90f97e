/** The line at the bottom of every screen that says which keys do what. */
import { Text } from 'ink';
import { Fragment } from 'react';
import { useScreen } from './context.js';

export type Hint = readonly [key: string, action: string];

/** @param hints pairs of a key and what it does, e.g. ['Esc', 'back'] */
export function KeyHints({ hints }: { hints: readonly Hint[] }) {
  const { keysReady } = useScreen();
  if (!keysReady) return <Text> </Text>;
  return (
    <Text wrap="wrap">
      {hints.map(([key, action], i) => (
        <Fragment key={key}>
          {i > 0 ? <Text dimColor> · </Text> : null}
          <Text bold>{key}</Text>
          <Text dimColor> {action}</Text>
        </Fragment>
      ))}
    </Text>
  );
}

export const QUIT: Hint = ['Ctrl-C', 'quit'];
export const BACK: Hint = ['Esc', 'back'];
