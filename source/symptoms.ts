/** The catalogue: each symptom's question text and the checks it runs (SPEC.md, "Symptoms" and "Checks"). */
import { CHECK_IDS, type CheckId, type SymptomId } from './types.js';

export interface Symptom {
  id: SymptomId;
  /** What the user sees, in their words. */
  label: string;
  checks: CheckId[];
}

/** SPEC.md's columns: IM, AD, TC, CV and AK. */
type Column = Exclude<SymptomId, 'not-sure'>;
const ALL: Column[] = ['incident-manager-secret', 'access-denied', 'access-denied-temporary-credentials', 'changes-not-visible', 'asymmetric-kms-key'];
const IM: Column = 'incident-manager-secret';
const AD: Column = 'access-denied';
const TC: Column = 'access-denied-temporary-credentials';
const CV: Column = 'changes-not-visible';
const AK: Column = 'asymmetric-kms-key';

/** SPEC.md's check table, row by row: the symptoms each check runs for (not-sure runs every row). */
const RUNS_FOR: Record<CheckId, Column[]> = {
  'aws-authorization': [AD, TC],
  'denied-request': [AD, TC],
  credentials: ALL,
  'clock-skew': [AD, TC],
  'temporary-credentials': [TC],
  'secret-id': [IM, AD, TC, CV],
  'secret-exists': [IM, AD, TC, CV],
  'caller-permission': [IM, AD, TC],
  'secret-policy-caller': [IM, AD, TC],
  'org-policies': [IM, AD, TC],
  'secret-policy-incident-manager': [IM],
  'kms-key-customer-managed': [IM],
  'kms-key-usable': [IM, AD, AK],
  'kms-key-symmetric': [AK],
  'kms-policy-incident-manager': [IM],
  'kms-policy-caller': [IM, AD],
  'secret-value-format': [IM],
  'policy-conditions': [AD, TC],
  propagation: [CV],
  'service-health': ALL,
};

/** Checks whose problems matter only to Incident Manager: under not-sure they warn instead of failing. */
export const INCIDENT_MANAGER_ONLY = new Set<CheckId>(CHECK_IDS.filter((id) => RUNS_FOR[id].length === 1 && RUNS_FOR[id][0] === IM));

const LABELS: Record<SymptomId, string> = {
  'incident-manager-secret': 'ValidationException – We were unable to validate the AWS Secrets Manager secret',
  'access-denied': '"access denied" when sending a request to AWS Secrets Manager',
  'access-denied-temporary-credentials': '"access denied" when sending a request with temporary security credentials',
  'changes-not-visible': "changes I make aren't always immediately visible",
  'asymmetric-kms-key': '"cannot generate a data key with an asymmetric CMK" when creating a secret',
  'not-sure': 'not sure: run every check that the given inputs allow',
};

export const SYMPTOM_CATALOGUE = Object.fromEntries(
  (Object.keys(LABELS) as SymptomId[]).map((id) => [
    id,
    { id, label: LABELS[id], checks: id === 'not-sure' ? [...CHECK_IDS] : CHECK_IDS.filter((check) => RUNS_FOR[check].includes(id)) },
  ]),
) as Record<SymptomId, Symptom>;

/** The checks a run performs, in table order: the symptom's. service-health is always last. */
export function checksFor(symptom: SymptomId): CheckId[] {
  return SYMPTOM_CATALOGUE[symptom].checks;
}
