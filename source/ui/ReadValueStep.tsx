/** Consent to read the secret value for secret-value-format: the read is logged in CloudTrail. Default no. */
import { ConfirmInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useBack } from './use-back.js';
import { BACK, QUIT } from './KeyHints.js';
import { StepFrame } from './StepFrame.js';

export interface ReadValueStepProps {
  /** The answer so far (--read-value or an earlier pass): what Enter means. */
  current: boolean;
  position: string;
  isActive: boolean;
  onAnswer(readValue: boolean): void;
  onBack(): void;
}

export function ReadValueStep({ current, position, isActive, onAnswer, onBack }: ReadValueStepProps) {
  useBack(onBack, isActive);
  return (
    <StepFrame
      title="Also check the secret value's format?"
      position={position}
      hints={[['y', 'yes'], ['n', 'no'], ['Enter', current ? 'yes' : 'no'], BACK, QUIT]}
    >
      <Text wrap="wrap">
        Incident Manager needs the value to be JSON with pagerDutyToken, pagerDutyServiceRegion and pagerDutyFromEmail. Checking that reads the value
        (GetSecretValue), and CloudTrail logs the read under your name. The value is never shown or stored.
      </Text>
      <Box marginTop={1}>
        <Text>Read the value to check its format? </Text>
        <ConfirmInput isDisabled={!isActive} defaultChoice={current ? 'confirm' : 'cancel'} onConfirm={() => onAnswer(true)} onCancel={() => onAnswer(false)} />
      </Box>
    </StepFrame>
  );
}
