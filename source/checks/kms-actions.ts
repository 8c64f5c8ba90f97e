/**
 * Which KMS permissions each Secrets Manager operation needs on the secret's customer managed key, through
 * Secrets Manager. Sources: the Secrets Manager User Guide, "Secret encryption and decryption"
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html, sections "How
 * Secrets Manager uses your KMS key" and "Validating access to the KMS key"), and each operation's
 * "Required permissions" in the Secrets Manager API Reference
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_<Operation>.html).
 */
import { SECRETS_MANAGER_ACTIONS } from '../operations.js';

type Operation = (typeof SECRETS_MANAGER_ACTIONS)[number];

export interface KmsNeed {
  /** The KMS actions the caller must be allowed on the secret's key (none: the operation never uses the key). */
  actions: ('kms:Decrypt' | 'kms:GenerateDataKey')[];
  /** Why, from the documentation. */
  why: string;
}

const NONE = (why: string): KmsNeed => ({ actions: [], why });

/** One row per operation of SECRETS_MANAGER_ACTIONS (a test holds the two lists equal). */
export const KMS_NEEDS: Record<Operation, KmsNeed> = {
  // "GetSecretValue – Secrets Manager decrypts the secret value before returning it to the caller."
  GetSecretValue: { actions: ['kms:Decrypt'], why: 'it decrypts the value (KMS Decrypt)' },
  // API reference: "If the secrets are encrypted using customer-managed keys ... you also need kms:Decrypt".
  BatchGetSecretValue: { actions: ['kms:Decrypt'], why: 'it decrypts each value (KMS Decrypt)' },
  // "PutSecretValue – Secrets Manager requests a new data key to encrypt the specified secret value."
  PutSecretValue: { actions: ['kms:GenerateDataKey'], why: 'it encrypts the new value under a new data key (KMS GenerateDataKey)' },
  // "UpdateSecret – If you change the secret value or the KMS key, Secrets Manager requests a new data key";
  // a change of key is validated with GenerateDataKey and Decrypt. A metadata-only update uses no key.
  UpdateSecret: {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    why: 'with a new value or key it generates a data key (KMS GenerateDataKey) and a new key is validated with KMS Decrypt; a description-only update needs neither',
  },
  // "CreateSecret – If the new secret includes a secret value, Secrets Manager requests a new data key";
  // establishing the key is validated with GenerateDataKey and Decrypt (SecretVersionId RequestToValidateKeyAccess).
  CreateSecret: {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    why: 'it encrypts the first value (KMS GenerateDataKey) and validates the key (KMS Decrypt)',
  },
  // API reference: "If the primary secret is encrypted with a KMS key other than aws/secretsmanager, you also
  // need kms:Decrypt permission to the key" (the replica's own key is in another Region).
  ReplicateSecretToRegions: { actions: ['kms:Decrypt'], why: 'it decrypts the primary value to encrypt the replica (KMS Decrypt)' },
  // "The RotateSecret operation does not call GenerateDataKey ... the Lambda function ... PutSecretValue":
  // the rotation function's role, not the caller, uses the key.
  RotateSecret: NONE('the rotation function, not the caller, writes the new value'),
  // Metadata, policy and listing operations never touch the encrypted value.
  DescribeSecret: NONE('it reads metadata only'),
  GetResourcePolicy: NONE('it reads the resource policy only'),
  PutResourcePolicy: NONE('it writes the resource policy only'),
  DeleteResourcePolicy: NONE('it deletes the resource policy only'),
  ValidateResourcePolicy: NONE('it validates a policy document only'),
  ListSecrets: NONE('it lists metadata only'),
  ListSecretVersionIds: NONE('it lists version metadata only'),
  DeleteSecret: NONE('it schedules deletion; no value is decrypted'),
  RestoreSecret: NONE('it cancels deletion; no value is decrypted'),
  CancelRotateSecret: NONE('it changes rotation settings only'),
  TagResource: NONE('it changes tags only'),
  UntagResource: NONE('it changes tags only'),
  GetRandomPassword: NONE('it uses no secret'),
  RemoveRegionsFromReplication: NONE('it deletes replicas; no value is decrypted'),
  StopReplicationToReplica: NONE('it promotes a replica; no value is decrypted'),
  UpdateSecretVersionStage: NONE('it moves staging labels only'),
};

/** The row of `secretsmanager:Operation` (any case), or undefined for an operation not in the list. */
export function kmsNeedOf(action: string): KmsNeed | undefined {
  const [service, name] = action.split(':');
  if (service?.toLowerCase() !== 'secretsmanager' || !name) return undefined;
  const op = SECRETS_MANAGER_ACTIONS.find((o) => o.toLowerCase() === name.toLowerCase());
  return op ? KMS_NEEDS[op] : undefined;
}
