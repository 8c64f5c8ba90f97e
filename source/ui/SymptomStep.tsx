/** Which error do you see? The five symptoms and "not sure", in the words the user saw. */
import { useMemo } from 'react';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { SYMPTOMS, type SymptomId } from '../types.js';
import { ChoiceStep } from './ChoiceStep.js';
import { QUIT, type Hint } from './KeyHints.js';
import { wrap } from '../report/layout.js';
import { useScreen } from './context.js';

export interface SymptomStepProps {
  /** The answer so far (from --symptom or an earlier pass): focused, so Enter keeps it; the order stays. */
  current?: SymptomId | undefined;
  position: string;
  isActive: boolean;
  onChoose(symptom: SymptomId): void;
}

const TITLE = 'Which error do you see?';
const HINTS: Hint[] = [['↑↓', 'move'], ['Enter', 'choose'], QUIT];

export function SymptomStep({ current, position, isActive, onChoose }: SymptomStepProps) {
  const { width } = useScreen();
  // Wrapped here, not by Ink, so that a long label's second line lines up under its first.
  const options = useMemo(() => SYMPTOMS.map((id) => ({ value: id, label: wrap(SYMPTOM_CATALOGUE[id].label, width - 4).join('\n') })), [width]);
  return <ChoiceStep title={TITLE} position={position} hints={HINTS} options={options} current={current} isActive={isActive} onChoose={onChoose} />;
}
