/**
 * "step 2 of 5" for the questions, which never changes while a person goes through them: the count is
 * shown only once it is settled. The first question decides the rest (the symptom), and for
 * changes-not-visible the answer to "What did you change?" decides whether the expected version is asked;
 * up to and at such a question the position is "step N" alone, and "of M" appears after it. Going back
 * shows "step N" again where the answer may still change the count. Pure; no Ink.
 */
import { CHANGED, questionsFor, questionsOf, type Question, type WizardState } from '../wizard/state.js';

/** The questions whose answer decides which questions follow, for the state's symptom. */
function deciding(state: Pick<WizardState, 'symptom' | 'changed'>): Question[] {
  if (!state.symptom) return ['symptom'];
  const counts = new Set([undefined, ...CHANGED].map((changed) => questionsFor(state.symptom, changed).join()));
  return counts.size > 1 ? ['symptom', 'changed'] : ['symptom'];
}

/** Where `question` is in the flow, as shown beside its title. */
export function stepPosition(state: Pick<WizardState, 'symptom' | 'changed'>, question: Question): string {
  const questions = questionsOf(state);
  const at = questions.indexOf(question);
  const last = Math.max(...deciding(state).map((q) => questions.indexOf(q)));
  return at > last ? `step ${at + 1} of ${questions.length}` : `step ${at + 1}`;
}
