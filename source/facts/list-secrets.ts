/** Every secret in a Region, page by page (ListSecrets), as ARNs: the source of `--all-secrets`. */
import type { AwsSession } from '../aws/session.js';

export async function* listSecretArns(session: AwsSession, region: string): AsyncGenerator<string> {
  const { ListSecretsCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = await session.secretsManager(region);
  let token: string | undefined;
  do {
    const page = await client.send(new ListSecretsCommand({ MaxResults: 100, IncludePlannedDeletion: true, ...(token ? { NextToken: token } : {}) }));
    for (const secret of page.SecretList ?? []) if (secret.ARN) yield secret.ARN;
    token = page.NextToken;
  } while (token);
}
