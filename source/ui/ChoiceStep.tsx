/** A question answered from a short list that fills the screen: its frame, and the list in the rows it leaves. */
import { type ChoiceOption, ChoiceList } from './ChoiceList.js';
import { useScreen } from './context.js';
import type { Hint } from './KeyHints.js';
import { frameRows, StepFrame } from './StepFrame.js';

export interface ChoiceStepProps<T extends string> {
  title: string;
  position: string;
  hints: readonly Hint[];
  options: readonly ChoiceOption[];
  /** The answer so far: focused, so Enter keeps it; the order stays. */
  current?: T | undefined;
  isActive: boolean;
  onChoose(value: T): void;
}

export function ChoiceStep<T extends string>({ title, position, hints, options, current, isActive, onChoose }: ChoiceStepProps<T>) {
  const { width, height } = useScreen();
  return (
    <StepFrame title={title} position={position} hints={hints}>
      <ChoiceList
        options={options}
        focus={current}
        rows={height - 1 - frameRows(title, position, hints, width)}
        isActive={isActive}
        onChoose={(value) => onChoose(value as T)}
      />
    </StepFrame>
  );
}
