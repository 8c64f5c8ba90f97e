/**
 * What both front-ends of the wizard need before the first question: a session (with an MFA code
 * provider that asks in the flow), the command line's answers to pre-select, the other settings, and the
 * services. No Ink here.
 */
import { EventEmitter } from 'node:events';
import { AwsSession } from '../aws/session.js';
import { classify, sentence } from '../aws/errors.js';
import { UsageError, type Args } from '../commands/args.js';
import type { Io } from '../commands/status.js';
import { backupDirOf } from '../commands/fix-io.js';
import { inputsFromArgs } from '../commands/inputs.js';
import type { Inputs, SymptomId } from '../types.js';
import type { Presets } from './state.js';
import { awsServices, type WizardServices } from './services.js';
import { withWizardWords } from './words.js';
import { Interruption } from '../fixes/interruption.js';
import { visibleLines } from '../visible.js';

export interface Prepared {
  session: AwsSession;
  services: WizardServices;
  presets: Presets;
  base: Omit<Inputs, 'symptom'>;
  /** 'interrupt' from signals; 'mfa' (serial, resolve, reject) from the session. */
  outside: EventEmitter;
  /** --debug lines, kept until the wizard has left the screen. */
  debugLines: string[];
  /** Ctrl-C around a write: what to say on leaving (SPEC.md, "Interruption"). */
  interruption: Interruption;
}

/**
 * @param symptomGiven whether --symptom was on the command line (otherwise nothing is pre-selected)
 * @returns the prepared wizard, or an exit status (2: a usage problem, such as no Region)
 */
export async function prepareWizard(args: Args, io: Io, symptomGiven: boolean): Promise<Prepared | number> {
  if (args.json) throw new UsageError('--json is for `secrets-doctor diagnose` and `fix`; the wizard is interactive.');
  if (args.allSecrets || args.responsePlans) {
    throw new UsageError('--all-secrets and --response-plans are for `secrets-doctor diagnose`; the wizard checks one secret.');
  }
  if (args.secretIds.length > 1) throw new UsageError('The wizard checks one secret: give at most one --secret-id (or use `secrets-doctor diagnose`).');
  const outside = new EventEmitter();
  const debugLines: string[] = [];
  const session = new AwsSession({
    region: args.region,
    profile: args.profile,
    timeoutMs: args.timeoutMs,
    debug: args.debug ? (line) => debugLines.push(`debug: ${visibleLines(line)}`) : undefined,
    mfaCodeProvider: (serial) =>
      new Promise<string>((resolve, reject) => {
        if (!outside.emit('mfa', serial, resolve, reject)) reject(new Error('No MFA code can be asked for here.'));
      }),
  });
  try {
    await session.region();
  } catch (error) {
    io.stderr(`${sentence(classify(error), args.profile)}\n`);
    return 2;
  }
  // The answers the wizard asks for are presets (pre-selected); the rest (--expect, timeouts...) is the base.
  const {
    symptom: _symptom,
    secretId: _secretId,
    principal: _principal,
    readValue: _readValue,
    action,
    errorMessage,
    changed,
    expectVersionId,
    kmsKeyId,
    ...base
  } = await inputsFromArgs(args, undefined);
  const presets: Presets = {
    symptom: symptomGiven ? (args.symptom as SymptomId) : undefined,
    secretId: args.secretIds[0],
    principal: args.principal,
    readValue: args.readValue,
    action,
    errorMessage,
    changed,
    expectVersionId,
    kmsKeyId,
  };
  const interruption = new Interruption();
  // Findings name the wizard's questions, not the flags that answer them on the command line.
  const services = withWizardWords(awsServices(session, { backupDir: backupDirOf(args), waitMs: args.waitMs, interruption }));
  return { session, services, presets, base, outside, debugLines, interruption };
}

/** Signals that mean "stop": they reach the flow as an interrupt (a running write still returns first). */
export function forwardSignals(outside: EventEmitter): () => void {
  const onSignal = () => outside.emit('interrupt');
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
