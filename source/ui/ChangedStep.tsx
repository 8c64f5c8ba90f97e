/** changes-not-visible: what was changed? The value, the resource policy, the key policy or metadata. */
import { Select } from '@inkjs/ui';
import { useBack } from './use-back.js';
import { useMemo } from 'react';
import { changedChoices } from '../wizard/choices.js';
import type { Changed } from '../wizard/state.js';
import { BACK, QUIT } from './KeyHints.js';
import { StepFrame } from './StepFrame.js';

export interface ChangedStepProps {
  /** The answer so far (--changed or an earlier pass): listed first, so Enter keeps it. */
  current?: Changed | undefined;
  position: string;
  isActive: boolean;
  onChoose(changed: Changed): void;
  onBack(): void;
}

export function ChangedStep({ current, position, isActive, onChoose, onBack }: ChangedStepProps) {
  const options = useMemo(() => changedChoices(current), [current]);
  useBack(onBack, isActive);
  return (
    <StepFrame title="What did you change?" position={position} hints={[['↑↓', 'move'], ['Enter', 'choose'], BACK, QUIT]}>
      <Select options={options} visibleOptionCount={options.length} isDisabled={!isActive} onChange={(value) => onChoose(value as Changed)} />
    </StepFrame>
  );
}
