/**
 * The live checks: a spinner for each running check, with its title or what it last said it is waiting for
 * (a 'progress' event). A finished check's row is printed once, above the live screen, by <Printed> (Ink's
 * <Static>), so finished rows stay put.
 */
import { Spinner } from '@inkjs/ui';
import { Box, Static, Text } from 'ink';
import { useBack } from './use-back.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { badge } from '../report/text.js';
import type { CheckRow, Printed as PrintedItem } from '../wizard/state.js';
import { KeyHints, QUIT } from './KeyHints.js';
import { quotedId, truncate } from '../report/layout.js';
import { useScreen } from './context.js';

export interface ChecksStepProps {
  rows: CheckRow[];
  isActive: boolean;
  onBack(): void;
}

export function ChecksStep({ rows, isActive, onBack }: ChecksStepProps) {
  const { width } = useScreen();
  useBack(onBack, isActive);
  const running = rows.filter((r) => !r.finding);
  return (
    <Box flexDirection="column">
      {rows.length === 0 ? <Spinner label="Starting the checks..." /> : null}
      {running.map((r) => (
        <Spinner key={r.id} label={truncate(`${r.id}  ${r.progress ?? r.title}`, width - 3)} />
      ))}
      <Box marginTop={1}>
        <KeyHints hints={[['Esc', 'back (the checks only read)'], QUIT]} />
      </Box>
    </Box>
  );
}

/** Each run's title and its finished checks, printed once and kept. Always mounted. */
export function Printed({ items }: { items: PrintedItem[] }) {
  const { width, paint } = useScreen();
  return (
    <Static items={items}>
      {(item) =>
        item.kind === 'title' ? (
          <Box key={item.key} marginTop={1}>
            <Text bold>
              {truncate(`${item.secretId !== undefined ? `Checks for ${quotedId(item.secretId)}: ` : 'Checks: '}${SYMPTOM_CATALOGUE[item.symptom].label}`, width)}
            </Text>
          </Box>
        ) : (
          <Text key={item.key} wrap="truncate-end">
            {`${badge(item.finding.status, paint)} ${truncate(`${item.finding.id}  ${item.finding.summary}`, width - 9)}`}
          </Text>
        )
      }
    </Static>
  );
}
