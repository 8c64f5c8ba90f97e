/**
 * The only place that builds AWS SDK clients. Region, profile and credentials are resolved the way the
 * SDK resolves them (no `endpoint` of our own, so AWS_ENDPOINT_URL and profile `endpoint_url` keep
 * working); every request is timed and logged for `service-health`; proxies come from the environment.
 * SDK modules are imported lazily, on first use.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { classify, type Problem } from './errors.js';
import { malformedAnswer, MalformedAnswerError } from './answers.js';

export interface SessionOptions {
  region?: string | undefined;
  profile?: string | undefined;
  /** Per attempt, in milliseconds. @default 10000 */
  timeoutMs?: number | undefined;
  /** Receives one line per request when --debug is on. Never given a secret value. */
  debug?: ((line: string) => void) | undefined;
  /**
   * The SDK's retry mode. 'adaptive' also slows the client down after throttling: used when many secrets
   * are diagnosed at once. @default 'standard'
   */
  retryMode?: 'standard' | 'adaptive' | undefined;
  /** Asks for the code of an MFA device when an assume-role profile needs one (the wizard provides it). */
  mfaCodeProvider?: ((mfaSerial: string) => Promise<string>) | undefined;
}

export interface RequestRecord {
  service: string;
  operation: string;
  region: string;
  /** performance.now() when the operation started; with `ms`, shows which requests overlapped. */
  startedAt: number;
  ms: number;
  attempts: number;
  /** Each attempt, in order: its HTTP status (none where no response came back) and error code. */
  tries: { status?: number | undefined; code?: string | undefined }[];
  /** The Date header of the last response, for the clock check. */
  serverDate?: string | undefined;
  problem?: Problem | undefined;
}

type ServiceName = 'secretsmanager' | 'kms' | 'iam' | 'sts' | 'ssm-incidents' | 'cloudtrail' | 'organizations';

interface AnyClient {
  send(command: unknown): Promise<unknown>;
  middlewareStack: {
    add(mw: unknown, opts: unknown): void;
  };
  config: { region: () => Promise<string> };
}

type ClientClass = new (config: object) => AnyClient;

/** Each service's client class, imported on first use. */
const CLIENT_CLASSES: Record<ServiceName, () => Promise<ClientClass>> = {
  secretsmanager: async () => (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient as unknown as ClientClass,
  kms: async () => (await import('@aws-sdk/client-kms')).KMSClient as unknown as ClientClass,
  iam: async () => (await import('@aws-sdk/client-iam')).IAMClient as unknown as ClientClass,
  sts: async () => (await import('@aws-sdk/client-sts')).STSClient as unknown as ClientClass,
  'ssm-incidents': async () => (await import('@aws-sdk/client-ssm-incidents')).SSMIncidentsClient as unknown as ClientClass,
  cloudtrail: async () => (await import('@aws-sdk/client-cloudtrail')).CloudTrailClient as unknown as ClientClass,
  organizations: async () => (await import('@aws-sdk/client-organizations')).OrganizationsClient as unknown as ClientClass,
};

export class AwsSession {
  readonly log: RequestRecord[];
  readonly options: SessionOptions;
  private readonly clients = new Map<string, Promise<AnyClient>>();
  private credentialProvider?: AwsCredentialIdentityProvider;
  private regionPromise?: Promise<string>;
  private handlerPromise?: Promise<Record<string, unknown>>;

  /** `log`: where requests are recorded; a session for another profile shares its parent's. */
  constructor(options: SessionOptions = {}, log: RequestRecord[] = []) {
    this.options = options;
    this.log = log;
  }

  /**
   * A session with another profile's credentials (another account, e.g. --principal-profile) and this
   * one's Region, timeouts, retries, proxy and request log, so service-health and --debug see its requests.
   */
  forProfile(profile: string): AwsSession {
    const other = new AwsSession({ ...this.options, profile }, this.log);
    other.regionPromise = this.region();
    other.handlerPromise = this.handler();
    return other;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 10_000;
  }

  /** The Region every client uses unless told otherwise: --region, then AWS_REGION, then the profile. */
  region(): Promise<string> {
    this.regionPromise ??= (async () => {
      // A profile that is not there: said before anything else asks for it (a usage error, exit 2).
      if (this.options.profile) {
        const { missingProfile } = await import('./profiles.js');
        const missing = await missingProfile(this.options.profile);
        if (missing) throw Object.assign(new Error(missing), { name: 'ProfileNotFound' });
      }
      if (this.options.region) return this.options.region;
      // The SDK reads AWS_REGION before any file: answering from it spares loading the config reader.
      if (process.env.AWS_REGION) return process.env.AWS_REGION;
      const { loadConfig } = await import('@smithy/node-config-provider');
      const { NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS } = await import('@smithy/config-resolver');
      const region = await loadConfig(NODE_REGION_CONFIG_OPTIONS, {
        ...NODE_REGION_CONFIG_FILE_OPTIONS,
        ...(this.options.profile ? { profile: this.options.profile } : {}),
      })().catch(() => undefined);
      if (!region) throw Object.assign(new Error('Region is missing'), { name: 'RegionMissing' });
      return region;
    })();
    return this.regionPromise;
  }

  /** One credential provider shared by every client, so the chain runs once per run. */
  credentials(): AwsCredentialIdentityProvider {
    if (!this.credentialProvider) {
      let inner: Promise<AwsCredentialIdentityProvider> | undefined;
      const load = () =>
        (inner ??= import('@aws-sdk/credential-provider-node').then(({ defaultProvider }) =>
          defaultProvider({
            // The SDK warns on the console (several lines) when a profile and keys in the environment are both
            // set; the profile wins, as it says. Not the user's to act on mid-report: kept for --debug.
            logger: {
              debug: () => {},
              info: () => {},
              warn: (...parts: unknown[]) => this.options.debug?.(parts.map(String).join(' ').replace(/\s+/g, ' ').trim()),
              error: () => {},
            },
            ...(this.options.profile ? { profile: this.options.profile } : {}),
            ...(this.options.mfaCodeProvider ? { mfaCodeProvider: this.options.mfaCodeProvider } : {}),
          }),
        ));
      this.credentialProvider = async (props) => (await load())(props);
    }
    return this.credentialProvider;
  }

  /** Resolves the credentials; throws the provider's error when there are none. */
  async identityCredentials(): Promise<AwsCredentialIdentity> {
    return this.credentials()();
  }

  secretsManager(region?: string): Promise<SecretsManagerClient> {
    return this.client('secretsmanager', region) as unknown as Promise<SecretsManagerClient>;
  }
  kms(region?: string): Promise<KMSClient> {
    return this.client('kms', region) as unknown as Promise<KMSClient>;
  }
  iam(): Promise<IAMClient> {
    return this.client('iam') as unknown as Promise<IAMClient>;
  }
  /**
   * IAM for the policy simulator: a call that is not implemented (moto) or not allowed cannot succeed by
   * trying again, so this client does not retry.
   */
  iamSimulator(): Promise<IAMClient> {
    return this.client('iam', undefined, 1) as unknown as Promise<IAMClient>;
  }
  sts(): Promise<STSClient> {
    return this.client('sts') as unknown as Promise<STSClient>;
  }
  /** CloudTrail LookupEvents (denied-request); its own pacing keeps to 2 requests per second. */
  cloudtrail(region?: string): Promise<CloudTrailClient> {
    return this.client('cloudtrail', region) as unknown as Promise<CloudTrailClient>;
  }
  /**
   * Organizations is a global service: the SDK's endpoint rules send every Region of a partition to its one
   * endpoint (us-east-1 for aws), so the selected Region is only what the client starts from.
   */
  organizations(): Promise<OrganizationsClient> {
    return this.client('organizations') as unknown as Promise<OrganizationsClient>;
  }
  /** Typed loosely: only the wizard's response-plan discovery uses it. */
  incidents(region?: string): Promise<AnyClient> {
    return this.client('ssm-incidents', region);
  }

  private client(service: ServiceName, region?: string, maxAttempts?: number): Promise<AnyClient> {
    const key = `${service}|${region ?? ''}|${maxAttempts ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.build(service, region, maxAttempts);
      this.clients.set(key, client);
    }
    return client;
  }

  private async build(service: ServiceName, region?: string, maxAttempts?: number): Promise<AnyClient> {
    const resolvedRegion = region ?? (await this.region());
    const config = {
      region: resolvedRegion,
      credentials: this.credentials(),
      requestHandler: await this.handler(),
      ...(this.options.profile ? { profile: this.options.profile } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(this.options.retryMode ? { retryMode: this.options.retryMode } : {}),
    };
    const Client = await CLIENT_CLASSES[service]();
    const client = new Client(config);
    this.instrument(client, service, resolvedRegion);
    return client;
  }

  /** The HTTP handler every client shares, for requests signed by hand (IAM Access Troubleshooter). */
  httpHandler(): Promise<Record<string, unknown>> {
    return this.handler();
  }

  /** One HTTP handler for all clients: timeouts, and HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  private handler(): Promise<Record<string, unknown>> {
    this.handlerPromise ??= (async () => {
      const { NodeHttpHandler } = await import('@smithy/node-http-handler');
      const { proxyAgents } = await import('./proxy.js');
      const { withAttemptDeadline } = await import('./deadline.js');
      const inner = new NodeHttpHandler({
        connectionTimeout: this.timeoutMs,
        requestTimeout: this.timeoutMs,
        socketTimeout: this.timeoutMs,
        // Without this a request past requestTimeout only logs a warning and goes on waiting.
        throwOnRequestTimeout: true,
        ...(await proxyAgents(process.env)),
      });
      // Those timeouts end a silent connection; a dripped answer is never silent: bound the whole attempt.
      return withAttemptDeadline(inner, this.timeoutMs) as unknown as Record<string, unknown>;
    })();
    return this.handlerPromise;
  }

  private instrument(client: AnyClient, service: ServiceName, region: string): void {
    // Outermost: one record per operation, however many attempts it took.
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<{ output?: { $metadata?: { attempts?: number } } }>, context: { commandName?: string }) =>
        async (args: { _attempts?: (number | undefined)[] }) => {
          const started = performance.now();
          const record: RequestRecord = {
            service,
            operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
            region,
            startedAt: started,
            ms: 0,
            attempts: 0,
            tries: [],
          };
          (context as { sdRecord?: RequestRecord }).sdRecord = record;
          this.log.push(record);
          try {
            const result = await next(args);
            record.attempts = result.output?.$metadata?.attempts ?? record.tries.length;
            // An answer without what AWS always sends is a fault, never a fact: see answers.ts.
            const lacking = malformedAnswer(service, record.operation, result.output);
            if (lacking) throw new MalformedAnswerError(service, record.operation, lacking, record.tries.at(-1)?.status);
            return result;
          } catch (error) {
            record.problem = classify(error);
            record.attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? record.tries.length;
            throw error;
          } finally {
            record.ms = Math.round(performance.now() - started);
            const p = record.problem ? ` ${record.problem.code}` : '';
            this.options.debug?.(
              `${service}.${record.operation} ${region} ${record.ms} ms, ${record.attempts || 1} attempt(s), HTTP ${record.tries.map((t) => t.status ?? '-').join('/') || '-'}${p}`,
            );
          }
        },
      { step: 'initialize', name: 'secretsDoctorLog', priority: 'high' },
    );
    // Inside the retry loop: every attempt, answered or not, with its status and error code.
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<{ response?: { statusCode?: number; headers?: Record<string, string> } }>, context: { sdRecord?: RequestRecord }) =>
        async (args: unknown) => {
          try {
            const out = await next(args);
            context.sdRecord?.tries.push({ status: out.response?.statusCode });
            const date = out.response?.headers?.date;
            if (date && context.sdRecord) context.sdRecord.serverDate = date;
            return out;
          } catch (error) {
            const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
            context.sdRecord?.tries.push({ status: e.$metadata?.httpStatusCode, code: e.name });
            const date = e.$response?.headers?.date;
            if (date && context.sdRecord) context.sdRecord.serverDate = date;
            throw error;
          }
        },
      { step: 'finalizeRequest', name: 'secretsDoctorAttempts', priority: 'low' },
    );
  }
}
