/** `secrets-doctor diagnose`: the checks for each --secret-id, a report (text or JSON Lines), an exit status. */
import { AwsSession } from '../aws/session.js';
import { classify, sentence } from '../aws/errors.js';
import { diagnose, type Diagnosis } from '../diagnose.js';
import { renderReport } from '../report/text.js';
import { toJsonLine } from '../report/json.js';
import type { Args } from './args.js';
import { inputsFromArgs } from './inputs.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit status of one diagnosis (SPEC.md, "Statuses"). */
export function exitStatus(d: Diagnosis, strict: boolean): number {
  if (d.findings.some((f) => f.id === 'credentials' && f.status === 'fail')) return 3;
  if (d.summary.fail > 0) return 1;
  if (strict && d.summary.warn + d.summary.unknown > 0) return 1;
  return 0;
}

/** A session from the flags; a missing Region is a usage error (exit 2) before any request. */
export async function openSession(args: Args, io: Io): Promise<AwsSession | number> {
  const session = new AwsSession({
    region: args.region,
    profile: args.profile,
    timeoutMs: args.timeoutMs,
    debug: args.debug ? (line) => io.stderr(`debug: ${line}\n`) : undefined,
  });
  try {
    await session.region();
  } catch (error) {
    session.options.debug?.(String((error as Error)?.stack ?? error));
    io.stderr(`${sentence(classify(error), args.profile)}\n`);
    return 2;
  }
  return session;
}

export async function runDiagnose(args: Args, io: Io): Promise<number> {
  const session = await openSession(args, io);
  if (typeof session === 'number') return session;
  const secretIds: (string | undefined)[] = args.secretIds.length ? args.secretIds : [undefined];
  let status = 0;
  for (const secretId of secretIds) {
    const d = await diagnose(session, await inputsFromArgs(args, secretId));
    io.stdout(args.json ? toJsonLine(d) : renderReport(d, { color: args.color, verbose: args.debug }));
    const code = exitStatus(d, args.strict);
    if (code === 3) {
      const credentials = d.findings.find((f) => f.id === 'credentials');
      io.stderr(`${credentials?.summary ?? 'The AWS credentials do not work.'}\n`);
    }
    status = Math.max(status, code);
  }
  return status;
}
