/**
 * Everything the wizard asks of AWS, behind one interface, so that the views never call AWS themselves
 * and tests hand in fakes. Both front-ends use it (Ink and --plain); nothing here imports Ink.
 * The engine (diagnose, the fixes and their policy evaluation) is imported on first use, so the first
 * screen appears before it has loaded.
 */
import type { AwsSession } from '../aws/session.js';
import type { Diagnosis, DiagnoseEvent } from '../diagnose.js';
import type { Applied, ChangeRequest, FixIo } from '../fixes/protocol.js';
import type { Interruption } from '../fixes/interruption.js';
import type { RerunInputs } from '../report/model.js';
import type { Paint } from '../report/paint.js';
import type { FixId, Inputs } from '../types.js';
import {
  callerArn,
  listKmsKeys,
  listSecrets,
  responsePlanSecrets,
  type Discovered,
  type KmsKeyListing,
  type ResponsePlanListing,
  type SecretListing,
} from '../facts/discovery.js';

/** A fix, planned: a document change to show and then apply, restore-secret, or why there is nothing to do. */
export type PlannedFix =
  | { kind: 'change'; fix: FixId; request: ChangeRequest }
  | { kind: 'restore'; fix: 'restore-secret' }
  | { kind: 'skip'; fix: FixId; message: string };

/** How a running fix talks to its front-end. */
export interface FixHooks {
  /** restore-secret's description of itself. */
  show(text: string): void;
  progress(text: string): void;
  /** A yes/no question; the default answer is no. */
  confirm(question: string): Promise<boolean>;
  /** The change is being written (true) or the write call has returned (false): Ctrl-C waits in between. */
  writing(active: boolean): void;
  /** True once the user has asked to leave: no write starts after that. */
  stopped(): boolean;
}

export interface WizardServices {
  callerArn(): Promise<Discovered<string>>;
  listSecrets(): Promise<Discovered<SecretListing>>;
  responsePlanSecrets(): Promise<Discovered<ResponsePlanListing>>;
  /** The Region's KMS keys, for the asymmetric-kms-key question. */
  kmsKeys(): Promise<Discovered<KmsKeyListing>>;
  diagnose(inputs: Inputs, onEvent: (event: DiagnoseEvent) => void): Promise<Diagnosis>;
  /**
   * Diagnoses each of `secretIds` (diagnoseMany: one session, shared facts), reporting each as it
   * finishes; once `stopped()` is true no further secret is started.
   */
  diagnoseMany(inputs: Inputs, secretIds: string[], onDiagnosis: (diagnosis: Diagnosis, done: number) => void, stopped: () => boolean): Promise<number>;
  planFix(inputs: Inputs, fix: FixId, options: { includeCreator: boolean }): Promise<PlannedFix>;
  applyFix(inputs: Inputs, plan: Exclude<PlannedFix, { kind: 'skip' }>, hooks: FixHooks): Promise<Applied>;
  /** Saves the Markdown report of `diagnosis` as a new file; returns its path. */
  saveReport(diagnosis: Diagnosis, extra: RerunInputs): Promise<string>;
}

export interface ServiceOptions {
  backupDir: string;
  /** How long verification may poll. */
  waitMs: number;
  paint: Paint;
  /** Shared with the front-end, which asks it what to say after Ctrl-C. */
  interruption?: Interruption | undefined;
  /** Where saved reports go. @default the current directory */
  reportDir?: string | undefined;
}

export class StoppedError extends Error {
  override name = 'Interrupted';
  constructor() {
    super('the wizard was interrupted before the write began');
  }
}

export function awsServices(session: AwsSession, options: ServiceOptions): WizardServices {
  const changeOptions = { backupDir: options.backupDir, dryRun: false, yes: false, waitMs: options.waitMs, interruption: options.interruption };
  return {
    callerArn: () => callerArn(session),
    listSecrets: () => listSecrets(session),
    responsePlanSecrets: () => responsePlanSecrets(session),
    kmsKeys: () => listKmsKeys(session),
    async diagnose(inputs, onEvent) {
      const { diagnose } = await import('../engine.js');
      return diagnose(session, inputs, onEvent);
    },
    async diagnoseMany(inputs, secretIds, onDiagnosis, stopped) {
      const { diagnoseMany } = await import('../engine.js');
      // A source that stops yielding once the user has gone back: no new secret is started.
      function* ids() {
        for (const id of secretIds) {
          if (stopped()) return;
          yield id;
        }
      }
      return diagnoseMany(session, inputs, ids(), { onDiagnosis });
    },
    async planFix(inputs, fix, { includeCreator }) {
      if (fix === 'restore-secret') return { kind: 'restore', fix };
      const { planFix } = await import('../engine.js');
      const plan = await planFix(session, inputs, fix, { includeCreator });
      return 'skip' in plan ? { kind: 'skip', fix, message: plan.skip } : { kind: 'change', fix, request: plan.request };
    },
    async saveReport(diagnosis, extra) {
      const { saveMarkdown } = await import('../report/output.js');
      return saveMarkdown(diagnosis, extra, options.reportDir ?? process.cwd());
    },
    async applyFix(inputs, plan, hooks) {
      // The flow's Ctrl-C (a key in Ink's raw mode) stops writes as a signal does.
      options.interruption?.alsoWhen(hooks.stopped);
      const io: FixIo = {
        show: plan.kind === 'restore' ? (text) => hooks.show(text.trimEnd()) : () => {}, // a change's diff is shown from its request
        progress: (text) => hooks.progress(text),
        paint: options.paint,
        confirm: async (question) => {
          const yes = await hooks.confirm(question);
          // restore-secret calls AWS straight after consent: from here until it returns, Ctrl-C waits.
          if (yes && plan.kind === 'restore') hooks.writing(true);
          return yes && !hooks.stopped();
        },
      };
      if (plan.kind === 'restore') {
        const { restoreSecret } = await import('../engine.js');
        try {
          return await restoreSecret(session, inputs, io, { ...changeOptions, only: ['restore-secret'], includeCreator: false });
        } finally {
          hooks.writing(false);
        }
      }
      const { applyChange } = await import('../engine.js');
      const target = plan.request.target;
      const guarded: ChangeRequest = {
        ...plan.request,
        target: {
          ...target,
          async write(text) {
            // Ctrl-C between the consent and the write: nothing is written.
            if (hooks.stopped()) throw new StoppedError();
            hooks.writing(true);
            try {
              await target.write(text);
            } finally {
              hooks.writing(false);
            }
          },
        },
      };
      return applyChange(guarded, io, changeOptions);
    },
  };
}
