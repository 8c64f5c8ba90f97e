/**
 * The live checks: a spinner for each running check, with its title or what it last said it is waiting for
 * (a 'progress' event). A finished check's row is printed once, above the live screen, by <Printed> (Ink's
 * <Static>), so finished rows stay put.
 */
import { Spinner } from '@inkjs/ui';
import { Box, Static, Text } from 'ink';
import { useBack } from './use-back.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import type { Paint } from '../report/paint.js';
import { badge } from '../report/text.js';
import type { CheckRow, Printed as PrintedItem } from '../wizard/state.js';
import { hintRows, KeyHints, QUIT, type Hint } from './KeyHints.js';
import { quotedId, truncate } from '../report/layout.js';
import { useScreen } from './context.js';

export interface ChecksStepProps {
  rows: CheckRow[];
  isActive: boolean;
  onBack(): void;
}

const HINTS: Hint[] = [['Esc', 'back (the checks only read)'], QUIT];

export function ChecksStep({ rows, isActive, onBack }: ChecksStepProps) {
  const { width, height } = useScreen();
  useBack(onBack, isActive);
  const running = rows.filter((r) => !r.finding);
  // A spinner each, in the rows the keys leave (and the last row); past that, how many more run.
  const room = Math.max(2, height - 1 - 1 - hintRows(HINTS, width));
  const shown = running.length > room ? running.slice(0, room - 1) : running;
  return (
    <Box flexDirection="column">
      {rows.length === 0 ? <Spinner label="Starting the checks..." /> : null}
      {shown.map((r) => (
        <Spinner key={r.id} label={truncate(`${r.id}  ${r.progress ?? r.title}`, width - 3)} />
      ))}
      {shown.length < running.length ? <Text dimColor>{`  and ${running.length - shown.length} more checks running...`}</Text> : null}
      <Box marginTop={1}>
        <KeyHints hints={HINTS} />
      </Box>
    </Box>
  );
}

/** One kept row as shown: a run's title (bold), or a finished check's status, id and summary. */
export function printedRow(item: PrintedItem, width: number, paint: Paint): string {
  if (item.kind === 'title') {
    return paint(
      'bold',
      truncate(`${item.secretId !== undefined ? `Checks for ${quotedId(item.secretId)}: ` : 'Checks: '}${SYMPTOM_CATALOGUE[item.symptom].label}`, width),
    );
  }
  return `${badge(item.finding.status, paint)} ${truncate(`${item.finding.id}  ${item.finding.summary}`, width - 9)}`;
}

/** The kept rows as text, as <Printed> shows them (a blank line above each title): to print them again. */
export function printedText(items: readonly PrintedItem[], width: number, paint: Paint): string {
  return items.map((item) => `${item.kind === 'title' ? '\n' : ''}${printedRow(item, width, paint)}\n`).join('');
}

/** Each run's title and its finished checks, printed once and kept. Always mounted. */
export function Printed({ items }: { items: PrintedItem[] }) {
  const { width, paint } = useScreen();
  return (
    <Static items={items}>
      {(item) =>
        item.kind === 'title' ? (
          <Box key={item.key} marginTop={1}>
            <Text>{printedRow(item, width, paint)}</Text>
          </Box>
        ) : (
          <Text key={item.key} wrap="truncate-end">
            {printedRow(item, width, paint)}
          </Text>
        )
      }
    </Static>
  );
}
