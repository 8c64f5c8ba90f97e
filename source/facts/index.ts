/**
 * Memoised, read-only facts about the account. Each getter makes its AWS request at most once per run,
 * however many checks ask, and awaits only the facts it needs, so independent requests overlap and the
 * slowest chain of dependent requests is the whole wait. Nothing here writes to the account.
 *
 * This file is the facade the checks use, and the vocabulary of facts; the work is done by one module per
 * resource, each saying whether its facts are per account (shared by every secret of a run, ACCOUNT_FACT)
 * or per secret: identity.ts, simulation.ts, secret.ts, key.ts, organization.ts, evidence.ts and
 * denied-request.ts.
 *
 * A secret value is never kept: `secretValueShape()` reads it, describes its shape and drops it.
 */
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { EvaluationResult, ContextEntry, Role, User } from '@aws-sdk/client-iam';
import type { AwsSession } from '../aws/session.js';
import type { Problem } from '../aws/errors.js';
import { secretRef, type SecretRef } from '../secret-ref.js';
import type { Inputs } from '../types.js';
import type { IdentityPolicies } from './identity-policies.js';
import { OrganizationFacts, type OrgKeys } from './organization.js';
import { got, type Got } from './got.js';
import * as identity from './identity.js';
import * as simulation from './simulation.js';
import * as secret from './secret.js';
import * as key from './key.js';
import * as evidence from './evidence.js';

export type { Got } from './got.js';
export { identityType } from './identity.js';
export { describeValue, PAGERDUTY_KEYS } from './secret.js';
export { MAX_DESCRIBED_KEYS } from './key.js';

export type IdentityType = 'user' | 'assumed-role' | 'federated-user' | 'root' | 'other';

export interface Identity {
  arn: string;
  account: string;
  userId: string;
  partition: string;
  type: IdentityType;
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

export interface SimulationFact {
  results: EvaluationResult[];
}

export type { IdentityPolicies } from './identity-policies.js';

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
  /** The facts of the run shared by every secret's diagnosis (see the constructor). */
  readonly shared: SharedFacts;

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

  /** The facts of this diagnosis already asked for whose key starts with `prefix` (none is started here). */
  started(prefix: string): Promise<unknown>[] {
    return [...this.memo].filter(([key]) => key.startsWith(prefix)).map(([, promise]) => promise);
  }

  /** Memoises a fact under its key: an account fact (ACCOUNT_FACT) for the whole run, any other per secret. */
  once<T>(key: string, work: () => Promise<T>): Promise<T> {
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
    return new OrganizationFacts(
      this.session,
      (key, work) => this.once(`org:${key}`, work),
      async () => {
        const id = await this.identity();
        return id.ok ? { ok: true, value: id.value.account } : id;
      },
    );
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
    return identity.identity(this);
  }

  credentialInfo(): Promise<Got<CredentialInfo>> {
    return identity.credentialInfo(this);
  }

  /** The principal to evaluate: --principal, or the caller; assumed-role sessions mapped to their role. */
  principal(): Promise<Got<Principal>> {
    return identity.principal(this);
  }

  /** iam:GetRole in the principal's account, shared by the session-to-role mapping and the policy reader. */
  role(name: string): Promise<Got<Role>> {
    return identity.role(this, name);
  }

  /** iam:GetUser in the principal's account, shared by the existence check and the policy reader. */
  userDetails(name: string): Promise<Got<User>> {
    return identity.userDetails(this, name);
  }

  /**
   * The session that reads the principal's IAM entity (GetRole, GetUser, List*Policies, the simulator). Its
   * identity policies live in its own account: for a principal of another account that is
   * --principal-profile's session, checked to be in that account, else a problem (never the caller's
   * account in its place).
   */
  principalIam(): Promise<Got<AwsSession>> {
    return identity.principalIam(this);
  }

  secret(): Promise<Got<SecretFact>> {
    return secret.secret(this);
  }

  /** The resource policy text, or undefined when the secret has none. Started alongside DescribeSecret. */
  secretPolicy(): Promise<Got<string | undefined>> {
    return secret.secretPolicy(this);
  }

  /** Where else a secret of this name exists, when it is not found here. */
  otherRegions(): Promise<string[]> {
    return secret.otherRegions(this);
  }

  /**
   * The secret's KMS key. No KmsKeyId, or the alias aws/secretsmanager, is the AWS managed key: it is
   * never described, because DescribeKey on that alias creates the key in an account that lacks it.
   */
  key(): Promise<Got<KeyFact>> {
    return key.key(this);
  }

  /** DescribeKey, once per key and Region in a run, whichever secret or flag names it. */
  describeKey(region: string, keyId: string): Promise<Got<KeyFact>> {
    return key.describeKey(this, region, keyId);
  }

  /**
   * The key policy. GetKeyPolicy takes a key ID or ARN, not an alias: for those it starts as soon as
   * DescribeSecret names the key, alongside DescribeKey; for an alias it waits for DescribeKey.
   */
  keyPolicy(): Promise<Got<string> | undefined> {
    return key.keyPolicy(this);
  }

  /**
   * IAM SimulatePrincipalPolicy for the principal's identity-based policies (and boundary). The client
   * does not retry: a simulator that is not implemented or not allowed is not going to become so.
   */
  simulation(actions: string[], resourceArn: string, context: ContextEntry[]): Promise<Got<SimulationFact>> {
    return simulation.simulation(this, actions, resourceArn, context);
  }

  /** The principal's identity-based policies, read through IAM, for local evaluation. */
  identityPolicies(): Promise<Got<IdentityPolicies>> {
    return identity.identityPolicies(this);
  }

  /**
   * Reads the value only to describe its shape; the value itself is dropped before this returns and is
   * never part of any result, log or error.
   */
  secretValueShape(): Promise<Got<ValueShape>> {
    return secret.secretValueShape(this);
  }

  /** iam:GetRole by name: the request the principal mapping makes, shared (one request per role). */
  roleDetails(name: string): Promise<Got<Role>> {
    return identity.roleDetails(this, name);
  }

  /**
   * The simulations this run has already asked IAM for, for this action on this resource (none is started
   * here): `policy-conditions` reads their missing context values.
   */
  simulationsOf(action: string, resourceArn: string): Promise<Got<SimulationFact>>[] {
    return simulation.simulationsOf(this, action, resourceArn);
  }

  /**
   * How far AWS's clock is from the local one, from the `Date` header of the responses so far (at least
   * GetCallerIdentity's, which every diagnosis makes). Positive: AWS is ahead.
   */
  clockOffset(): Promise<Got<ClockReading>> {
    return evidence.clockOffset(this);
  }

  /** The key given with --kms-key-id, trimmed; undefined without one. */
  get namedKeyId(): string | undefined {
    return this.inputs.kmsKeyId?.trim() || undefined;
  }

  /** Where the key named by --kms-key-id is looked up: its ARN's Region, else the selected one. */
  namedKeyRegion(): Promise<Got<string>> {
    return key.namedKeyRegion(this);
  }

  /**
   * DescribeKey on the key given with --kms-key-id (key ID, alias, or either's ARN); undefined without one.
   * alias/aws/secretsmanager is the AWS managed key and is never described (that call would create it).
   */
  namedKey(): Promise<Got<KeyFact> | undefined> {
    return key.namedKey(this);
  }

  /**
   * The Region's KMS keys with their aliases, described (ListKeys, ListAliases, DescribeKey on each): the
   * choices `kms-key-symmetric` offers. Keys with an `alias/aws/...` alias are AWS managed and not
   * described. At most MAX_DESCRIBED_KEYS DescribeKey requests; the key named by --kms-key-id is not
   * described again.
   */
  regionKeys(region: string): Promise<Got<RegionKeys>> {
    return key.regionKeys(this, region);
  }

  /**
   * One read for `propagation`. Deliberately not memoised: propagation reads the same thing again and
   * again. A value is never returned: `value-digest` hashes it in memory, compares the digest with the
   * expected ones and keeps only whether it matched.
   */
  readChange(what: ChangeReadKind, target: ChangeTarget): Promise<Got<ChangeRead>> {
    return secret.readChange(this, what, target);
  }
}
