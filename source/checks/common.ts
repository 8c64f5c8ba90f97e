/** What every check shares: the shape of a check, outcomes, and the prerequisites most checks await. */
import type { Facts, SecretFact, KeyFact, Principal } from '../facts/index.js';
import { isServiceProblem, sentence, type Problem } from '../aws/errors.js';
import type { CheckId, Finding, FixId, Inputs, Status, SymptomId } from '../types.js';
import { checksFor } from '../symptoms.js';
import { kmsNeedOf } from './kms-actions.js';
import { missingPrincipal } from './principal-side.js';

export interface CheckContext {
  facts: Facts;
  inputs: Inputs;
  symptom: SymptomId;
  /**
   * The findings of these other checks of the run, once they are in (the ones the run has): for a check that
   * compares AWS's own record with the tool's verdicts (aws-authorization). Never the asking check itself.
   */
  peers?: ((ids: CheckId[]) => Promise<Finding[]>) | undefined;
  /**
   * Says what the check is doing while it waits (propagation: "waiting for version ... : 12 s, 5 reads"),
   * about once a second; front-ends show the latest line next to the running check.
   */
  progress?: ((text: string) => void) | undefined;
}

export type Outcome = Omit<Finding, 'id' | 'title'>;

export interface Check {
  id: CheckId;
  title: string;
  run(ctx: CheckContext): Promise<Outcome>;
}

export function outcome(
  status: Status,
  summary: string,
  extra: { details?: string[]; evidence?: Record<string, unknown>; remediation?: string; fix?: FixId | undefined } = {},
): Outcome {
  return {
    status,
    summary,
    details: extra.details ?? [],
    evidence: extra.evidence ?? {},
    remediation: extra.remediation ?? '',
    ...(extra.fix ? { fix: extra.fix } : {}),
  };
}

/**
 * A request that did not answer: `unknown`, saying why and which permission would let the tool see.
 * Service problems (throttling, 5xx, timeouts) are marked so `service-health` can count them.
 */
export function couldNotSee(what: string, problem: Problem, permission: string): Outcome {
  const service = isServiceProblem(problem);
  return outcome('unknown', `Could not read ${what}: ${problem.code}.`, {
    details: [sentence(problem)],
    evidence: { error: problem.code, message: problem.message, ...(service ? { serviceProblem: problem.kind } : {}) },
    remediation: service
      ? problem.kind === 'malformed' || problem.kind === 'unreadable-response'
        ? 'Wait a minute and run again; if it persists, check any proxy or firewall between here and AWS (an answer could not be read).'
        : 'Wait a minute and run again (AWS was throttling, slow or failing).'
      : `Grant the identity running secrets-doctor ${permission}, or run it as one that has it.`,
  });
}

export type Needed<T> = { value: T } | { outcome: Outcome };

export async function needSecret(ctx: CheckContext): Promise<Needed<SecretFact>> {
  if (!ctx.facts.ref) return { outcome: outcome('skip', 'No secret was given (--secret-id).') };
  const secret = await ctx.facts.secret();
  if (secret.ok) return { value: secret.value };
  if (secret.problem.kind === 'not-found') {
    return { outcome: outcome('skip', 'Skipped: the secret was not found (see secret-exists).') };
  }
  return { outcome: outcome('skip', `Skipped: the secret could not be described (${secret.problem.code}; see secret-exists).`) };
}

/**
 * The principal, with its organization keys (aws:PrincipalOrgID, aws:PrincipalOrgPaths) where observed:
 * every check that builds a caller's request context gets them from here. DescribeOrganization starts
 * with GetCallerIdentity, in the first wave. `reportsMissing`: the check itself says that the principal does
 * not exist (caller-permission); the others skip.
 */
export async function needPrincipal(ctx: CheckContext, reportsMissing = false): Promise<Needed<Principal>> {
  const [principal] = await Promise.all([ctx.facts.principal(), ctx.facts.organization.organization()]);
  if (!principal.ok) return { outcome: outcome('skip', 'Skipped: the caller could not be identified (see credentials).') };
  const missing = reportsMissing ? undefined : await missingPrincipal(ctx, principal.value);
  if (missing) return { outcome: outcome('skip', `Skipped: ${missing.summary.replace(/\.$/, '')} (see caller-permission).`, { evidence: missing.evidence }) };
  // Where the refused request is looked up (denied-request), what it carried is observed context too.
  const [org, refused] = await Promise.all([
    ctx.facts.organization.principalKeys(principal.value.account),
    checksFor(ctx.symptom).includes('denied-request') ? import('./denied-request.js').then((m) => m.refusedRequestContext(ctx)) : undefined,
  ]);
  return { value: { ...principal.value, org, ...(refused ? { refused } : {}) } };
}

/** The secret's customer managed key, or why a key check does not apply. */
export async function needCustomerKey(ctx: CheckContext): Promise<Needed<Extract<KeyFact, { metadata: unknown }>>> {
  const secret = await needSecret(ctx);
  if ('outcome' in secret) return secret;
  const key = await ctx.facts.key();
  if (!key.ok) {
    if (key.problem.kind === 'not-found') {
      return { outcome: outcome('skip', "Skipped: the secret's KMS key was not found (see kms-key-customer-managed).") };
    }
    return { outcome: couldNotSee(`the KMS key ${secret.value.description.KmsKeyId}`, key.problem, 'kms:DescribeKey on the key') };
  }
  if (key.value.managedBy === 'aws') {
    return {
      outcome: outcome(
        'skip',
        'Skipped: the secret uses the AWS managed key aws/secretsmanager, whose policy cannot be changed (see kms-key-customer-managed).',
        {
          evidence: { kmsKey: 'aws/secretsmanager' },
        },
      ),
    };
  }
  return { value: key.value };
}

/** Display form of a value inside a sentence. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * The ARN a principal is evaluated as in a resource policy: a role session as itself, whether it is the
 * caller or given with --principal (policies may name the session: IAM User Guide, "AWS JSON policy
 * elements: Principal", role session principals), everything else as its IAM entity.
 */
export function evaluatedArn(principal: Principal): string {
  return principal.kind === 'role' && /^arn:[^:]+:sts::\d{12}:assumed-role\//.test(principal.given) ? principal.given : principal.arn;
}

/**
 * The KMS permissions a Secrets Manager action needs on a customer managed key, through Secrets Manager:
 * the operation's row of KMS_NEEDS (kms-actions.ts, with its sources). Unknown operations need none.
 */
export function kmsActionsFor(action: string): string[] {
  return kmsNeedOf(action)?.actions ?? [];
}
