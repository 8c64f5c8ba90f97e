/**
 * "Changes I make aren't always immediately visible": read what was changed again and again, with backoff
 * (pollUntil, the one polling implementation the fix protocol's verification also uses), until it matches
 * the expectation or, without one, until consecutive reads agree, or the wait (--wait) runs out. Reports
 * how long it took, and explains eventual consistency and client-side caching.
 *
 * A value is never read for its content: a `value` change is followed through version IDs and staging
 * labels. Only with --expect FILE and --read-value is the value read, and then only a SHA-256 digest of it
 * is compared in memory (facts.readChange); neither the value nor the digest is kept or shown.
 */
import { createHash } from 'node:crypto';
import type { ChangeRead, ChangeReadKind, ChangeTarget, Got, VersionRead } from '../facts/index.js';
import { pollUntil } from '../poll.js';
import { outcome, couldNotSee, needSecret, needCustomerKey, quote, type Check, type CheckContext, type Outcome } from './common.js';

type Changed = NonNullable<CheckContext['inputs']['changed']>;

type Expectation =
  | { mode: 'version'; versionId: string }
  | { mode: 'digest'; digests: string[] }
  | { mode: 'document'; canonical: string; statements: string[] }
  | { mode: 'fields'; fields: Record<string, unknown> }
  | { mode: 'agree' };

interface Target {
  kind: ChangeReadKind;
  target: ChangeTarget;
  /** The read's API, for the evidence. */
  api: string;
  /** The permission that read needs. */
  permission: string;
  /** What is read, in words. */
  what: string;
  /** The AWS CLI command that reads the same thing. */
  command: string;
}

const SEPARATOR = '\u0000';

/** IAM lets Statement be one object or an array of them: compare both the same way. */
function statementsAsList(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'Statement' in value) {
    const doc = value as Record<string, unknown>;
    return { ...doc, Statement: Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement] };
  }
  return value;
}

/** JSON with object keys sorted, so that two documents that differ only in key order compare equal. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(statementsAsList(value)));
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function statementLabels(value: unknown): string[] {
  const doc = value as { Statement?: unknown } | null;
  const list = doc && typeof doc === 'object' ? (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) : [];
  return list.map((s, i) => {
    const sid = (s as { Sid?: unknown })?.Sid;
    return typeof sid === 'string' && sid ? `"${sid}"` : `#${i + 1}`;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

function current(versions: VersionRead[]): VersionRead | undefined {
  return versions.find((v) => v.stages.includes('AWSCURRENT'));
}

/** What a read showed, in a form two reads can be compared by (never a value). */
function signature(read: ChangeRead): string {
  switch (read.kind) {
    case 'versions':
      return read.versions
        .map((v) => `${v.id}:${[...v.stages].sort().join(',')}`)
        .sort()
        .join(SEPARATOR);
    case 'value-digest':
      return `${read.versionId ?? ''}:${read.matches}`;
    case 'policy': {
      if (read.text === undefined) return 'none';
      const parsed = parseJson(read.text);
      return parsed.ok ? canonical(parsed.value) : read.text;
    }
    case 'metadata':
      return canonical(read.fields);
  }
}

function satisfies(read: ChangeRead, expectation: Expectation): boolean {
  switch (expectation.mode) {
    case 'version':
      return read.kind === 'versions' && current(read.versions)?.id === expectation.versionId;
    case 'digest':
      return read.kind === 'value-digest' && read.matches;
    case 'document':
      return read.kind === 'policy' && signature(read) === expectation.canonical;
    case 'fields':
      return read.kind === 'metadata' && Object.entries(expectation.fields).every(([k, v]) => canonical(read.fields[k] ?? null) === canonical(v));
    case 'agree':
      return false;
  }
}

/** One line on what AWS returns now (versions and stages, a policy's statements, metadata fields). */
function observed(read: ChangeRead): { text: string; evidence: Record<string, unknown> } {
  switch (read.kind) {
    case 'versions': {
      const cur = current(read.versions);
      const stages = Object.fromEntries(read.versions.filter((v) => v.stages.length).map((v) => [v.id, v.stages]));
      return { text: cur ? `AWSCURRENT is version ${cur.id}${cur.created ? ` (created ${cur.created})` : ''}` : 'no version is AWSCURRENT', evidence: { versionStages: stages } };
    }
    case 'value-digest':
      return {
        text: `the AWSCURRENT value (version ${read.versionId ?? 'unknown'}) ${read.matches ? 'is' : 'is not'} the one in --expect`,
        evidence: { versionId: read.versionId ?? null, valueMatchesExpect: read.matches },
      };
    case 'policy': {
      if (read.text === undefined) return { text: 'there is no policy', evidence: { policy: 'none' } };
      const parsed = parseJson(read.text);
      const labels = parsed.ok ? statementLabels(parsed.value) : [];
      return { text: parsed.ok ? `the policy has ${labels.length} statement(s)${labels.length ? ` (${labels.join(', ')})` : ''}` : 'the policy is not valid JSON', evidence: { statements: labels } };
    }
    case 'metadata':
      return { text: `Description ${quote(String(read.fields.Description ?? ''))}, ${Object.keys(read.fields.Tags as object).length} tag(s)`, evidence: { metadata: read.fields } };
  }
}

function explanation(command: string): string {
  return [
    'AWS is eventually consistent: a new secret version, a resource policy or a key policy can take a few seconds to be visible everywhere, and IAM and KMS permission changes up to a few minutes.',
    'A client that caches secrets (the AWS Secrets Manager caching libraries, the AWS Parameters and Secrets Lambda Extension, the Secrets Store CSI driver, or a cache of your own) keeps serving the old value until its cache entry\'s TTL runs out, however long ago AWS changed.',
    'Design for it: refresh the cached secret when a request made with it is refused, and keep the previous value valid until every cache has refreshed (rotation does this with the AWSPENDING, AWSCURRENT and AWSPREVIOUS staging labels); after a policy change, retry with exponential backoff instead of failing at once; and before depending on a change, poll until it is visible:',
    `${command}.`,
  ].join(' ');
}

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
      if (named.value.managedBy === 'aws') return { outcome: outcome('skip', 'The AWS managed key aws/secretsmanager has a key policy nobody can change: there is no change to watch.') };
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
      return { target: { kind, ...base, api: 'secretsmanager:ListSecretVersionIds', permission: 'secretsmanager:ListSecretVersionIds on the secret', what: `the versions of ${arn}`, command: `\`aws secretsmanager describe-secret --secret-id ${arn} --query VersionIdsToStages --region ${region}\`` } };
    case 'value-digest':
      return { target: { kind, ...base, api: 'secretsmanager:GetSecretValue', permission: 'secretsmanager:GetSecretValue on the secret', what: `the current value of ${arn}`, command: `\`aws secretsmanager describe-secret --secret-id ${arn} --query VersionIdsToStages --region ${region}\`` } };
    case 'resource-policy':
      return { target: { kind, ...base, api: 'secretsmanager:GetResourcePolicy', permission: 'secretsmanager:GetResourcePolicy on the secret', what: `the resource policy of ${arn}`, command: `\`aws secretsmanager get-resource-policy --secret-id ${arn} --region ${region}\`` } };
    default:
      return { target: { kind: 'metadata', ...base, api: 'secretsmanager:DescribeSecret', permission: 'secretsmanager:DescribeSecret on the secret', what: `the description and tags of ${arn}`, command: `\`aws secretsmanager describe-secret --secret-id ${arn} --region ${region}\`` } };
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
    const notes: string[] = [];
    let expectation: Expectation = { mode: 'agree' };
    let kind: ChangeReadKind;
    if (changed === 'value') {
      kind = 'versions';
      if (inputs.expectVersionId) {
        expectation = { mode: 'version', versionId: inputs.expectVersionId.trim() };
        if (inputs.expect !== undefined) notes.push('--expect was not needed: the version to expect (--expect-version-id) is compared instead.');
      } else if (inputs.expect !== undefined) {
        if (inputs.readValue) {
          kind = 'value-digest';
          // An editor's file ends in a newline the value may not have: either counts.
          const text = inputs.expect;
          const digests = [sha256(text)];
          if (/\r?\n$/.test(text)) digests.push(sha256(text.replace(/\r?\n$/, '')));
          expectation = { mode: 'digest', digests };
          notes.push('The value was compared through a SHA-256 digest in memory; neither it nor the digest was kept or shown.');
        } else {
          notes.push('--expect for a value would mean reading the value: allow the read (--read-value) to compare it (through a SHA-256 digest in memory, never shown), or give the version to expect (--expect-version-id). The versions were compared instead.');
        }
      }
    } else {
      kind = changed === 'metadata' ? 'metadata' : changed;
      if (inputs.expectVersionId) notes.push(`A version to expect (--expect-version-id) applies to a changed value only; it was ignored for ${changed}.`);
      if (inputs.expect !== undefined) {
        const parsed = parseJson(inputs.expect);
        if (!parsed.ok) return outcome('skip', `Skipped: the --expect file is not valid JSON (${parsed.error}), so there is nothing to compare with.`);
        if (changed === 'metadata') {
          if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
            return outcome('skip', 'Skipped: for metadata, --expect must be a JSON object such as {"Description": "...", "Tags": {"team": "ops"}}.');
          }
          const fields = { ...(parsed.value as Record<string, unknown>) };
          // Tags as the CLI writes them ([{Key, Value}]) or as a map: compare as a map.
          if (Array.isArray(fields.Tags)) {
            fields.Tags = Object.fromEntries((fields.Tags as { Key?: string; Value?: string }[]).map((t) => [t.Key ?? '', t.Value ?? '']));
          }
          expectation = { mode: 'fields', fields };
        } else {
          expectation = { mode: 'document', canonical: canonical(parsed.value), statements: statementLabels(parsed.value) };
        }
      }
    }

    const resolved = await resolveTarget(ctx, changed, kind);
    if ('outcome' in resolved) return resolved.outcome;
    const t = resolved.target;
    if (expectation.mode === 'digest') t.target.expectedDigests = expectation.digests;
    const waitMs = inputs.waitMs ?? 60_000;
    const result = await pollUntil<Got<ChangeRead>>(
      () => ctx.facts.readChange(t.kind, t.target),
      (read, previous) => {
        if (!read.ok) return true; // a refused or failed read does not get better by polling
        if (expectation.mode !== 'agree') return satisfies(read.value, expectation);
        return previous !== undefined && previous.ok && signature(previous.value) === signature(read.value);
      },
      { timeoutMs: waitMs },
    );
    const seconds = Math.round(result.elapsedMs / 100) / 10;
    const evidence: Record<string, unknown> = { api: t.api, changed, reads: result.attempts, seconds, waitSeconds: waitMs / 1000 };
    if (expectation.mode === 'version') evidence.expectedVersionId = expectation.versionId;
    if (expectation.mode === 'document') evidence.expected = `the document in --expect (${expectation.statements.length} statement(s))`;
    if (expectation.mode === 'fields') evidence.expected = expectation.fields;
    if (expectation.mode === 'digest') evidence.expected = 'the value in --expect (compared by SHA-256 digest)';
    const remediation = explanation(t.command);
    const took = result.attempts === 1 ? 'on the first read' : `after ${seconds} s (${result.attempts} reads)`;

    if (!result.value.ok) {
      const seen = couldNotSee(t.what, result.value.problem, t.permission);
      seen.evidence = { ...seen.evidence, ...evidence };
      return seen;
    }
    const read = result.value.value;
    const now = observed(read);
    Object.assign(evidence, now.evidence);
    const details = [...notes];

    if (expectation.mode !== 'agree') {
      if (result.satisfied) {
        return outcome('pass', `The change is visible ${took}: ${now.text}.`, {
          details: [
            ...details,
            'AWS returns the new state now. A client that still sees the old one is reading a cache (until its TTL runs out), another Region, or another secret.',
          ],
          evidence,
          remediation,
        });
      }
      let why = '';
      let extra = '';
      if (expectation.mode === 'version' && read.kind === 'versions') {
        const wanted = read.versions.find((v) => v.id === expectation.versionId);
        const cur = current(read.versions);
        if (wanted) {
          why = ` Version ${expectation.versionId} exists with the staging labels [${wanted.stages.join(', ') || 'none'}], but AWSCURRENT is on ${cur?.id ?? 'no version'}: it was never made current.`;
          extra = ` To make it current: \`aws secretsmanager update-secret-version-stage --secret-id ${t.target.secretArn} --version-stage AWSCURRENT --move-to-version-id ${expectation.versionId}${cur ? ` --remove-from-version-id ${cur.id}` : ''} --region ${t.target.region}\`.`;
        } else {
          why = ` There is no version ${expectation.versionId}: the write went to another secret or Region, failed, or the version has been removed since.`;
        }
      } else if (expectation.mode === 'document' && read.kind === 'policy') {
        const seenLabels = (now.evidence.statements as string[] | undefined) ?? [];
        const missing = expectation.statements.filter((s) => !seenLabels.includes(s));
        const unexpected = seenLabels.filter((s) => !expectation.statements.includes(s));
        if (missing.length) why += ` Statements in --expect that AWS does not return: ${missing.join(', ')}.`;
        if (unexpected.length) why += ` Statements AWS returns that --expect does not have: ${unexpected.join(', ')}.`;
        if (!missing.length && !unexpected.length) why = ' The statements are there, but their contents differ.';
      } else if (expectation.mode === 'fields' && read.kind === 'metadata') {
        const differing = Object.keys(expectation.fields).filter((k) => canonical(read.fields[k] ?? null) !== canonical(expectation.fields[k]));
        why = ` Fields that differ: ${differing.join(', ')}.`;
        evidence.differing = differing;
      }
      return outcome('fail', `After ${seconds} s (${result.attempts} reads) the change is still not visible: ${now.text}.`, {
        details: [
          ...details,
          ...(why ? [why.trim()] : []),
          `Secrets Manager and KMS changes are usually visible within seconds: after ${waitMs / 1000} s, check that the change was made, to this secret or key, in this Region (${t.target.region}).`,
        ],
        evidence,
        remediation: `${extra.trim() ? `${extra.trim()} ` : ''}${remediation}`,
      });
    }

    // No expectation: wait until two consecutive reads agree.
    details.push('Without a version to expect (--expect-version-id) or a document (--expect) the tool cannot tell whether this is your change: compare it with what you wrote.');
    if (!result.satisfied) {
      return outcome('warn', `The answers kept changing for ${seconds} s (${result.attempts} reads): ${now.text}.`, {
        details: [...details, 'Something keeps changing it (a rotation, a deployment, another person), or AWS is still converging.'],
        evidence,
        remediation,
      });
    }
    if (read.kind === 'versions') {
      const cur = current(read.versions);
      const pending = read.versions.find((v) => v.stages.includes('AWSPENDING') && !v.stages.includes('AWSCURRENT'));
      if (pending) {
        evidence.pendingVersionId = pending.id;
        return outcome('warn', `Consecutive reads agree ${took}, but version ${pending.id} is labelled AWSPENDING, not AWSCURRENT: readers of AWSCURRENT get ${cur?.id ?? 'no version'}.`, {
          details: [...details, 'A rotation in progress, or a value written with --version-stages AWSPENDING, is not what a plain GetSecretValue returns until AWSCURRENT moves to it.'],
          evidence,
          remediation: `If that version is the change: \`aws secretsmanager update-secret-version-stage --secret-id ${t.target.secretArn} --version-stage AWSCURRENT --move-to-version-id ${pending.id}${cur ? ` --remove-from-version-id ${cur.id}` : ''} --region ${t.target.region}\`. ${remediation}`,
        });
      }
      const newest = [...read.versions].filter((v) => v.created).sort((a, b) => (b.created! < a.created! ? -1 : 1))[0];
      if (cur && newest && newest.id !== cur.id && newest.created! > (cur.created ?? '')) {
        evidence.newestVersionId = newest.id;
        return outcome('warn', `Consecutive reads agree ${took}, but the newest version ${newest.id} (created ${newest.created}) is not AWSCURRENT: readers of AWSCURRENT get ${cur.id}.`, {
          details: [...details, `Its staging labels are [${newest.stages.join(', ') || 'none'}]: a value written with other labels (AWSPENDING during a rotation) is not what a plain GetSecretValue returns.`],
          evidence,
          remediation: `If that version is the change: \`aws secretsmanager update-secret-version-stage --secret-id ${t.target.secretArn} --version-stage AWSCURRENT --move-to-version-id ${newest.id} --remove-from-version-id ${cur.id} --region ${t.target.region}\`. ${remediation}`,
        });
      }
    }
    return outcome('pass', `AWS answers consistently ${result.attempts === 2 ? 'from the first reads' : `after ${seconds} s (${result.attempts} reads)`}: ${now.text}.`, {
      details: [...details, 'If a client still sees something else, it is reading a cache (until its TTL runs out), another Region, or another secret.'],
      evidence,
      remediation,
    });
  },
};
