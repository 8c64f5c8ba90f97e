/** A wizard screen: its title, its body, and the keys line. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { hintRows, KeyHints, type Hint } from './KeyHints.js';
import { wrap } from '../report/layout.js';

export interface StepFrameProps {
  title: string;
  /** e.g. "step 2 of 4" for the questions; absent for later screens. */
  position?: string | undefined;
  hints: readonly Hint[];
  children?: ReactNode;
}

/** The title line as shown: the title, then the position, dimmed. */
function heading(title: string, position: string | undefined): string {
  return position ? `${title}  ${position}` : title;
}

/**
 * Rows the frame itself takes at `width`: the title (wrapped), the gaps around the body, the keys. A view
 * gives its body what is left of the terminal's height, less one row: a live area as tall as the terminal
 * makes Ink clear the screen and print the kept rows again, and the top of the screen scrolls away.
 */
export function frameRows(title: string, position: string | undefined, hints: readonly Hint[], width: number): number {
  return wrap(heading(title, position), width).length + 2 + hintRows(hints, width);
}

export function StepFrame({ title, position, hints, children }: StepFrameProps) {
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{title}</Text>
        {position ? <Text dimColor>{`  ${position}`}</Text> : null}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {children}
      </Box>
      <Box marginTop={1}>
        <KeyHints hints={hints} />
      </Box>
    </Box>
  );
}
