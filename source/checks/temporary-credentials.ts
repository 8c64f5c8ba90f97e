/**
 * Temporary security credentials: whether the credentials in use are temporary (a session token), when they
 * expire or expired (read from the SDK's credential identity), and the role behind the session. A session
 * is never broader than its role: session policies and permissions boundaries only narrow it, so the role's
 * permissions are what the other checks evaluate.
 */
import { parseAccessDenied, describeDenial } from '../error-message.js';
import { outcome, type Check } from './common.js';
import { shellQuote } from '../shell.js';

const SOON_MS = 15 * 60_000;

function timeSpan(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

const NARROWING =
  "A session policy passed when the session was created (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML, GetFederationToken: Policy or PolicyArns) and a permissions boundary can only narrow the role's permissions, never widen them; the tool cannot see a session policy (no API returns it).";
const CLOUDTRAIL = '`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRole --max-results 20`';

export const temporaryCredentials: Check = {
  id: 'temporary-credentials',
  title: 'Temporary credentials are valid',
  async run({ facts, inputs, symptom }) {
    const [info, identity, principal] = await Promise.all([facts.credentialInfo(), facts.identity(), facts.principal()]);
    if (!info.ok || !identity.ok) return outcome('skip', 'Skipped: the credentials could not be read (see credentials).');
    const { arn, type } = identity.value;
    const evidence: Record<string, unknown> = {
      source: 'the SDK credential identity and sts:GetCallerIdentity',
      caller: arn,
      identityType: type,
      temporary: info.value.temporary,
    };
    const details: string[] = [];
    const parsed = parseAccessDenied(inputs.errorMessage);

    // The role (or user) behind the session, and what can narrow it.
    const p = principal.ok ? principal.value : undefined;
    if (p?.kind === 'role') {
      evidence.role = p.arn;
      const session = /assumed-role\/[^/]+\/(.+)$/.exec(p.given)?.[1];
      if (session) evidence.sessionName = session;
      if (p.lookupProblem) details.push(`The role's path could not be read with iam:GetRole (${p.lookupProblem.code}): evaluated as ${p.arn}.`);
      if (p.name) {
        const role = await facts.roleDetails(p.name);
        if (role.ok) {
          const boundary = role.value.PermissionsBoundary?.PermissionsBoundaryArn;
          evidence.permissionsBoundary = boundary ?? 'none';
          if (boundary)
            details.push(`The role has the permissions boundary ${boundary}: the session may do only what both the role's policies and the boundary allow.`);
          if (role.value.MaxSessionDuration) {
            evidence.maxSessionDurationSeconds = role.value.MaxSessionDuration;
            details.push(
              `A session of this role lasts at most ${role.value.MaxSessionDuration / 3600} h (MaxSessionDuration); a session created by role chaining, at most 1 h.`,
            );
          }
        } else {
          details.push(`The role could not be read with iam:GetRole (${role.problem.code}): its permissions boundary is not known.`);
        }
      }
      details.push(`The session's permissions are those of ${p.arn}: the permission checks below evaluate that role.`);
    } else if (type === 'federated-user') {
      details.push(
        'A federated user session (GetFederationToken): its permissions are those of the IAM user that created it, narrowed by the session policy. The ARN does not name that user: give that user as the principal (--principal arn:aws:iam::ACCOUNT:user/NAME) to evaluate it.',
      );
    } else if (info.value.temporary && type === 'user') {
      details.push(
        'A session of an IAM user (GetSessionToken, e.g. for MFA): the same permissions as the user, and the request counts as MFA-authenticated when the session was created with an MFA code.',
      );
    }
    details.push(NARROWING);
    evidence.sessionPolicy = 'not visible through any AWS API';
    if (p && !p.isCaller && p.given !== arn) {
      details.push(`The expiry below is that of the credentials secrets-doctor runs with (${arn}), not of ${p.given}'s session.`);
    }

    if (parsed.policyType === 'session') {
      evidence.errorMessage = { policyType: parsed.policyType, denial: parsed.denial, ...(parsed.action ? { action: parsed.action } : {}) };
      return outcome(
        'fail',
        `The error message says ${describeDenial(parsed)}: the session was created with a session policy that does not allow ${parsed.action ?? 'the request'}.`,
        {
          details,
          evidence,
          remediation: `Create the session without that session policy, or with one that allows ${parsed.action ?? 'the action'} (the Policy / PolicyArns of the AssumeRole call; find it with ${CLOUDTRAIL}), e.g. \`aws sts assume-role --role-arn ${p ? shellQuote(p.arn) : 'ROLE_ARN'} --role-session-name NAME\`.`,
        },
      );
    }

    if (!info.value.temporary) {
      const summary = `${arn} uses long-term credentials (no session token): nothing expires.`;
      if (symptom !== 'access-denied-temporary-credentials') return outcome('pass', summary, { details: [], evidence });
      const given = inputs.principal ? ` The permission checks evaluate ${inputs.principal}.` : '';
      return outcome('warn', `The credentials in use are not temporary, so these are not the credentials that were refused.${given}`, {
        details: [summary, ...details],
        evidence,
        remediation: inputs.principal
          ? "To check the refused session's expiry too, run with the profile or environment that holds its temporary credentials."
          : 'Run with the profile or environment that holds the refused temporary credentials, or give the role as the principal (--principal arn:aws:iam::ACCOUNT:role/NAME); check a profile with `aws sts get-caller-identity --profile P`.',
      });
    }

    const expiration = info.value.expiration;
    if (!expiration) {
      evidence.expiration = 'unknown';
      return outcome('pass', `Temporary credentials of ${p?.arn ?? arn}; the SDK was not told when they expire.`, {
        details: ['Credentials from the environment carry their expiry only in AWS_CREDENTIAL_EXPIRATION.', ...details],
        evidence,
      });
    }
    const left = expiration.getTime() - Date.now();
    evidence.expiration = expiration.toISOString();
    evidence.minutesLeft = Math.round(left / 60_000);
    const refresh =
      inputs.profile !== undefined
        ? `Get new credentials: for an SSO profile \`aws sso login --profile ${shellQuote(inputs.profile)}\`; for an assume-role profile any AWS CLI call with --profile ${shellQuote(inputs.profile)} renews them; otherwise \`aws sts assume-role --role-arn ${p ? shellQuote(p.arn) : 'ROLE_ARN'} --role-session-name NAME\`.`
        : `Get new credentials: \`aws sts assume-role --role-arn ${p ? shellQuote(p.arn) : 'ROLE_ARN'} --role-session-name NAME\` (or \`aws sso login --profile P\` for SSO), and let the application refresh them before they expire (the AWS SDKs do, with a credential provider rather than fixed keys).`;
    if (left <= 0) {
      return outcome(
        'fail',
        `The temporary credentials expired at ${expiration.toISOString()} (${timeSpan(left)} ago): AWS refuses requests signed with them.`,
        {
          details: [
            'AWS answers expired credentials with ExpiredToken / ExpiredTokenException ("The security token included in the request is expired").',
            ...details,
          ],
          evidence,
          remediation: refresh,
        },
      );
    }
    if (left < SOON_MS) {
      return outcome('warn', `The temporary credentials of ${p?.arn ?? arn} expire at ${expiration.toISOString()}, in ${timeSpan(left)}.`, {
        details,
        evidence,
        remediation: refresh,
      });
    }
    return outcome('pass', `Temporary credentials of ${p?.arn ?? arn}, valid until ${expiration.toISOString()} (${timeSpan(left)} left).`, {
      details,
      evidence,
    });
  },
};
