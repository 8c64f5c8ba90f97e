/**
 * The local clock against AWS's: SigV4 signatures carry the signing time, and AWS refuses requests signed
 * more than 5 minutes away from its own clock ("Signature expired", InvalidSignatureException /
 * SignatureDoesNotMatch). The comparison uses the `Date` header of the answers this diagnosis already got.
 */
import { outcome, type Check } from './common.js';

const WARN_MS = 60_000;
const FAIL_MS = 5 * 60_000;

function span(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}

const SYNC =
  'Synchronise the local clock with a time server (Linux: `sudo timedatectl set-ntp true`, or `sudo chronyc makestep` with chrony; macOS: `sudo sntp -sS time.apple.com`; Windows: `w32tm /resync`), then check that AWS accepts signed requests: `aws sts get-caller-identity`.';

export const clockSkew: Check = {
  id: 'clock-skew',
  title: 'The local clock agrees with AWS',
  async run({ facts }) {
    const reading = await facts.clockOffset();
    if (!reading.ok) {
      return outcome('unknown', 'No answer from AWS carried a Date header to compare the local clock with.', {
        details: ['A proxy or endpoint between this machine and AWS may strip the header.'],
        evidence: { header: 'Date', error: reading.problem.code },
        remediation: 'Compare the local clock with a time server by hand (`date -u`), or run from a network without the intermediary.',
      });
    }
    const { offsetMs, samples, operation, serverDate, localDate } = reading.value;
    const direction = offsetMs > 0 ? 'behind' : 'ahead of';
    const evidence = {
      api: operation,
      header: 'Date',
      serverDate,
      localTime: localDate,
      offsetSeconds: Math.round(offsetMs / 1000),
      samples,
    };
    const details = [
      `AWS's ${operation} answer said Date: ${serverDate}; the local clock read ${localDate} when it arrived.`,
      "SigV4 refuses a request signed more than 5 minutes away from AWS's clock.",
    ];
    if (Math.abs(offsetMs) > FAIL_MS) {
      return outcome('fail', `The local clock is ${span(offsetMs)} ${direction} AWS's: beyond SigV4's 5 minutes, AWS refuses the requests it signs.`, {
        details: [
          ...details,
          'The AWS SDKs correct for the offset after a refused request and retry; other clients, and the first request of each, fail with "Signature expired" (InvalidSignatureException or SignatureDoesNotMatch), which can look like access denied.',
        ],
        evidence,
        remediation: SYNC,
      });
    }
    if (Math.abs(offsetMs) > WARN_MS) {
      return outcome('warn', `The local clock is ${span(offsetMs)} ${direction} AWS's: not yet beyond SigV4's 5 minutes, but drifting.`, {
        details,
        evidence,
        remediation: SYNC,
      });
    }
    return outcome('pass', `The local clock is within ${span(Math.max(Math.abs(offsetMs), 1000))} of AWS's (the Date header of ${operation}).`, {
      details,
      evidence,
    });
  },
};
