/**
 * "Changes I make aren't always immediately visible": read what was changed again and again, with backoff
 * (pollUntil, the one polling implementation the fix protocol's verification also uses), until it matches
 * the expectation or, without one, until consecutive reads agree, or the wait (--wait) runs out; a read
 * that proves the expectation can never be met stops the wait at once. Reports how long it took, and
 * explains eventual consistency and client-side caching. While it waits, it reports progress (elapsed time
 * and reads) about once a second.
 *
 * A value is never read for its content: a `value` change is followed through version IDs and staging
 * labels. Only with --expect FILE and --read-value is the value read, and then only a SHA-256 digest of it
 * is compared in memory (facts.readChange); neither the value nor the digest is kept or shown.
 *
 * This module finds what to read and reads it; propagation/decide.ts decides, propagation/word.ts says it.
 */
import type { ChangeRead, ChangeReadKind, Got } from '../facts/index.js';
import { pollUntil } from '../poll.js';
import { outcome, couldNotSee, needSecret, needCustomerKey, quote, type Check, type CheckContext, type Outcome } from './common.js';
import { decidePropagation, planOf, settles, type Changed } from './propagation/decide.js';
import { progressText, wordPropagation, type Target } from './propagation/word.js';

async function resolveTarget(ctx: CheckContext, changed: Changed, kind: ChangeReadKind): Promise<{ target: Target } | { outcome: Outcome }> {
  const { facts } = ctx;
  if (changed === 'key-policy') {
    const named = await facts.namedKey();
    if (named) {
      if (!named.ok) {
        return named.problem.kind === 'not-found'
          ? { outcome: outcome('skip', `Skipped: no KMS key ${quote(facts.namedKeyId!)} (see kms-key-usable).`) }
          : { outcome: couldNotSee(`the KMS key ${quote(facts.namedKeyId!)}`, named.problem, 'kms:DescribeKey on the key') };
      }
      if (named.value.managedBy === 'aws')
        return { outcome: outcome('skip', 'The AWS managed key aws/secretsmanager has a key policy nobody can change: there is no change to watch.') };
      const m = named.value.metadata;
      const region = m.Arn?.split(':')[3] ?? '';
      return { target: keyTarget(region, m.Arn!) };
    }
    if (!facts.ref) return { outcome: outcome('skip', 'No key was given: name it (--kms-key-id), or give the secret (--secret-id).') };
    const key = await needCustomerKey(ctx);
    if ('outcome' in key) return key;
    const m = key.value.metadata;
    return { target: keyTarget(m.Arn?.split(':')[3] ?? '', m.Arn!) };
  }
  const secret = await needSecret(ctx);
  if ('outcome' in secret) return secret;
  const arn = secret.value.description.ARN!;
  const region = secret.value.region;
  const base = { target: { region, secretArn: arn } };
  switch (kind) {
    case 'versions':
      return {
        target: {
          kind,
          ...base,
          api: 'secretsmanager:ListSecretVersionIds',
          permission: 'secretsmanager:ListSecretVersionIds on the secret',
          what: `the versions of ${arn}`,
          command: `\`aws secretsmanager describe-secret --secret-id ${arn} --query VersionIdsToStages --region ${region}\``,
        },
      };
    case 'value-digest':
      return {
        target: {
          kind,
          ...base,
          api: 'secretsmanager:GetSecretValue',
          permission: 'secretsmanager:GetSecretValue on the secret',
          what: `the current value of ${arn}`,
          command: `\`aws secretsmanager describe-secret --secret-id ${arn} --query VersionIdsToStages --region ${region}\``,
        },
      };
    case 'resource-policy':
      return {
        target: {
          kind,
          ...base,
          api: 'secretsmanager:GetResourcePolicy',
          permission: 'secretsmanager:GetResourcePolicy on the secret',
          what: `the resource policy of ${arn}`,
          command: `\`aws secretsmanager get-resource-policy --secret-id ${arn} --region ${region}\``,
        },
      };
    default:
      return {
        target: {
          kind: 'metadata',
          ...base,
          api: 'secretsmanager:DescribeSecret',
          permission: 'secretsmanager:DescribeSecret on the secret',
          what: `the description and tags of ${arn}`,
          command: `\`aws secretsmanager describe-secret --secret-id ${arn} --region ${region}\``,
        },
      };
  }
}

function keyTarget(region: string, keyArn: string): Target {
  return {
    kind: 'key-policy',
    target: { region, keyArn },
    api: 'kms:GetKeyPolicy',
    permission: 'kms:GetKeyPolicy on the key',
    what: `the key policy of ${keyArn}`,
    command: `\`aws kms get-key-policy --key-id ${keyArn} --policy-name default --region ${region}\``,
  };
}

export const propagation: Check = {
  id: 'propagation',
  title: 'The change has propagated',
  async run(ctx) {
    const { inputs } = ctx;
    const changed = inputs.changed;
    if (!changed) return outcome('skip', 'Nothing to watch: say what was changed (--changed value, resource-policy, key-policy or metadata).');

    // What to expect, and so what to read.
    const plan = planOf(inputs, changed);
    if ('skip' in plan) {
      return plan.skip === 'not-json'
        ? outcome('skip', `Skipped: the --expect file is not valid JSON (${plan.error}), so there is nothing to compare with.`)
        : outcome('skip', 'Skipped: for metadata, --expect must be a JSON object such as {"Description": "...", "Tags": {"team": "ops"}}.');
    }
    const { expectation, notes } = plan;
    const resolved = await resolveTarget(ctx, changed, plan.kind);
    if ('outcome' in resolved) return resolved.outcome;
    const t = resolved.target;
    if (expectation.mode === 'digest') t.target.expectedDigests = expectation.digests;
    const waitMs = inputs.waitMs ?? 60_000;
    const result = await pollUntil<Got<ChangeRead>>(
      () => ctx.facts.readChange(t.kind, t.target),
      (read, previous) => settles(read, previous, expectation),
      {
        timeoutMs: waitMs,
        ...(ctx.progress ? { onProgress: (attempts, elapsedMs) => ctx.progress!(progressText(expectation, t.kind, attempts, elapsedMs)) } : {}),
      },
    );
    const last = result.value;
    const decision = decidePropagation(last, expectation, result.satisfied);
    return wordPropagation(decision, {
      changed,
      expectation,
      notes,
      target: t,
      waitMs,
      attempts: result.attempts,
      elapsedMs: result.elapsedMs,
      read: last.ok ? last.value : undefined,
    });
  },
};
