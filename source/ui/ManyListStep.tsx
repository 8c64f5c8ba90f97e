/**
 * Many secrets, checked: the list, worst first, each with its fail / warn / unknown counts. Enter opens a
 * secret's report (Esc there comes back here). No fix is offered from here: fixes are a single-secret flow.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { ManyState } from '../wizard/state.js';
import { BACK, QUIT } from './KeyHints.js';
import { StepFrame } from './StepFrame.js';
import { manyRow } from '../wizard/choices.js';
import { summaryLine } from '../wizard/text.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';
import { visible } from '../visible.js';

export interface ManyListStepProps {
  many: ManyState;
  isActive: boolean;
  onOpen(index: number): void;
  onBack(): void;
  onLeave(): void;
}

/** Rows around the list: title, gap, counts, gap, (the list), position, gap, note, gap, keys, a spare. */
const CHROME = 11;

export function ManyListStep({ many, isActive, onOpen, onBack, onLeave }: ManyListStepProps) {
  const { width, height, paint } = useScreen();
  const rows = many.results;
  const [focus, setFocus] = useState(Math.min(many.focus, Math.max(0, rows.length - 1)));
  const window = Math.max(3, height - CHROME - (many.failure ? 2 : 0));
  const [top, setTop] = useState(Math.max(0, focus - window + 1));
  const move = (to: number) => {
    const next = Math.min(Math.max(0, to), Math.max(0, rows.length - 1));
    setFocus(next);
    if (next < top) setTop(next);
    else if (next >= top + window) setTop(next - window + 1);
  };
  useInput(
    (input, key) => {
      if (key.escape) onBack();
      else if (input === 'q') onLeave();
      else if (key.return && rows.length) onOpen(focus);
      else if (key.upArrow) move(focus - 1);
      else if (key.downArrow) move(focus + 1);
      else if (key.pageUp) move(focus - (window - 1));
      else if (key.pageDown) move(focus + (window - 1));
      else if (key.home) move(0);
      else if (key.end) move(rows.length - 1);
    },
    { isActive },
  );
  const total = { pass: 0, fail: 0, warn: 0, unknown: 0, skip: 0 };
  for (const d of rows) for (const s of Object.keys(total) as (keyof typeof total)[]) total[s] += d.summary[s];
  const failing = rows.filter((d) => d.summary.fail > 0).length;
  return (
    <StepFrame
      title={`${rows.length} secrets checked, worst first`}
      hints={[['↑↓ PgUp PgDn', 'move'], ['Enter', 'open its report'], BACK, ['q', 'quit'], QUIT]}
    >
      <Text>{`${failing} with failures · checks: ${summaryLine(total, paint)}`}</Text>
      {many.failure ? (
        <Text color="red" wrap="wrap">{`Stopped before the end: ${visible(many.failure)}`}</Text>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {rows.slice(top, top + window).map((d, i) => {
          const index = top + i;
          const focused = index === focus;
          const row = manyRow(d, width - 2);
          const colour = d.summary.fail ? 'red' : d.summary.warn || d.summary.unknown ? 'yellow' : 'green';
          return (
            <Text key={`${index}:${d.input.secretId}`} wrap="truncate-end" color={focused ? 'blue' : undefined}>
              {focused ? '❯ ' : '  '}
              {focused ? row : paint(colour, row)}
            </Text>
          );
        })}
        {rows.length > window ? <Text dimColor>{`${focus + 1} of ${rows.length}`}</Text> : null}
      </Box>
      <Box marginTop={1} flexDirection="column">
        {wrap('No fix is offered from this list: to fix a secret, go back (Esc) and choose it alone in the secret step.', width).map((l, i) => (
          <Text key={i} dimColor>
            {l}
          </Text>
        ))}
      </Box>
    </StepFrame>
  );
}
