/**
 * access-denied, optional: the error message the user got, pasted. Enter on nothing skips. What the message
 * says (who, which action, which resource, which policy type) is shown as it is typed, so a person sees
 * what the checks will take from it.
 */
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { useMemo, useState } from 'react';
import { messageLines } from '../wizard/choices.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';
import { frameRows, StepFrame } from './StepFrame.js';
import { columns, truncate, wrap } from '../report/layout.js';
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

const TITLE = 'Paste the error message you got (optional)';

export function ErrorMessageStep({ current, action, position, isActive, onSubmit, onBack }: ErrorMessageStepProps) {
  const { width, height } = useScreen();
  const [text, setText] = useState(current ?? '');
  const lines = useMemo(() => messageLines(text, action).flatMap((l) => wrap(l, width, '  ')), [text, action, width]);
  useBack(onBack, isActive);
  const hints: Hint[] = [['type or paste', 'the message'], ['Enter', text.trim() ? 'confirm' : 'skip'], BACK, QUIT];
  const intro = wrap('The message names who was denied, on which resource, and which type of policy said no: the checks use what you did not choose.', width);
  // What was understood, in the rows the rest leaves (the message wraps in the columns after "Message: ").
  const messageRows = Math.max(1, Math.ceil(columns(text) / Math.max(1, width - 10)));
  const room = height - 1 - frameRows(TITLE, position, hints, width) - intro.length - 1 - messageRows - 1;
  const shown = lines.length > room ? [...lines.slice(0, Math.max(0, room - 1)), truncate(lines.slice(Math.max(0, room - 1)).join(' '), width)] : lines;
  return (
    <StepFrame title={TITLE} position={position} hints={hints}>
      {intro.map((l, i) => (
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
      {shown.length ? (
        <Box marginTop={1} flexDirection="column">
          {shown.map((l, i) => (
            <Text key={i} dimColor>
              {l}
            </Text>
          ))}
        </Box>
      ) : null}
    </StepFrame>
  );
}
