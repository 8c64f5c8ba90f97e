/**
 * Many secrets, checked: the list, worst first, each with its fail / warn / unknown counts. Enter opens a
 * secret's report (Esc there comes back here). No fix is offered from here: fixes are a single-secret flow.
 */
import { Text, useInput } from 'ink';
import { useMemo } from 'react';
import type { ManyState } from '../wizard/state.js';
import { ChoiceList } from './ChoiceList.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { countColumns, manyRow } from '../wizard/choices.js';
import { summaryLine } from '../wizard/text.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';

export interface ManyListStepProps {
  many: ManyState;
  isActive: boolean;
  onOpen(index: number): void;
  onBack(): void;
  onLeave(): void;
}

const HINTS: Hint[] = [['↑↓ PgUp PgDn', 'move'], ['Enter', 'open its report'], BACK, ['q', 'quit'], QUIT];
const NOTE = 'No fix is offered from this list: to fix a secret, go back (Esc) and choose it alone in the secret step.';

export function ManyListStep({ many, isActive, onOpen, onBack, onLeave }: ManyListStepProps) {
  const { width, height, paint } = useScreen();
  const rows = many.results;
  useInput(
    (input, key) => {
      if (key.escape) onBack();
      else if (input === 'q') onLeave();
    },
    { isActive },
  );
  const total = { pass: 0, fail: 0, warn: 0, unknown: 0, skip: 0 };
  for (const d of rows) for (const s of Object.keys(total) as (keyof typeof total)[]) total[s] += d.summary[s];
  const failing = rows.filter((d) => d.summary.fail > 0).length;
  const options = useMemo(() => {
    // One set of count columns for the whole list, so that they line up whatever the numbers.
    const digits = countColumns(rows);
    return rows.map((d, index) => {
      const row = manyRow(d, width - 2, digits);
      const colour = d.summary.fail ? 'red' : d.summary.warn || d.summary.unknown ? 'yellow' : 'green';
      return { value: String(index), label: row, painted: paint(colour, row) };
    });
  }, [rows, width, paint]);
  const title = `${rows.length} secrets checked, worst first`;
  // The counts in colour where they fit on a line; wrapped without colour where they do not.
  const counts = `${failing} with failures · checks: `;
  const countLines = wrap(`${counts}${summaryLine(total, (_style, text) => text)}`, width);
  const failure = many.failure ? wrap(`Stopped before the end: ${many.failure}`, width) : [];
  const note = wrap(NOTE, width);
  // Below the frame: the counts, the failure, the gaps around the list, the note.
  const room = height - 1 - frameRows(title, undefined, HINTS, width) - countLines.length - failure.length - 2 - note.length;
  return (
    <StepFrame title={title} hints={HINTS}>
      {countLines.length === 1 ? <Text>{counts + summaryLine(total, paint)}</Text> : countLines.map((line, i) => <Text key={i}>{line}</Text>)}
      {failure.map((line, i) => (
        <Text key={i} color="red">
          {line}
        </Text>
      ))}
      <Text> </Text>
      <ChoiceList
        options={options}
        focus={String(many.focus)}
        rows={Math.max(3, room)}
        isActive={isActive && rows.length > 0}
        onChoose={(value) => onOpen(Number(value))}
      />
      <Text> </Text>
      {note.map((line, i) => (
        <Text key={i} dimColor>
          {line}
        </Text>
      ))}
    </StepFrame>
  );
}
