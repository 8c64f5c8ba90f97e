/**
 * asymmetric-kms-key: which KMS key was given to CreateSecret? The Region's keys (aliases, spec, ID), filtered
 * as you type; a key ID, alias or ARN can also be typed as it is.
 */
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { useEnterWhenListed } from './use-enter-when-listed.js';
import { useMemo, useState } from 'react';
import type { KmsKeyListing } from '../facts/discovery.js';
import { kmsKeyChoices } from '../wizard/choices.js';
import type { Lookup } from '../wizard/state.js';
import { ChoiceList } from './ChoiceList.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { truncate, wrap } from '../report/layout.js';
import { useScreen } from './context.js';
import { TextField } from './TextField.js';

export interface KmsKeyStepProps {
  keys: Lookup<KmsKeyListing>;
  /** The answer so far (--kms-key-id or an earlier pass): the filter starts with it. */
  current?: string | undefined;
  position: string;
  isActive: boolean;
  onChoose(kmsKeyId: string): void;
  onBack(): void;
}

const TITLE = 'Which KMS key did you give CreateSecret?';
const HINTS: Hint[] = [['type', 'to filter'], ['↑↓ PgUp PgDn', 'move'], ['Enter', 'choose'], BACK, QUIT];

export function KmsKeyStep({ keys, current, position, isActive, onChoose, onBack }: KmsKeyStepProps) {
  const { width, height } = useScreen();
  const [term, setTerm] = useState(current ?? '');
  const listing = keys.state === 'done' && keys.result.available ? keys.result.value : undefined;
  const choices = useMemo(() => kmsKeyChoices(term, listing, current, width), [term, listing, current, width]);
  const options = useMemo(() => choices.map(({ value, label }) => ({ value, label })), [choices]);
  // Enter on the text as typed, before the Region's keys are in, waits for them (use-enter-when-listed.ts).
  const loading = keys.state === 'loading';
  const enter = useEnterWhenListed(loading, isActive, () => {
    const first = options[0];
    if (first) onChoose(first.value);
  });
  const choose = (value: string) => {
    if (loading && choices.find((c) => c.value === value)?.typed) enter.wait();
    else onChoose(value);
  };
  const edited = (value: string) => {
    setTerm(value);
    enter.cancel();
  };
  useBack(onBack, isActive);
  const listed = choices.filter((c) => !c.typed).length;
  // Under the list: what was listed, or why not (wrapped here, so that the list knows the rows left).
  const note =
    keys.state === 'loading'
      ? undefined
      : keys.result.available
        ? [
            truncate(
              `${listed} of ${keys.result.value.keys.length}${keys.result.value.truncated ? '+' : ''} keys in ${keys.result.value.region} match${
                keys.result.value.awsManaged ? ` (AWS managed keys not listed)` : ''
              }.`,
              width,
            ),
          ]
        : wrap(`The list of keys is not available (${keys.result.reason}): type the key ID, alias or ARN.`, width);
  // Below the frame: the input line, the gaps above and below the list, and the lines under it.
  const rows = Math.min(10, height - 1 - frameRows(TITLE, position, HINTS, width) - 3 - (note?.length ?? 1));
  return (
    <StepFrame title={TITLE} position={position} hints={HINTS}>
      <Box>
        <Text>Key: </Text>
        <TextField defaultValue={current ?? ''} isDisabled={!isActive} onChange={edited} placeholder="key ID, alias/name or ARN" />
      </Box>
      <Box marginTop={1} flexDirection="column">
        {options.length ? (
          <ChoiceList options={options} rows={rows} highlight={term.trim() || undefined} isActive={isActive} onChoose={choose} />
        ) : (
          <Text dimColor>Type a key ID, alias (alias/...) or key ARN.</Text>
        )}
      </Box>
      <Box marginTop={1} flexDirection="column">
        {enter.waiting ? <Text color="yellow">{truncate('Enter: the first match is chosen once the list is in (typing cancels).', width)}</Text> : null}
        {note ? (
          note.map((line, i) => (
            <Text key={i} dimColor>
              {line}
            </Text>
          ))
        ) : (
          <Spinner label="Listing the KMS keys of the Region..." />
        )}
      </Box>
    </StepFrame>
  );
}
