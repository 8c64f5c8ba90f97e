/**
 * What the principal-dependent checks say when the principal itself is the problem: it does not exist
 * (a typo in --principal), or its identity policies are in another account that the tool cannot read.
 */
import type { Problem } from '../aws/errors.js';
import type { Principal } from '../facts/index.js';
import { PRINCIPAL_IN_OTHER_ACCOUNT, PRINCIPAL_PROFILE_ACCOUNT } from '../facts/principal-account.js';
import type { CheckContext } from './common.js';

export interface PrincipalProblem {
  summary: string;
  remediation: string;
  evidence: Record<string, unknown>;
}

const NO_SUCH_ENTITY = /^NoSuchEntity/;

/**
 * The principal named with --principal does not exist: IAM answered NoSuchEntity for its user or role
 * (GetUser/GetRole, or the simulator for its ARN). The caller is never missing: it has just made requests.
 * `problems`: what other reads of the principal (the simulator) answered, if any.
 */
export async function missingPrincipal(ctx: CheckContext, p: Principal, problems: (Problem | undefined)[] = []): Promise<PrincipalProblem | undefined> {
  if (p.isCaller || !p.name || (p.kind !== 'role' && p.kind !== 'user')) return undefined;
  // The caller named by ARN (e.g. from a pasted error message) exists all the same.
  const caller = await ctx.facts.identity();
  if (caller.ok && (caller.value.arn === p.given || caller.value.arn.replace(/^(arn:[^:]+:)sts(::\d{12}:user\/)/, '$1iam$2') === p.arn)) return undefined;
  const read = p.kind === 'role' ? await ctx.facts.roleDetails(p.name) : await ctx.facts.userDetails(p.name);
  const answer = !read.ok && NO_SUCH_ENTITY.test(read.problem.code) ? read.problem : problems.find((x) => x && NO_SUCH_ENTITY.test(x.code));
  if (!answer) return undefined;
  const list = p.kind === 'role' ? "aws iam list-roles --query 'Roles[].Arn'" : "aws iam list-users --query 'Users[].Arn'";
  return {
    summary: `There is no ${p.kind} ${p.name} in account ${p.account}.`,
    remediation: `IAM answered ${answer.code} for ${p.given}. Check the principal's ARN (--principal): list the ${p.kind}s of account ${p.account} with \`${list}\` and run again with the right one.`,
    evidence: { principal: p.given, error: answer.code, account: p.account },
  };
}

/** The identity side of a principal of another account could not be read (no or a wrong --principal-profile). */
export function otherAccountSide(problem: Problem | undefined, p: Principal): PrincipalProblem | undefined {
  if (problem?.code === PRINCIPAL_IN_OTHER_ACCOUNT) {
    return {
      summary: `The identity policies of ${p.given} are in account ${p.account}, which secrets-doctor cannot read from here: whether they allow it is unknown.`,
      remediation: `Run again with --principal-profile PROFILE, a profile with credentials in account ${p.account} that may read IAM there (iam:GetRole/GetUser and the policy reads, or iam:SimulatePrincipalPolicy), or run secrets-doctor as someone in account ${p.account}.`,
      evidence: { principal: p.given, principalAccount: p.account, error: problem.code },
    };
  }
  if (problem?.code === PRINCIPAL_PROFILE_ACCOUNT) {
    return {
      summary: problem.message,
      remediation: `Give --principal-profile a profile of account ${p.account}.`,
      evidence: { principal: p.given, error: problem.code },
    };
  }
  return undefined;
}
