import { sentence, type Problem } from '../aws/errors.js';
import { otherAccountSide } from './principal-side.js';
import { evaluate, describeStatement, ignoredKeysUsed } from '../policy/evaluate.js';
import { creatorKeyStatement } from '../policy/statements.js';
import { outcome, needPrincipal, type Check } from './common.js';
import { needKeyPolicy, engineBlind, cap, namesOnlyAccount, KEY_POLICY, unevaluable } from './policies.js';
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
      return outcome('skip', `Skipped: ${operation} does not use the secret's KMS key (${kmsNeedOf(operation)?.why ?? 'not an operation that reads or writes the value'}).`);
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
    const request = { principal: who, resource: keyArn, resourceAccount: keyAccount, context, resourcePolicy: policy.document };

    for (const action of actions) {
      // First the key policy alone (no identity permission), then with IAM's side assumed to allow:
      // the difference tells a direct grant from the account-root delegation to IAM.
      const [direct, delegated] = await Promise.all([
        evaluate({ ...request, action, identityPolicies: [] }),
        evaluate({ ...request, action }),
      ]);
      if (!direct.ok) return unevaluable(`${KEY_POLICY} of ${keyArn}`, direct, evidence);
      if (!delegated.ok) return unevaluable(`${KEY_POLICY} of ${keyArn}`, delegated, evidence);
      const blind = [...new Set([...ignoredKeysUsed(direct, policy.document), ...ignoredKeysUsed(delegated, policy.document)])];
      if (blind.length) return engineBlind(blind, evidence, details);
      if (direct.decision === 'Allowed') {
        // The account-root statement alone allows nothing (it delegates to IAM): name the statements that decided.
        const deciding = direct.grants.filter((g) => g.policy === 'resource' && !namesOnlyAccount(policy.statements[g.index - 1], keyAccount));
        details.push(`${action}: allowed by ${deciding.map((g) => describeStatement(g, KEY_POLICY)).join(', ') || KEY_POLICY}.`);
        continue;
      }
      if (delegated.decision === 'ExplicitlyDenied' || direct.decision === 'ExplicitlyDenied') {
        const denies = (delegated.decision === 'ExplicitlyDenied' ? delegated : direct).denies.map((d) => describeStatement(d, KEY_POLICY));
        failures.push(`${action}: explicitly denied by ${denies.join(', ')}`);
        continue;
      }
      if (delegated.decision !== 'Allowed') {
        failures.push(`${action}: ${KEY_POLICY} neither names ${who} nor delegates to the account's IAM policies`);
        continue;
      }
      const via = delegated.grants.filter((g) => g.policy === 'resource').map((g) => describeStatement(g, KEY_POLICY));
      const verdict = await identityVerdict(ctx, p, action, keyArn, keyAccount, context);
      if (verdict.decision === 'Allowed') {
        details.push(`${action}: ${via.join(', ') || KEY_POLICY} delegates to IAM, and ${verdict.source} allows it${verdict.statements.length ? ` (${verdict.statements.join(', ')})` : ''}.`);
      } else if (verdict.decision === 'unknown') {
        unreadable ??= verdict.problem;
        unknowns.push(`${action}: ${via.join(', ') || KEY_POLICY} delegates to IAM, whose answer could not be read (${verdict.problem ? sentence(verdict.problem) : 'unknown'})`);
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
