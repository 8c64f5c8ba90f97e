/**
 * The secret: where it is looked up, its description, its resource policy, the Regions that hold the same
 * name, its value's shape (never the value) and the repeated reads of `propagation`. Facts per secret.
 */
import { createHash } from 'node:crypto';
import { classify } from '../aws/errors.js';
import { nameFromArn } from '../secret-ref.js';
import { regionsOf } from './regions.js';
import { mapLimit } from '../concurrency.js';
import { MAX_LIST_PAGES } from './key.js';
import type { Facts, SecretFact, ValueShape, ChangeReadKind, ChangeTarget, VersionRead, ChangeRead } from './index.js';
import { got, type Got } from './got.js';

export const PAGERDUTY_KEYS = ['pagerDutyToken', 'pagerDutyServiceRegion', 'pagerDutyFromEmail'];

export function describeValue(text: string | undefined, binary: boolean): ValueShape {
  const shape: ValueShape = {
    json: false,
    binary,
    expectedKeys: [],
    otherKeyCount: 0,
    tokenPresent: false,
    regionValid: false,
    emailPlausible: false,
  };
  if (text === undefined) return shape;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return shape;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return shape;
  const obj = parsed as Record<string, unknown>;
  const keys = Object.keys(obj);
  shape.json = true;
  shape.expectedKeys = PAGERDUTY_KEYS.filter((k) => keys.includes(k));
  shape.otherKeyCount = keys.filter((k) => !PAGERDUTY_KEYS.includes(k)).length;
  shape.tokenPresent = typeof obj.pagerDutyToken === 'string' && obj.pagerDutyToken.trim().length > 0;
  shape.regionValid = obj.pagerDutyServiceRegion === 'US' || obj.pagerDutyServiceRegion === 'EU';
  const email = obj.pagerDutyFromEmail;
  shape.emailPlausible = typeof email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
  return shape;
}

export function secret(facts: Facts): Promise<Got<SecretFact>> {
  return facts.once('secret', () =>
    got(async () => {
      const region = await facts.secretRegion();
      if (!region.ok) throw Object.assign(new Error(region.problem.message), { name: region.problem.code });
      const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
      const client = await facts.session.secretsManager(region.value);
      const description = await client.send(new DescribeSecretCommand({ SecretId: facts.ref!.id }));
      return { region: region.value, description };
    }),
  );
}

/** The resource policy text, or undefined when the secret has none. Started alongside DescribeSecret. */
export function secretPolicy(facts: Facts): Promise<Got<string | undefined>> {
  return facts.once('secretPolicy', () =>
    got(async () => {
      const region = await facts.secretRegion();
      if (!region.ok) throw Object.assign(new Error(region.problem.message), { name: region.problem.code });
      const { GetResourcePolicyCommand } = await import('@aws-sdk/client-secrets-manager');
      const client = await facts.session.secretsManager(region.value);
      const out = await client.send(new GetResourcePolicyCommand({ SecretId: facts.ref!.id }));
      return out.ResourcePolicy ?? undefined;
    }),
  );
}

/** Where else a secret of this name exists, when it is not found here. */
export function otherRegions(facts: Facts): Promise<string[]> {
  return facts.once('otherRegions', async () => {
    const ref = facts.ref;
    const here = await facts.secretRegion();
    const identity = await facts.identity();
    if (!ref || !here.ok) return [];
    const name = ref.arn ? nameFromArn(ref.arn) : ref.id;
    const partition = ref.arn?.partition ?? (identity.ok ? identity.value.partition : 'aws');
    const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    const regions = regionsOf(partition).filter((r) => r !== here.value);
    const found: string[] = [];
    await mapLimit(regions, 8, async (region) => {
      try {
        const client = await facts.session.secretsManager(region);
        await client.send(new DescribeSecretCommand({ SecretId: name }));
        found.push(region);
      } catch {
        // Not there, or the Region is not enabled: either way, not a place to look.
      }
    });
    return found.sort();
  });
}

/**
 * Reads the value only to describe its shape; the value itself is dropped before this returns and is
 * never part of any result, log or error.
 */
export function secretValueShape(facts: Facts): Promise<Got<ValueShape>> {
  return facts.once('valueShape', async () => {
    const secret = await facts.secret();
    if (!secret.ok) return secret;
    return got(async () => {
      const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const client = await facts.session.secretsManager(secret.value.region);
      let out: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined } | undefined;
      try {
        out = await client.send(new GetSecretValueCommand({ SecretId: secret.value.description.ARN ?? facts.ref!.id }));
      } catch (error) {
        // Error messages do not carry the value, but keep only the classified problem to be sure.
        throw Object.assign(new Error(classify(error).message), { name: classify(error).code, $metadata: (error as { $metadata?: unknown }).$metadata });
      }
      const shape = describeValue(out.SecretString, out.SecretBinary !== undefined);
      out = undefined;
      return shape;
    });
  }) as Promise<Got<ValueShape>>;
}

/**
 * One read for `propagation`. Deliberately not memoised: propagation reads the same thing again and
 * again. A value is never returned: `value-digest` hashes it in memory, compares the digest with the
 * expected ones and keeps only whether it matched.
 */
export function readChange(facts: Facts, what: ChangeReadKind, target: ChangeTarget): Promise<Got<ChangeRead>> {
  return got(async () => {
    if (what === 'key-policy') {
      const { GetKeyPolicyCommand } = await import('@aws-sdk/client-kms');
      const client = await facts.session.kms(target.region);
      const out = await client.send(new GetKeyPolicyCommand({ KeyId: target.keyArn!, PolicyName: 'default' }));
      return { kind: 'policy', text: out.Policy ?? undefined };
    }
    const sm = await import('@aws-sdk/client-secrets-manager');
    const client = await facts.session.secretsManager(target.region);
    const SecretId = target.secretArn!;
    switch (what) {
      case 'versions': {
        const versions: VersionRead[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          // With the deprecated versions (no staging label): an expected version there exists, though not current.
          const out = await client.send(new sm.ListSecretVersionIdsCommand({ SecretId, IncludeDeprecated: true, ...(token ? { NextToken: token } : {}) }));
          for (const v of out.Versions ?? []) {
            if (!v.VersionId) continue;
            versions.push({ id: v.VersionId, stages: v.VersionStages ?? [], ...(v.CreatedDate ? { created: v.CreatedDate.toISOString() } : {}) });
          }
          token = out.NextToken || undefined;
        } while (token && ++pages < MAX_LIST_PAGES);
        return { kind: 'versions', versions };
      }
      case 'value-digest': {
        let out:
          | { VersionId?: string | undefined; VersionStages?: string[] | undefined; SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }
          | undefined;
        try {
          out = await client.send(new sm.GetSecretValueCommand({ SecretId, VersionStage: 'AWSCURRENT' }));
        } catch (error) {
          // Keep only the classified problem: nothing of a response may travel further.
          const problem = classify(error);
          throw Object.assign(new Error(problem.message), { name: problem.code, $metadata: (error as { $metadata?: unknown }).$metadata });
        }
        const bytes = out.SecretString !== undefined ? Buffer.from(out.SecretString, 'utf8') : Buffer.from(out.SecretBinary ?? new Uint8Array());
        const digest = createHash('sha256').update(bytes).digest('hex');
        const read: ChangeRead = {
          kind: 'value-digest',
          versionId: out.VersionId,
          stages: out.VersionStages ?? [],
          matches: (target.expectedDigests ?? []).includes(digest),
        };
        out = undefined;
        return read;
      }
      case 'resource-policy': {
        const out = await client.send(new sm.GetResourcePolicyCommand({ SecretId }));
        return { kind: 'policy', text: out.ResourcePolicy ?? undefined };
      }
      case 'metadata': {
        const out = await client.send(new sm.DescribeSecretCommand({ SecretId }));
        const tags = Object.fromEntries((out.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
        return {
          kind: 'metadata',
          fields: {
            Description: out.Description ?? null,
            Tags: tags,
            KmsKeyId: out.KmsKeyId ?? null,
            RotationEnabled: out.RotationEnabled ?? false,
            LastChangedDate: out.LastChangedDate?.toISOString() ?? null,
          },
        };
      }
    }
  });
}
