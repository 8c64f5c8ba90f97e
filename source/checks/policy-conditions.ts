/**
 * The conditions of the statements that decide a request: which values the request must carry (source IP,
 * VPC endpoint, time, MFA, secure transport, organization, version stage, tags, ...), which of them the
 * tool can observe from here, and whether the values it observes meet them.
 *
 * The requests are the principal's request on the secret (identity policies, permissions boundary and the
 * secret's resource policy) and, with a customer managed key, Secrets Manager's KMS request on its behalf
 * (identity policies and the key policy), each in the context it really has. The IAM engine's explanation
 * of every statement says which condition matched, which did not, and which failed or matched only because
 * the key was absent; keys the tool cannot observe are absent, so those statements "depend" on the request.
 * IAM SimulatePrincipalPolicy's missing context values, where the simulator answered, are reported too.
 *
 * This module gathers those facts; policy-conditions/decide.ts decides which case they make, and
 * policy-conditions/word.ts says it.
 */
import { parsePolicy } from '../policy/parse.js';
import { ASSUMED_IDENTITY_POLICY, describeStatement, simulate, type NamedPolicy } from '../policy/evaluate.js';
import { displayKey } from '../policy/condition-keys.js';
import { decideWithUnobservables, unobservableWhy } from '../policy/observability.js';
import { callerContext, secretReadContext, type RequestContext } from '../policy/context.js';
import { parseAccessDenied } from '../error-message.js';
import type { Principal, SecretFact } from '../facts/index.js';
import { callerKmsContext } from './kms-context.js';
import { identityVerdict } from './identity-side.js';
import { SECRET_POLICY, KEY_POLICY } from './policies.js';
import { outcome, needSecret, needPrincipal, kmsActionsFor, evaluatedArn, type Check, type CheckContext } from './common.js';
import { decideConditions, type RequestSeen, type StatementSeen } from './policy-conditions/decide.js';
import { wordConditions } from './policy-conditions/word.js';

/** Why a key the tool has no value for is absent: unobservable (observability.ts), or what the request carries. */
function unobservedWhy(key: string, context: RequestContext, action: string): string {
  return (
    unobservableWhy(key, context, action) ??
    (/^secretsmanager:/i.test(key) ? 'a parameter of the request' : /^kms:/i.test(key) ? 'a parameter of the KMS request' : 'absent from this request')
  );
}

interface Analysed {
  label: string;
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context: RequestContext;
  identityPolicies?: NamedPolicy[] | undefined;
  boundary?: NamedPolicy | undefined;
  resourcePolicy?: unknown;
  resourcePolicyName: string;
}

function lookup(context: RequestContext, key: string): string | string[] | undefined {
  const lower = key.toLowerCase();
  const found = Object.keys(context).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : context[found];
}

/** Runs the IAM engine and keeps every statement that applies to the request apart from its conditions. */
async function analyse(req: Analysed): Promise<RequestSeen | { error: string }> {
  const simulated = await simulate({
    principal: req.principal,
    action: req.action,
    resource: req.resource,
    resourceAccount: req.resourceAccount,
    context: req.context,
    identityPolicies: req.identityPolicies,
    permissionsBoundary: req.boundary,
    resourcePolicy: req.resourcePolicy,
  });
  if (!simulated.ok) return { error: simulated.error };
  const { decision, analysis: a } = simulated;
  if (!a) return { label: req.label, action: req.action, resource: req.resource, decision, statements: [] };
  const ignored = new Set(simulated.ignoredKeys.map((k) => k.toLowerCase()));
  const layers = [
    ['identity', a.identityAnalysis],
    ['permissions-boundary', a.permissionBoundaryAnalysis],
    ['resource', a.resourceAnalysis],
  ] as const;
  const statements: StatementSeen[] = [];
  for (const [policy, layer] of layers) {
    if (!layer) continue;
    for (const s of [...layer.denyStatements, ...layer.allowStatements, ...layer.unmatchedStatements]) {
      if (s.policyId === ASSUMED_IDENTITY_POLICY) continue;
      if (!s.actionMatch || !s.resourceMatch || s.principalMatch === 'NoMatch') continue;
      const explained = s.explain.conditions ?? [];
      if (!explained.length) continue;
      const where = describeStatement(
        { policy, policyName: policy === 'resource' ? undefined : s.policyId, sid: s.statement.sid(), index: s.statement.index() },
        req.resourcePolicyName,
      );
      statements.push({
        request: req.label,
        action: req.action,
        resource: req.resource,
        where,
        effect: s.statement.isDeny() ? 'Deny' : 'Allow',
        applies: s.conditionMatch === 'Match',
        conditions: explained.map((c) => {
          const key = displayKey(c.conditionKeyValue);
          const value = ignored.has(key.toLowerCase()) ? undefined : lookup(req.context, key);
          const values = (Array.isArray(c.values) ? c.values : [c.values]).map((v) => v.resolvedValue ?? v.value);
          return {
            operator: c.operator,
            key,
            values,
            matches: c.matches,
            ...(value === undefined
              ? { unobserved: ignored.has(key.toLowerCase()) ? 'the policy engine cannot evaluate this key yet' : unobservedWhy(key, req.context, req.action) }
              : { observed: value }),
          };
        }),
      });
    }
  }
  return { label: req.label, action: req.action, resource: req.resource, decision, statements };
}

async function missingContextValues(
  ctx: CheckContext,
  principal: Principal,
  action: string,
  resource: string,
  account: string,
  context: RequestContext,
): Promise<{ missing: string[]; denied: boolean; simulated: boolean }> {
  // The identity verdict is memoised: this is caller-permission's simulation, not a new one.
  const verdict = await identityVerdict(ctx, principal, action, resource, account, context);
  const simulations = await Promise.all(ctx.facts.simulationsOf(action, resource));
  const missing = new Set<string>();
  for (const sim of simulations) {
    if (!sim.ok) continue;
    for (const r of sim.value.results) {
      for (const key of r.MissingContextValues ?? []) missing.add(key);
      for (const specific of r.ResourceSpecificResults ?? []) for (const key of specific.MissingContextValues ?? []) missing.add(key);
    }
  }
  const simulated = verdict.source === 'IAM SimulatePrincipalPolicy';
  return { missing: [...missing], denied: simulated && verdict.decision !== 'Allowed', simulated };
}

export const policyConditions: Check = {
  id: 'policy-conditions',
  title: 'The conditions of the deciding statements',
  async run(ctx) {
    const { facts, inputs } = ctx;
    if (!facts.ref) return outcome('skip', 'No secret was given (--secret-id).');
    // The policies load alongside DescribeSecret.
    const pendingPolicy = facts.secretPolicy();
    const [secret, principal] = await Promise.all([needSecret(ctx), needPrincipal(ctx)]);
    if ('outcome' in secret) return secret.outcome;
    if ('outcome' in principal) return principal.outcome;
    const p = principal.value;
    const s: SecretFact = secret.value;
    const action = inputs.action ?? 'secretsmanager:GetSecretValue';
    const secretArn = s.description.ARN!;
    const secretAccount = secretArn.split(':')[4] ?? '';
    const who = evaluatedArn(p);
    const notes: string[] = [];
    const evidence: Record<string, unknown> = { principal: who, action };

    const [policyText, identity, key, keyPolicyText] = await Promise.all([pendingPolicy, facts.identityPolicies(), facts.key(), facts.keyPolicy()]);
    const identityPolicies = identity.ok ? identity.value.policies : undefined;
    const boundary = identity.ok ? identity.value.boundary : undefined;
    evidence.identityPolicies = identity.ok ? 'read through IAM' : `not read (${identity.problem.code})`;
    if (!identity.ok) {
      notes.push(
        `The principal's identity policies could not be read (${identity.problem.code}): their conditions are not shown (iam:GetUser/GetRole, iam:List*Policies, iam:Get*Policy and iam:GetPolicyVersion would let the tool see them).`,
      );
    }
    let resourcePolicy: unknown;
    if (policyText.ok && policyText.value?.trim()) {
      const parsed = parsePolicy(policyText.value);
      if (parsed.ok) resourcePolicy = parsed.document;
      else notes.push(`${SECRET_POLICY} is not valid JSON: see secret-policy-caller.`);
    } else if (!policyText.ok) {
      notes.push(`${SECRET_POLICY} could not be read (${policyText.problem.code}): its conditions are not shown.`);
    }

    const secretContext = secretReadContext(callerContext(p, s.region), secretArn, s.description.Tags);
    const requests: Analysed[] = [
      {
        label: `${action} on the secret`,
        principal: who,
        action,
        resource: secretArn,
        resourceAccount: secretAccount,
        context: secretContext,
        identityPolicies,
        boundary,
        resourcePolicy,
        resourcePolicyName: SECRET_POLICY,
      },
    ];
    const simulated = [missingContextValues(ctx, p, action, secretArn, secretAccount, secretContext)];
    if (key.ok && key.value.managedBy !== 'aws' && key.value.metadata.Arn) {
      const keyArn = key.value.metadata.Arn;
      const keyAccount = key.value.metadata.AWSAccountId ?? keyArn.split(':')[4] ?? '';
      const parsedKey = keyPolicyText?.ok ? parsePolicy(keyPolicyText.value) : undefined;
      if (parsedKey?.ok) {
        const kmsContext = callerKmsContext(p, s);
        for (const kmsAction of kmsActionsFor(action)) {
          requests.push({
            label: `${kmsAction} on the key, through Secrets Manager`,
            principal: who,
            action: kmsAction,
            resource: keyArn,
            resourceAccount: keyAccount,
            context: kmsContext,
            identityPolicies,
            boundary,
            resourcePolicy: parsedKey.document,
            resourcePolicyName: KEY_POLICY,
          });
          simulated.push(missingContextValues(ctx, p, kmsAction, keyArn, keyAccount, kmsContext));
        }
      } else if (kmsActionsFor(action).length) {
        notes.push(`${KEY_POLICY} of ${keyArn} could not be read or parsed: its conditions are not shown (see kms-policy-caller).`);
      }
    }

    // The same decision every other check reports, in every context the unobservable keys allow.
    const decide = (r: Analysed) =>
      decideWithUnobservables({
        principal: r.principal,
        action: r.action,
        resource: r.resource,
        resourceAccount: r.resourceAccount,
        context: r.context,
        identityPolicies: r.identityPolicies,
        permissionsBoundary: r.boundary,
        resourcePolicy: r.resourcePolicy,
      });
    const [analysed, sims, decisions] = await Promise.all([Promise.all(requests.map(analyse)), Promise.all(simulated), Promise.all(requests.map(decide))]);
    const seen: RequestSeen[] = [];
    for (const [i, r] of analysed.entries()) {
      if ('error' in r) notes.push(`${requests[i]!.label}: ${r.error}.`);
      else seen.push(r);
    }
    const missing = [...new Set(sims.flatMap((x) => x.missing))];
    const denial = parseAccessDenied(inputs.errorMessage);
    const view = {
      action,
      requests,
      seen,
      decisions,
      missing,
      unobservableMissing: missing.filter((k) => unobservableWhy(k, secretContext) !== undefined),
      simulatorDenied: sims.some((x) => x.denied && x.missing.length),
      simulatorAnswered: sims.some((x) => x.simulated),
      identityPoliciesRead: identity.ok,
      vpcEndpointDenial: denial.policyType === 'VPC endpoint',
      principal: p,
      secretArn,
      region: s.region,
      notes,
      evidence,
      denial,
      identityProblem: identity.ok ? undefined : identity.problem.code,
    };
    return wordConditions(decideConditions(view), view);
  },
};
