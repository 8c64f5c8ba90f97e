/**
 * propagation, the wording: a decision (decide.ts) as a finding, what a read shows in words, and the
 * progress line shown while the check waits.
 */
import type { ChangeRead, ChangeReadKind, ChangeTarget } from '../../facts/index.js';
import { outcome, couldNotSee, quote, type Outcome } from '../common.js';
import { current, parseJson, statementLabels, VERSION_ID_LENGTH, type Changed, type Expectation, type PlanNote, type PropagationDecision } from './decide.js';

export interface Target {
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

export interface PropagationView {
  changed: Changed;
  expectation: Expectation;
  notes: PlanNote[];
  target: Target;
  waitMs: number;
  attempts: number;
  elapsedMs: number;
  /** The last read (absent when it failed: the decision carries the problem). */
  read?: ChangeRead | undefined;
}

const NOTES: Record<PlanNote, string> = {
  'expect-not-needed': '--expect was not needed: the version to expect (--expect-version-id) is compared instead.',
  'digest-compared': 'The value was compared through a SHA-256 digest in memory; neither it nor the digest was kept or shown.',
  'expect-needs-read-value':
    '--expect for a value would mean reading the value: allow the read (--read-value) to compare it (through a SHA-256 digest in memory, never shown), or give the version to expect (--expect-version-id). The versions were compared instead.',
  'version-id-ignored': 'A version to expect (--expect-version-id) applies to a changed value only; it was ignored for CHANGED.',
};

export function noteText(note: PlanNote, changed: Changed): string {
  return NOTES[note].replace('CHANGED', changed);
}

/** One line on what AWS returns now (versions and stages, a policy's statements, metadata fields). */
function observed(read: ChangeRead): { text: string; evidence: Record<string, unknown> } {
  switch (read.kind) {
    case 'versions': {
      const cur = current(read.versions);
      const stages = Object.fromEntries(read.versions.filter((v) => v.stages.length).map((v) => [v.id, v.stages]));
      return {
        text: cur ? `AWSCURRENT is version ${cur.id}${cur.created ? ` (created ${cur.created})` : ''}` : 'no version is AWSCURRENT',
        evidence: { versionStages: stages },
      };
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
      return {
        text: parsed.ok ? `the policy has ${labels.length} statement(s)${labels.length ? ` (${labels.join(', ')})` : ''}` : 'the policy is not valid JSON',
        evidence: { statements: labels },
      };
    }
    case 'metadata':
      return {
        text: `Description ${quote(String(read.fields.Description ?? ''))}, ${Object.keys(read.fields.Tags as object).length} tag(s)`,
        evidence: { metadata: read.fields },
      };
  }
}

function explanation(command: string): string {
  return [
    'AWS is eventually consistent: a new secret version, a resource policy or a key policy can take a few seconds to be visible everywhere, and IAM and KMS permission changes up to a few minutes.',
    "A client that caches secrets (the AWS Secrets Manager caching libraries, the AWS Parameters and Secrets Lambda Extension, the Secrets Store CSI driver, or a cache of your own) keeps serving the old value until its cache entry's TTL runs out, however long ago AWS changed.",
    'Design for it: refresh the cached secret when a request made with it is refused, and keep the previous value valid until every cache has refreshed (rotation does this with the AWSPENDING, AWSCURRENT and AWSPREVIOUS staging labels); after a policy change, retry with exponential backoff instead of failing at once; and before depending on a change, poll until it is visible:',
    `${command}.`,
  ].join(' ');
}

/** What is waited for, in a few words. */
const WAITED: Record<ChangeReadKind, string> = {
  versions: 'the versions',
  'value-digest': 'the AWSCURRENT value',
  'resource-policy': 'the resource policy',
  'key-policy': 'the key policy',
  metadata: 'the description and tags',
};

/** The progress line while waiting: "waiting for version v2 to become AWSCURRENT: 12 s, 5 reads". */
export function progressText(expectation: Expectation, kind: ChangeReadKind, attempts: number, elapsedMs: number): string {
  const what =
    expectation.mode === 'version'
      ? `version ${expectation.versionId} to become AWSCURRENT`
      : expectation.mode === 'agree'
        ? `two consecutive reads of ${WAITED[kind]} to agree`
        : `${WAITED[kind]} to match --expect`;
  return `waiting for ${what}: ${Math.round(elapsedMs / 1000)} s, ${attempts} read${attempts === 1 ? '' : 's'}`;
}

/** The command that makes `versionId` AWSCURRENT (moving the label from `from`). */
function promote(t: Target, versionId: string, from: string | undefined): string {
  return `\`aws secretsmanager update-secret-version-stage --secret-id ${t.target.secretArn} --version-stage AWSCURRENT --move-to-version-id ${versionId}${from ? ` --remove-from-version-id ${from}` : ''} --region ${t.target.region}\``;
}

export function wordPropagation(d: PropagationDecision, v: PropagationView): Outcome {
  const { target: t, expectation, waitMs } = v;
  const seconds = Math.round(v.elapsedMs / 100) / 10;
  const evidence: Record<string, unknown> = { api: t.api, changed: v.changed, reads: v.attempts, seconds, waitSeconds: waitMs / 1000 };
  if (expectation.mode === 'version') evidence.expectedVersionId = expectation.versionId;
  if (expectation.mode === 'document') evidence.expected = `the document in --expect (${expectation.statements.length} statement(s))`;
  if (expectation.mode === 'fields') evidence.expected = expectation.fields;
  if (expectation.mode === 'digest') evidence.expected = 'the value in --expect (compared by SHA-256 digest)';
  const remediation = explanation(t.command);
  const took = v.attempts === 1 ? 'on the first read' : `after ${seconds} s (${v.attempts} reads)`;

  if (d.case === 'unreadable') {
    const seen = couldNotSee(t.what, d.problem, t.permission);
    seen.evidence = { ...seen.evidence, ...evidence };
    return seen;
  }
  const now = observed(v.read!);
  Object.assign(evidence, now.evidence);
  const details = v.notes.map((n) => noteText(n, v.changed));
  const noExpectation =
    'Without a version to expect (--expect-version-id) or a document (--expect) the tool cannot tell whether this is your change: compare it with what you wrote.';

  switch (d.case) {
    case 'visible':
      return outcome('pass', `The change is visible ${took}: ${now.text}.`, {
        details: [
          ...details,
          'AWS returns the new state now. A client that still sees the old one is reading a cache (until its TTL runs out), another Region, or another secret.',
        ],
        evidence,
        remediation,
      });
    case 'not-a-version-id': {
      evidence.stopped = 'not a version ID';
      const labelled = d.labels.map(
        (l) =>
          `${quote(d.versionId)} is a staging label, on version ${l.id}${l.stages.includes('AWSCURRENT') ? ' (AWSCURRENT)' : ''}: the version to expect (--expect-version-id) is that version's ID.`,
      );
      return outcome(
        'unknown',
        `Whether the change is visible cannot be told from ${quote(d.versionId)}: it is not a version ID (Secrets Manager's have ${VERSION_ID_LENGTH.min} to ${VERSION_ID_LENGTH.max} characters), so no version can ever match it; ${now.text}.`,
        {
          details: [...details, ...labelled, `The tool stopped ${took} instead of waiting up to ${waitMs / 1000} s.`],
          evidence,
          remediation: `Give the version ID your write returned (the VersionId of PutSecretValue or UpdateSecret, which is the ClientRequestToken if you gave one); the versions: ${t.command}. ${remediation}`,
        },
      );
    }
    case 'not-visible': {
      const why: string[] = [];
      let extra = '';
      const w = d.why;
      if (w?.case === 'version-not-current' && expectation.mode === 'version') {
        why.push(
          `Version ${expectation.versionId} exists with the staging labels [${w.wanted.stages.join(', ') || 'none'}], but AWSCURRENT is on ${w.current?.id ?? 'no version'}: it was never made current.`,
        );
        extra = `To make it current: ${promote(t, expectation.versionId, w.current?.id)}. `;
      } else if (w?.case === 'no-such-version' && expectation.mode === 'version') {
        why.push(`There is no version ${expectation.versionId}: the write went to another secret or Region, failed, or the version has been removed since.`);
      } else if (w?.case === 'statements') {
        if (w.missing.length) why.push(`Statements in --expect that AWS does not return: ${w.missing.join(', ')}.`);
        if (w.unexpected.length) why.push(`Statements AWS returns that --expect does not have: ${w.unexpected.join(', ')}.`);
        if (!w.missing.length && !w.unexpected.length) why.push('The statements are there, but their contents differ.');
      } else if (w?.case === 'fields') {
        why.push(`Fields that differ: ${w.differing.join(', ')}.`);
        evidence.differing = w.differing;
      }
      return outcome('fail', `After ${seconds} s (${v.attempts} reads) the change is still not visible: ${now.text}.`, {
        details: [
          ...details,
          ...(why.length ? [why.join(' ')] : []),
          `Secrets Manager and KMS changes are usually visible within seconds: after ${waitMs / 1000} s, check that the change was made, to this secret or key, in this Region (${t.target.region}).`,
        ],
        evidence,
        remediation: `${extra}${remediation}`,
      });
    }
    case 'kept-changing':
      return outcome('warn', `The answers kept changing for ${seconds} s (${v.attempts} reads): ${now.text}.`, {
        details: [...details, noExpectation, 'Something keeps changing it (a rotation, a deployment, another person), or AWS is still converging.'],
        evidence,
        remediation,
      });
    case 'pending':
      evidence.pendingVersionId = d.pending.id;
      return outcome(
        'warn',
        `Consecutive reads agree ${took}, but version ${d.pending.id} is labelled AWSPENDING, not AWSCURRENT: readers of AWSCURRENT get ${d.current?.id ?? 'no version'}.`,
        {
          details: [
            ...details,
            noExpectation,
            'A rotation in progress, or a value written with --version-stages AWSPENDING, is not what a plain GetSecretValue returns until AWSCURRENT moves to it.',
          ],
          evidence,
          remediation: `If that version is the change: ${promote(t, d.pending.id, d.current?.id)}. ${remediation}`,
        },
      );
    case 'newer-not-current':
      evidence.newestVersionId = d.newest.id;
      return outcome(
        'warn',
        `Consecutive reads agree ${took}, but the newest version ${d.newest.id} (created ${d.newest.created}) is not AWSCURRENT: readers of AWSCURRENT get ${d.current.id}.`,
        {
          details: [
            ...details,
            noExpectation,
            `Its staging labels are [${d.newest.stages.join(', ') || 'none'}]: a value written with other labels (AWSPENDING during a rotation) is not what a plain GetSecretValue returns.`,
          ],
          evidence,
          remediation: `If that version is the change: ${promote(t, d.newest.id, d.current.id)}. ${remediation}`,
        },
      );
    case 'consistent':
      return outcome(
        'pass',
        `AWS answers consistently ${v.attempts === 2 ? 'from the first reads' : `after ${seconds} s (${v.attempts} reads)`}: ${now.text}.`,
        {
          details: [
            ...details,
            noExpectation,
            'If a client still sees something else, it is reading a cache (until its TTL runs out), another Region, or another secret.',
          ],
          evidence,
          remediation,
        },
      );
  }
}
