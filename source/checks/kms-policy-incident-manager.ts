import { IM_PRINCIPAL } from '../types.js';
import { evaluate, describeStatement, ignoredKeysUsed } from '../policy/evaluate.js';
import { incidentManagerKeyStatement } from '../policy/statements.js';
import { outcome, type Check } from './common.js';
import { needKeyPolicy, engineBlind, cap, KEY_POLICY, unevaluable } from './policies.js';
import { KEY_ACTIONS, serviceKmsContext } from './kms-context.js';

export const kmsPolicyIncidentManager: Check = {
  id: 'kms-policy-incident-manager',
  title: 'The key policy lets Incident Manager use the key',
  async run(ctx) {
    const loaded = await needKeyPolicy(ctx);
    if ('outcome' in loaded) return loaded.outcome;
    const { key, secret, policy } = loaded.value;
    const keyArn = key.metadata.Arn!;
    const context = serviceKmsContext(IM_PRINCIPAL, secret);
    const results = await Promise.all(
      KEY_ACTIONS.map(async (action) => ({
        action,
        result: await evaluate({
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
    for (const { action, result } of results) {
      if (!result.ok) return unevaluable(`${KEY_POLICY} of ${keyArn}`, result, evidence);
      decisions[action] = result.decision;
      const deciding = result.decision === 'Allowed' ? result.grants : result.denies;
      const by = deciding.map((d) => describeStatement(d, KEY_POLICY));
      details.push(`${action}: ${result.decision}${by.length ? ` by ${by.join(', ')}` : ''}.`);
    }
    evidence.decisions = decisions;
    const blind = [...new Set(results.flatMap((r) => ignoredKeysUsed(r.result, policy.document)))];
    if (blind.length) return engineBlind(blind, evidence, details);
    const missing = results.filter((r) => r.result.ok && r.result.decision !== 'Allowed').map((r) => r.action);
    if (!missing.length) {
      return outcome('pass', `${cap(KEY_POLICY)} lets ${IM_PRINCIPAL} use kms:Decrypt and kms:GenerateDataKey* through Secrets Manager.`, { details, evidence });
    }
    const explicit = results.some((r) => r.result.ok && r.result.decision === 'ExplicitlyDenied');
    const statement = JSON.stringify(incidentManagerKeyStatement());
    return outcome('fail', `${cap(KEY_POLICY)} of ${keyArn} does not let ${IM_PRINCIPAL} use ${missing.join(' and ')}${explicit ? ' (an explicit Deny)' : ''}.`, {
      details,
      evidence,
      remediation: explicit
        ? `The key policy's owner must exempt Incident Manager from the Deny (see details) and add ${statement}; review that edit by hand.`
        : `Add this statement to the key policy: ${statement}, with \`aws kms put-key-policy --key-id ${keyArn} --policy-name default --policy file://key-policy.json\`.`,
      ...(explicit ? {} : { fix: 'key-policy' as const }),
    });
  },
};
