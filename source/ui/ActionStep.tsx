/** access-denied: which operation was denied? Secrets Manager's operations, filtered as you type. */
import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { useMemo, useState } from 'react';
import { actionChoices } from './choices.js';
import { BACK, QUIT } from './KeyHints.js';
import { StepFrame } from './StepFrame.js';
import { TextField } from './TextField.js';

export interface ActionStepProps {
  /** The answer so far (--action or an earlier pass), `secretsmanager:Name`: listed first, so Enter keeps it. */
  current?: string | undefined;
  position: string;
  isActive: boolean;
  onChoose(action: string): void;
  onBack(): void;
}

export function ActionStep({ current, position, isActive, onChoose, onBack }: ActionStepProps) {
  const [term, setTerm] = useState('');
  const options = useMemo(() => actionChoices(term, current).map(({ value, label }) => ({ value, label })), [term, current]);
  useBack(onBack, isActive);
  return (
    <StepFrame title="Which operation was denied?" position={position} hints={[['type', 'to filter'], ['↑↓', 'move'], ['Enter', 'choose'], BACK, QUIT]}>
      <Box>
        <Text>Operation: secretsmanager:</Text>
        <TextField isDisabled={!isActive} onChange={setTerm} placeholder="GetSecretValue" />
      </Box>
      <Box marginTop={1} flexDirection="column">
        {options.length ? (
          <Select options={options} visibleOptionCount={8} highlightText={term.trim() || undefined} isDisabled={!isActive} onChange={onChoose} />
        ) : (
          <Text dimColor>No Secrets Manager operation matches: type part of its name, such as Get or Policy.</Text>
        )}
      </Box>
    </StepFrame>
  );
}
