/**
 * The Region's KMS key IDs (ListKeys) and aliases by key (ListAliases), a bounded number of pages each:
 * shared by the facts (kms-key-symmetric's choices) and the wizard's key list. Read-only.
 */
import type { KMSClient } from '@aws-sdk/client-kms';

const MAX_PAGES = 10;

export async function listKeyIds(client: KMSClient): Promise<{ ids: string[]; truncated: boolean }> {
  const { ListKeysCommand } = await import('@aws-sdk/client-kms');
  const ids: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const out = await client.send(new ListKeysCommand({ Limit: 1000, ...(marker ? { Marker: marker } : {}) }));
    ids.push(...(out.Keys ?? []).map((k) => k.KeyId ?? '').filter(Boolean));
    marker = out.Truncated ? out.NextMarker : undefined;
  } while (marker && ++pages < MAX_PAGES);
  return { ids, truncated: Boolean(marker) };
}

/** Alias names by target key ID. */
export async function aliasesByKey(client: KMSClient): Promise<Map<string, string[]>> {
  const { ListAliasesCommand } = await import('@aws-sdk/client-kms');
  const byKey = new Map<string, string[]>();
  let marker: string | undefined;
  let pages = 0;
  do {
    const out = await client.send(new ListAliasesCommand({ Limit: 100, ...(marker ? { Marker: marker } : {}) }));
    for (const alias of out.Aliases ?? []) {
      if (!alias.TargetKeyId || !alias.AliasName) continue;
      byKey.set(alias.TargetKeyId, [...(byKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
    }
    marker = out.Truncated ? out.NextMarker : undefined;
  } while (marker && ++pages < MAX_PAGES);
  return byKey;
}

/** An AWS managed key: one with an alias/aws/... alias. Such keys are never described. */
export function isAwsManagedByAlias(aliases: string[] | undefined): boolean {
  return (aliases ?? []).some((a) => a.startsWith('alias/aws/'));
}
