/** Reading the secret's resource policy and the key policy once, parsed, for the policy checks. */
import { parsePolicy, type ParsedPolicy } from '../policy/parse.js';
import { couldNotSee, outcome, needSecret, needCustomerKey, type CheckContext, type Needed, type Outcome } from './common.js';
import type { SecretFact, KeyFact } from '../facts/index.js';
import { dependsEvidence, describeOutcomes, describeUnobserved, type ContextDecision } from '../policy/observability.js';
import { shellQuote } from '../shell.js';

export const SECRET_POLICY = "the secret's resource policy";
export const KEY_POLICY = 'the key policy';

export interface LoadedPolicy {
  text?: string | undefined;
  parsed?: Extract<ParsedPolicy, { ok: true }> | undefined;
}

export async function needSecretPolicy(ctx: CheckContext): Promise<Needed<{ secret: SecretFact; policy: LoadedPolicy }>> {
  // GetResourcePolicy takes the ID as given: it starts alongside DescribeSecret.
  const pending = ctx.facts.secretPolicy();
  const secret = await needSecret(ctx);
  if ('outcome' in secret) return secret;
  const policy = await pending;
  if (!policy.ok) {
    return { outcome: couldNotSee(SECRET_POLICY, policy.problem, 'secretsmanager:GetResourcePolicy on the secret') };
  }
  if (policy.value === undefined || policy.value.trim() === '') return { value: { secret: secret.value, policy: {} } };
  const parsed = parsePolicy(policy.value);
  if (!parsed.ok) {
    return {
      outcome: outcome('fail', `${cap(SECRET_POLICY)} cannot be evaluated: ${parsed.error}.`, {
        evidence: { api: 'secretsmanager:GetResourcePolicy', policyLength: policy.value.length },
        remediation: `Replace it with a valid policy: \`aws secretsmanager put-resource-policy --secret-id ${shellQuote(secret.value.description.ARN ?? '')} --resource-policy file://policy.json --block-public-policy\`.`,
      }),
    };
  }
  return { value: { secret: secret.value, policy: { text: policy.value, parsed } } };
}

export async function needKeyPolicy(
  ctx: CheckContext,
): Promise<Needed<{ key: Extract<KeyFact, { metadata: unknown }>; secret: SecretFact; policy: Extract<ParsedPolicy, { ok: true }>; text: string }>> {
  // GetKeyPolicy starts now, alongside DescribeKey: the fact waits for DescribeSecret only.
  const pending = ctx.facts.keyPolicy();
  const key = await needCustomerKey(ctx);
  if ('outcome' in key) return key;
  const secret = (await ctx.facts.secret()) as { ok: true; value: SecretFact };
  const policy = await pending;
  if (!policy) return { outcome: outcome('skip', 'Skipped: the secret has no customer managed key.') };
  if (!policy.ok) {
    const seen = couldNotSee(`the key policy of ${key.value.metadata.Arn}`, policy.problem, 'kms:GetKeyPolicy on the key');
    if (key.value.metadata.AWSAccountId && secret.value.description.ARN?.split(':')[4] !== key.value.metadata.AWSAccountId) {
      seen.details.push('The key is in another account: GetKeyPolicy does not work across accounts; ask the key owner to check.');
    }
    return { outcome: seen };
  }
  const parsed = parsePolicy(policy.value);
  if (!parsed.ok) {
    return {
      outcome: outcome('fail', `The key policy of ${key.value.metadata.Arn} cannot be evaluated: ${parsed.error}.`, {
        evidence: { keyArn: key.value.metadata.Arn },
      }),
    };
  }
  return { value: { key: key.value, secret: secret.value, policy: parsed, text: policy.value } };
}

export function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The policy conditions on a context key that the IAM engine sets aside (today: the
 * `kms:EncryptionContext:<name>` keys), so its verdict would be wrong: say so instead of guessing.
 */
export function engineBlind(keys: string[], evidence: Record<string, unknown>, details: string[]): Outcome {
  return outcome('unknown', `The policy has conditions on ${keys.join(', ')}, which the policy engine cannot evaluate yet.`, {
    details: [
      ...details,
      "Secrets Manager sends the encryption context SecretARN and SecretVersionId; check by hand that the condition matches the secret's ARN.",
    ],
    evidence: { ...evidence, unevaluatedKeys: keys },
    remediation: "Compare the condition with the secret's ARN (`aws secretsmanager describe-secret --secret-id ID --query ARN`).",
  });
}

/** A policy the engine refused: invalid IAM is a problem of the account (fail); an engine limit is unknown. */
export function unevaluable(policyName: string, result: { error: string; invalid: boolean }, evidence: Record<string, unknown>): Outcome {
  return result.invalid
    ? outcome('fail', `${cap(policyName)} is not a valid IAM policy: ${result.error}.`, {
        evidence,
        remediation: 'Correct the policy so that IAM accepts it; AWS refuses requests it cannot evaluate.',
      })
    : outcome('unknown', `${cap(policyName)} could not be evaluated: ${result.error}.`, {
        evidence,
        remediation: 'Check the policy by hand against the request; the details name what the engine could not evaluate.',
      });
}

/** A statement whose only principal is the account itself (`arn:...:iam::ACCOUNT:root` or `ACCOUNT`). */
export function namesOnlyAccount(statement: Record<string, unknown> | undefined, account: string): boolean {
  const principal = statement?.Principal;
  if (typeof principal !== 'object' || principal === null) return false;
  const entries = Object.entries(principal as Record<string, unknown>);
  const aws = entries.length === 1 && entries[0]![0] === 'AWS' ? entries[0]![1] : undefined;
  const list = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
  return list.length > 0 && list.every((p) => p === account || (typeof p === 'string' && /^arn:[^:]+:iam::(\d{12}):root$/.exec(p)?.[1] === account));
}

/**
 * A decision that changes with a value the tool cannot see (SPEC.md, "no verdict rests on an assumed
 * absence"): `unknown`, naming the keys and, for each decision, values that lead to it.
 */
export function dependsOutcome(
  what: string,
  decision: Extract<ContextDecision, { ok: true }>,
  evidence: Record<string, unknown>,
  details: string[] = [],
  /** The refused request's operation, to look it up in CloudTrail. */
  action = 'secretsmanager:GetSecretValue',
): Outcome {
  const sourceArn = decision.unobserved.some((u) => /^aws:sourcearn$/i.test(u.key));
  return outcome('unknown', `Whether ${what} depends on ${describeUnobserved(decision)}, which the tool cannot observe from here.`, {
    details: [
      `${cap(describeOutcomes(decision))}.`,
      'The tool does not assume such a key absent: the request that was refused carried values of its own.',
      ...details,
    ],
    evidence: { ...evidence, ...dependsEvidence(decision) },
    remediation: sourceArn
      ? "Give the response plan's ARN with --response-plan ARN, so Incident Manager's aws:SourceArn is known."
      : `Look up what the refused request carried (CloudTrail: \`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=${action.split(':')[1] ?? action} --max-results 10\`, its sourceIPAddress and vpcEndpointId), then compare it with the values above (see policy-conditions).`,
  });
}

/** The decisions a request may get, whatever the unobservable keys carry. */
export function possible(decision: Extract<ContextDecision, { ok: true }>): Set<string> {
  return new Set(decision.outcomes.map((o) => o.decision));
}
