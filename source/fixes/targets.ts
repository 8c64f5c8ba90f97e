/**
 * What a fix may change, behind one interface: read fresh (never memoised: the protocol re-reads on
 * purpose), write, and say how to undo. The documents (a secret's resource policy, a key policy) also
 * validate remotely where AWS offers it; a secret's scheduled deletion (restore-secret) is a state whose
 * value is its DeletedDate.
 */
import type { AwsSession } from '../aws/session.js';
import { classify, sentence } from '../aws/errors.js';
import type { DocumentKind } from './document.js';
import { shellQuote } from '../shell.js';

export type RemoteValidation = { available: true; passed: boolean; messages: string[] } | { available: false; reason: string };

export type ChangeKind = DocumentKind | 'secret-deletion';

export interface ChangeTarget {
  kind: ChangeKind;
  arn: string;
  region: string;
  /** e.g. `the resource policy of secret prod/pd`. */
  label: string;
  /** What a person knows it by: the secret's name, the key's ARN. */
  name: string;
  /** The state now: a document's text (null: there is none), a secret's DeletedDate (null: none scheduled). */
  read(): Promise<string | null>;
  /** Makes `state` the state: null deletes a secret policy, or cancels a scheduled deletion. */
  write(state: string | null): Promise<void>;
  /** The command that undoes the change, given the backup it took (documents only). */
  undoCommand(backupFile: string | undefined): string;
}

export interface DocumentTarget extends ChangeTarget {
  kind: DocumentKind;
  validateRemote(text: string): Promise<RemoteValidation>;
  undoCommand(backupFile: string): string;
  /** The AWS CLI route to change the document by hand, for documents a fix must not rewrite. */
  manualRoute(): string;
}

export function isDocument(target: ChangeTarget): target is DocumentTarget {
  return target.kind !== 'secret-deletion';
}

export function secretPolicyTarget(session: AwsSession, secretArn: string, region: string, name: string): DocumentTarget {
  const client = () => session.secretsManager(region);
  return {
    kind: 'secret-policy',
    arn: secretArn,
    region,
    label: `the resource policy of secret ${name}`,
    name,
    async read() {
      const { GetResourcePolicyCommand } = await import('@aws-sdk/client-secrets-manager');
      const out = await (await client()).send(new GetResourcePolicyCommand({ SecretId: secretArn }));
      return out.ResourcePolicy ?? null;
    },
    async write(text) {
      const sm = await import('@aws-sdk/client-secrets-manager');
      if (text === null) await (await client()).send(new sm.DeleteResourcePolicyCommand({ SecretId: secretArn }));
      else await (await client()).send(new sm.PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: text, BlockPublicPolicy: true }));
    },
    async validateRemote(text) {
      const { ValidateResourcePolicyCommand } = await import('@aws-sdk/client-secrets-manager');
      try {
        const out = await (await client()).send(new ValidateResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: text }));
        return {
          available: true,
          passed: out.PolicyValidationPassed !== false,
          messages: (out.ValidationErrors ?? []).map((e) => `${e.CheckName ?? 'check'}: ${e.ErrorMessage ?? ''}`.trim()),
        };
      } catch (error) {
        return { available: false, reason: sentence(classify(error)) };
      }
    },
    undoCommand(backupFile) {
      return `secrets-doctor restore-policy --secret-id ${shellQuote(secretArn)} --region ${region} --from ${shellQuote(backupFile)}`;
    },
    manualRoute() {
      const id = `--secret-id ${shellQuote(secretArn)} --region ${region}`;
      return `\`aws secretsmanager get-resource-policy ${id} --query ResourcePolicy --output text > policy.json\`, edit policy.json, then \`aws secretsmanager put-resource-policy ${id} --resource-policy file://policy.json --block-public-policy\``;
    },
  };
}

export function keyPolicyTarget(session: AwsSession, keyArn: string, region: string): DocumentTarget {
  const client = () => session.kms(region);
  return {
    kind: 'key-policy',
    arn: keyArn,
    region,
    label: `the key policy of ${keyArn}`,
    name: keyArn,
    async read() {
      const { GetKeyPolicyCommand } = await import('@aws-sdk/client-kms');
      const out = await (await client()).send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
      return out.Policy ?? null;
    },
    async write(text) {
      if (text === null) throw new Error('A KMS key always has a key policy: it cannot be deleted.');
      const { PutKeyPolicyCommand } = await import('@aws-sdk/client-kms');
      await (await client()).send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: text }));
    },
    async validateRemote() {
      return { available: false, reason: 'KMS has no policy validation call; PutKeyPolicy checks that the policy does not lock you out.' };
    },
    undoCommand(backupFile) {
      return `secrets-doctor restore-policy --kms-key-id ${shellQuote(keyArn)} --region ${region} --from ${shellQuote(backupFile)}`;
    },
    manualRoute() {
      const id = `--key-id ${keyArn} --policy-name default --region ${region}`;
      return `\`aws kms get-key-policy ${id} --query Policy --output text > policy.json\`, edit policy.json, then \`aws kms put-key-policy ${id} --policy file://policy.json\``;
    },
  };
}

/**
 * Days from `now` to `deletedDate` (DescribeSecret's "date the secret is scheduled for deletion"), within
 * the 7 to 30 that DeleteSecret accepts: deleting again with this window schedules the deletion for about
 * the same date (no earlier than 7 days on).
 */
export function recoveryWindowDays(deletedDate: Date, now = Date.now()): number {
  return Math.min(30, Math.max(7, Math.round((deletedDate.getTime() - now) / 86_400_000)));
}

/**
 * A secret's scheduled deletion, for restore-secret: its state is the DeletedDate (ISO 8601), and writing
 * null (RestoreSecret) cancels it. Nothing is lost by cancelling, so there is no backup; the undo deletes
 * the secret again with the recovery window that was left.
 */
export function deletionTarget(session: AwsSession, secretArn: string, region: string, name: string, deletedDate: Date): ChangeTarget {
  const client = () => session.secretsManager(region);
  return {
    kind: 'secret-deletion',
    arn: secretArn,
    region,
    label: `the scheduled deletion of secret ${name}`,
    name,
    async read() {
      const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
      const out = await (await client()).send(new DescribeSecretCommand({ SecretId: secretArn }));
      return out.DeletedDate?.toISOString() ?? null;
    },
    async write(state) {
      if (state !== null) throw new Error('A fix never schedules a deletion: only RestoreSecret, which cancels one, is written.');
      const { RestoreSecretCommand } = await import('@aws-sdk/client-secrets-manager');
      await (await client()).send(new RestoreSecretCommand({ SecretId: secretArn }));
    },
    undoCommand() {
      return `aws secretsmanager delete-secret --secret-id ${shellQuote(secretArn)} --region ${region} --recovery-window-in-days ${recoveryWindowDays(deletedDate)}`;
    },
  };
}
