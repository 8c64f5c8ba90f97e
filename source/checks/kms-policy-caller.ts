import { sentence, type Problem } from '../aws/errors.js';
import { otherAccountSide } from './principal-side.js';
import { describeStatement, ignoredKeysUsed } from '../policy/evaluate.js';
import { decideWithUnobservables, describeOutcomes, describeUnobserved, type ContextDecision } from '../policy/observability.js';
import { creatorKeyStatement } from '../policy/statements.js';
import { outcome, needPrincipal, type Check } from './common.js';
import { needKeyPolicy, engineBlind, cap, namesOnlyAccount, KEY_POLICY, unevaluable, dependsOutcome, possible } from './policies.js';
import { evaluatedArn, kmsActionsFor } from './common.js';
import { kmsNeedOf } from './kms-actions.js';
import { awsManagedKeyAcrossAccounts } from './aws-managed-key-across-accounts.js';
import { KEY_ACTIONS, callerKmsContext } from './kms-context.js';
import { identityVerdict, IDENTITY_PERMISSIONS } from './identity-side.js';

export const kmsPolicyCaller: Check = {
  id: 'kms-policy-caller',
  title: 'The key policy lets the principal use the key',
  async run(ctx) {
    const [loaded, principal] = await Promise.all([needKeyPolicy(ctx), needPrincipal(ctx)]);
    // Incident Manager's set-up needs both (P4); a denied request needs what its operation uses.
    const operation = ctx.inputs.action ?? 'secretsmanager:GetSecretValue';
    const actions = ctx.symptom === 'incident-manager-secret' ? KEY_ACTIONS : kmsActionsFor(operation);
    if ('outcome' in principal) return 'outcome' in loaded ? loaded.outcome : principal.outcome;
    const acrossAccounts = await awsManagedKeyAcrossAccounts(ctx, principal.value, actions);
    if (acrossAccounts) return acrossAccounts;
    if ('outcome' in loaded) return loaded.outcome;
    if (!actions.length) {
      return outcome(
        'skip',
        `Skipped: ${operation} does not use the secret's KMS key (${kmsNeedOf(operation)?.why ?? 'not an operation that reads or writes the value'}).`,
      );
    }
    const p = principal.value;
    const { key, secret, policy } = loaded.value;
    const keyArn = key.metadata.Arn!;
    const keyAccount = key.metadata.AWSAccountId ?? keyArn.split(':')[4] ?? '';
    const context = callerKmsContext(p, secret);
    const who = evaluatedArn(p);
    const evidence: Record<string, unknown> = { api: 'kms:GetKeyPolicy', keyArn, principal: who };
    const details: string[] = [];
    const failures: string[] = [];
    const unknowns: string[] = [];
    let unreadable: Problem | undefined;
    let dependsOn: Extract<ContextDecision, { ok: true }> | undefined;
    const request = { principal: who, resource: keyArn, resourceAccount: keyAccount, context, resourcePolicy: policy.document };

    for (const action of actions) {
      // First the key policy alone (no identity permission), then with IAM's side assumed to allow:
      // the difference tells a direct grant from the account-root delegation to IAM. Each in every context
      // the unobservable keys allow (decideWithUnobservables).
      const [direct, delegated] = await Promise.all([
        decideWithUnobservables({ ...request, action, identityPolicies: [] }),
        decideWithUnobservables({ ...request, action }),
      ]);
      if (!direct.ok) return unevaluable(`${KEY_POLICY} of ${keyArn}`, direct, evidence);
      if (!delegated.ok) return unevaluable(`${KEY_POLICY} of ${keyArn}`, delegated, evidence);
      const blind = [...new Set([...ignoredKeysUsed(direct.evaluation, policy.document), ...ignoredKeysUsed(delegated.evaluation, policy.document)])];
      if (blind.length) return engineBlind(blind, evidence, details);
      if (!direct.depends && direct.evaluation.decision === 'Allowed') {
        // The account-root statement alone allows nothing (it delegates to IAM): name the statements that decided.
        const deciding = direct.evaluation.grants.filter((g) => g.policy === 'resource' && !namesOnlyAccount(policy.statements[g.index - 1], keyAccount));
        details.push(`${action}: allowed by ${deciding.map((g) => describeStatement(g, KEY_POLICY)).join(', ') || KEY_POLICY}.`);
        continue;
      }
      // Denied whatever the request carries: a failure, even where another condition cannot be decided.
      if (!possible(delegated).has('Allowed')) {
        const explicit = [delegated, direct].flatMap((d) => d.outcomes).find((o) => o.decision === 'ExplicitlyDenied');
        failures.push(
          explicit
            ? `${action}: explicitly denied by ${explicit.evaluation.denies.map((d) => describeStatement(d, KEY_POLICY)).join(', ')}`
            : `${action}: ${KEY_POLICY} neither names ${who} nor delegates to the account's IAM policies`,
        );
        continue;
      }
      if (direct.depends || delegated.depends) {
        const d = delegated.depends ? delegated : direct;
        dependsOn ??= d;
        unknowns.push(`${action}: depends on ${describeUnobserved(d)} (${describeOutcomes(d)})`);
        continue;
      }
      const via = delegated.evaluation.grants.filter((g) => g.policy === 'resource').map((g) => describeStatement(g, KEY_POLICY));
      const verdict = await identityVerdict(ctx, p, action, keyArn, keyAccount, context);
      if (verdict.decision === 'Allowed') {
        details.push(
          `${action}: ${via.join(', ') || KEY_POLICY} delegates to IAM, and ${verdict.source} allows it${verdict.statements.length ? ` (${verdict.statements.join(', ')})` : ''}.`,
        );
      } else if (verdict.decision === 'unknown' && !(verdict.depends && !verdict.possible?.includes('Allowed'))) {
        if (verdict.depends) dependsOn ??= verdict.depends;
        else unreadable ??= verdict.problem;
        unknowns.push(
          `${action}: ${via.join(', ') || KEY_POLICY} delegates to IAM, whose answer ${verdict.depends ? `depends on ${describeUnobserved(verdict.depends)}` : verdict.problem?.code === 'UnobservableContext' ? `is not certain: ${verdict.problem.message}` : `could not be read (${verdict.problem ? sentence(verdict.problem) : 'unknown'})`}`,
        );
      } else {
        failures.push(`${action}: ${via.join(', ') || KEY_POLICY} delegates to IAM, but ${p.arn}'s IAM policies do not allow it (${verdict.source})`);
      }
    }
    if (failures.length) {
      return outcome('fail', `${cap(KEY_POLICY)} of ${keyArn} does not let ${who} use the key through Secrets Manager: ${failures[0]}.`, {
        details: [...failures.slice(1).map((f) => `${f}.`), ...details],
        evidence,
        remediation: `Add this statement to the key policy: ${JSON.stringify(ctx.symptom === 'incident-manager-secret' ? creatorKeyStatement(p.arn) : { Effect: 'Allow', Principal: { AWS: p.arn }, Action: actions, Resource: '*' })}, or allow ${actions.join(' and ')} on the key in ${p.arn}'s IAM policies where the key policy delegates to IAM.`,
      });
    }
    if (unknowns.length && dependsOn) {
      return dependsOutcome(`${KEY_POLICY} lets ${who} use the key`, dependsOn, evidence, [...unknowns.map((u) => `${u}.`), ...details]);
    }
    if (unknowns.length) {
      return outcome('unknown', `Could not tell whether ${who} may use the key: ${unknowns[0]}.`, {
        details: [...unknowns.slice(1), ...details],
        evidence,
        remediation: otherAccountSide(unreadable, p)?.remediation ?? `Let the identity running secrets-doctor use ${IDENTITY_PERMISSIONS}.`,
      });
    }
    return outcome('pass', `${who} may use ${actions.join(' and ')} on the key through Secrets Manager.`, { details, evidence });
  },
};
