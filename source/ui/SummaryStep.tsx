/** The end: what each fix did, its backup and undo command, and the checks run again after the fixes. */
import { Spinner } from '@inkjs/ui';
import { Box, Text, useInput } from 'ink';
import { useMemo } from 'react';
import type { Applied } from '../fixes/protocol.js';
import type { WizardState } from '../wizard/state.js';
import { hintRows, KeyHints, type Hint } from './KeyHints.js';
import { ScrollView } from './ScrollView.js';
import { afterLines, appliedLines } from '../wizard/summary.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';

export interface SummaryStepProps {
  applied: Applied[];
  after: WizardState['after'];
  isActive: boolean;
  onLeave(): void;
}

export function SummaryStep({ applied, after, isActive, onLeave }: SummaryStepProps) {
  const { width, height, paint } = useScreen();
  useInput(
    (input, key) => {
      if (key.return || input === 'q') onLeave();
    },
    { isActive },
  );
  const lines = useMemo(() => {
    const out = applied.length ? appliedLines(applied, width, paint) : ['No fix was applied.'];
    if (after?.state === 'done') out.push('', ...afterLines(after.diagnosis, width, paint));
    if (after?.state === 'failed') out.push('', ...wrap(`The checks could not run again: ${after.message}`, width, '  '));
    return out;
  }, [applied, after, width, paint]);
  const hints: Hint[] = [
    ['↑↓', 'scroll'],
    ['Enter or q', 'quit'],
  ];
  // The rows left by the title, the gaps, the keys, the scroll position and the spinner (and the last row).
  const rows = height - 1 - 1 - 2 - hintRows(hints, width) - 1 - (after?.state === 'running' ? 1 : 0);
  return (
    <Box flexDirection="column">
      <Text bold>Summary</Text>
      <Box marginTop={1} flexDirection="column">
        <ScrollView lines={lines} height={rows} isActive={isActive} />
        {after?.state === 'running' ? <Spinner label="Running the checks again..." /> : null}
      </Box>
      <Box marginTop={1}>
        <KeyHints hints={hints} />
      </Box>
    </Box>
  );
}
