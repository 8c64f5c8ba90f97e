/**
 * Throttling, 5xx, timeouts and malformed answers met while checking (P6). Runs after every other check: `warn` when retries
 * or fallbacks recovered, `fail` when such a problem left a check unknown.
 */
import type { RequestRecord } from '../aws/session.js';
import type { Finding } from '../types.js';
import { isServiceProblem } from '../aws/errors.js';
import { outcome, type Outcome } from './common.js';

/** Calls whose failure is expected where they are not implemented, and reported by the check that fell back. */
const FALLBACK_OPERATIONS = new Set(['SimulatePrincipalPolicy', 'ValidateResourcePolicy']);
/**
 * Evidence lookups that an endpoint may not implement (an emulator, a Region without the preview): an error
 * page in place of an answer says "not here", which the check that asked reports; throttling still counts.
 */
const OPTIONAL_OPERATIONS = new Set(['LookupEvents', 'GetRequestAuthorizationDetails']);

const THROTTLING = /throttl|toomanyrequests|requestlimitexceeded|slowdown/i;

function troubled(record: RequestRecord): string | undefined {
  if (FALLBACK_OPERATIONS.has(record.operation)) return undefined;
  if (OPTIONAL_OPERATIONS.has(record.operation) && record.problem?.kind === 'unreadable-response') return undefined;
  const bad = record.tries.filter((t) => t.status === undefined || t.status === 429 || t.status >= 500 || (t.code !== undefined && THROTTLING.test(t.code)));
  const problem = record.problem;
  const gaveUp = problem !== undefined && isServiceProblem(problem);
  if (!bad.length && !gaveUp) return undefined;
  const kind = problem?.kind;
  const throttled = kind === 'throttled' || bad.some((t) => t.status === 429 || (t.code && THROTTLING.test(t.code)));
  const what = throttled
    ? 'throttled'
    : kind === 'timeout'
      ? 'timed out'
      : kind === 'network'
        ? 'unreachable'
        : kind === 'malformed'
          ? 'malformed answer'
          : kind === 'unreadable-response'
            ? 'error page instead of an answer'
            : 'server error';
  const answers = record.tries.map((t) => t.code ?? t.status ?? 'no answer').join(', ');
  return `${record.service}:${record.operation} in ${record.region}: ${what} (${answers || 'no answer'})${gaveUp ? `, gave up: ${record.problem!.code}` : ', recovered'}`;
}

export function serviceHealth(log: RequestRecord[], findings: Finding[]): Outcome {
  const events = log.map(troubled).filter((e): e is string => Boolean(e));
  // A check marks the service problem it met; one that only names the error (evidence.error) counts when
  // that error is one a request of this run gave up on.
  const gaveUp = new Set(log.filter((r) => r.problem && isServiceProblem(r.problem) && troubled(r)).map((r) => r.problem!.code));
  const leftUnknown = findings.filter(
    (f) => f.status === 'unknown' && (f.evidence.serviceProblem || (typeof f.evidence.error === 'string' && gaveUp.has(f.evidence.error))),
  );
  const evidence = { requests: log.length, troubled: events.length };
  if (leftUnknown.length) {
    return outcome('fail', `AWS throttled, failed, timed out or answered malformed, leaving ${leftUnknown.map((f) => f.id).join(', ')} unknown.`, {
      details: events,
      evidence,
      remediation:
        'This is likely on the AWS side (P6): wait a few minutes and run again; if it persists, check the AWS Health Dashboard (and any proxy between here and AWS).',
    });
  }
  if (events.length) {
    return outcome(
      'warn',
      gaveUp.size
        ? `AWS throttled, failed, timed out or answered malformed ${events.length} time(s); no check was left unknown by it.`
        : `AWS throttled, failed or timed out ${events.length} time(s), but retries recovered.`,
      {
        details: events,
        evidence,
        remediation: 'Nothing to fix; if Incident Manager still refuses the secret while every check passes, wait and retry (a service-side problem, P6).',
      },
    );
  }
  return outcome('pass', `${log.length} request(s) to AWS, none throttled, failed or timed out.`, { evidence });
}
