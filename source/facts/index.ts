/**
 * Memoised, read-only facts about the account. Each getter makes its AWS request at most once per run,
 * however many checks ask, and awaits only the facts it needs, so independent requests overlap and the
 * slowest chain of dependent requests is the whole wait. Nothing here writes to the account.
 *
 * A secret value is never kept: `secretValueShape()` reads it, describes its shape and drops it.
 */
import { createHash } from 'node:crypto';
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { EvaluationResult, ContextEntry, Role, User } from '@aws-sdk/client-iam';
import type { AwsSession } from '../aws/session.js';
import { classify, isTransient, type Problem } from '../aws/errors.js';
import { secretRef, nameFromArn, type SecretRef } from '../secret-ref.js';
import type { Inputs } from '../types.js';
import { regionsOf } from './regions.js';
import { readIdentityPolicies, type IdentityPolicies } from './identity-policies.js';
import { listKeyIds, aliasesByKey, isAwsManagedByAlias } from './kms-listing.js';
import { mapLimit } from '../concurrency.js';
import { principalIamSession } from './principal-account.js';
import { OrganizationFacts, type OrgKeys } from './organization.js';

export type Got<T> = { ok: true; value: T } | { ok: false; problem: Problem };

async function got<T>(work: () => Promise<T>): Promise<Got<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, problem: classify(error) };
  }
}

export type IdentityType = 'user' | 'assumed-role' | 'federated-user' | 'root' | 'other';

export interface Identity {
  arn: string;
  account: string;
  userId: string;
  partition: string;
  type: IdentityType;
}

export function identityType(arn: string): IdentityType {
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(arn)) return 'root';
  // moto answers GetCallerIdentity with arn:aws:sts::ACCOUNT:user/NAME; AWS uses iam for users.
  if (/^arn:[^:]+:(iam|sts)::\d{12}:user\//.test(arn)) return 'user';
  if (/^arn:[^:]+:sts::\d{12}:assumed-role\//.test(arn)) return 'assumed-role';
  if (/^arn:[^:]+:sts::\d{12}:federated-user\//.test(arn)) return 'federated-user';
  return 'other';
}

export interface CredentialInfo {
  temporary: boolean;
  expiration?: Date | undefined;
}

/** The principal whose permissions are evaluated: an IAM user or role ARN (sessions mapped to roles). */
export interface Principal {
  /** As given, or the caller's ARN. */
  given: string;
  /** The IAM entity: a user or role ARN with its path, the root ARN, or the given ARN where unknown. */
  arn: string;
  account: string;
  kind: 'user' | 'role' | 'root' | 'other';
  name?: string | undefined;
  /** True when this is the caller itself (then aws:userid and friends are known). */
  isCaller: boolean;
  userId?: string | undefined;
  /** Why the role behind a session could not be looked up, if it could not. */
  lookupProblem?: Problem | undefined;
  /** Its organization keys (observed, or unobservable), where a check asked for them (needPrincipal). */
  org?: OrgKeys | undefined;
  /** What the refused request carried, where CloudTrail recorded it (denied-request): observed context. */
  refused?: { context: Record<string, string>; absent: string[] } | undefined;
}

export interface SecretFact {
  /** The Region the secret was looked up in. */
  region: string;
  description: DescribeSecretCommandOutput;
}

export type KeyFact =
  | { managedBy: 'aws'; reason: string; keyId?: string | undefined }
  | { managedBy: 'customer' | 'aws-reported'; metadata: KeyMetadata; keyId: string };

/**
 * What `secret-value-format` may know of a value: only the expected key names, how many others there
 * are, and yes/no answers. No part of the value itself.
 */
export interface ValueShape {
  json: boolean;
  binary: boolean;
  /** Which of the keys Incident Manager expects are present. */
  expectedKeys: string[];
  otherKeyCount: number;
  tokenPresent: boolean;
  /** pagerDutyServiceRegion is US or EU. */
  regionValid: boolean;
  emailPlausible: boolean;
}

export const PAGERDUTY_KEYS = ['pagerDutyToken', 'pagerDutyServiceRegion', 'pagerDutyFromEmail'];

export interface SimulationFact {
  results: EvaluationResult[];
}

export type { IdentityPolicies } from './identity-policies.js';

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\/secretsmanager$/;

/** Caps on what one diagnosis lists and describes in a Region. */
const MAX_LIST_PAGES = 10;
export const MAX_DESCRIBED_KEYS = 100;

/** The local clock against AWS's, from a response's Date header. */
export interface ClockReading {
  /** AWS's time minus the local time, in milliseconds. */
  offsetMs: number;
  /** How many answers carried a Date header. */
  samples: number;
  /** The request whose answer gave the median offset, e.g. `sts:GetCallerIdentity`. */
  operation: string;
  serverDate: string;
  localDate: string;
}

export interface RegionKey {
  metadata: KeyMetadata;
  aliases: string[];
}

export interface RegionKeys {
  region: string;
  keys: RegionKey[];
  /** How many keys ListKeys returned. */
  listed: number;
  /** DescribeKey refused or failed for this many. */
  notDescribed: number;
  /** More keys exist than were listed or described. */
  truncated: boolean;
}

export type ChangeReadKind = 'versions' | 'value-digest' | 'resource-policy' | 'key-policy' | 'metadata';

export interface ChangeTarget {
  region: string;
  secretArn?: string | undefined;
  keyArn?: string | undefined;
  /** value-digest: SHA-256 digests (hex) a value may have to count as the expected one. */
  expectedDigests?: string[] | undefined;
}

export interface VersionRead {
  id: string;
  stages: string[];
  created?: string | undefined;
}

export type ChangeRead =
  | { kind: 'versions'; versions: VersionRead[] }
  | { kind: 'value-digest'; versionId?: string | undefined; stages: string[]; matches: boolean }
  | { kind: 'policy'; text: string | undefined }
  | { kind: 'metadata'; fields: Record<string, unknown> };

/** Facts about the account, not the secret: shared by the diagnoses of one run (see Facts). */
const ACCOUNT_FACT = /^(region|identity|credentials|principal|identityPolicies|role:|user:|describeKey:|getKeyPolicy:|regionKeys:|org:)/;

export class SharedFacts {
  readonly memo = new Map<string, Promise<unknown>>();
  simulatorGate?: Promise<Problem | undefined>;
  /** --principal-profile's session, built once per run. */
  principalSession?: AwsSession;
}

export class Facts {
  readonly session: AwsSession;
  readonly inputs: Inputs;
  readonly ref?: SecretRef | undefined;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly shared: SharedFacts;

  /**
   * `shared` carries the facts about the account rather than the secret (the caller, the principal and
   * its policies, keys and key policies, the simulator's availability) from one secret's diagnosis to the
   * next in a run over many secrets: one key for a hundred secrets is read once.
   */
  constructor(session: AwsSession, inputs: Inputs, shared: SharedFacts = new SharedFacts()) {
    this.session = session;
    this.inputs = inputs;
    this.shared = shared;
    this.ref = inputs.secretId === undefined ? undefined : secretRef(inputs.secretId);
  }

  /** Memoises a value derived from facts (an evaluation two checks share), under a key of the caller's. */
  derived<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.once(`derived:${key}`, work);
  }

  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const memo = ACCOUNT_FACT.test(key) ? this.shared.memo : this.memo;
    let promise = memo.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = work();
      memo.set(key, promise);
    }
    return promise;
  }

  /** AWS Organizations (facts/organization.ts): account facts, read once per run. */
  get organization(): OrganizationFacts {
    return new OrganizationFacts(this.session, (key, work) => this.once(`org:${key}`, work), async () => {
      const id = await this.identity();
      return id.ok ? { ok: true, value: id.value.account } : id;
    });
  }

  /** The selected Region (flags, environment, profile). */
  region(): Promise<Got<string>> {
    return this.once('region', () => got(() => this.session.region()));
  }

  /** The Region the secret is looked up in: the ARN's where an ARN was given, else the selected one. */
  async secretRegion(): Promise<Got<string>> {
    if (this.ref?.arn) return { ok: true, value: this.ref.arn.region };
    return this.region();
  }

  identity(): Promise<Got<Identity>> {
    return this.once('identity', () =>
      got(async () => {
        const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
        const out = await (await this.session.sts()).send(new GetCallerIdentityCommand({}));
        const arn = out.Arn ?? '';
        return {
          arn,
          account: out.Account ?? '',
          userId: out.UserId ?? '',
          partition: arn.split(':')[1] ?? 'aws',
          type: identityType(arn),
        };
      }),
    );
  }

  credentialInfo(): Promise<Got<CredentialInfo>> {
    return this.once('credentials', () =>
      got(async () => {
        const creds = await this.session.identityCredentials();
        return { temporary: Boolean(creds.sessionToken), expiration: creds.expiration };
      }),
    );
  }

  /** The principal to evaluate: --principal, or the caller; assumed-role sessions mapped to their role. */
  principal(): Promise<Got<Principal>> {
    return this.once('principal', async () => {
      const given = this.inputs.principal;
      let identity: Identity | undefined;
      if (!given) {
        const id = await this.identity();
        if (!id.ok) return id;
        identity = id.value;
      }
      const arn = given ?? identity!.arn;
      const account = arn.split(':')[4] ?? '';
      const base = { given: arn, account, isCaller: !given, userId: identity?.userId };
      const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
      if (session) {
        const roleName = session[3]!;
        const role = await this.role(roleName);
        if (role.ok) return { ok: true, value: { ...base, arn: role.value.Arn!, kind: 'role', name: roleName } };
        // Without iam:GetRole the path is unknown; the pathless ARN is right for roles without a path.
        return {
          ok: true,
          value: { ...base, arn: `arn:${session[1]}:iam::${session[2]}:role/${roleName}`, kind: 'role', name: roleName, lookupProblem: role.problem },
        };
      }
      const type = identityType(arn);
      const iamRole = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
      if (iamRole) return { ok: true, value: { ...base, arn, kind: 'role', name: iamRole[1] } };
      if (type === 'user') {
        return { ok: true, value: { ...base, arn: arn.replace(/^(arn:[^:]+:)sts(::)/, '$1iam$2'), kind: 'user', name: arn.split('/').pop() } };
      }
      if (type === 'root') return { ok: true, value: { ...base, arn, kind: 'root' } };
      return { ok: true, value: { ...base, arn, kind: 'other' } };
    }) as Promise<Got<Principal>>;
  }

  /** iam:GetRole in the principal's account, shared by the session-to-role mapping and the policy reader. */
  private role(name: string): Promise<Got<Role>> {
    return this.once(`role:${name}`, async () => {
      const iam = await this.principalIam();
      if (!iam.ok) return iam;
      return got(async () => {
        const { GetRoleCommand } = await import('@aws-sdk/client-iam');
        const out = await (await iam.value.iam()).send(new GetRoleCommand({ RoleName: name }));
        return out.Role!;
      });
    }) as Promise<Got<Role>>;
  }

  /** iam:GetUser in the principal's account, shared by the existence check and the policy reader. */
  userDetails(name: string): Promise<Got<User>> {
    return this.once(`user:${name}`, async () => {
      const iam = await this.principalIam();
      if (!iam.ok) return iam;
      return got(async () => {
        const { GetUserCommand } = await import('@aws-sdk/client-iam');
        const out = await (await iam.value.iam()).send(new GetUserCommand({ UserName: name }));
        return out.User!;
      });
    }) as Promise<Got<User>>;
  }

  /**
   * The session that reads the principal's IAM entity (GetRole, GetUser, List*Policies, the simulator). Its
   * identity policies live in its own account: for a principal of another account that is
   * --principal-profile's session, checked to be in that account, else a problem (never the caller's
   * account in its place).
   */
  principalIam(): Promise<Got<AwsSession>> {
    return this.once('principalIam', async () => {
      const profile = this.inputs.principalProfile;
      return principalIamSession({
        session: this.session,
        principalArn: this.inputs.principal,
        profile,
        caller: () => this.identity(),
        other: () => (this.shared.principalSession ??= this.session.forProfile(profile!)),
      });
    });
  }

  secret(): Promise<Got<SecretFact>> {
    return this.once('secret', () =>
      got(async () => {
        const region = await this.secretRegion();
        if (!region.ok) throw Object.assign(new Error(region.problem.message), { name: region.problem.code });
        const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
        const client = await this.session.secretsManager(region.value);
        const description = await client.send(new DescribeSecretCommand({ SecretId: this.ref!.id }));
        return { region: region.value, description };
      }),
    );
  }

  /** The resource policy text, or undefined when the secret has none. Started alongside DescribeSecret. */
  secretPolicy(): Promise<Got<string | undefined>> {
    return this.once('secretPolicy', () =>
      got(async () => {
        const region = await this.secretRegion();
        if (!region.ok) throw Object.assign(new Error(region.problem.message), { name: region.problem.code });
        const { GetResourcePolicyCommand } = await import('@aws-sdk/client-secrets-manager');
        const client = await this.session.secretsManager(region.value);
        const out = await client.send(new GetResourcePolicyCommand({ SecretId: this.ref!.id }));
        return out.ResourcePolicy ?? undefined;
      }),
    );
  }

  /** Where else a secret of this name exists, when it is not found here. */
  otherRegions(): Promise<string[]> {
    return this.once('otherRegions', async () => {
      const ref = this.ref;
      const here = await this.secretRegion();
      const identity = await this.identity();
      if (!ref || !here.ok) return [];
      const name = ref.arn ? nameFromArn(ref.arn) : ref.id;
      const partition = ref.arn?.partition ?? (identity.ok ? identity.value.partition : 'aws');
      const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
      const regions = regionsOf(partition).filter((r) => r !== here.value);
      const found: string[] = [];
      await mapLimit(regions, 8, async (region) => {
        try {
          const client = await this.session.secretsManager(region);
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
   * The secret's KMS key. No KmsKeyId, or the alias aws/secretsmanager, is the AWS managed key: it is
   * never described, because DescribeKey on that alias creates the key in an account that lacks it.
   */
  key(): Promise<Got<KeyFact>> {
    return this.once('key', async () => {
      const secret = await this.secret();
      if (!secret.ok) return secret;
      const keyId = secret.value.description.KmsKeyId;
      if (!keyId) return { ok: true, value: { managedBy: 'aws', reason: 'DescribeSecret shows no KmsKeyId' } };
      if (AWS_MANAGED_ALIAS.test(keyId)) {
        return { ok: true, value: { managedBy: 'aws', reason: `KmsKeyId is ${keyId}`, keyId } };
      }
      return this.describeKey(secret.value.region, keyId);
    }) as Promise<Got<KeyFact>>;
  }

  /** DescribeKey, once per key and Region in a run, whichever secret or flag names it. */
  private describeKey(region: string, keyId: string): Promise<Got<KeyFact>> {
    return this.once(`describeKey:${region}:${keyId}`, () =>
      got(async () => {
        const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
        const client = await this.session.kms(region);
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
  keyPolicy(): Promise<Got<string> | undefined> {
    return this.once('keyPolicy', async () => {
      const secret = await this.secret();
      if (!secret.ok) return secret;
      const keyId = secret.value.description.KmsKeyId;
      if (!keyId || AWS_MANAGED_ALIAS.test(keyId)) return undefined;
      let target = keyId;
      if (/alias\//.test(keyId)) {
        const key = await this.key();
        if (!key.ok) return key;
        if (key.value.managedBy === 'aws') return undefined;
        target = key.value.metadata.Arn ?? key.value.metadata.KeyId!;
      }
      const region = secret.value.region;
      return this.once(`getKeyPolicy:${region}:${target}`, () =>
        got(async () => {
          const { GetKeyPolicyCommand } = await import('@aws-sdk/client-kms');
          const client = await this.session.kms(region);
          const out = await client.send(new GetKeyPolicyCommand({ KeyId: target, PolicyName: 'default' }));
          return out.Policy ?? '';
        }),
      );
    }) as Promise<Got<string> | undefined>;
  }

  /**
   * IAM SimulatePrincipalPolicy for the principal's identity-based policies (and boundary). The client
   * does not retry: a simulator that is not implemented or not allowed is not going to become so.
   */
  simulation(actions: string[], resourceArn: string, context: ContextEntry[]): Promise<Got<SimulationFact>> {
    const key = `sim:${actions.join(',')}|${resourceArn}|${JSON.stringify(context)}`;
    return this.once(key, async () => {
      const principal = await this.principal();
      if (!principal.ok) return principal;
      const iam = await this.principalIam();
      if (!iam.ok) return iam;
      // The first simulation is a probe: later ones wait for it, and where it showed the simulator
      // unavailable (not implemented, not allowed, invalid for this principal) they fall back at once.
      const gate = this.shared.simulatorGate;
      let release!: (problem: Problem | undefined) => void;
      if (!gate) this.shared.simulatorGate = new Promise((resolve) => (release = resolve));
      else {
        const problem = await gate;
        if (problem) return { ok: false, problem };
      }
      const result = await got(async () => {
        const { SimulatePrincipalPolicyCommand } = await import('@aws-sdk/client-iam');
        const client = await iam.value.iamSimulator();
        const out = await client.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: principal.value.arn,
            ActionNames: actions,
            ResourceArns: [resourceArn],
            ContextEntries: context,
          }),
        );
        return { results: out.EvaluationResults ?? [] };
      });
      if (!gate) release(result.ok || isTransient(result.problem) ? undefined : result.problem);
      return result;
    }) as Promise<Got<SimulationFact>>;
  }

  /** The principal's identity-based policies, read through IAM, for local evaluation. */
  identityPolicies(): Promise<Got<IdentityPolicies>> {
    return this.once('identityPolicies', async () => {
      const principal = await this.principal();
      if (!principal.ok) return principal;
      const p = principal.value;
      if ((p.kind !== 'user' && p.kind !== 'role') || !p.name) {
        return { ok: false, problem: { kind: 'other', code: 'Unsupported', message: `policies of ${p.arn} cannot be read through IAM` } };
      }
      const iam = await this.principalIam();
      if (!iam.ok) return iam;
      const rethrow = <T>(read: Got<T>): T => {
        if (!read.ok) throw Object.assign(new Error(read.problem.message), { name: read.problem.code });
        return read.value;
      };
      return got(() =>
        readIdentityPolicies(
          iam.value,
          p.kind as 'user' | 'role',
          p.name!,
          async (name) => rethrow(await this.role(name)),
          async (name) => rethrow(await this.userDetails(name)),
        ),
      );
    }) as Promise<Got<IdentityPolicies>>;
  }

  /**
   * Reads the value only to describe its shape; the value itself is dropped before this returns and is
   * never part of any result, log or error.
   */
  secretValueShape(): Promise<Got<ValueShape>> {
    return this.once('valueShape', async () => {
      const secret = await this.secret();
      if (!secret.ok) return secret;
      return got(async () => {
        const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
        const client = await this.session.secretsManager(secret.value.region);
        let out: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined } | undefined;
        try {
          out = await client.send(new GetSecretValueCommand({ SecretId: secret.value.description.ARN ?? this.ref!.id }));
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

  /** iam:GetRole by name: the request the principal mapping makes, shared (one request per role). */
  roleDetails(name: string): Promise<Got<Role>> {
    return this.role(name);
  }

  /**
   * The simulations this run has already asked IAM for, for this action on this resource (none is started
   * here): `policy-conditions` reads their missing context values.
   */
  simulationsOf(action: string, resourceArn: string): Promise<Got<SimulationFact>>[] {
    const prefix = `sim:${action}|${resourceArn}|`;
    return [...this.memo].filter(([key]) => key.startsWith(prefix)).map(([, promise]) => promise as Promise<Got<SimulationFact>>);
  }

  /**
   * How far AWS's clock is from the local one, from the `Date` header of the responses so far (at least
   * GetCallerIdentity's, which every diagnosis makes). Positive: AWS is ahead.
   */
  clockOffset(): Promise<Got<ClockReading>> {
    return this.once('clockOffset', async () => {
      await this.identity();
      const samples = this.session.log
        // Only finished requests: for those, startedAt + ms is when the answer arrived.
        .filter((r) => r.serverDate && r.attempts > 0)
        .map((r) => {
          const server = Date.parse(r.serverDate!);
          const local = performance.timeOrigin + r.startedAt + r.ms;
          // The header has whole seconds: AWS's time was somewhere in the second after it.
          return { record: r, offsetMs: server + 500 - local, local };
        })
        .filter((s) => Number.isFinite(s.offsetMs))
        .sort((a, b) => a.offsetMs - b.offsetMs);
      const median = samples[Math.floor(samples.length / 2)];
      if (!median) {
        return { ok: false, problem: { kind: 'other', code: 'NoDateHeader', message: 'no answer from AWS carried a Date header' } } as Got<ClockReading>;
      }
      return {
        ok: true,
        value: {
          offsetMs: Math.round(median.offsetMs),
          samples: samples.length,
          operation: `${median.record.service}:${median.record.operation}`,
          serverDate: median.record.serverDate!,
          localDate: new Date(median.local).toISOString(),
        },
      };
    });
  }

  /** The key given with --kms-key-id, trimmed; undefined without one. */
  get namedKeyId(): string | undefined {
    return this.inputs.kmsKeyId?.trim() || undefined;
  }

  /** Where the key named by --kms-key-id is looked up: its ARN's Region, else the selected one. */
  async namedKeyRegion(): Promise<Got<string>> {
    const arn = /^arn:[^:]+:kms:([^:]+):/.exec(this.namedKeyId ?? '');
    if (arn?.[1]) return { ok: true, value: arn[1] };
    return this.region();
  }

  /**
   * DescribeKey on the key given with --kms-key-id (key ID, alias, or either's ARN); undefined without one.
   * alias/aws/secretsmanager is the AWS managed key and is never described (that call would create it).
   */
  namedKey(): Promise<Got<KeyFact> | undefined> {
    return this.once('namedKey', async () => {
      const keyId = this.namedKeyId;
      if (!keyId) return undefined;
      if (AWS_MANAGED_ALIAS.test(keyId)) return { ok: true, value: { managedBy: 'aws', reason: `--kms-key-id is ${keyId}`, keyId } };
      // The secret's own key, named the same way: the same request, made once.
      if (this.ref) {
        const secret = await this.secret();
        if (secret.ok && secret.value.description.KmsKeyId === keyId) return this.key();
      }
      const region = await this.namedKeyRegion();
      if (!region.ok) return region;
      return this.describeKey(region.value, keyId);
    }) as Promise<Got<KeyFact> | undefined>;
  }

  /**
   * The Region's KMS keys with their aliases, described (ListKeys, ListAliases, DescribeKey on each): the
   * choices `kms-key-symmetric` offers. Keys with an `alias/aws/...` alias are AWS managed and not
   * described. At most MAX_DESCRIBED_KEYS DescribeKey requests; the key named by --kms-key-id is not
   * described again.
   */
  regionKeys(region: string): Promise<Got<RegionKeys>> {
    return this.once(`regionKeys:${region}`, () =>
      got(async () => {
        const kms = await import('@aws-sdk/client-kms');
        const client = await this.session.kms(region);
        // Without ListAliases the keys are still listed, only without names.
        const [keys, aliases, named] = await Promise.all([listKeyIds(client), aliasesByKey(client).catch(() => new Map<string, string[]>()), this.namedKey()]);
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

  /**
   * One read for `propagation`. Deliberately not memoised: propagation reads the same thing again and
   * again. A value is never returned: `value-digest` hashes it in memory, compares the digest with the
   * expected ones and keeps only whether it matched.
   */
  readChange(what: ChangeReadKind, target: ChangeTarget): Promise<Got<ChangeRead>> {
    return got(async () => {
      if (what === 'key-policy') {
        const { GetKeyPolicyCommand } = await import('@aws-sdk/client-kms');
        const client = await this.session.kms(target.region);
        const out = await client.send(new GetKeyPolicyCommand({ KeyId: target.keyArn!, PolicyName: 'default' }));
        return { kind: 'policy', text: out.Policy ?? undefined };
      }
      const sm = await import('@aws-sdk/client-secrets-manager');
      const client = await this.session.secretsManager(target.region);
      const SecretId = target.secretArn!;
      switch (what) {
        case 'versions': {
          const versions: VersionRead[] = [];
          let token: string | undefined;
          let pages = 0;
          do {
            const out = await client.send(new sm.ListSecretVersionIdsCommand({ SecretId, ...(token ? { NextToken: token } : {}) }));
            for (const v of out.Versions ?? []) {
              if (!v.VersionId) continue;
              versions.push({ id: v.VersionId, stages: v.VersionStages ?? [], ...(v.CreatedDate ? { created: v.CreatedDate.toISOString() } : {}) });
            }
            token = out.NextToken || undefined;
          } while (token && ++pages < MAX_LIST_PAGES);
          return { kind: 'versions', versions };
        }
        case 'value-digest': {
          let out: { VersionId?: string | undefined; VersionStages?: string[] | undefined; SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined } | undefined;
          try {
            out = await client.send(new sm.GetSecretValueCommand({ SecretId, VersionStage: 'AWSCURRENT' }));
          } catch (error) {
            // Keep only the classified problem: nothing of a response may travel further.
            const problem = classify(error);
            throw Object.assign(new Error(problem.message), { name: problem.code, $metadata: (error as { $metadata?: unknown }).$metadata });
          }
          const bytes = out.SecretString !== undefined ? Buffer.from(out.SecretString, 'utf8') : Buffer.from(out.SecretBinary ?? new Uint8Array());
          const digest = createHash('sha256').update(bytes).digest('hex');
          const read: ChangeRead = { kind: 'value-digest', versionId: out.VersionId, stages: out.VersionStages ?? [], matches: (target.expectedDigests ?? []).includes(digest) };
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
}

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

