/** The secrets of a Region, page by page (ListSecrets, scheduled deletions included): the source of
 * `--all-secrets` and of the wizard's list. */
import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { AwsSession } from '../aws/session.js';

export async function* listSecretEntries(session: AwsSession, region: string): AsyncGenerator<SecretListEntry> {
  const { ListSecretsCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = await session.secretsManager(region);
  let token: string | undefined;
  do {
    const page = await client.send(new ListSecretsCommand({ MaxResults: 100, IncludePlannedDeletion: true, ...(token ? { NextToken: token } : {}) }));
    yield* page.SecretList ?? [];
    token = page.NextToken;
  } while (token);
}

export async function* listSecretArns(session: AwsSession, region: string): AsyncGenerator<string> {
  for await (const secret of listSecretEntries(session, region)) if (secret.ARN) yield secret.ARN;
}
