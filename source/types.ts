/** The vocabulary shared by the engine and its front-ends; ids are SPEC.md's ids. */

export const STATUSES = ['pass', 'fail', 'warn', 'unknown', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

export const SYMPTOMS = [
  'incident-manager-secret',
  'access-denied',
  'access-denied-temporary-credentials',
  'changes-not-visible',
  'asymmetric-kms-key',
  'not-sure',
] as const;
export type SymptomId = (typeof SYMPTOMS)[number];

/** Every check, in SPEC.md's table order (the order findings are reported in). */
export const CHECK_IDS = [
  'aws-authorization',
  'denied-request',
  'credentials',
  'clock-skew',
  'temporary-credentials',
  'secret-id',
  'secret-exists',
  'caller-permission',
  'secret-policy-caller',
  'org-policies',
  'secret-policy-incident-manager',
  'kms-key-customer-managed',
  'kms-key-usable',
  'kms-key-symmetric',
  'kms-policy-incident-manager',
  'kms-policy-caller',
  'secret-value-format',
  'policy-conditions',
  'propagation',
  'service-health',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type FixId = 'secret-policy' | 'key-policy' | 'restore-secret';

export interface Finding {
  id: CheckId;
  title: string;
  status: Status;
  summary: string;
  details: string[];
  evidence: Record<string, unknown>;
  remediation: string;
  fix?: FixId;
}

/** What the user asked: flags in `diagnose`, answers in the wizard. */
export interface Inputs {
  symptom: SymptomId;
  /** Exactly as typed; never trimmed here. */
  secretId?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  /** Whose permissions to evaluate; the caller when absent. */
  principal?: string | undefined;
  /** A profile with credentials in the principal's account, to read its identity policies there. */
  principalProfile?: string | undefined;
  /** The operation that was denied (access-denied). @default secretsmanager:GetSecretValue */
  action?: string | undefined;
  /** Consent to read the secret value for `secret-value-format`. */
  readValue?: boolean | undefined;
  /** access-denied: the error message the user got, to take principal, action and resource from. */
  errorMessage?: string | undefined;
  /** IAM Access Troubleshooter's authorization ID of the refused request (else the error message's). */
  authorizationId?: string | undefined;
  /** denied-request: how far back CloudTrail is searched, in milliseconds. @default 24 hours */
  sinceMs?: number | undefined;
  /** changes-not-visible: what was changed. */
  changed?: 'value' | 'resource-policy' | 'key-policy' | 'metadata' | undefined;
  /** changes-not-visible: the expected document (resource-policy, key-policy, metadata), already read from --expect. */
  expect?: string | undefined;
  expectVersionId?: string | undefined;
  /**
   * incident-manager-secret: the response plan's ARN (--response-plan, or response-plan discovery). Incident
   * Manager's requests carry it as aws:SourceArn; without it that key is unobservable.
   */
  responsePlanArn?: string | undefined;
  /** asymmetric-kms-key: the key given to CreateSecret. */
  kmsKeyId?: string | undefined;
  /** How long propagation may poll, in milliseconds. @default 60000 */
  waitMs?: number | undefined;
  /** Per attempt, in milliseconds. @default 10000 */
  timeoutMs?: number | undefined;
}

export const IM_PRINCIPAL = 'ssm-incidents.amazonaws.com';
