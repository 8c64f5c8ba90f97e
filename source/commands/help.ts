/**
 * Help: the general page, each command's own options and examples (`secrets-doctor help COMMAND`,
 * `COMMAND --help`), and "did you mean" for a mistyped command, flag or symptom. Text only: the launcher
 * bundles this, so it loads nothing.
 */

const GENERAL = `secrets-doctor: find out why AWS Secrets Manager or Incident Manager refuses a secret, and fix it.

Usage
  secrets-doctor                          the interactive wizard (needs a terminal)
  secrets-doctor --plain                  the wizard as line-by-line prompts
  secrets-doctor diagnose [options]       run the checks, print a report, exit with a status
  secrets-doctor fix --symptom ID [options] [--yes] [--dry-run]
                                          diagnose, then apply the fixes (diff, backup, consent)
  secrets-doctor restore-policy (--secret-id ID | --kms-key-id K) --from FILE [--yes]

Options
  --symptom ID          what you see:
                          incident-manager-secret  ValidationException - We were unable to validate
                                                   the AWS Secrets Manager secret
                          access-denied            "access denied" from Secrets Manager
                          access-denied-temporary-credentials
                                                   the same, with temporary credentials
                          changes-not-visible      a change is not (always) visible yet
                          asymmetric-kms-key       "cannot generate a data key with an asymmetric CMK"
                          not-sure                 (the default) every check the inputs allow
  --secret-id ID        the secret's name or ARN, exactly as used (repeatable)
  --all-secrets         diagnose every secret in the Region (JSON Lines with --json)
  --response-plans      diagnose every secret the Region's response plans use for PagerDuty
  --region R            AWS Region (default: AWS_REGION, then the profile)
  --profile P           AWS profile (default: AWS_PROFILE, then default)
  --principal ARN       whose permissions to evaluate (default: the caller)
  --principal-profile P a profile with credentials in the --principal's account, to read its policies
  --action A            access-denied: the operation that was denied (default GetSecretValue)
  --error-message TEXT  access-denied: the message you got; fills in the principal, action and
                        secret you did not give, and names the policy type that denied
  --authorization-id ID access-denied: the authorization ID of the denial (also read from the
                        message); AWS's own record of it is shown first
  --since WHEN          access-denied: how far back to look for the refused request in CloudTrail:
                        30m, 24h (the default), 7d, or an ISO 8601 time
  --kms-key-id K        asymmetric-kms-key: the key ID, alias or ARN given to CreateSecret
  --response-plan ARN   incident-manager-secret: the response plan's ARN (Incident Manager's aws:SourceArn)
  --changed WHAT        changes-not-visible: value, resource-policy, key-policy or metadata
  --expect FILE         changes-not-visible: what it should be now (a policy, or metadata as
                        JSON; for a value, needs --read-value and is compared by digest)
  --expect-version-id ID  changes-not-visible: the version that should be AWSCURRENT
  --wait SECONDS        how long propagation and a fix's verification poll (default 60)
  --fixes LIST          fix: only these, comma-separated: restore-secret, secret-policy, key-policy
  --include-creator     fix: the key-policy fix also adds the --principal (creator) statement
  --dry-run             fix, restore-policy: show the plans and diffs, change nothing
  --yes                 fix, restore-policy: apply without asking (needed without a terminal)
  --backup-dir DIR      where backups go (default: secrets-doctor/backups in your state directory)
  --from FILE           restore-policy: the backup to put back
  --read-value          let secret-value-format (and --expect for a value) read the value
                        (logged in CloudTrail; never shown)
  --timeout SECONDS     per request attempt (default 10)
  --strict              exit 1 on warn or unknown too
  --format F            the report as text (the default), json or markdown (for a ticket)
  --json                the same as --format json: one JSON document per secret
  --output FILE         write the report to FILE instead of stdout
  --verbose             every check's details and evidence, passes included
  --no-color            no colours (also NO_COLOR)
  --debug               request-level detail on stderr (never a secret value)
  -h, --help            this help
  -v, --version         the version

Exit status
  0 no check failed   1 a check failed   2 usage error   3 the checks could not run   130 interrupted

\`secrets-doctor help COMMAND\` (or COMMAND --help) shows a command's options and examples.
`;

const EXIT = `Exit status
  0 no check failed   1 a check failed   2 usage error   3 the checks could not run   130 interrupted
`;

const COMMON = `  --region R            AWS Region (default: AWS_REGION, then the profile)
  --profile P           AWS profile (default: AWS_PROFILE, then default)
  --timeout SECONDS     per request attempt, the answer's body included (default 10)
  --no-color            no colours (also NO_COLOR)
  --debug               request-level detail on stderr (never a secret value)`;

const DIAGNOSE = `secrets-doctor diagnose: run the checks for a secret, print a report, exit with a status. Read-only.

Usage
  secrets-doctor diagnose --symptom ID --secret-id ID [options]

Options
  --symptom ID          incident-manager-secret, access-denied, access-denied-temporary-credentials,
                        changes-not-visible, asymmetric-kms-key, or not-sure (the default)
  --secret-id ID        the secret's name or ARN, exactly as used (repeatable)
  --all-secrets         every secret in the Region (JSON Lines with --format json)
  --response-plans      every secret the Region's response plans use for PagerDuty
  --principal ARN       whose permissions to evaluate (default: the caller)
  --principal-profile P a profile with credentials in the --principal's own account, to read its
                        policies there (without it, another account's identity side is unknown)
  --action A            access-denied: the operation that was denied (default GetSecretValue)
  --error-message TEXT  access-denied: the message you got (fills principal, action and secret)
  --authorization-id ID access-denied: the denial's authorization ID (AWS's own record is read)
  --since WHEN          access-denied: how far back to look in CloudTrail (30m, 24h, 7d, or a time)
  --kms-key-id K        asymmetric-kms-key: the key given to CreateSecret
  --response-plan ARN   incident-manager-secret: the response plan (its ARN is Incident Manager's
                        aws:SourceArn; without it a condition on that key is unknown)
  --changed WHAT        changes-not-visible: value, resource-policy, key-policy or metadata
  --expect FILE         changes-not-visible: what it should be now
  --expect-version-id ID  changes-not-visible: the version that should be AWSCURRENT
  --wait SECONDS        how long propagation polls (default 60); how long it has waited shows on
                        stderr on a terminal (with --verbose elsewhere too, a line every 5 s)
  --read-value          let secret-value-format read the value (logged in CloudTrail; never shown)
  --format F            text (the default), json or markdown
  --output FILE         write the report to FILE instead of stdout
  --verbose             every check's details and evidence, passes included
  --strict              exit 1 on warn or unknown too
${COMMON}

Examples
  secrets-doctor diagnose --symptom incident-manager-secret --secret-id prod/pagerduty \\
    --principal arn:aws:iam::123456789012:role/ResponsePlanCreator
  secrets-doctor diagnose --symptom access-denied --secret-id prod/db \\
    --error-message "User: arn:aws:sts::123456789012:assumed-role/App/i-0abc is not authorized to ..."
  secrets-doctor diagnose --symptom incident-manager-secret --response-plans --format json
  secrets-doctor diagnose --symptom access-denied --secret-id prod/db --format markdown --output report.md

${EXIT}`;

const FIX = `secrets-doctor fix: diagnose, then apply the fixes the findings offer: each with its diff, a backup,
your consent (or --yes), a re-read before the write, and a verification after it.

Usage
  secrets-doctor fix --symptom ID --secret-id ID [--yes] [--dry-run] [options]

Options
  --symptom ID          the error you see (not not-sure)
  --secret-id ID        the secret's name or ARN (exactly one)
  --fixes LIST          only these, comma-separated: restore-secret, secret-policy, key-policy
  --include-creator     the key-policy fix also adds the --principal (creator) statement
  --principal ARN       the response plan's creator (default: the caller)
  --dry-run             show every plan and diff, change nothing
  --yes                 apply without asking (needed without a terminal)
  --backup-dir DIR      where backups go (default: secrets-doctor/backups in your state directory)
  --wait SECONDS        how long each verification polls (default 60)
  --format F            text (the default), json or markdown, for the report after the fixes
  --output FILE         write that report to FILE
${COMMON}

Examples
  secrets-doctor fix --symptom incident-manager-secret --secret-id prod/pagerduty --dry-run
  secrets-doctor fix --symptom incident-manager-secret --secret-id prod/pagerduty --fixes secret-policy --yes

${EXIT}`;

const RESTORE = `secrets-doctor restore-policy: put back a policy from a backup that a fix wrote (diff, a backup of
what is there now, consent or --yes, re-read, write, verification).

Usage
  secrets-doctor restore-policy (--secret-id ID | --kms-key-id K) --from FILE [--yes] [--dry-run]

Options
  --secret-id ID        the secret whose resource policy to restore
  --kms-key-id K        the key whose key policy to restore
  --from FILE           the backup file (a regular file, at most 1 MiB)
  --dry-run             show the diff, change nothing
  --yes                 apply without asking
  --backup-dir DIR      where the backup of the current policy goes
${COMMON}

Example
  secrets-doctor restore-policy --secret-id prod/pagerduty --from ~/.local/state/secrets-doctor/backups/FILE.json

${EXIT}`;

const WIZARD = `secrets-doctor (no command): the interactive wizard, on a terminal. It asks which error you see, which
secret and whose permissions, runs the checks live, shows the report, and offers each fix with its diff.

Usage
  secrets-doctor [--plain] [--symptom ID] [--secret-id ID] [--principal ARN] [options]

  --plain               the same flow as line-by-line prompts (screen readers, simple terminals)
  Flags given to the wizard pre-select its answers.
${COMMON}

Examples
  secrets-doctor
  secrets-doctor --symptom access-denied --secret-id prod/db
  secrets-doctor --plain

${EXIT}`;

export const TOPICS = { diagnose: DIAGNOSE, fix: FIX, 'restore-policy': RESTORE, wizard: WIZARD } as const;
export type HelpTopic = keyof typeof TOPICS;

/** The help page for a command, or the general one. */
export function helpText(topic?: string | undefined): string {
  return topic && topic in TOPICS ? TOPICS[topic as HelpTopic] : GENERAL;
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate, when it is close enough to be what was meant (a few letters off, or a missing dash). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = plain(word) === plain(candidate) ? 0 : distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 4)) ? best : undefined;
}

/** " Did you mean X?" or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match ? ` Did you mean ${match}?` : '';
}
