/**
 * Memoised, read-only facts about the account. Each getter makes its AWS request at most once per run,
 * however many checks ask, and awaits only the facts it needs, so independent requests overlap and the
 * slowest chain of dependent requests is the whole wait. Nothing here writes to the account.
 *
 * A secret value is never kept: `secretValueShape()` reads it, describes its shape and drops it.
 */
import type { DescribeSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { EvaluationResult, ContextEntry, Role } from '@aws-sdk/client-iam';
import type { AwsSession } from '../aws/session.js';
import { classify, isServiceProblem, type Problem } from '../aws/errors.js';
import { secretRef, nameFromArn, type SecretRef } from '../secret-ref.js';
import type { Inputs } from '../types.js';
import { regionsOf } from './regions.js';
import { readIdentityPolicies, type IdentityPolicies } from './identity-policies.js';

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

export class Facts {
  readonly session: AwsSession;
  readonly inputs: Inputs;
  readonly ref?: SecretRef | undefined;
  private readonly memo = new Map<string, Promise<unknown>>();
  private simulatorGate?: Promise<Problem | undefined>;

  constructor(session: AwsSession, inputs: Inputs) {
    this.session = session;
    this.inputs = inputs;
    this.ref = inputs.secretId === undefined ? undefined : secretRef(inputs.secretId);
  }

  /** Memoises a value derived from facts (an evaluation two checks share), under a key of the caller's. */
  derived<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.once(`derived:${key}`, work);
  }

  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    let promise = this.memo.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = work();
      this.memo.set(key, promise);
    }
    return promise;
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

  /** iam:GetRole, shared by the session-to-role mapping and the policy reader. */
  private role(name: string): Promise<Got<Role>> {
    return this.once(`role:${name}`, () =>
      got(async () => {
        const { GetRoleCommand } = await import('@aws-sdk/client-iam');
        const out = await (await this.session.iam()).send(new GetRoleCommand({ RoleName: name }));
        return out.Role!;
      }),
    );
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
      return got(async () => {
        const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
        const client = await this.session.kms(secret.value.region);
        const out = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
        const metadata = out.KeyMetadata!;
        return { managedBy: metadata.KeyManager === 'AWS' ? 'aws-reported' : 'customer', metadata, keyId } as KeyFact;
      });
    }) as Promise<Got<KeyFact>>;
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
      return got(async () => {
        const { GetKeyPolicyCommand } = await import('@aws-sdk/client-kms');
        const client = await this.session.kms(secret.value.region);
        const out = await client.send(new GetKeyPolicyCommand({ KeyId: target, PolicyName: 'default' }));
        return out.Policy ?? '';
      });
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
      // The first simulation is a probe: later ones wait for it, and where it showed the simulator
      // unavailable (not implemented, not allowed, invalid for this principal) they fall back at once.
      const gate = this.simulatorGate;
      let release!: (problem: Problem | undefined) => void;
      if (!gate) this.simulatorGate = new Promise((resolve) => (release = resolve));
      else {
        const problem = await gate;
        if (problem) return { ok: false, problem };
      }
      const result = await got(async () => {
        const { SimulatePrincipalPolicyCommand } = await import('@aws-sdk/client-iam');
        const client = await this.session.iamSimulator();
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
      if (!gate) release(result.ok || isServiceProblem(result.problem) ? undefined : result.problem);
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
      return got(() =>
        readIdentityPolicies(this.session, p.kind as 'user' | 'role', p.name!, async (name) => {
          const role = await this.role(name);
          if (!role.ok) throw Object.assign(new Error(role.problem.message), { name: role.problem.code });
          return role.value;
        }),
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

export async function mapLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(runners);
}
