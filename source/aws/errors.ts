/**
 * The one place that turns an SDK or network error into something a person can act on.
 * SDK v3 names errors by their AWS error code (`err.name`); AccessDenied is not modelled for
 * Secrets Manager, KMS, IAM or STS, so everything here matches on names and HTTP status.
 */
import { visible } from '../visible.js';

export type ProblemKind =
  | 'no-credentials'
  | 'expired-credentials'
  | 'sso-expired'
  | 'invalid-key'
  | 'signature'
  | 'access-denied'
  | 'not-found'
  | 'invalid-request'
  | 'throttled'
  | 'timeout'
  | 'server'
  | 'network'
  | 'no-region'
  | 'no-profile'
  | 'unreadable-response'
  | 'malformed'
  | 'other';

export interface Problem {
  kind: ProblemKind;
  /** The AWS error code or the JS error name. */
  code: string;
  /** The service's message, on one line, shortened. */
  message: string;
  status?: number;
}

const NAMES: Record<string, ProblemKind> = {
  CredentialsProviderError: 'no-credentials',
  ProfileNotFound: 'no-profile',
  ExpiredToken: 'expired-credentials',
  ExpiredTokenException: 'expired-credentials',
  RequestExpired: 'expired-credentials',
  TokenProviderError: 'sso-expired',
  InvalidClientTokenId: 'invalid-key',
  UnrecognizedClientException: 'invalid-key',
  SignatureDoesNotMatch: 'signature',
  InvalidSignatureException: 'signature',
  AccessDenied: 'access-denied',
  AccessDeniedException: 'access-denied',
  UnauthorizedOperation: 'access-denied',
  ResourceNotFoundException: 'not-found',
  NotFoundException: 'not-found',
  NoSuchEntity: 'not-found',
  NoSuchEntityException: 'not-found',
  InvalidRequestException: 'invalid-request',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  TimeoutError: 'timeout',
  RequestTimeout: 'timeout',
  RequestTimeoutException: 'timeout',
  InternalServiceError: 'server',
  InternalFailure: 'server',
  ServiceUnavailable: 'server',
  KMSInternalException: 'server',
  DependencyTimeoutException: 'server',
  MalformedResponse: 'malformed',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** AWS's text, which may carry anything (a Sid, a name): on one line, hidden characters made visible. */
function oneLine(text: string): string {
  const flat = visible(text.replace(/\s+/g, ' ').trim());
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** The SDK's deserialisation failures: a SyntaxError from JSON.parse, or its XML parser's Error. */
function unparsable(name: string, message: string): boolean {
  return (name === 'Error' || name === 'SyntaxError') && /pars|unexpected|xml|json/i.test(message);
}

/** Only what the SDK's deserialiser says it failed on (it appends "Deserialization error: ..."). */
function undeserializable(name: string, message: string): boolean {
  return name === 'SyntaxError' || (name === 'Error' && /Deserialization error|XML parse error/i.test(message));
}

export function classify(error: unknown): Problem {
  const err = (error ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
  };
  const name = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const message = oneLine(String(err.message ?? name));
  // The code comes from the answer too (an error document's __type): shown, so made visible.
  const base = { code: visible(name), message, ...(status === undefined ? {} : { status }) };

  if (name === 'CredentialsProviderError' && /sso|token/i.test(message) && /expired|refresh/i.test(message)) {
    return { kind: 'sso-expired', ...base };
  }
  // Own names only: an error code such as `constructor` from a hostile endpoint is no kind of problem.
  const named = Object.hasOwn(NAMES, name) ? NAMES[name] : undefined;
  if (named) return { kind: named, ...base };
  if (/Region is missing/i.test(message)) return { kind: 'no-region', ...base };
  if (err.code && NETWORK_CODES.has(err.code)) return { kind: 'network', ...base, code: err.code };
  if (err.code === 'ETIMEDOUT' || /timed? ?out|socket hang up/i.test(message)) return { kind: 'timeout', ...base };
  // moto answers some denials with an XML body that the JSON protocol cannot parse: a 403 is a denial.
  if (status === 403) return { kind: 'access-denied', ...base };
  if (status === 404) return { kind: 'not-found', ...base };
  if (status === 429) return { kind: 'throttled', ...base };
  // An error page instead of an AWS error document: typically an operation the endpoint does not
  // implement (moto's IAM simulator, ValidateResourcePolicy). Trying again will not change it.
  if (status !== undefined && status >= 500 && unparsable(name, message)) {
    return { kind: 'unreadable-response', ...base };
  }
  if (status !== undefined && status >= 500) return { kind: 'server', ...base };
  // A success (or a 4xx other than the above) whose body the SDK could not read: empty, cut short, HTML,
  // not JSON. Never a fact about the account: a fault on the way, counted by service-health.
  // The parser's message quotes the body, which is whatever the other end sent: say what it was not.
  if (undeserializable(name, message))
    return { kind: 'malformed', ...base, message: `the body is not the ${/xml/i.test(message) ? 'XML' : 'JSON'} document expected` };
  return { kind: 'other', ...base };
}

/** True for the problems that mean the credentials themselves do not work. */
export function isCredentialProblem(problem: Problem): boolean {
  return ['no-credentials', 'expired-credentials', 'sso-expired', 'invalid-key', 'signature'].includes(problem.kind);
}

/** True for problems that say something about AWS's health rather than about the account. */
export function isServiceProblem(problem: Problem): boolean {
  return ['throttled', 'timeout', 'server', 'network', 'malformed', 'unreadable-response'].includes(problem.kind);
}

/**
 * A service problem that trying again may cure: not an error page, which means the operation is not
 * implemented there (moto's IAM simulator), and stays so.
 */
export function isTransient(problem: Problem): boolean {
  return isServiceProblem(problem) && problem.kind !== 'unreadable-response';
}

/** One sentence: what happened and what to do next. */
export function sentence(problem: Problem, profile?: string): string {
  const p = profile ? ` --profile ${profile}` : '';
  switch (problem.kind) {
    case 'no-credentials':
      return `No AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run \`aws configure${p}\`.`;
    case 'expired-credentials':
      return `The AWS credentials have expired: refresh them (for SSO, \`aws sso login${p}\`) and run again.`;
    case 'sso-expired':
      return `The SSO session has expired: run \`aws sso login${p}\` and run again.`;
    case 'invalid-key':
      return 'AWS does not recognise the access key ID: check the credentials in use (`aws configure list`) and run again.';
    case 'signature':
      return 'AWS rejected the request signature: check the secret access key and the local clock, then run again.';
    case 'access-denied':
      return `Access denied (${problem.code}): ${problem.message}`;
    case 'not-found':
      return `Not found (${problem.code}): ${problem.message}`;
    case 'invalid-request':
      return `AWS refused the request (${problem.code}): ${problem.message}`;
    case 'throttled':
      return 'AWS throttled the requests: wait a minute and run again.';
    case 'timeout':
      return 'A request to AWS timed out: check the network (or raise --timeout) and run again.';
    case 'server':
      return `AWS answered with a server error (${problem.code}): wait a minute and run again.`;
    case 'network':
      return `AWS could not be reached (${problem.code}): check the network, proxy settings and endpoint, then run again.`;
    case 'no-region':
      return 'No AWS Region is set: pass --region, set AWS_REGION, or set a region in the profile.';
    case 'no-profile':
      return problem.message;
    case 'unreadable-response':
      return `The endpoint answered HTTP ${problem.status ?? '5xx'} with a page that is not an AWS response (the operation may not be implemented there).`;
    case 'malformed':
      return `AWS's answer could not be read (${problem.status ? `HTTP ${problem.status}, ` : ''}${problem.message}): it is not trusted; wait a minute and run again, and check any proxy between here and AWS.`;
    case 'other':
      return `${problem.code}: ${problem.message}`;
  }
}
