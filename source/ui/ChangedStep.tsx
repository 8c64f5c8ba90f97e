/** changes-not-visible: what was changed? The value, the resource policy, the key policy or metadata. */
import { useBack } from './use-back.js';
import { useMemo } from 'react';
import { changedChoices } from '../wizard/choices.js';
import { ChoiceStep } from './ChoiceStep.js';
import type { Changed } from '../wizard/state.js';
import { BACK, QUIT, type Hint } from './KeyHints.js';

export interface ChangedStepProps {
  /** The answer so far (--changed or an earlier pass): focused, so Enter keeps it; the order stays. */
  current?: Changed | undefined;
  position: string;
  isActive: boolean;
  onChoose(changed: Changed): void;
  onBack(): void;
}

const TITLE = 'What did you change?';
const HINTS: Hint[] = [['↑↓', 'move'], ['Enter', 'choose'], BACK, QUIT];

export function ChangedStep({ current, position, isActive, onChoose, onBack }: ChangedStepProps) {
  // In their own order: the answer so far is focused, not moved.
  const options = useMemo(() => changedChoices(undefined), []);
  useBack(onBack, isActive);
  return <ChoiceStep title={TITLE} position={position} hints={HINTS} options={options} current={current} isActive={isActive} onChoose={onChoose} />;
}
