/**
 * The caller's account's IAM roles and users (ListRoles, ListUsers), page by page up to a cap: the
 * wizard's principal list. Read-only.
 */
import type { IAMClient } from '@aws-sdk/client-iam';

export interface PrincipalEntry {
  kind: 'role' | 'user';
  name: string;
  arn: string;
  /** `/` or `/some/path/`. */
  path: string;
}

export interface ListedEntities {
  entries: PrincipalEntry[];
  /** More exist than the cap. */
  truncated: boolean;
}

/** ListRoles or ListUsers, every page (`pageSize` a page) until `cap` entries; sorted by name. */
export async function listIamEntities(client: IAMClient, kind: 'role' | 'user', options: { cap: number; pageSize: number }): Promise<ListedEntities> {
  const iam = await import('@aws-sdk/client-iam');
  const entries: PrincipalEntry[] = [];
  let marker: string | undefined;
  let truncated = false;
  do {
    const page = { MaxItems: Math.min(options.pageSize, 1000), ...(marker ? { Marker: marker } : {}) };
    const out = kind === 'role' ? await client.send(new iam.ListRolesCommand(page)) : await client.send(new iam.ListUsersCommand(page));
    const items: { RoleName?: string; UserName?: string; Arn?: string; Path?: string }[] = ('Roles' in out ? out.Roles : out.Users) ?? [];
    for (const item of items) {
      const name = item.RoleName ?? item.UserName;
      if (!name || !item.Arn) continue;
      if (entries.length >= options.cap) {
        truncated = true;
        break;
      }
      entries.push({ kind, name, arn: item.Arn, path: item.Path ?? '/' });
    }
    marker = out.IsTruncated ? out.Marker : undefined;
    if (marker && entries.length >= options.cap) truncated = true;
  } while (marker && !truncated);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return { entries, truncated };
}
