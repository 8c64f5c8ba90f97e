/** access-denied: which operation was denied? Secrets Manager's operations, filtered as you type. */
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { useMemo, useState } from 'react';
import { actionChoices, SECRETS_MANAGER_ACTIONS } from '../wizard/choices.js';
import { ChoiceList } from './ChoiceList.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { useScreen } from './context.js';
import { TextField } from './TextField.js';

export interface ActionStepProps {
  /** The answer so far (--action or an earlier pass), `secretsmanager:Name`: focused, so Enter keeps it. */
  current?: string | undefined;
  position: string;
  isActive: boolean;
  onChoose(action: string): void;
  onBack(): void;
}

const TITLE = 'Which operation was denied?';
const HINTS: Hint[] = [['type', 'to filter'], ['↑↓ PgUp PgDn', 'move'], ['Enter', 'choose'], BACK, QUIT];
/** The operations in their list's order; one the list does not know (given with --action) first. */
const rank = (value: string) => (SECRETS_MANAGER_ACTIONS as readonly string[]).indexOf(value.replace(/^secretsmanager:/, ''));

export function ActionStep({ current, position, isActive, onChoose, onBack }: ActionStepProps) {
  const { width, height } = useScreen();
  const [term, setTerm] = useState('');
  const options = useMemo(
    () =>
      actionChoices(term, current)
        .sort((a, b) => rank(a.value) - rank(b.value))
        .map(({ value, label }) => ({ value, label })),
    [term, current],
  );
  useBack(onBack, isActive);
  // Below the frame: the input line and a gap.
  const rows = Math.min(10, height - 1 - frameRows(TITLE, position, HINTS, width) - 2);
  return (
    <StepFrame title={TITLE} position={position} hints={HINTS}>
      <Box>
        <Text>Operation: secretsmanager:</Text>
        <TextField isDisabled={!isActive} onChange={setTerm} placeholder="GetSecretValue" />
      </Box>
      <Box marginTop={1} flexDirection="column">
        {options.length ? (
          <ChoiceList options={options} focus={current} rows={rows} highlight={term.trim() || undefined} isActive={isActive} onChoose={onChoose} />
        ) : (
          <Text dimColor>No Secrets Manager operation matches: type part of its name, such as Get or Policy.</Text>
        )}
      </Box>
    </StepFrame>
  );
}
