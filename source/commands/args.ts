/**
 * The command line: flags as SPEC.md lists them, parsed strictly. Anything wrong here is a usage error
 * (exit 2) with one sentence; nothing here imports the SDK or Ink.
 */
import { parseArgs } from 'node:util';
import { oneLine, shown } from './shown.js';
import { SYMPTOMS, type FixId, type SymptomId } from '../types.js';
import { didYouMean, TOPICS } from './help.js';
import { parseAccessDenied } from '../error-message.js';

const FIXES: FixId[] = ['restore-secret', 'secret-policy', 'key-policy'];
const CHANGED = ['value', 'resource-policy', 'key-policy', 'metadata'];

export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string) {
    // One line whatever a value held (values themselves are cut by `shown`).
    super(oneLine(message));
  }
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
  'principal-profile': { type: 'string' },
  action: { type: 'string' },
  'error-message': { type: 'string' },
  'authorization-id': { type: 'string' },
  since: { type: 'string' },
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
  format: { type: 'string' },
  output: { type: 'string' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  plain: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type Command = 'wizard' | 'diagnose' | 'fix' | 'restore-policy' | 'help';

export interface Args {
  command: Command;
  symptom: SymptomId;
  secretIds: string[];
  region?: string | undefined;
  profile?: string | undefined;
  principal?: string | undefined;
  /** A profile with credentials in --principal's account, to read its identity policies there. */
  principalProfile?: string | undefined;
  /** access-denied: the operation that was denied, as `secretsmanager:Name`. */
  action?: string | undefined;
  errorMessage?: string | undefined;
  /** IAM Access Troubleshooter's authorization ID of the refused request. */
  authorizationId?: string | undefined;
  /** denied-request: how far back to search CloudTrail, in milliseconds. */
  sinceMs?: number | undefined;
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
  /** --format json (or --json). */
  json: boolean;
  /** The report's form: text (the default), json or markdown. */
  format: 'text' | 'json' | 'markdown';
  /** Write the report to this file instead of stdout. */
  output?: string | undefined;
  /** Every check's details and evidence, passes included. */
  verbose: boolean;
  color: boolean;
  plain: boolean;
  debug: boolean;
  help: boolean;
  /** `help COMMAND` or `COMMAND --help`: whose help to show. */
  helpTopic?: string | undefined;
  version: boolean;
}

/** A Region code's shape (us-east-1, us-gov-west-1, ap-southeast-4). */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const COMMANDS: Command[] = ['diagnose', 'fix', 'restore-policy', 'help'];

/** Symptoms whose checks are about one secret: without one, diagnose and fix have nothing to check. */
const NEEDS_SECRET: SymptomId[] = ['incident-manager-secret', 'access-denied', 'access-denied-temporary-credentials', 'changes-not-visible'];

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** CloudTrail's event history covers 90 days. */
const MAX_SINCE_MS = 90 * 86_400_000;

/** --since: a duration (30m, 24h, 7d) or an ISO 8601 time, as a window in milliseconds back from now. */
export function parseSince(value: string, now: number): number {
  const duration = /^(\d+(?:\.\d+)?)([mhd])$/.exec(value.trim());
  const ms = duration ? Number(duration[1]) * UNITS[duration[2]!]! : /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? now - Date.parse(value.trim()) : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new UsageError('--since takes a duration such as 30m, 24h or 7d, or a past ISO 8601 time such as 2026-11-30T08:00:00Z.');
  }
  if (ms > MAX_SINCE_MS) throw new UsageError("--since reaches back more than 90 days, which is all that CloudTrail's event history keeps.");
  return ms;
}

/** Flags whose value may be a negative number: `--timeout -1` is read as `--timeout=-1`, and refused as a value. */
const NUMERIC = new Set(['--timeout', '--wait']);

export function parse(rawArgv: string[], env: NodeJS.ProcessEnv, stdoutIsTty: boolean): Args {
  const argv = rawArgv.flatMap((a, i) =>
    NUMERIC.has(rawArgv[i - 1] ?? '') && /^-[\d.]/.test(a) ? [] : NUMERIC.has(a) && /^-[\d.]/.test(rawArgv[i + 1] ?? '') ? [`${a}=${rawArgv[i + 1]}`] : [a],
  );
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages name the flag (and may quote a value whole, over lines): keep the first
    // sentence of the first line, with a quoted value cut short.
    const first = String((error as Error).message)
      .split('\n')[0]!
      .split('. ')[0]!
      .replace(/\.$/, '');
    const message = first.replace(/'([^']{81,})'/, (_m, value: string) => shown(value).replace(/^"|"(?= \(|$)/g, "'"));
    const flag = /Unknown option '--([^'=]+)/.exec(first)?.[1];
    const hint = flag ? didYouMean(flag, Object.keys(OPTIONS)).replace(/Did you mean (\S+)\?/, 'Did you mean --$1?') : '';
    throw new UsageError(`${message}.${hint} Run \`secrets-doctor --help\` for the options.`);
  }
  const { values: v, positionals } = parsed;
  const word = positionals[0];
  if (positionals.length > (word === 'help' ? 2 : 1)) throw new UsageError(`Unexpected argument ${shown(positionals.at(-1)!)}. Run \`secrets-doctor --help\`.`);
  if (word !== undefined && !COMMANDS.includes(word as Command)) {
    throw new UsageError(`Unknown command ${shown(word)}: use diagnose, fix or restore-policy (or no command for the wizard).${didYouMean(word, COMMANDS)}`);
  }
  const command = (word ?? 'wizard') as Command;
  const topic = command === 'help' ? positionals[1] : v.help && word !== undefined ? command : undefined;
  if (topic !== undefined && !(topic in TOPICS)) {
    throw new UsageError(`There is no help on ${shown(topic)}: ask for ${Object.keys(TOPICS).join(', ')}.${didYouMean(topic, Object.keys(TOPICS))}`);
  }

  const symptom = v.symptom ?? 'not-sure';
  if (!SYMPTOMS.includes(symptom as SymptomId)) {
    throw new UsageError(`Unknown symptom ${shown(symptom)}: use one of ${SYMPTOMS.join(', ')}.${didYouMean(symptom, SYMPTOMS)}`);
  }
  const secretIds = v['secret-id'] ?? [];
  for (const id of secretIds) {
    if (id.trim() === '') throw new UsageError('--secret-id is empty: give a secret name or ARN.');
    if (id.length > 2048) throw new UsageError(`--secret-id is ${id.length} characters long; a secret ID has at most 2,048.`);
  }
  if (v.principal !== undefined && !/^arn:[^:]+:(iam|sts)::\d{12}:.+/.test(v.principal)) {
    throw new UsageError(`--principal ${shown(v.principal)} is not an IAM or STS ARN (arn:aws:iam::ACCOUNT:role/NAME).`);
  }
  if (v['principal-profile'] !== undefined && v.principal === undefined && v['error-message'] === undefined) {
    throw new UsageError("--principal-profile goes with --principal: it reads that principal's policies in its own account.");
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
  if ((command === 'diagnose' || command === 'fix') && !v.help) {
    const named = parseAccessDenied(v['error-message']).resourceKind;
    const secretGiven = secretIds.length > 0 || v['all-secrets'] || v['response-plans'] || named === 'secret-arn' || named === 'secret-name';
    if (NEEDS_SECRET.includes(symptom as SymptomId) && !secretGiven) {
      throw new UsageError(`--symptom ${symptom} checks a secret: give --secret-id (its name or ARN)${command === 'diagnose' ? ', or --all-secrets' : ''}.`);
    }
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
      throw new UsageError(`--timeout ${shown(v.timeout)} is not a number of seconds above 0 and at most 600: for example --timeout 5.`);
    }
    // Never 0, which the HTTP handler would read as "no timeout": a sub-millisecond value is 1 ms.
    timeoutMs = Math.max(1, Math.ceil(seconds * 1000));
  }
  let waitMs = 60_000;
  if (v.wait !== undefined) {
    const seconds = Number(v.wait);
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
      throw new UsageError(`--wait ${shown(v.wait)} is not a number of seconds between 0 and 3600.`);
    }
    waitMs = Math.round(seconds * 1000);
  }
  const fixes = (v.fixes ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean) as FixId[];
  for (const fix of fixes) {
    if (!FIXES.includes(fix as FixId)) throw new UsageError(`Unknown fix ${shown(fix)}: use ${FIXES.join(', ')}.`);
  }
  let action = v.action;
  if (action !== undefined) {
    if (!/^(secretsmanager:)?[A-Z][A-Za-z]+$/.test(action)) {
      throw new UsageError(`--action ${shown(action)} is not a Secrets Manager operation such as GetSecretValue.`);
    }
    if (!action.includes(':')) action = `secretsmanager:${action}`;
  }
  const changed = v.changed;
  if (changed !== undefined && !CHANGED.includes(changed)) {
    throw new UsageError(`--changed ${shown(changed)} is not one of ${CHANGED.join(', ')}.`);
  }
  for (const [flag, value] of [
    ['--kms-key-id', v['kms-key-id']],
    ['--from', v.from],
    ['--backup-dir', v['backup-dir']],
    ['--expect', v.expect],
    ['--expect-version-id', v['expect-version-id']],
    ['--error-message', v['error-message']],
    ['--principal-profile', v['principal-profile']],
  ] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} is empty.`);
  }
  const authorizationId = v['authorization-id'];
  // The API's pattern (IAM Toolbox API Reference): lower-case letters and digits; the guide's examples
  // also use upper case.
  if (authorizationId !== undefined && !/^[A-Za-z0-9]{1,256}$/.test(authorizationId)) {
    throw new UsageError('--authorization-id takes the ID at the end of the denial message: letters and digits only.');
  }
  const format = v.format ?? (v.json ? 'json' : 'text');
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format takes text, json or markdown.`);
  if (v.json && v.format !== undefined && v.format !== 'json') throw new UsageError('--json is --format json: give one of them.');
  if (v.output !== undefined && v.output.trim() === '') throw new UsageError('--output is empty: give a file to write the report to.');
  const sinceMs = v.since === undefined ? undefined : parseSince(v.since, Date.now());
  if (v.region !== undefined && !REGION.test(v.region)) {
    throw new UsageError(`--region ${shown(v.region)} is not a Region code such as us-east-1.`);
  }
  return {
    command,
    symptom: symptom as SymptomId,
    secretIds,
    region: v.region,
    profile: v.profile,
    principal: v.principal,
    principalProfile: v['principal-profile'],
    action,
    errorMessage: v['error-message'],
    authorizationId,
    sinceMs,
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
    json: format === 'json',
    format: format as Args['format'],
    output: v.output,
    verbose: v.verbose ?? false,
    color: !v['no-color'] && env.NO_COLOR === undefined && stdoutIsTty,
    plain: v.plain ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
    helpTopic: topic,
    version: v.version ?? false,
  };
}
