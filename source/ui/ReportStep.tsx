/** The report: failures first, each with its evidence and what to do; scrollable when long. */
import { Box, Text, useInput } from 'ink';
import { useMemo } from 'react';
import type { Diagnosis } from '../diagnose.js';
import type { FixId } from '../types.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { ScrollView } from './ScrollView.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { reportLines, wrap } from './text.js';
import { useScreen } from './context.js';

export interface ReportStepProps {
  diagnosis?: Diagnosis | undefined;
  /** Why there is no diagnosis. */
  failure?: string | undefined;
  /** The fixes that will be offered next. */
  fixes: FixId[];
  /** Opened from the many-secrets list: Esc goes back to it, and no fix is offered. @default false */
  fromList?: boolean;
  isActive: boolean;
  onContinue(): void;
  onBack(): void;
  onLeave(): void;
}

export function ReportStep({ diagnosis, failure, fixes, fromList = false, isActive, onContinue, onBack, onLeave }: ReportStepProps) {
  const { width, height, paint } = useScreen();
  const lines = useMemo(
    () => (diagnosis ? reportLines(diagnosis, width, paint) : wrap(`The checks could not run: ${failure ?? 'no reason given'}`, width, '  ')),
    [diagnosis, failure, width, paint],
  );
  useInput(
    (input, key) => {
      if (key.escape) onBack();
      else if (key.return && diagnosis && !fromList) onContinue();
      else if (input === 'q') onLeave();
    },
    { isActive },
  );
  const noFix = Boolean(diagnosis && !fixes.length && diagnosis.summary.fail > 0) || fromList;
  const next: Hint = fixes.length ? ['Enter', `review ${fixes.length === 1 ? 'the fix' : `${fixes.length} fixes`}`] : ['Enter', 'finish'];
  const hints: Hint[] = fromList
    ? [['↑↓ PgUp PgDn', 'scroll'], ['Esc', 'back to the list (no fixes from the list)'], ['q', 'quit'], QUIT]
    : [['↑↓ PgUp PgDn', 'scroll'], ...(diagnosis ? [next] : []), BACK, ['q', 'quit'], QUIT];
  return (
    <StepFrame title="Report" hints={hints}>
      {/* The rows the frame leaves, less the scroll position and the note under it. */}
      <ScrollView lines={lines} height={height - 1 - frameRows('Report', undefined, hints, width) - 1 - (noFix ? 2 : 0)} isActive={isActive} />
      {noFix ? (
        <Box marginTop={1}>
          <Text dimColor wrap="truncate-end">
            {fromList ? 'Fixes are offered for one secret at a time: choose it alone in the secret step.' : 'No fix can be applied from here: see "What to do" above.'}
          </Text>
        </Box>
      ) : null}
    </StepFrame>
  );
}
