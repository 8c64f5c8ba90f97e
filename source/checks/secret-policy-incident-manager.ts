import { IM_PRINCIPAL } from '../types.js';
import { secretReadContext, serviceContext } from '../policy/context.js';
import { describeStatement } from '../policy/evaluate.js';
import { decideWithUnobservables, dependsAs, settled } from '../policy/observability.js';
import { incidentManagerSecretStatement } from '../policy/statements.js';
import { outcome, type Check } from './common.js';
import { needSecretPolicy, SECRET_POLICY, unevaluable, dependsOutcome } from './policies.js';
import { shellQuote } from '../shell.js';

export const secretPolicyIncidentManager: Check = {
  id: 'secret-policy-incident-manager',
  title: 'The resource policy lets Incident Manager read the secret',
  async run(ctx) {
    const loaded = await needSecretPolicy(ctx);
    if ('outcome' in loaded) return loaded.outcome;
    const { secret, policy } = loaded.value;
    const secretArn = secret.description.ARN!;
    const account = secretArn.split(':')[4] ?? '';
    const statement = JSON.stringify(incidentManagerSecretStatement());
    const addRemediation = `Add this statement to the secret's resource policy: ${statement}, then \`aws secretsmanager put-resource-policy --secret-id ${shellQuote(secretArn)} --region ${secret.region} --resource-policy file://policy.json --block-public-policy\`.`;
    const evidence: Record<string, unknown> = { api: 'secretsmanager:GetResourcePolicy', principal: IM_PRINCIPAL, action: 'secretsmanager:GetSecretValue' };
    if (!policy.parsed) {
      evidence.policy = 'none';
      return outcome('fail', `The secret has no resource policy, so ${IM_PRINCIPAL} may not read it.`, {
        details: ['Incident Manager reads the secret as its service principal, which needs an Allow in the resource policy.'],
        evidence,
        remediation: addRemediation,
        fix: 'secret-policy',
      });
    }
    evidence.statements = policy.parsed.statements.length;
    if (ctx.inputs.responsePlanArn) evidence.responsePlan = ctx.inputs.responsePlanArn;
    const decided = await decideWithUnobservables({
      principal: IM_PRINCIPAL,
      action: 'secretsmanager:GetSecretValue',
      resource: secretArn,
      resourceAccount: account,
      context: secretReadContext(serviceContext(IM_PRINCIPAL, account, secret.region, ctx.inputs.responsePlanArn), secretArn, secret.description.Tags),
      resourcePolicy: policy.parsed.document,
    });
    if (!decided.ok) return unevaluable(SECRET_POLICY, decided, evidence);
    const fails = (d: string) => d !== 'Allowed';
    if (dependsAs(decided, fails)) return dependsOutcome(`${SECRET_POLICY} lets ${IM_PRINCIPAL} read the secret`, decided, evidence);
    const result = settled(decided, (d) => d === 'ExplicitlyDenied');
    evidence.decision = result.decision;
    if (result.decision === 'Allowed') {
      const grants = result.grants.map((g) => describeStatement(g, SECRET_POLICY));
      evidence.decidedBy = grants;
      return outcome('pass', `${grants[0] ?? SECRET_POLICY} allows ${IM_PRINCIPAL} secretsmanager:GetSecretValue.`, { evidence });
    }
    if (result.decision === 'ExplicitlyDenied') {
      const denies = result.denies.map((d) => describeStatement(d, SECRET_POLICY));
      evidence.decidedBy = denies;
      const first = result.denies[0];
      const deny = first ? policy.parsed.statements[first.index - 1] : undefined;
      return outcome('fail', `${denies[0] ?? SECRET_POLICY} explicitly denies ${IM_PRINCIPAL} secretsmanager:GetSecretValue.`, {
        details: [
          'An explicit Deny beats any Allow, so adding a statement cannot fix this; secrets-doctor does not change existing statements.',
          ...(deny ? [`The Deny: ${JSON.stringify(deny)}`] : []),
        ],
        evidence,
        remediation: `The policy's owner must exempt Incident Manager from the Deny, e.g. add to its Condition block "StringNotEquals": {"aws:PrincipalServiceName": "${IM_PRINCIPAL}"} (merged with any StringNotEquals already there), and also add ${statement}. Review the edit before applying it.`,
      });
    }
    return outcome('fail', `No statement of ${SECRET_POLICY} allows ${IM_PRINCIPAL} secretsmanager:GetSecretValue.`, {
      details: [
        `The policy has ${policy.parsed.statements.length} statement(s); none matches the service principal, the action and the request context of Incident Manager.`,
      ],
      evidence,
      remediation: addRemediation,
      fix: 'secret-policy',
    });
  },
};
