/**
 * The documents a fix may change, behind one interface: read fresh (never memoised: the protocol re-reads
 * on purpose), write, validate remotely where AWS offers it, and say how to undo.
 */
import type { AwsSession } from '../aws/session.js';
import { classify, sentence } from '../aws/errors.js';
import type { DocumentKind } from './document.js';
import { shellQuote } from '../shell.js';

export type RemoteValidation =
  | { available: true; passed: boolean; messages: string[] }
  | { available: false; reason: string };

export interface DocumentTarget {
  kind: DocumentKind;
  arn: string;
  region: string;
  /** e.g. `the resource policy of secret prod/pd`. */
  label: string;
  read(): Promise<string | null>;
  /** null deletes the document (secret policies only). */
  write(text: string | null): Promise<void>;
  validateRemote(text: string): Promise<RemoteValidation>;
  undoCommand(backupFile: string): string;
  /** The AWS CLI route to change the document by hand, for documents a fix must not rewrite. */
  manualRoute(): string;
}

export function secretPolicyTarget(session: AwsSession, secretArn: string, region: string, name: string): DocumentTarget {
  const client = () => session.secretsManager(region);
  return {
    kind: 'secret-policy',
    arn: secretArn,
    region,
    label: `the resource policy of secret ${name}`,
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
