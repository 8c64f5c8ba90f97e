import { sentence } from '../aws/errors.js';
import { outcome, type Check } from './common.js';

function timeLeft(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

export const credentials: Check = {
  id: 'credentials',
  title: 'AWS credentials work',
  async run({ facts, inputs }) {
    const [identity, info] = await Promise.all([facts.identity(), facts.credentialInfo()]);
    if (!identity.ok) {
      return outcome('fail', sentence(identity.problem, inputs.profile), {
        details: [`STS GetCallerIdentity failed: ${identity.problem.code}: ${identity.problem.message}`],
        evidence: { api: 'sts:GetCallerIdentity', error: identity.problem.code, kind: identity.problem.kind },
        remediation: sentence(identity.problem, inputs.profile),
      });
    }
    const { arn, account, type } = identity.value;
    const details: string[] = [];
    const evidence: Record<string, unknown> = { api: 'sts:GetCallerIdentity', arn, account, type };
    if (info.ok && info.value.temporary) {
      evidence.temporary = true;
      if (info.value.expiration) {
        evidence.expiration = info.value.expiration.toISOString();
        const left = info.value.expiration.getTime() - Date.now();
        details.push(`Temporary credentials; they expire at ${info.value.expiration.toISOString()} (in ${timeLeft(left)}).`);
        if (left < 15 * 60_000) {
          return outcome('warn', `Signed in as ${arn}, but the credentials expire in ${timeLeft(left)}.`, {
            details,
            evidence,
            remediation: 'Refresh the credentials before making changes (for SSO: `aws sso login`).',
          });
        }
      } else {
        details.push('Temporary credentials (a session token), with no expiry time known to the SDK.');
      }
    }
    return outcome('pass', `Signed in as ${arn} (${type}, account ${account}).`, { details, evidence });
  },
};
