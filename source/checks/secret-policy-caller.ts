import { callerContext, secretReadContext } from '../policy/context.js';
import { describeStatement } from '../policy/evaluate.js';
import { decideWithUnobservables, dependsAs, settled } from '../policy/observability.js';
import { outcome, needPrincipal, evaluatedArn, type Check } from './common.js';
import { needSecretPolicy, SECRET_POLICY, unevaluable, dependsOutcome } from './policies.js';
import { kmsActionsFor } from './common.js';
import { awsManagedKeyAcrossAccounts } from './aws-managed-key-across-accounts.js';
import { checksFor } from '../symptoms.js';
import { shellQuote } from '../shell.js';

export const secretPolicyCaller: Check = {
  id: 'secret-policy-caller',
  title: "The secret's resource policy lets the principal in",
  async run(ctx) {
    const [loaded, principal] = await Promise.all([needSecretPolicy(ctx), needPrincipal(ctx)]);
    if ('outcome' in loaded) return loaded.outcome;
    if ('outcome' in principal) return principal.outcome;
    const p = principal.value;
    const { secret, policy } = loaded.value;
    const secretArn = secret.description.ARN!;
    const secretAccount = secretArn.split(':')[4] ?? '';
    const crossAccount = secretAccount !== p.account;
    const action = ctx.inputs.action ?? 'secretsmanager:GetSecretValue';
    // Where kms-policy-caller does not run (temporary credentials), the AWS managed key across accounts is said here.
    if (crossAccount && !checksFor(ctx.symptom).includes('kms-policy-caller')) {
      const keyBlocks = await awsManagedKeyAcrossAccounts(ctx, p, kmsActionsFor(action));
      if (keyBlocks) return keyBlocks;
    }
    const evidence: Record<string, unknown> = { api: 'secretsmanager:GetResourcePolicy', principal: p.given, action };
    if (!policy.parsed) {
      evidence.policy = 'none';
      if (crossAccount) {
        return outcome('fail', `The secret has no resource policy, and ${p.given} is in another account (${p.account}).`, {
          evidence,
          remediation: `Across accounts the resource policy must allow the principal: add {"Effect":"Allow","Principal":{"AWS":"${p.arn}"},"Action":"${action}","Resource":"*"} with \`aws secretsmanager put-resource-policy --secret-id ${shellQuote(secretArn)} --resource-policy file://policy.json --block-public-policy\`.`,
        });
      }
      return outcome('pass', 'The secret has no resource policy: nothing in it denies the principal (in its own account, IAM decides).', { evidence });
    }
    evidence.statements = policy.parsed.statements.length;
    const decided = await decideWithUnobservables({
      principal: evaluatedArn(p),
      action,
      resource: secretArn,
      resourceAccount: secretAccount,
      context: secretReadContext(callerContext(p, secret.region), secretArn, secret.description.Tags),
      resourcePolicy: policy.parsed.document,
    });
    if (!decided.ok) {
      return unevaluable(SECRET_POLICY, decided, evidence);
    }
    // This check fails on an explicit Deny, and across accounts on the lack of an Allow too.
    const fails = (d: string) => d === 'ExplicitlyDenied' || (crossAccount && d === 'ImplicitlyDenied');
    if (dependsAs(decided, fails)) return dependsOutcome(`${SECRET_POLICY} lets ${p.given} ${action}`, decided, evidence, [], action);
    const result = settled(decided, fails);
    evidence.decision = result.decision;
    if (result.decision === 'ExplicitlyDenied') {
      const denies = result.denies.filter((d) => d.policy === 'resource').map((d) => describeStatement(d, SECRET_POLICY));
      evidence.decidedBy = denies;
      return outcome('fail', `${denies[0] ?? SECRET_POLICY} explicitly denies ${p.given} ${action}.`, {
        details: denies.slice(1).map((d) => `Also denied by ${d}.`),
        evidence,
        remediation: `The secret's owner must narrow the Deny so it no longer matches this principal (an explicit Deny beats every Allow): review it with \`aws secretsmanager get-resource-policy --secret-id ${shellQuote(secretArn)}\`.`,
      });
    }
    if (result.decision === 'ImplicitlyDenied' && crossAccount) {
      return outcome('fail', `${p.given} is in account ${p.account}, and ${SECRET_POLICY} does not allow it ${action}.`, {
        evidence,
        remediation: `Across accounts the resource policy must allow the principal: add {"Effect":"Allow","Principal":{"AWS":"${p.arn}"},"Action":"${action}","Resource":"*"}.`,
      });
    }
    const grants = result.grants.filter((g) => g.policy === 'resource').map((g) => describeStatement(g, SECRET_POLICY));
    if (grants.length) evidence.decidedBy = grants;
    return outcome(
      'pass',
      grants.length
        ? `${grants[0]} allows ${p.given} ${action}, and no statement denies it.`
        : `No statement of ${SECRET_POLICY} denies ${p.given} ${action} (in its own account, IAM decides).`,
      { evidence },
    );
  },
};
