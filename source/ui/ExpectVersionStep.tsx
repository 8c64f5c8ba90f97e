/** changes-not-visible, a changed value, optional: the version ID that should now be AWSCURRENT. */
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { useState } from 'react';
import { BACK, QUIT } from './KeyHints.js';
import { StepFrame } from './StepFrame.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';
import { TextField } from './TextField.js';

export interface ExpectVersionStepProps {
  /** The answer so far (--expect-version-id or an earlier pass). */
  current?: string | undefined;
  position: string;
  isActive: boolean;
  onSubmit(versionId: string): void;
  onBack(): void;
}

export function ExpectVersionStep({ current, position, isActive, onSubmit, onBack }: ExpectVersionStepProps) {
  const { width } = useScreen();
  const [text, setText] = useState(current ?? '');
  useBack(onBack, isActive);
  return (
    <StepFrame
      title="Which version should be AWSCURRENT now? (optional)"
      position={position}
      hints={[['type', 'the version ID'], ['Enter', text.trim() ? 'confirm' : 'skip'], BACK, QUIT]}
    >
      {wrap(
        'The VersionId that PutSecretValue or UpdateSecret returned. Without one, the checks read until two reads agree (they cannot tell whether those show your change).',
        width,
      ).map((l, i) => (
        <Text key={i} dimColor>
          {l}
        </Text>
      ))}
      <Box marginTop={1}>
        <Text>Version ID: </Text>
        <TextField defaultValue={current ?? ''} isDisabled={!isActive} onChange={setText} onSubmit={onSubmit} placeholder="(Enter to skip)" />
      </Box>
    </StepFrame>
  );
}
