/**
 * IAM Access Troubleshooter (the "IAM Toolbox" API, public preview): AWS's own record of a refused request.
 * No JavaScript client is published (aws-facts.md section 10), so the request is signed with the SDK's own
 * SigV4 signer (signing name `iam`) and sent through the session's HTTP handler, credential chain, proxy
 * settings, timeouts and request log, like every other call. Switch to `@aws-sdk/client-iam-toolbox` when
 * it is published.
 */
import type { AwsSession, RequestRecord } from './session.js';
import { classify, type Problem } from './errors.js';

export type EvaluatedEffect = 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';

export interface ToolboxEvaluation {
  action?: string;
  resource?: string;
  context?: Record<string, unknown>;
  evaluatedEffect?: EvaluatedEffect | string;
  matchedPolicies?: { uri?: string; matchedStatements?: { sid?: string; evaluatedEffect?: 'ALLOW' | 'DENY' | string }[] }[];
}

export interface ToolboxPolicy {
  type?: string;
  inline?: boolean;
  uri?: string;
  attachedTo?: { arn?: string }[];
}

export interface AuthorizationDetails {
  requestContext: Record<string, unknown>;
  evaluations: ToolboxEvaluation[];
  policies: ToolboxPolicy[];
  /** How many pages were read (nextToken followed). */
  pages: number;
}

/** Pages followed at most: a record holds a few evaluations; more is a loop, not data. */
const MAX_PAGES = 20;
/** Bytes read from one answer at most. */
const MAX_BODY = 4 * 1024 * 1024;
const ATTEMPTS = 3;

/**
 * The endpoint as the SDK would resolve it for a service with id "IAM Toolbox": AWS_ENDPOINT_URL_IAM_TOOLBOX,
 * then AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), else the Regional endpoint.
 */
export function toolboxEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): URL {
  const ignore = /^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '');
  const configured = ignore ? undefined : (env.AWS_ENDPOINT_URL_IAM_TOOLBOX ?? env.AWS_ENDPOINT_URL);
  if (configured) return new URL(configured);
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://iam-toolbox.${region}.${suffix}`);
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

async function readBody(body: unknown): Promise<string> {
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BODY) throw Object.assign(new Error(`the answer is over ${MAX_BODY} bytes`), { name: 'UnreadableResponse' });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An error shaped like the SDK's, so `classify` and `sentence` treat it like any other. */
function serviceError(answer: Answer): Error {
  let body: { message?: string; Message?: string; __type?: string; code?: string } = {};
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    // An error page that is not JSON: the status says enough.
  }
  const header = answer.headers['x-amzn-errortype']?.split(':')[0];
  const code = (header ?? body.__type ?? body.code ?? '').split('#').pop() || `HTTP${answer.status}`;
  const message = body.message ?? body.Message ?? `HTTP ${answer.status}`;
  return Object.assign(new Error(message), {
    name: code,
    $metadata: { httpStatusCode: answer.status },
    $fault: answer.status >= 500 ? 'server' : 'client',
  });
}

const retryable = (p: Problem) => ['throttled', 'server', 'timeout', 'network'].includes(p.kind);

/** One signed GET, retried on throttling, 5xx and network errors, and logged as one operation. */
async function signedGet(session: AwsSession, operation: string, region: string, path: string, query: Record<string, string>): Promise<unknown> {
  const [{ SignatureV4 }, { HttpRequest }, { Hash }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/protocol-http'),
    import('@smithy/hash-node'),
  ]);
  const endpoint = toolboxEndpoint(region);
  const signer = new SignatureV4({ service: 'iam', region, credentials: session.credentials(), sha256: Hash.bind(null, 'sha256') });
  const handler = (await session.httpHandler()) as {
    handle(request: unknown): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: unknown } }>;
  };
  const basePath = endpoint.pathname.replace(/\/$/, '');
  const started = performance.now();
  const record: RequestRecord = { service: 'iam-toolbox', operation, region, startedAt: started, ms: 0, attempts: 0, tries: [] };
  session.log.push(record);
  try {
    for (let attempt = 1; ; attempt++) {
      record.attempts = attempt;
      const request = new HttpRequest({
        method: 'GET',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: `${basePath}${path}`,
        query,
        headers: { host: endpoint.host, accept: 'application/json' },
      });
      let answer: Answer | undefined;
      try {
        const signed = await signer.sign(request);
        const { response } = await handler.handle(signed);
        answer = { status: response.statusCode, headers: response.headers, text: await readBody(response.body) };
      } catch (error) {
        const problem = classify(error);
        record.tries.push({ code: problem.code });
        if (attempt < ATTEMPTS && retryable(problem)) {
          await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
          continue;
        }
        throw error;
      }
      if (answer.headers.date) record.serverDate = answer.headers.date;
      if (answer.status >= 200 && answer.status < 300) {
        record.tries.push({ status: answer.status });
        try {
          return JSON.parse(answer.text) as unknown;
        } catch {
          throw Object.assign(new Error('the answer is not JSON'), { name: 'UnreadableResponse', $metadata: { httpStatusCode: answer.status } });
        }
      }
      const error = serviceError(answer);
      record.tries.push({ status: answer.status, code: error.name });
      if (attempt < ATTEMPTS && retryable(classify(error))) {
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
        continue;
      }
      throw error;
    }
  } catch (error) {
    record.problem = classify(error);
    throw error;
  } finally {
    record.ms = Math.round(performance.now() - started);
    session.options.debug?.(
      `iam-toolbox.${operation} ${region} ${record.ms} ms, ${record.attempts} attempt(s), HTTP ${record.tries.map((t) => t.status ?? '-').join('/')}${record.problem ? ` ${record.problem.code}` : ''}`,
    );
  }
}

/** GetRequestAuthorizationDetails, every page (nextToken followed, at most MAX_PAGES). */
export async function getRequestAuthorizationDetails(session: AwsSession, authorizationId: string, region: string): Promise<AuthorizationDetails> {
  const details: AuthorizationDetails = { requestContext: {}, evaluations: [], policies: [], pages: 0 };
  const seenPolicies = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = (await signedGet(
      session,
      'GetRequestAuthorizationDetails',
      region,
      `/authorization-details/${encodeURIComponent(authorizationId)}`,
      nextToken ? { nextToken } : {},
    )) as {
      requestContext?: Record<string, unknown>;
      evaluations?: ToolboxEvaluation[];
      policies?: ToolboxPolicy[];
      nextToken?: string;
    } | null;
    if (!page || typeof page !== 'object') {
      throw Object.assign(new Error('the answer is not an authorization record'), { name: 'UnreadableResponse' });
    }
    details.pages++;
    Object.assign(details.requestContext, page.requestContext ?? {});
    details.evaluations.push(...(Array.isArray(page.evaluations) ? page.evaluations : []));
    for (const policy of Array.isArray(page.policies) ? page.policies : []) {
      const key = policy.uri ?? JSON.stringify(policy);
      if (!seenPolicies.has(key)) {
        seenPolicies.add(key);
        details.policies.push(policy);
      }
    }
    nextToken = typeof page.nextToken === 'string' && page.nextToken ? page.nextToken : undefined;
  } while (nextToken && details.pages < MAX_PAGES);
  return details;
}

/**
 * GetRequestAuthorizationPolicy: a policy as it was when AWS evaluated the request (IAM Toolbox API
 * Reference). The answer is "the structured JSON document of the policy"; its member name is not in the
 * references this project has (UNCONFIRMED), so the usual names are tried and anything else is no document.
 */
export async function getRequestAuthorizationPolicy(session: AwsSession, authorizationId: string, region: string, policyUri: string): Promise<unknown> {
  const answer = (await signedGet(session, 'GetRequestAuthorizationPolicy', region, `/authorization-details/${encodeURIComponent(authorizationId)}/policy`, {
    policyUri,
  })) as Record<string, unknown> | null;
  const document = answer?.policyDocument ?? answer?.policy ?? answer?.document;
  if (typeof document === 'string') {
    try {
      return JSON.parse(document) as unknown;
    } catch {
      return undefined;
    }
  }
  return document && typeof document === 'object' ? document : undefined;
}
