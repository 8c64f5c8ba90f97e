import { IM_PRINCIPAL } from '../types.js';
import { describeStatement, ignoredKeysUsed } from '../policy/evaluate.js';
import { decideWithUnobservables, describeOutcomes, describeUnobserved } from '../policy/observability.js';
import { incidentManagerKeyStatement } from '../policy/statements.js';
import { outcome, type Check } from './common.js';
import { needKeyPolicy, engineBlind, cap, KEY_POLICY, unevaluable, dependsOutcome, possible } from './policies.js';
import { KEY_ACTIONS, serviceKmsContext } from './kms-context.js';

export const kmsPolicyIncidentManager: Check = {
  id: 'kms-policy-incident-manager',
  title: 'The key policy lets Incident Manager use the key',
  async run(ctx) {
    const loaded = await needKeyPolicy(ctx);
    if ('outcome' in loaded) return loaded.outcome;
    const { key, secret, policy } = loaded.value;
    const keyArn = key.metadata.Arn!;
    const context = serviceKmsContext(IM_PRINCIPAL, secret, ctx.inputs.responsePlanArn);
    const results = await Promise.all(
      KEY_ACTIONS.map(async (action) => ({
        action,
        decided: await decideWithUnobservables({
          principal: IM_PRINCIPAL,
          action,
          resource: keyArn,
          resourceAccount: key.metadata.AWSAccountId ?? keyArn.split(':')[4] ?? '',
          context,
          resourcePolicy: policy.document,
        }),
      })),
    );
    const evidence: Record<string, unknown> = {
      api: 'kms:GetKeyPolicy',
      keyArn,
      principal: IM_PRINCIPAL,
      context: { 'kms:ViaService': context['kms:ViaService'], 'kms:EncryptionContext:SecretARN': context['kms:EncryptionContext:SecretARN'] },
      statements: policy.statements.length,
    };
    const decisions: Record<string, string> = {};
    const details: string[] = [];
    const decided = [];
    for (const { action, decided: d } of results) {
      if (!d.ok) return unevaluable(`${KEY_POLICY} of ${keyArn}`, d, evidence);
      decided.push({ action, d });
      if (d.depends) {
        decisions[action] = 'depends';
        details.push(`${action}: depends on ${describeUnobserved(d)}: ${describeOutcomes(d)}.`);
        continue;
      }
      const result = d.evaluation;
      decisions[action] = result.decision;
      const deciding = result.decision === 'Allowed' ? result.grants : result.denies;
      const by = deciding.map((x) => describeStatement(x, KEY_POLICY));
      details.push(`${action}: ${result.decision}${by.length ? ` by ${by.join(', ')}` : ''}.`);
    }
    evidence.decisions = decisions;
    const blind = [...new Set(decided.flatMap((r) => ignoredKeysUsed(r.d.evaluation, policy.document)))];
    if (blind.length) return engineBlind(blind, evidence, details);
    // An action that no value of an unobservable key lets through fails whatever the request carries: that
    // failure is reported even where another action depends on what the tool cannot see.
    const missing = decided.filter((r) => !possible(r.d).has('Allowed')).map((r) => r.action);
    const depending = decided.find((r) => r.d.depends && possible(r.d).has('Allowed'));
    if (!missing.length && depending) {
      return dependsOutcome(`${KEY_POLICY} lets ${IM_PRINCIPAL} use ${depending.action}`, depending.d, evidence, details);
    }
    if (!missing.length) {
      return outcome('pass', `${cap(KEY_POLICY)} lets ${IM_PRINCIPAL} use kms:Decrypt and kms:GenerateDataKey* through Secrets Manager.`, {
        details,
        evidence,
      });
    }
    const explicit = decided.some((r) => missing.includes(r.action) && possible(r.d).has('ExplicitlyDenied'));
    const statement = JSON.stringify(incidentManagerKeyStatement());
    return outcome(
      'fail',
      `${cap(KEY_POLICY)} of ${keyArn} does not let ${IM_PRINCIPAL} use ${missing.join(' and ')}${explicit ? ' (an explicit Deny)' : ''}.`,
      {
        details,
        evidence,
        remediation: explicit
          ? `The key policy's owner must exempt Incident Manager from the Deny (see details) and add ${statement}; review that edit by hand.`
          : `Add this statement to the key policy: ${statement}, with \`aws kms put-key-policy --key-id ${keyArn} --policy-name default --policy file://key-policy.json\`.`,
        ...(explicit ? {} : { fix: 'key-policy' as const }),
      },
    );
  },
};
