/**
 * The command line: flags as SPEC.md lists them, parsed strictly. Anything wrong here is a usage error
 * (exit 2) with one sentence; nothing here imports the SDK or Ink.
 */
import { parseArgs } from 'node:util';
import { SYMPTOMS, type FixId, type SymptomId } from '../types.js';

const FIXES: FixId[] = ['restore-secret', 'secret-policy', 'key-policy'];
const CHANGED = ['value', 'resource-policy', 'key-policy', 'metadata'];

export class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  symptom: { type: 'string' },
  'secret-id': { type: 'string', multiple: true },
  'all-secrets': { type: 'boolean' },
  'response-plans': { type: 'boolean' },
  'response-plan': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  principal: { type: 'string' },
  action: { type: 'string' },
  'error-message': { type: 'string' },
  changed: { type: 'string' },
  expect: { type: 'string' },
  'expect-version-id': { type: 'string' },
  'kms-key-id': { type: 'string' },
  'read-value': { type: 'boolean' },
  fixes: { type: 'string' },
  'include-creator': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  'backup-dir': { type: 'string' },
  from: { type: 'string' },
  wait: { type: 'string' },
  timeout: { type: 'string' },
  strict: { type: 'boolean' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  plain: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type Command = 'wizard' | 'diagnose' | 'fix' | 'restore-policy';

export interface Args {
  command: Command;
  symptom: SymptomId;
  secretIds: string[];
  region?: string | undefined;
  profile?: string | undefined;
  principal?: string | undefined;
  /** access-denied: the operation that was denied, as `secretsmanager:Name`. */
  action?: string | undefined;
  errorMessage?: string | undefined;
  /** changes-not-visible: value | resource-policy | key-policy | metadata. */
  changed?: string | undefined;
  expectFile?: string | undefined;
  expectVersionId?: string | undefined;
  kmsKeyId?: string | undefined;
  readValue: boolean;
  /** diagnose: every secret in the Region. */
  allSecrets: boolean;
  /** diagnose: every secret that the Region's response plans reference. */
  responsePlans: boolean;
  /** incident-manager-secret: the response plan's ARN (Incident Manager's aws:SourceArn). */
  responsePlan?: string | undefined;
  /** fix: the fixes asked for by name (empty: those the findings offer). */
  fixes: FixId[];
  includeCreator: boolean;
  dryRun: boolean;
  yes: boolean;
  backupDir?: string | undefined;
  /** restore-policy: the backup file. */
  from?: string | undefined;
  /** How long propagation and verification may wait, in milliseconds. @default 60000 */
  waitMs: number;
  timeoutMs: number;
  strict: boolean;
  json: boolean;
  color: boolean;
  plain: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
}

const COMMANDS: Command[] = ['diagnose', 'fix', 'restore-policy'];

export function parse(argv: string[], env: NodeJS.ProcessEnv, stdoutIsTty: boolean): Args {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages name the flag; keep the first sentence only.
    const message = String((error as Error).message).split('. ')[0]!.replace(/\.$/, '');
    throw new UsageError(`${message}. Run \`secrets-doctor --help\` for the options.`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}". Run \`secrets-doctor --help\`.`);
  const word = positionals[0];
  if (word !== undefined && !COMMANDS.includes(word as Command)) {
    throw new UsageError(`Unknown command "${word}": use diagnose, fix or restore-policy (or no command for the wizard).`);
  }
  const command = (word ?? 'wizard') as Command;

  const symptom = v.symptom ?? 'not-sure';
  if (!SYMPTOMS.includes(symptom as SymptomId)) {
    throw new UsageError(`Unknown symptom "${symptom}": use one of ${SYMPTOMS.join(', ')}.`);
  }
  const secretIds = v['secret-id'] ?? [];
  for (const id of secretIds) {
    if (id.trim() === '') throw new UsageError('--secret-id is empty: give a secret name or ARN.');
    if (id.length > 2048) throw new UsageError(`--secret-id is ${id.length} characters long; a secret ID has at most 2,048.`);
  }
  if (v.principal !== undefined && !/^arn:[^:]+:(iam|sts)::\d{12}:.+/.test(v.principal)) {
    throw new UsageError(`--principal "${v.principal}" is not an IAM or STS ARN (arn:aws:iam::ACCOUNT:role/NAME).`);
  }
  if ([v['all-secrets'], v['response-plans'], secretIds.length > 0].filter(Boolean).length > 1) {
    throw new UsageError('Give the secrets one way: --secret-id, --all-secrets or --response-plans.');
  }
  if (v['response-plan'] !== undefined && !/^arn:[^:]+:ssm-incidents:[^:]*:\d{12}:response-plan\/[A-Za-z0-9_-]{1,200}$/.test(v['response-plan'])) {
    throw new UsageError('--response-plan is not a response plan ARN (arn:aws:ssm-incidents::ACCOUNT:response-plan/NAME).');
  }
  if (v['response-plans'] && symptom !== 'incident-manager-secret') {
    throw new UsageError('--response-plans goes with --symptom incident-manager-secret.');
  }
  if ((v['all-secrets'] || v['response-plans']) && command !== 'diagnose') {
    throw new UsageError('--all-secrets and --response-plans go with `secrets-doctor diagnose`.');
  }
  // What a symptom cannot run without, when there is no wizard to ask for it.
  if (command === 'diagnose' || command === 'fix') {
    if (symptom === 'asymmetric-kms-key' && !v['kms-key-id']) {
      throw new UsageError('--symptom asymmetric-kms-key needs --kms-key-id, the key ID, alias or ARN given to CreateSecret.');
    }
    if (symptom === 'changes-not-visible' && !v.changed) {
      throw new UsageError('--symptom changes-not-visible needs --changed: value, resource-policy, key-policy or metadata.');
    }
  }
  let timeoutMs = 10_000;
  if (v.timeout !== undefined) {
    const seconds = Number(v.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      throw new UsageError(`--timeout "${v.timeout}" is not a number of seconds between 0 and 600.`);
    }
    timeoutMs = Math.round(seconds * 1000);
  }
  let waitMs = 60_000;
  if (v.wait !== undefined) {
    const seconds = Number(v.wait);
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
      throw new UsageError(`--wait "${v.wait}" is not a number of seconds between 0 and 3600.`);
    }
    waitMs = Math.round(seconds * 1000);
  }
  const fixes = (v.fixes ?? '').split(',').map((f) => f.trim()).filter(Boolean) as FixId[];
  for (const fix of fixes) {
    if (!FIXES.includes(fix as FixId)) throw new UsageError(`Unknown fix "${fix}": use ${FIXES.join(', ')}.`);
  }
  let action = v.action;
  if (action !== undefined) {
    if (!/^(secretsmanager:)?[A-Z][A-Za-z]+$/.test(action)) {
      throw new UsageError(`--action "${action}" is not a Secrets Manager operation such as GetSecretValue.`);
    }
    if (!action.includes(':')) action = `secretsmanager:${action}`;
  }
  const changed = v.changed;
  if (changed !== undefined && !CHANGED.includes(changed)) {
    throw new UsageError(`--changed "${changed}" is not one of ${CHANGED.join(', ')}.`);
  }
  for (const [flag, value] of [['--kms-key-id', v['kms-key-id']], ['--from', v.from], ['--backup-dir', v['backup-dir']], ['--expect', v.expect], ['--expect-version-id', v['expect-version-id']], ['--error-message', v['error-message']]] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} is empty.`);
  }
  if (v.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(v.region)) {
    throw new UsageError(`--region "${v.region}" is not a Region code such as us-east-1.`);
  }
  return {
    command,
    symptom: symptom as SymptomId,
    secretIds,
    region: v.region,
    profile: v.profile,
    principal: v.principal,
    action,
    errorMessage: v['error-message'],
    changed,
    expectFile: v.expect,
    expectVersionId: v['expect-version-id'],
    kmsKeyId: v['kms-key-id'],
    readValue: v['read-value'] ?? false,
    allSecrets: v['all-secrets'] ?? false,
    responsePlans: v['response-plans'] ?? false,
    responsePlan: v['response-plan'],
    fixes,
    includeCreator: v['include-creator'] ?? false,
    dryRun: v['dry-run'] ?? false,
    yes: v.yes ?? false,
    backupDir: v['backup-dir'],
    from: v.from,
    waitMs,
    timeoutMs,
    strict: v.strict ?? false,
    json: v.json ?? false,
    color: !v['no-color'] && env.NO_COLOR === undefined && stdoutIsTty,
    plain: v.plain ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

export const HELP = `secrets-doctor: find out why AWS Secrets Manager or Incident Manager refuses a secret, and fix it.

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
  --action A            access-denied: the operation that was denied (default GetSecretValue)
  --error-message TEXT  access-denied: the message you got; fills in the principal, action and
                        secret you did not give, and names the policy type that denied
  --kms-key-id K        asymmetric-kms-key: the key ID, alias or ARN given to CreateSecret
  --response-plan ARN   incident-manager-secret: the response plan (its ARN is Incident Manager's
                        aws:SourceArn; without it a condition on that key is unknown)
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
  --json                print one JSON document per secret on stdout
  --no-color            no colours (also NO_COLOR)
  --debug               request-level detail on stderr (never a secret value)
  -h, --help            this help
  -v, --version         the version

Exit status
  0 no check failed   1 a check failed   2 usage error   3 the checks could not run   130 interrupted
`;
