/**
 * Where the principal's identity-based policies are read. IAM users and roles, and their policies, exist
 * only in their own account: GetRole or GetUser in the caller's account for a principal of another account
 * would read a same-named entity of the wrong account and report its policies as the principal's.
 */
import type { AwsSession } from '../aws/session.js';
import { classify, type Problem } from '../aws/errors.js';

type Got<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Problem codes of this module (not AWS's): the identity side cannot be read from here. */
export const PRINCIPAL_IN_OTHER_ACCOUNT = 'PrincipalInOtherAccount';
export const PRINCIPAL_PROFILE_ACCOUNT = 'PrincipalProfileAccount';

/** The account of an IAM or STS ARN (its fifth field), or undefined. */
export function accountOf(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** The account a profile's credentials act in (sts:GetCallerIdentity, which needs no permission). */
export async function profileAccount(session: AwsSession): Promise<Got<string>> {
  try {
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const out = await (await session.sts()).send(new GetCallerIdentityCommand({}));
    return { ok: true, value: out.Account ?? '' };
  } catch (error) {
    return { ok: false, problem: classify(error) };
  }
}

/** The sentence for --principal-profile credentials of the wrong account (a usage error in the CLI). */
export function wrongProfileAccount(profile: string, profileAcct: string, principalAcct: string): string {
  return `--principal-profile ${profile} acts in account ${profileAcct}, but the principal is in account ${principalAcct}: give a profile of account ${principalAcct}.`;
}

export interface PrincipalIamInput {
  session: AwsSession;
  /** --principal, or undefined for the caller. */
  principalArn: string | undefined;
  profile: string | undefined;
  caller: () => Promise<Got<{ account: string }>>;
  /** --principal-profile's session (built on first use). */
  other: () => AwsSession;
}

export async function principalIamSession(input: PrincipalIamInput): Promise<Got<AwsSession>> {
  const account = accountOf(input.principalArn);
  if (!input.principalArn || !account) return { ok: true, value: input.session };
  const caller = await input.caller();
  // Without the caller's account nothing is read anyway (credentials fail); keep the caller's session.
  if (!caller.ok || caller.value.account === account) return { ok: true, value: input.session };
  if (!input.profile) {
    return {
      ok: false,
      problem: {
        kind: 'other',
        code: PRINCIPAL_IN_OTHER_ACCOUNT,
        message: `The identity policies of ${input.principalArn} are in account ${account}, and secrets-doctor runs as account ${caller.value.account}: they cannot be read from here.`,
      },
    };
  }
  const other = input.other();
  const acct = await profileAccount(other);
  if (!acct.ok) return acct;
  if (acct.value !== account) {
    return { ok: false, problem: { kind: 'other', code: PRINCIPAL_PROFILE_ACCOUNT, message: wrongProfileAccount(input.profile, acct.value, account) } };
  }
  return { ok: true, value: other };
}

/**
 * For the command line, before any check: the sentence of a usage error when --principal-profile's
 * credentials are not in --principal's account, or do not work; undefined when they are right.
 */
export async function principalProfileProblem(session: AwsSession, profile: string, principalArn: string | undefined): Promise<string | undefined> {
  const account = accountOf(principalArn);
  if (!account) return undefined;
  const acct = await profileAccount(session.forProfile(profile));
  if (!acct.ok) return `--principal-profile ${profile} cannot be used: ${acct.problem.code} (${acct.problem.message}).`;
  return acct.value === account ? undefined : wrongProfileAccount(profile, acct.value, account);
}
