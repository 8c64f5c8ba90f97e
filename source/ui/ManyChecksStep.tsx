/** Many secrets: the checks of each, with a progress bar (done / total) and how many secrets fail so far. */
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import type { ManyState } from '../wizard/state.js';
import { KeyHints, QUIT } from './KeyHints.js';
import { progressBar } from '../wizard/choices.js';
import { useScreen } from './context.js';

export interface ManyChecksStepProps {
  many: ManyState;
  /** e.g. "incident-manager-secret". */
  title: string;
  isActive: boolean;
  onBack(): void;
}

export function ManyChecksStep({ many, title, isActive, onBack }: ManyChecksStepProps) {
  const { width, paint } = useScreen();
  useBack(onBack, isActive);
  const total = many.secretIds.length;
  const counts = `${many.done} of ${total} secrets checked · ${many.failing} with failures`;
  return (
    <Box flexDirection="column">
      <Text bold>{`Checking ${total} secrets: ${title}`}</Text>
      <Box marginTop={1} flexDirection="column">
        <Text>{`${progressBar(many.done, total, Math.min(50, width - 10))} ${String(Math.round((many.done / Math.max(1, total)) * 100)).padStart(3)}%`}</Text>
        <Text>{many.failing ? `${many.done} of ${total} secrets checked · ${paint('red', `${many.failing} with failures`)}` : counts}</Text>
        <Box marginTop={1}>
          <Spinner label="Checking (one session, the account's facts read once)..." />
        </Box>
      </Box>
      <Box marginTop={1}>
        <KeyHints hints={[['Esc', 'back (the checks only read)'], QUIT]} />
      </Box>
    </Box>
  );
}
