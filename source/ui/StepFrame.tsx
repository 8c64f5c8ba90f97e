/** A wizard screen: its title, its body, and the keys line. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { KeyHints, type Hint } from './KeyHints.js';

export interface StepFrameProps {
  title: string;
  /** e.g. "step 2 of 4" for the questions; absent for later screens. */
  position?: string | undefined;
  hints: readonly Hint[];
  children?: ReactNode;
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
