/**
 * Runs a symptom's checks concurrently over one set of memoised facts and reports progress. The only
 * place that knows how findings depend on each other: credentials first in importance (when they fail,
 * everything else is skipped), service-health last (it reads the request log and the other findings).
 */
import type { AwsSession } from './aws/session.js';
import { Facts, type SharedFacts } from './facts/index.js';
import { CHECKS, TITLES } from './checks/index.js';
import { outcome, type CheckContext, type Outcome } from './checks/common.js';
import { serviceHealth } from './checks/service-health.js';
import { checksFor, INCIDENT_MANAGER_ONLY } from './symptoms.js';
import { applyErrorMessage, errorMessageInput, type ErrorMessageInput } from './error-message.js';
import { STATUSES, type CheckId, type Finding, type Inputs, type Status, type SymptomId } from './types.js';

export interface Diagnosis {
  schemaVersion: 1;
  symptom: SymptomId;
  input: {
    secretId: string | null;
    region: string | null;
    principal: string | null;
    /** What was understood of --error-message (only when one was given). */
    errorMessage?: ErrorMessageInput | undefined;
  };
  identity: { arn: string; account: string; type: string } | null;
  findings: Finding[];
  summary: Record<Status, number>;
}

export type DiagnoseEvent =
  | { type: 'plan'; checks: { id: CheckId; title: string }[] }
  /** A running check says what it is waiting for (about once a second); never after its finding. */
  | { type: 'progress'; check: CheckId; text: string }
  | { type: 'finding'; finding: Finding };

export async function diagnose(
  session: AwsSession,
  given: Inputs,
  onEvent: (event: DiagnoseEvent) => void = () => {},
  /** Facts about the account shared with other diagnoses of the same run (several secrets). */
  shared?: SharedFacts,
): Promise<Diagnosis> {
  // A pasted AccessDenied message fills the principal, action and secret the user did not give.
  const { inputs, parsed } = applyErrorMessage(given);
  const facts = new Facts(session, inputs, shared);
  // service-health speaks of this diagnosis's requests only (a fix re-diagnoses on the same session).
  const logStart = session.log.length;
  const ctx: CheckContext = { facts, inputs, symptom: inputs.symptom };
  const ids = checksFor(inputs.symptom);
  onEvent({ type: 'plan', checks: ids.map((id) => ({ id, title: TITLES[id] })) });

  const finish = (id: CheckId, result: Outcome): Finding => {
    let status = result.status;
    if (inputs.symptom === 'not-sure' && status === 'fail' && INCIDENT_MANAGER_ONLY.has(id)) status = 'warn';
    return { id, title: TITLES[id], ...result, status };
  };

  const running = new Map<CheckId, Promise<Finding>>();
  ctx.peers = (wanted) => Promise.all(wanted.flatMap((id) => (id === 'aws-authorization' ? [] : (running.get(id) ?? []))));
  // A check still running once its finding is out (credentials failed: skipped) says nothing more.
  const reported = new Set<CheckId>();
  for (const id of ids) {
    if (id === 'service-health') continue;
    const check = CHECKS[id];
    const progress = (text: string) => {
      if (!reported.has(id)) onEvent({ type: 'progress', check: id, text });
    };
    running.set(
      id,
      check.run({ ...ctx, progress }).then(
        (result) => finish(id, result),
        (error: unknown) => {
          session.options.debug?.(`check ${id} crashed: ${(error as Error)?.stack ?? String(error)}`);
          return finish(id, outcome('unknown', `The check could not complete (${(error as Error)?.name ?? 'error'}); run with --debug for detail.`));
        },
      ),
    );
  }
  const credentials = await running.get('credentials');
  const credentialsFailed = credentials?.status === 'fail';
  const findings: Finding[] = [];
  for (const id of ids) {
    let finding: Finding;
    if (id === 'credentials' && credentials) finding = credentials;
    else if (credentialsFailed) finding = finish(id, outcome('skip', 'Skipped: the credentials do not work (see credentials).'));
    else if (id === 'service-health') finding = finish(id, serviceHealth(session.log.slice(logStart), findings));
    else finding = await running.get(id)!;
    findings.push(finding);
    reported.add(id);
    onEvent({ type: 'finding', finding });
  }
  if (credentialsFailed) await Promise.allSettled(running.values());

  const [identity, principal, region] = await Promise.all([facts.identity(), facts.principal(), facts.region()]);
  const summary = Object.fromEntries(STATUSES.map((s) => [s, findings.filter((f) => f.status === s).length])) as Record<Status, number>;
  return {
    schemaVersion: 1,
    symptom: inputs.symptom,
    input: {
      secretId: inputs.secretId ?? null,
      region: region.ok ? region.value : null,
      principal: principal.ok ? principal.value.given : (inputs.principal ?? null),
      ...(parsed ? { errorMessage: errorMessageInput(parsed) } : {}),
    },
    identity: identity.ok ? { arn: identity.value.arn, account: identity.value.account, type: identity.value.type } : null,
    findings,
    summary,
  };
}
