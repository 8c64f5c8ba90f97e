/** The secret step's choices for a filter, shared by both front-ends. No Ink. */
import type { ResponsePlanListing, SecretListing } from '../facts/discovery.js';
import { quotedId, truncate } from '../report/layout.js';

export interface SecretChoice {
  value: string;
  label: string;
  secretId: string;
}

/** The choices for a filter: response-plan secrets first, then the account's, then the text as typed. */
export function secretChoices(term: string, secrets: SecretListing | undefined, plans: ResponsePlanListing | undefined, width: number): SecretChoice[] {
  const needle = term.trim().toLowerCase();
  const matches = (...texts: string[]) => !needle || texts.some((t) => t.toLowerCase().includes(needle));
  const choices: SecretChoice[] = [];
  const usedBy = new Map<string, string[]>();
  for (const ref of plans?.references ?? []) usedBy.set(ref.secretId, [...(usedBy.get(ref.secretId) ?? []), ref.planName]);
  const room = width - 4;
  for (const [secretId, planNames] of usedBy) {
    const known = (secrets?.secrets ?? []).find((s) => s.name === secretId || s.arn === secretId);
    if (!matches(secretId, ...planNames, ...(known ? [known.name] : []))) continue;
    choices.push({ value: `plan:${secretId}`, secretId, label: truncate(`${secretId}  (response plan ${planNames.map((n) => `"${n}"`).join(', ')})`, room) });
  }
  for (const s of secrets?.secrets ?? []) {
    if (usedBy.has(s.name) || usedBy.has(s.arn) || !matches(s.name, s.arn)) continue;
    const notes = [s.deletedDate ? 'scheduled for deletion' : '', s.primaryRegion ? `replica of ${s.primaryRegion}` : ''].filter(Boolean);
    choices.push({ value: `secret:${s.name}`, secretId: s.name, label: truncate(`${s.name}${notes.length ? `  (${notes.join(', ')})` : ''}`, room) });
  }
  // An exact match comes first: Enter on a pre-filled name picks it.
  choices.sort((a, b) => Number(b.secretId === term) - Number(a.secretId === term));
  if (term !== '' && !choices.some((c) => c.secretId === term)) {
    choices.push({ value: 'typed', secretId: term, label: truncate(`Use ${quotedId(term)} exactly as typed`, room) });
  }
  return choices;
}

export interface ManyChoice {
  value: 'many:all' | 'many:plans';
  label: string;
  source: 'all' | 'plans';
  secretIds: string[];
}

/**
 * "All N secrets in REGION" and (where response plans use some) "All secrets that response plans use":
 * offered while nothing is typed, above the single secrets.
 */
export function manyChoices(term: string, secrets: SecretListing | undefined, plans: ResponsePlanListing | undefined, width: number): ManyChoice[] {
  if (term !== '') return [];
  const room = width - 4;
  const choices: ManyChoice[] = [];
  const planIds = [...new Set((plans?.references ?? []).map((r) => r.secretId))];
  if (planIds.length) {
    choices.push({
      value: 'many:plans',
      source: 'plans',
      secretIds: planIds,
      label: truncate(`All secrets that response plans use (${planIds.length} in ${plans!.region})`, room),
    });
  }
  if (secrets && secrets.secrets.length > 1) {
    const n = secrets.secrets.length;
    choices.push({
      value: 'many:all',
      source: 'all',
      secretIds: secrets.secrets.map((s) => s.name),
      label: truncate(secrets.truncated ? `All secrets in ${secrets.region} (the first ${n} listed)` : `All ${n} secrets in ${secrets.region}`, room),
    });
  }
  return choices;
}
