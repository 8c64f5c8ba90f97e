/**
 * The report: the headline, what to do first, then the problems with their evidence; scrollable when long.
 * `s` saves it as Markdown (the path is shown here and printed again on leaving).
 */
import { Box, Text, useInput } from 'ink';
import { useMemo } from 'react';
import type { Diagnosis } from '../diagnose.js';
import type { FixId } from '../types.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { ScrollView } from './ScrollView.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { reportLines } from '../wizard/text.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';
import { visible } from '../visible.js';
import type { WizardState } from '../wizard/state.js';
import type { RerunInputs } from '../report/model.js';

export interface ReportStepProps {
  diagnosis?: Diagnosis | undefined;
  /** Why there is no diagnosis. */
  failure?: string | undefined;
  /** The fixes that will be offered next. */
  fixes: FixId[];
  /** Opened from the many-secrets list: Esc goes back to it, and no fix is offered. @default false */
  fromList?: boolean;
  /** The answers a report names beyond the diagnosis (the denied operation...). */
  extra?: RerunInputs;
  /** The report saved as Markdown: where, or why not. */
  saved?: WizardState['saved'];
  isActive: boolean;
  onContinue(): void;
  onBack(): void;
  onLeave(): void;
  onSave(): void;
}

export function ReportStep({ diagnosis, failure, fixes, fromList = false, extra, saved, isActive, onContinue, onBack, onLeave, onSave }: ReportStepProps) {
  const { width, height, paint } = useScreen();
  const fixesFollow = !fromList && fixes.length > 0;
  const lines = useMemo(
    () =>
      diagnosis
        ? reportLines(diagnosis, width, paint, { ...extra, fixesFollow })
        : wrap(`The checks could not run: ${failure ?? 'no reason given'}`, width, '  '),
    [diagnosis, failure, width, paint, fixesFollow, extra],
  );
  const savedLine = saved
    ? saved.state === 'saving'
      ? 'Saving the report...'
      : saved.state === 'done'
        ? `Report saved as Markdown: ${saved.path}`
        : `The report could not be saved: ${saved.message}`
    : undefined;
  useInput(
    (input, key) => {
      if (key.escape) onBack();
      else if (key.return && diagnosis && !fromList) onContinue();
      else if (input === 'q') onLeave();
      else if (input === 's' && diagnosis) onSave();
    },
    { isActive },
  );
  const noFix = Boolean(diagnosis && !fixes.length && diagnosis.summary.fail > 0) || fromList;
  const next: Hint = fixes.length ? ['Enter', `review ${fixes.length === 1 ? 'the fix' : `${fixes.length} fixes`}`] : ['Enter', 'finish'];
  // One line at 80 columns (the scroll position line names PgUp and PgDn).
  const save: Hint[] = diagnosis ? [['s', 'save']] : [];
  const hints: Hint[] = fromList
    ? [['↑↓', 'scroll'], ['Esc', 'back to the list'], ...save, ['q', 'quit'], QUIT]
    : [['↑↓', 'scroll'], ...(diagnosis ? [next] : []), BACK, ...save, ['q', 'quit'], QUIT];
  return (
    <StepFrame title="Report" hints={hints}>
      {/* The rows the frame leaves, less the scroll position, the note under it and the saved report's line. */}
      <ScrollView
        lines={lines}
        height={height - 1 - frameRows('Report', undefined, hints, width) - 1 - (noFix ? 2 : 0) - (savedLine ? 2 : 0)}
        isActive={isActive}
      />
      {savedLine ? (
        <Box marginTop={1}>
          {/* A path is copied whole: it may wrap, never cut. */}
          <Text color={saved?.state === 'failed' ? 'red' : 'green'}>{visible(savedLine)}</Text>
        </Box>
      ) : null}
      {noFix ? (
        <Box marginTop={1}>
          <Text dimColor wrap="truncate-end">
            {fromList
              ? 'Fixes are offered for one secret at a time: choose it alone in the secret step.'
              : 'No fix can be applied from here: see "What to do first" above.'}
          </Text>
        </Box>
      ) : null}
    </StepFrame>
  );
}
