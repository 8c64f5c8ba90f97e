/**
 * access-denied, optional: the error message the user got, pasted. Enter on nothing skips. What the message
 * says (who, which action, which resource, which policy type) is shown as it is typed, so a person sees
 * what the checks will take from it.
 */
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { useMemo, useState } from 'react';
import { messageLines } from './choices.js';
import { BACK, QUIT } from './KeyHints.js';
import { StepFrame } from './StepFrame.js';
import { wrap } from './text.js';
import { useScreen } from './context.js';
import { TextField } from './TextField.js';

export interface ErrorMessageStepProps {
  /** The message so far (--error-message or an earlier pass). */
  current?: string | undefined;
  /** The operation chosen in the step before, `secretsmanager:Name`. */
  action?: string | undefined;
  position: string;
  isActive: boolean;
  onSubmit(text: string): void;
  onBack(): void;
}

export function ErrorMessageStep({ current, action, position, isActive, onSubmit, onBack }: ErrorMessageStepProps) {
  const { width } = useScreen();
  const [text, setText] = useState(current ?? '');
  const lines = useMemo(() => messageLines(text, action).flatMap((l) => wrap(l, width, '  ')), [text, action, width]);
  useBack(onBack, isActive);
  return (
    <StepFrame
      title="Paste the error message you got (optional)"
      position={position}
      hints={[['type or paste', 'the message'], ['Enter', text.trim() ? 'confirm' : 'skip'], BACK, QUIT]}
    >
      {wrap('The message names who was denied, on which resource, and which type of policy said no: the checks use what you did not choose.', width).map((l, i) => (
        <Text key={i} dimColor>
          {l}
        </Text>
      ))}
      <Box marginTop={1} width={width}>
        <Box marginRight={1} flexShrink={0}>
          <Text>Message:</Text>
        </Box>
        {/* A long message wraps within the screen's width. */}
        <Box flexShrink={1}>
          <TextField defaultValue={current ?? ''} isDisabled={!isActive} onChange={setText} onSubmit={onSubmit} placeholder="(Enter to skip)" />
        </Box>
      </Box>
      {lines.length ? (
        <Box marginTop={1} flexDirection="column">
          {lines.map((l, i) => (
            <Text key={i} dimColor>
              {l}
            </Text>
          ))}
        </Box>
      ) : null}
    </StepFrame>
  );
}
