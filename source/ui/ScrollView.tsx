/** Pre-wrapped lines in a window of `height` rows that ↑↓, PgUp/PgDn, Home/End scroll. */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';

export interface ScrollViewProps {
  lines: readonly string[];
  /** Rows for the lines (one more is used for the position when they do not fit). */
  height: number;
  /** Whether the keys scroll this view. @default true */
  isActive?: boolean;
  /** The line shown first. @default 0 */
  initialTop?: number;
}

export function ScrollView({ lines, height, isActive = true, initialTop = 0 }: ScrollViewProps) {
  const rows = Math.max(1, height);
  const max = Math.max(0, lines.length - rows);
  // The wanted first line; what is shown is kept within the lines, so a window that grows or shrinks
  // (more progress below a diff, a resized terminal) still opens where it was asked to.
  const [wanted, setWanted] = useState(initialTop);
  const top = Math.min(Math.max(0, wanted), max);
  useInput(
    (_input, key) => {
      if (key.upArrow) setWanted(Math.max(0, top - 1));
      else if (key.downArrow) setWanted(Math.min(max, top + 1));
      else if (key.pageUp) setWanted(Math.max(0, top - (rows - 1)));
      else if (key.pageDown) setWanted(Math.min(max, top + (rows - 1)));
      else if (key.home) setWanted(0);
      else if (key.end) setWanted(max);
    },
    { isActive: isActive && max > 0 },
  );
  const shown = lines.slice(top, top + rows);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={top + i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      {max > 0 ? <Text dimColor wrap="truncate-end">{`lines ${top + 1}-${top + shown.length} of ${lines.length}: ↑↓ PgUp PgDn to scroll`}</Text> : null}
    </Box>
  );
}
