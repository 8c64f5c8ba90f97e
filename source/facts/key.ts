import { listKeyIds, aliasesByKey, isAwsManagedByAlias } from './kms-listing.js';
import { mapLimit } from '../concurrency.js';
import type { Facts, KeyFact, RegionKey, RegionKeys } from './index.js';
import { got, type Got } from './got.js';

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\/secretsmanager$/;

/** Caps on what one diagnosis lists and describes in a Region. */
export const MAX_LIST_PAGES = 10;
export const MAX_DESCRIBED_KEYS = 100;

/**
 * The secret's KMS key. No KmsKeyId, or the alias aws/secretsmanager, is the AWS managed key: it is
 * never described, because DescribeKey on that alias creates the key in an account that lacks it.
 */
export function key(facts: Facts): Promise<Got<KeyFact>> {
  return facts.once('key', async () => {
    const secret = await facts.secret();
    if (!secret.ok) return secret;
    const keyId = secret.value.description.KmsKeyId;
    if (!keyId) return { ok: true, value: { managedBy: 'aws', reason: 'DescribeSecret shows no KmsKeyId' } };
    if (AWS_MANAGED_ALIAS.test(keyId)) {
      return { ok: true, value: { managedBy: 'aws', reason: `KmsKeyId is ${keyId}`, keyId } };
    }
    return facts.describeKey(secret.value.region, keyId);
  }) as Promise<Got<KeyFact>>;
}

/** DescribeKey, once per key and Region in a run, whichever secret or flag names it. */
export function describeKey(facts: Facts, region: string, keyId: string): Promise<Got<KeyFact>> {
  return facts.once(`describeKey:${region}:${keyId}`, () =>
    got(async () => {
      const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
      const client = await facts.session.kms(region);
      const out = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
      const metadata = out.KeyMetadata!;
      return { managedBy: metadata.KeyManager === 'AWS' ? 'aws-reported' : 'customer', metadata, keyId } as KeyFact;
    }),
  );
}

/**
 * The key policy. GetKeyPolicy takes a key ID or ARN, not an alias: for those it starts as soon as
 * DescribeSecret names the key, alongside DescribeKey; for an alias it waits for DescribeKey.
 */
export function keyPolicy(facts: Facts): Promise<Got<string> | undefined> {
  return facts.once('keyPolicy', async () => {
    const secret = await facts.secret();
    if (!secret.ok) return secret;
    const keyId = secret.value.description.KmsKeyId;
    if (!keyId || AWS_MANAGED_ALIAS.test(keyId)) return undefined;
    let target = keyId;
    if (/alias\//.test(keyId)) {
      const key = await facts.key();
      if (!key.ok) return key;
      if (key.value.managedBy === 'aws') return undefined;
      target = key.value.metadata.Arn ?? key.value.metadata.KeyId!;
    }
    const region = secret.value.region;
    return facts.once(`getKeyPolicy:${region}:${target}`, () =>
      got(async () => {
        const { GetKeyPolicyCommand } = await import('@aws-sdk/client-kms');
        const client = await facts.session.kms(region);
        const out = await client.send(new GetKeyPolicyCommand({ KeyId: target, PolicyName: 'default' }));
        return out.Policy ?? '';
      }),
    );
  }) as Promise<Got<string> | undefined>;
}

/** Where the key named by --kms-key-id is looked up: its ARN's Region, else the selected one. */
export async function namedKeyRegion(facts: Facts): Promise<Got<string>> {
  const arn = /^arn:[^:]+:kms:([^:]+):/.exec(facts.namedKeyId ?? '');
  if (arn?.[1]) return { ok: true, value: arn[1] };
  return facts.region();
}

/**
 * DescribeKey on the key given with --kms-key-id (key ID, alias, or either's ARN); undefined without one.
 * alias/aws/secretsmanager is the AWS managed key and is never described (that call would create it).
 */
export function namedKey(facts: Facts): Promise<Got<KeyFact> | undefined> {
  return facts.once('namedKey', async () => {
    const keyId = facts.namedKeyId;
    if (!keyId) return undefined;
    if (AWS_MANAGED_ALIAS.test(keyId)) return { ok: true, value: { managedBy: 'aws', reason: `the key given is ${keyId}`, keyId } };
    // The secret's own key, named the same way: the same request, made once.
    if (facts.ref) {
      const secret = await facts.secret();
      if (secret.ok && secret.value.description.KmsKeyId === keyId) return facts.key();
    }
    const region = await facts.namedKeyRegion();
    if (!region.ok) return region;
    return facts.describeKey(region.value, keyId);
  }) as Promise<Got<KeyFact> | undefined>;
}

/**
 * The Region's KMS keys with their aliases, described (ListKeys, ListAliases, DescribeKey on each): the
 * choices `kms-key-symmetric` offers. Keys with an `alias/aws/...` alias are AWS managed and not
 * described. At most MAX_DESCRIBED_KEYS DescribeKey requests; the key named by --kms-key-id is not
 * described again.
 */
export function regionKeys(facts: Facts, region: string): Promise<Got<RegionKeys>> {
  return facts.once(`regionKeys:${region}`, () =>
    got(async () => {
      const kms = await import('@aws-sdk/client-kms');
      const client = await facts.session.kms(region);
      // Without ListAliases the keys are still listed, only without names.
      const [keys, aliases, named] = await Promise.all([listKeyIds(client), aliasesByKey(client).catch(() => new Map<string, string[]>()), facts.namedKey()]);
      const namedMetadata = named?.ok && 'metadata' in named.value ? named.value.metadata : undefined;
      const candidates = keys.ids.filter((id) => !isAwsManagedByAlias(aliases.get(id)));
      const found: RegionKey[] = [];
      let notDescribed = 0;
      await mapLimit(candidates.slice(0, MAX_DESCRIBED_KEYS), 8, async (id) => {
        if (namedMetadata?.KeyId === id && namedMetadata.Arn?.split(':')[3] === region) {
          found.push({ metadata: namedMetadata, aliases: aliases.get(id) ?? [] });
          return;
        }
        try {
          const out = await client.send(new kms.DescribeKeyCommand({ KeyId: id }));
          if (out.KeyMetadata) found.push({ metadata: out.KeyMetadata, aliases: aliases.get(id) ?? [] });
        } catch {
          notDescribed++;
        }
      });
      const label = (k: RegionKey) => k.aliases[0] ?? `~${k.metadata.KeyId}`;
      found.sort((a, b) => label(a).localeCompare(label(b)));
      return {
        region,
        keys: found,
        listed: keys.ids.length,
        notDescribed,
        truncated: keys.truncated || candidates.length > MAX_DESCRIBED_KEYS,
      };
    }),
  );
}
