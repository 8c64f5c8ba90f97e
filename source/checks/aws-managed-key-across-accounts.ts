/**
 * A principal of another account can never use the AWS managed key aws/secretsmanager of the secret's
 * account: its key policy allows use only with `kms:CallerAccount` equal to the key's own account, and the
 * policy of an AWS managed key cannot be changed. Secrets Manager User Guide, "Permissions for users in a
 * different account" (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html):
 * "you can't use the AWS managed key (aws/secretsmanager) for cross-account access"; AWS's own error says
 * "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS
 * service key." (AWS re:Post knowledge center, secrets-manager-cross-account-key).
 */
import type { Principal } from '../facts/index.js';
import { outcome, needSecret, type CheckContext, type Outcome } from './common.js';
import { shellQuote } from '../shell.js';

/**
 * `fail` when the principal is in another account than the secret, the secret uses the AWS managed key and
 * the operation needs the key (`kmsActions` not empty); otherwise undefined. Never describes the key.
 */
export async function awsManagedKeyAcrossAccounts(ctx: CheckContext, p: Principal, kmsActions: string[]): Promise<Outcome | undefined> {
  if (!kmsActions.length) return undefined;
  const secret = await needSecret(ctx);
  if ('outcome' in secret) return undefined;
  const secretArn = secret.value.description.ARN ?? '';
  const secretAccount = secretArn.split(':')[4] ?? '';
  if (!p.account || !secretAccount || p.account === secretAccount) return undefined;
  const key = await ctx.facts.key();
  if (!key.ok || key.value.managedBy !== 'aws') return undefined;
  const name = p.given;
  return outcome(
    'fail',
    `${name} is in account ${p.account}, and the secret is encrypted with the AWS managed key aws/secretsmanager of account ${secretAccount}, which no other account can use.`,
    {
      details: [
        `AWS: "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key." The key's policy allows ${kmsActions.join(' and ')} only to callers of account ${secretAccount} (kms:CallerAccount), and the policy of an AWS managed key cannot be changed.`,
        `${key.value.reason}.`,
      ],
      evidence: { kmsKey: 'aws/secretsmanager', principalAccount: p.account, secretAccount, kmsActions },
      remediation:
        `In account ${secretAccount}, create a symmetric customer managed key whose key policy allows ${p.arn} (or account ${p.account}) ${kmsActions.join(' and ')}, ` +
        `then switch the secret to it: \`aws secretsmanager update-secret --secret-id ${shellQuote(secretArn)} --kms-key-id KEY_ARN\`. ` +
        'Secrets Manager re-encrypts the AWSCURRENT, AWSPENDING and AWSPREVIOUS versions with the new key when it may decrypt them with the old one and encrypt with the new one; a value put after the change (`aws secretsmanager put-secret-value`) is encrypted with the new key in any case.',
    },
  );
}
