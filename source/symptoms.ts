/** The catalogue: each symptom's question text and the checks it runs (SPEC.md, "Symptoms" and "Checks"). */
import { CHECK_IDS, type CheckId, type SymptomId } from './types.js';

export interface Symptom {
  id: SymptomId;
  /** What the user sees, in their words. */
  label: string;
  checks: CheckId[];
}

const IM: CheckId[] = [
  'credentials',
  'secret-id',
  'secret-exists',
  'caller-permission',
  'secret-policy-caller',
  'org-policies',
  'secret-policy-incident-manager',
  'kms-key-customer-managed',
  'kms-key-usable',
  'kms-policy-incident-manager',
  'kms-policy-caller',
  'secret-value-format',
  'service-health',
];

/** Checks whose problems matter only to Incident Manager: under not-sure they warn instead of failing. */
export const INCIDENT_MANAGER_ONLY = new Set<CheckId>([
  'secret-policy-incident-manager',
  'kms-key-customer-managed',
  'kms-policy-incident-manager',
  'secret-value-format',
]);

export const SYMPTOM_CATALOGUE: Record<SymptomId, Symptom> = {
  'incident-manager-secret': {
    id: 'incident-manager-secret',
    label: 'ValidationException – We were unable to validate the AWS Secrets Manager secret',
    checks: IM,
  },
  'access-denied': {
    id: 'access-denied',
    label: '"access denied" when sending a request to AWS Secrets Manager',
    checks: ['credentials', 'clock-skew', 'secret-id', 'secret-exists', 'caller-permission', 'secret-policy-caller', 'org-policies', 'kms-key-usable', 'kms-policy-caller', 'policy-conditions', 'service-health'],
  },
  'access-denied-temporary-credentials': {
    id: 'access-denied-temporary-credentials',
    label: '"access denied" when sending a request with temporary security credentials',
    checks: ['credentials', 'clock-skew', 'temporary-credentials', 'secret-id', 'secret-exists', 'caller-permission', 'secret-policy-caller', 'org-policies', 'policy-conditions', 'service-health'],
  },
  'changes-not-visible': {
    id: 'changes-not-visible',
    label: "changes I make aren't always immediately visible",
    checks: ['credentials', 'secret-id', 'secret-exists', 'propagation', 'service-health'],
  },
  'asymmetric-kms-key': {
    id: 'asymmetric-kms-key',
    label: '"cannot generate a data key with an asymmetric CMK" when creating a secret',
    checks: ['credentials', 'kms-key-usable', 'kms-key-symmetric', 'service-health'],
  },
  'not-sure': {
    id: 'not-sure',
    label: 'not sure: run every check that the given inputs allow',
    checks: [...CHECK_IDS],
  },
};

/** The checks a run performs, in table order: the symptom's. service-health is always last. */
export function checksFor(symptom: SymptomId): CheckId[] {
  return SYMPTOM_CATALOGUE[symptom].checks;
}
