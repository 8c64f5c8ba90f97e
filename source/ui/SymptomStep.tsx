/** Which error do you see? The five symptoms and "not sure", in the words the user saw. */
import { Select } from '@inkjs/ui';
import { useMemo } from 'react';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { SYMPTOMS, type SymptomId } from '../types.js';
import { StepFrame } from './StepFrame.js';
import { QUIT } from './KeyHints.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';

export interface SymptomStepProps {
  /** The answer so far (from --symptom or an earlier pass): listed first, so Enter keeps it. */
  current?: SymptomId | undefined;
  position: string;
  isActive: boolean;
  onChoose(symptom: SymptomId): void;
}

export function SymptomStep({ current, position, isActive, onChoose }: SymptomStepProps) {
  const { width } = useScreen();
  const options = useMemo(() => {
    const ids = current ? [current, ...SYMPTOMS.filter((id) => id !== current)] : [...SYMPTOMS];
    // Wrapped here, not by Ink, so that a long label's second line lines up under its first.
    return ids.map((id) => ({ value: id, label: wrap(SYMPTOM_CATALOGUE[id].label, width - 4).join('\n') }));
  }, [current, width]);
  return (
    <StepFrame
      title="Which error do you see?"
      position={position}
      hints={[['↑↓', 'move'], ['Enter', 'choose'], QUIT]}
    >
      <Select options={options} visibleOptionCount={options.length} isDisabled={!isActive} onChange={(value) => onChoose(value as SymptomId)} />
    </StepFrame>
  );
}
