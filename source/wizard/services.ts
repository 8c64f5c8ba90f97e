/**
 * Everything the wizard asks of AWS, behind one interface, so that the views never call AWS themselves
 * and tests hand in fakes. Both front-ends use it (Ink and --plain); nothing here imports Ink.
 * The engine (diagnose, the fixes and their policy evaluation) is imported on first use, so the first
 * screen appears before it has loaded.
 */
import type { AwsSession } from '../aws/session.js';
import type { Diagnosis, DiagnoseEvent } from '../diagnose.js';
import type { Applied, ChangeRequest, FixEvent, Proposal } from '../fixes/protocol.js';
import { Interruption } from '../fixes/interruption.js';
import type { RerunInputs } from '../report/model.js';
import type { FixId, Inputs } from '../types.js';
import {
  callerArn,
  listKmsKeys,
  listPrincipals,
  listSecrets,
  responsePlanSecrets,
  type Discovered,
  type KmsKeyListing,
  type PrincipalListing,
  type ResponsePlanListing,
  type SecretListing,
} from '../facts/discovery.js';

/** A fix, planned: the change to hand to the protocol (which shows it first), or why there is nothing to do. */
export type PlannedFix = { kind: 'change'; fix: FixId; request: ChangeRequest } | { kind: 'skip'; fix: FixId; message: string };

/** How a running fix talks to its front-end. */
export interface FixHooks {
  /** What the protocol reports, as it happens (between 'writing' and the write's return, Ctrl-C waits). */
  event(event: FixEvent): void;
  /** Whether to make the change proposed; the default answer is no. */
  confirm(proposal: Proposal): Promise<boolean>;
  /** True once the user has asked to leave: no write starts after that. */
  stopped(): boolean;
}

export interface WizardServices {
  callerArn(): Promise<Discovered<string>>;
  listSecrets(): Promise<Discovered<SecretListing>>;
  responsePlanSecrets(): Promise<Discovered<ResponsePlanListing>>;
  /** The account's IAM roles and users, for the principal question. */
  principals(): Promise<Discovered<PrincipalListing>>;
  /** The Region's KMS keys, for the asymmetric-kms-key question. */
  kmsKeys(): Promise<Discovered<KmsKeyListing>>;
  diagnose(inputs: Inputs, onEvent: (event: DiagnoseEvent) => void): Promise<Diagnosis>;
  /**
   * Diagnoses each of `secretIds` (diagnoseMany: one session, shared facts), reporting each as it
   * finishes; once `stopped()` is true no further secret is started.
   */
  diagnoseMany(inputs: Inputs, secretIds: string[], onDiagnosis: (diagnosis: Diagnosis, done: number) => void, stopped: () => boolean): Promise<number>;
  planFix(inputs: Inputs, fix: FixId, options: { includeCreator: boolean }): Promise<PlannedFix>;
  applyFix(plan: Exclude<PlannedFix, { kind: 'skip' }>, hooks: FixHooks): Promise<Applied>;
  /** Saves the Markdown report of `diagnosis` as a new file; returns its path. */
  saveReport(diagnosis: Diagnosis, extra: RerunInputs): Promise<string>;
}

export interface ServiceOptions {
  backupDir: string;
  /** How long verification may poll. */
  waitMs: number;
  /** Shared with the front-end, which asks it what to say after Ctrl-C. */
  interruption?: Interruption | undefined;
  /** Where saved reports go. @default the current directory */
  reportDir?: string | undefined;
}

export function awsServices(session: AwsSession, options: ServiceOptions): WizardServices {
  const changeOptions = { backupDir: options.backupDir, dryRun: false, yes: false, waitMs: options.waitMs, interruption: options.interruption };
  return {
    callerArn: () => callerArn(session),
    listSecrets: () => listSecrets(session),
    responsePlanSecrets: () => responsePlanSecrets(session),
    kmsKeys: () => listKmsKeys(session),
    principals: () => listPrincipals(session),
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
      const { planFix } = await import('../engine.js');
      const plan = await planFix(session, inputs, fix, { includeCreator });
      return 'skip' in plan ? { kind: 'skip', fix, message: plan.skip } : { kind: 'change', fix, request: plan.request };
    },
    async saveReport(diagnosis, extra) {
      const { saveMarkdown } = await import('../report/output.js');
      return saveMarkdown(diagnosis, extra, options.reportDir ?? process.cwd());
    },
    async applyFix(plan, hooks) {
      // The flow's Ctrl-C (a key in Ink's raw mode) stops writes as a signal does: none starts after it.
      const interruption = options.interruption ?? new Interruption();
      interruption.alsoWhen(hooks.stopped);
      const { applyChange } = await import('../engine.js');
      return applyChange(
        plan.request,
        { event: (event) => hooks.event(event), confirm: async (proposal) => (await hooks.confirm(proposal)) && !hooks.stopped() },
        { ...changeOptions, interruption },
      );
    },
  };
}
