/** The operations of Secrets Manager, for the wizard's list and for reading pasted error messages. */

/**
 * Secrets Manager's operations: GetSecretValue first (the default), then the ones most often denied, then
 * the rest in alphabetical order.
 */
export const SECRETS_MANAGER_ACTIONS = [
  'GetSecretValue',
  'BatchGetSecretValue',
  'DescribeSecret',
  'PutSecretValue',
  'UpdateSecret',
  'GetResourcePolicy',
  'PutResourcePolicy',
  'ListSecrets',
  'CreateSecret',
  'DeleteSecret',
  'RestoreSecret',
  'RotateSecret',
  'TagResource',
  'CancelRotateSecret',
  'DeleteResourcePolicy',
  'GetRandomPassword',
  'ListSecretVersionIds',
  'RemoveRegionsFromReplication',
  'ReplicateSecretToRegions',
  'StopReplicationToReplica',
  'UntagResource',
  'UpdateSecretVersionStage',
  'ValidateResourcePolicy',
] as const;
