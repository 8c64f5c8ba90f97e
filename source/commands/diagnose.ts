/** `secrets-doctor diagnose`: the checks for each --secret-id, a report (text or JSON Lines), an exit status. */
import { AwsSession } from '../aws/session.js';
import { classify, sentence } from '../aws/errors.js';
import { diagnose, type DiagnoseEvent, type Diagnosis } from '../diagnose.js';
import { renderDiagnosis, reportSink } from '../report/output.js';
import type { Args } from './args.js';
import type { Inputs } from '../types.js';
import { errorMessageNote, inputsFromArgs } from './inputs.js';
import { exitStatus, type Io } from './status.js';
import { visible, visibleLines } from '../visible.js';
import { lineInPlace, throttledLines } from '../progress-lines.js';

/** A session from the flags; a missing Region is a usage error (exit 2) before any request. */
export async function openSession(args: Args, io: Io, many = false): Promise<AwsSession | number> {
  const session = new AwsSession({
    ...(many ? { retryMode: 'adaptive' as const } : {}),
    region: args.region,
    profile: args.profile,
    timeoutMs: args.timeoutMs,
    debug: args.debug ? (line) => io.stderr(`debug: ${visibleLines(line)}\n`) : undefined,
  });
  try {
    await session.region();
  } catch (error) {
    session.options.debug?.(String((error as Error)?.stack ?? error));
    io.stderr(`${sentence(classify(error), args.profile)}\n`);
    return 2;
  }
  if (args.principalProfile) {
    const { principalProfileProblem } = await import('../facts/principal-account.js');
    const problem = await principalProfileProblem(session, args.principalProfile, args.principal);
    if (problem) {
      io.stderr(`${problem}\n`);
      return 2;
    }
  }
  return session;
}

/**
 * What a running check says while it waits (propagation: "waiting for version ... : 12 s, 5 reads"), on
 * stderr: rewritten in place when stderr is a terminal and no --debug lines share it, and cleared before
 * the report; otherwise only with --verbose or --debug, as a line every 5 s (a log keeps them all).
 */
function waitingLines(args: Args, io: Io): { onEvent: (event: DiagnoseEvent) => void; clear: () => void } {
  if (process.stderr.isTTY && !args.debug) {
    const line = lineInPlace(io.stderr);
    return {
      onEvent: (e) => (e.type === 'progress' ? line.show(`${e.check}  ${e.text}`) : e.type === 'finding' ? line.clear() : undefined),
      clear: line.clear,
    };
  }
  const lines = throttledLines(5_000, (text) => io.stderr(`${visible(text)}\n`));
  const shown = args.verbose || args.debug;
  return { onEvent: (e) => (shown && e.type === 'progress' ? lines(`${e.check}  ${e.text}`) : undefined), clear: () => {} };
}

export async function runDiagnose(args: Args, io: Io): Promise<number> {
  const many = args.allSecrets || args.responsePlans || args.secretIds.length > 1;
  const session = await openSession(args, io, many);
  if (typeof session === 'number') return session;
  const sink = reportSink(args, io.stdout, io.stderr);
  const finished = (code: number): number => {
    const problem = sink.close();
    if (problem) io.stderr(`${problem}\n`);
    return problem ? Math.max(code, 2) : code;
  };
  // A message that is not understood is said once: the text and Markdown reports say it; JSON is for programs.
  const note = args.format === 'json' ? await errorMessageNote(args) : undefined;
  if (note) io.stderr(`${note}\n`);
  let status = 0;
  let credentialsReported = false;
  const report = (d: Diagnosis) => {
    sink.write(renderDiagnosis(d, { ...args, verbose: args.verbose || args.debug }));
    const code = exitStatus(d, args.strict);
    if (code === 3 && !credentialsReported) {
      credentialsReported = true;
      const credentials = d.findings.find((f) => f.id === 'credentials');
      io.stderr(`${visible(credentials?.summary ?? 'The AWS credentials do not work.')}\n`);
    }
    status = Math.max(status, code);
  };
  if (!many) {
    const waiting = waitingLines(args, io);
    const d = await diagnose(session, await inputsFromArgs(args, args.secretIds[0]), waiting.onEvent);
    waiting.clear();
    report(d);
    return finished(status);
  }
  const { diagnoseMany } = await import('../diagnose-many.js');
  const base = await inputsFromArgs(args, undefined);
  let source: AsyncIterable<string> | Iterable<string> = args.secretIds;
  let inputsFor: ((secretId: string) => Partial<Inputs>) | undefined;
  if (args.allSecrets) {
    const { listSecretArns } = await import('../facts/list-secrets.js');
    source = listSecretArns(session, await session.region());
  }
  if (args.responsePlans) {
    const { responsePlanSecrets } = await import('../facts/discovery.js');
    const found = await responsePlanSecrets(session, { cap: Number.POSITIVE_INFINITY });
    if (!found.available) {
      io.stderr(`The response plans could not be read: ${found.reason}\n`);
      return finished(3);
    }
    source = [...new Set(found.value.references.map((r) => r.secretId))];
    const { planArnFor } = await import('../facts/plan-arn.js');
    inputsFor = (secretId) => (base.responsePlanArn ? {} : { responsePlanArn: planArnFor(secretId, found.value) });
  }
  const progress = process.stderr.isTTY && !args.debug;
  try {
    const count = await diagnoseMany(session, base, source, {
      inputsFor,
      onDiagnosis: (d, done) => {
        report(d);
        if (progress) io.stderr(`\r${done} secret(s) diagnosed`);
      },
    });
    if (progress) io.stderr('\n');
    if (count === 0) io.stderr('No secret to diagnose: the Region has none (ListSecrets).\n');
  } catch (error) {
    // The listing itself failed (denied, throttled): one sentence, and the checks could not run.
    io.stderr(`The secrets could not be listed: ${sentence(classify(error), args.profile)}\n`);
    return finished(Math.max(status, 3));
  }
  return finished(status);
}
