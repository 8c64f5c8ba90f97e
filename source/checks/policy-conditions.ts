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
 */
import { parsePolicy } from '../policy/parse.js';
import { ASSUMED_IDENTITY_POLICY, describeStatement, simulate, type Decision, type NamedPolicy } from '../policy/evaluate.js';
import { displayKey } from '../policy/condition-keys.js';
import { decideWithUnobservables, dependsAs, keyKind, unobservableWhy } from '../policy/observability.js';
import { dependsOutcome } from './policies.js';
import { callerContext, secretReadContext, type RequestContext } from '../policy/context.js';
import { parseAccessDenied, describeDenial } from '../error-message.js';
import type { Principal, SecretFact } from '../facts/index.js';
import { callerKmsContext } from './kms-context.js';
import { identityVerdict, IDENTITY_PERMISSIONS } from './identity-side.js';
import { SECRET_POLICY, KEY_POLICY } from './policies.js';
import { outcome, needSecret, needPrincipal, kmsActionsFor, evaluatedArn, type Check, type CheckContext } from './common.js';

/** Why a key the tool has no value for is absent: unobservable (observability.ts), or what the request carries. */
function unobservedWhy(key: string, context: RequestContext, action: string): string {
  return (
    unobservableWhy(key, context, action) ??
    (/^secretsmanager:/i.test(key) ? 'a parameter of the request' : /^kms:/i.test(key) ? 'a parameter of the KMS request' : 'absent from this request')
  );
}

interface ConditionSeen {
  operator: string;
  key: string;
  values: string[];
  matches: boolean;
  /** The value the tool put in the request context, when it had one. */
  observed?: string | string[] | undefined;
  /** Why there was none (a key the tool cannot observe, or one the engine sets aside). */
  unobserved?: string | undefined;
}

interface StatementSeen {
  request: string;
  action: string;
  resource: string;
  where: string;
  effect: 'Allow' | 'Deny';
  applies: boolean;
  conditions: ConditionSeen[];
}

interface RequestSeen {
  label: string;
  action: string;
  resource: string;
  decision: Decision;
  statements: StatementSeen[];
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

const NEGATED: Record<string, string> = {
  StringEquals: 'StringNotEquals',
  StringEqualsIgnoreCase: 'StringNotEqualsIgnoreCase',
  StringLike: 'StringNotLike',
  ArnEquals: 'ArnNotEquals',
  ArnLike: 'ArnNotLike',
  IpAddress: 'NotIpAddress',
  NumericEquals: 'NumericNotEquals',
  NumericLessThan: 'NumericGreaterThanEquals',
  NumericLessThanEquals: 'NumericGreaterThan',
  DateEquals: 'DateNotEquals',
  DateLessThan: 'DateGreaterThanEquals',
  DateLessThanEquals: 'DateGreaterThan',
};
for (const [a, b] of Object.entries({ ...NEGATED })) NEGATED[b] = a;

/** What a request must carry for an Allow to apply, or for a Deny not to. */
function requirement(c: ConditionSeen, effect: 'Allow' | 'Deny'): string {
  const values = c.values.length === 1 ? c.values[0]! : `[${c.values.join(', ')}]`;
  if (effect === 'Allow') return `${c.key} ${c.operator} ${values}`;
  if (c.operator === 'Bool' && c.values.length === 1) return `${c.key} Bool ${c.values[0] === 'true' ? 'false' : 'true'}`;
  const negated = NEGATED[c.operator];
  return negated ? `${c.key} ${negated} ${values}` : `not (${c.key} ${c.operator} ${values})`;
}

function showObserved(c: ConditionSeen): string {
  if (c.observed === undefined) return `not observable: ${c.unobserved}`;
  return Array.isArray(c.observed) ? `[${c.observed.join(', ')}]` : c.observed;
}

/** A statement whose outcome here rests on a key the tool has no value for. */
function depends(s: StatementSeen): boolean {
  if (s.applies) return s.conditions.some((c) => c.observed === undefined);
  const failing = s.conditions.filter((c) => !c.matches);
  return failing.length > 0 && failing.every((c) => c.observed === undefined);
}

function describeCondition(c: ConditionSeen): string {
  return `${c.key} ${c.operator} ${c.values.join(', ')} (the request: ${showObserved(c)})`;
}

/** How to test a value the tool cannot see: the simulator with that context entry. */
function simulateCommand(principal: Principal, action: string, resource: string, keys: ConditionSeen[]): string {
  const entries = keys
    .slice(0, 3)
    .map((c) => {
      const ip = /ip$/i.test(c.key);
      // An IP context value is one address: the network's first one stands for the range.
      const value = ip ? (c.values[0] ?? 'IP_ADDRESS').replace(/\/\d+$/, '') : (c.values[0] ?? 'VALUE');
      const type = ip ? 'ip' : /time|date/i.test(c.key) ? 'date' : /present$/i.test(c.key) ? 'boolean' : 'string';
      return `ContextKeyName=${c.key},ContextKeyValues=${value},ContextKeyType=${type}`;
    })
    .join(' ');
  return `\`aws iam simulate-principal-policy --policy-source-arn ${principal.arn} --action-names ${action} --resource-arns ${resource}${entries ? ` --context-entries ${entries}` : ''}\``;
}

/** The AWS CLI command that shows the statement's policy, or tests the request against it. */
function reviewCommand(st: StatementSeen, principal: Principal): string {
  if (st.where.endsWith(SECRET_POLICY)) return `\`aws secretsmanager get-resource-policy --secret-id ${st.resource}\``;
  if (st.where.endsWith(KEY_POLICY)) return `\`aws kms get-key-policy --key-id ${st.resource} --policy-name default\``;
  return simulateCommand(principal, st.action, st.resource, []);
}

async function missingContextValues(ctx: CheckContext, principal: Principal, action: string, resource: string, account: string, context: RequestContext): Promise<{ missing: string[]; denied: boolean; simulated: boolean }> {
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
    const details: string[] = [];
    const evidence: Record<string, unknown> = { principal: who, action };

    const [policyText, identity, key, keyPolicyText] = await Promise.all([pendingPolicy, facts.identityPolicies(), facts.key(), facts.keyPolicy()]);
    const identityPolicies = identity.ok ? identity.value.policies : undefined;
    const boundary = identity.ok ? identity.value.boundary : undefined;
    evidence.identityPolicies = identity.ok ? 'read through IAM' : `not read (${identity.problem.code})`;
    if (!identity.ok) {
      details.push(`The principal's identity policies could not be read (${identity.problem.code}): their conditions are not shown (iam:GetUser/GetRole, iam:List*Policies, iam:Get*Policy and iam:GetPolicyVersion would let the tool see them).`);
    }
    let resourcePolicy: unknown;
    if (policyText.ok && policyText.value?.trim()) {
      const parsed = parsePolicy(policyText.value);
      if (parsed.ok) resourcePolicy = parsed.document;
      else details.push(`${SECRET_POLICY} is not valid JSON: see secret-policy-caller.`);
    } else if (!policyText.ok) {
      details.push(`${SECRET_POLICY} could not be read (${policyText.problem.code}): its conditions are not shown.`);
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
        details.push(`${KEY_POLICY} of ${keyArn} could not be read or parsed: its conditions are not shown (see kms-policy-caller).`);
      }
    }

    // The same decision every other check reports, in every context the unobservable keys allow.
    const decide = (r: Analysed) =>
      decideWithUnobservables({ principal: r.principal, action: r.action, resource: r.resource, resourceAccount: r.resourceAccount, context: r.context, identityPolicies: r.identityPolicies, permissionsBoundary: r.boundary, resourcePolicy: r.resourcePolicy });
    const [analysed, sims, decisions] = await Promise.all([Promise.all(requests.map(analyse)), Promise.all(simulated), Promise.all(requests.map(decide))]);
    const seen: RequestSeen[] = [];
    for (const [i, r] of analysed.entries()) {
      if ('error' in r) details.push(`${requests[i]!.label}: ${r.error}.`);
      else seen.push(r);
    }
    const statements = seen.flatMap((r) => r.statements);
    const missing = [...new Set(sims.flatMap((x) => x.missing))];
    const simulatorDenied = sims.some((x) => x.denied && x.missing.length);
    evidence.requests = seen.map((r) => ({ request: r.label, resource: r.resource, decision: r.decision }));
    const usedKeys = new Set(statements.flatMap((st) => st.conditions.map((c) => c.key.toLowerCase())));
    evidence.observedContext = Object.fromEntries(
      Object.entries({ ...secretContext, ...(requests[1]?.context ?? {}) }).filter(([k]) => usedKeys.has(k.toLowerCase())),
    );
    evidence.contextKeys = Object.keys({ ...secretContext, ...(requests[1]?.context ?? {}) });
    // SPEC.md, "The request context": each key a deciding statement uses, and which kind it is here.
    evidence.keyKinds = Object.fromEntries(
      statements.flatMap((st) => st.conditions.map((c) => [c.key, keyKind(c.key, requests.find((r) => r.label === st.request)?.context ?? secretContext)])),
    );
    evidence.statements = statements.map((st) => ({
      statement: st.where,
      request: st.request,
      effect: st.effect,
      applies: st.applies,
      conditions: st.conditions.map((c) => ({ key: c.key, operator: c.operator, values: c.values, request: showObserved(c), met: c.matches })),
    }));
    const mustCarry = [
      ...new Set(
        statements.flatMap((st) =>
          st.conditions.map((c) => `${requirement(c, st.effect)} (${st.effect === 'Allow' ? 'for' : 'to escape'} ${st.where})`),
        ),
      ),
    ];
    const notObservable = [...new Set(statements.flatMap((st) => st.conditions.filter((c) => c.observed === undefined).map((c) => `${c.key} (${c.unobserved})`)))];
    if (mustCarry.length) evidence.mustCarry = mustCarry;
    if (notObservable.length) evidence.notObservable = notObservable;
    if (missing.length) {
      evidence.simulatorMissingContextValues = missing;
      details.push(`IAM SimulatePrincipalPolicy evaluated without values for: ${missing.join(', ')} (it cannot know them; a statement that conditions on them is decided by the request).`);
    }
    for (const st of statements) {
      details.push(`${st.where} (${st.effect}, ${st.request}): ${st.applies ? 'applies' : 'does not apply'}; ${st.conditions.map(describeCondition).join('; ')}.`);
    }
    if (statements.some((st) => st.conditions.some((c) => /secretsmanager:VersionStage/i.test(c.key)))) {
      details.push('secretsmanager:VersionStage was taken as AWSCURRENT (a plain read); a request for another stage or version carries that instead.');
    }

    const parsed = parseAccessDenied(inputs.errorMessage);
    const cloudTrail = `\`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=${action.split(':')[1] ?? action} --max-results 10 --region ${s.region}\` (its sourceIPAddress and vpcEndpointId)`;
    if (parsed.policyType === 'VPC endpoint') {
      evidence.errorMessage = { policyType: parsed.policyType, denial: parsed.denial };
      return outcome('fail', `The error message says ${describeDenial(parsed)}: the request came through a VPC endpoint whose policy does not allow ${action}.`, {
        details: [...details, 'VPC endpoint policies are not visible from the secret\'s side.'],
        evidence,
        remediation: `Find the endpoint in ${cloudTrail} and review its policy: \`aws ec2 describe-vpc-endpoints --vpc-endpoint-ids VPCE_ID --query "VpcEndpoints[].PolicyDocument"\`; it must allow ${action} on ${secretArn}.`,
      });
    }

    // Whether the request is allowed: a change between two denials (implicit, explicit) is not a dependence.
    const dependent = decisions.findIndex((d) => d.ok && dependsAs(d, (x) => x !== 'Allowed'));
    const depending = decisions[dependent];
    if (depending?.ok) {
      const r = requests[dependent]!;
      const hinging = statements.filter((st) => st.request === r.label && depends(st));
      const keys = hinging.flatMap((st) => st.conditions.filter((c) => c.observed === undefined));
      const found = dependsOutcome(`${r.label} is allowed`, depending, evidence, [
        ...details,
        `What the request must carry: ${hinging.flatMap((st) => st.conditions.map((c) => requirement(c, st.effect))).join('; ') || depending.unobserved.map((u) => u.key).join(', ')}.`,
        'No permission would let the tool see these: they belong to the request that was refused.',
      ]);
      if (!/--response-plan/.test(found.remediation)) {
        found.remediation = `Look up what the refused request carried with ${cloudTrail}, then compare it with the conditions above, or test a value with ${simulateCommand(p, r.action, r.resource, keys)}.`;
      }
      return found;
    }

    const denied = seen.filter((r) => r.decision !== 'Allowed');
    const inDenied = (st: StatementSeen) => denied.some((r) => r.label === st.request);
    const unobservedKeys = (list: StatementSeen[]) => list.flatMap((st) => st.conditions.filter((c) => c.observed === undefined));

    // The simulator's denial counts too: it decides the identity side where it may be called.
    if (denied.length || simulatorDenied) {
      const deniedLabel = denied.map((r) => r.label).join(' and ') || `${action} on the secret`;
      const denyMet = statements.find((st) => inDenied(st) && st.effect === 'Deny' && st.applies && !depends(st));
      if (denyMet) {
        const c = denyMet.conditions.find((x) => x.matches) ?? denyMet.conditions[0]!;
        return outcome('fail', `${denyMet.where} denies ${denyMet.request}: its condition ${c.key} ${c.operator} ${c.values.join(', ')} is met (the request: ${showObserved(c)}).`, {
          details,
          evidence: { ...evidence, decidedBy: denyMet.where },
          remediation: `The request must carry ${denyMet.conditions.map((x) => requirement(x, 'Deny')).join(' or ')} to escape the Deny, or the policy's owner must narrow its condition (review it: ${reviewCommand(denyMet, p)}).`,
        });
      }
      const allowUnmet = statements.find(
        (st) => inDenied(st) && st.effect === 'Allow' && !st.applies && st.conditions.some((c) => !c.matches && c.observed !== undefined),
      );
      if (allowUnmet && denied.some((r) => r.decision === 'ImplicitlyDenied')) {
        const failing = allowUnmet.conditions.filter((c) => !c.matches && c.observed !== undefined);
        const c = failing[0]!;
        return outcome('fail', `${allowUnmet.where} would allow ${allowUnmet.request}, but its condition ${c.key} ${c.operator} ${c.values.join(', ')} is not met (the request: ${showObserved(c)}).`, {
          details,
          evidence: { ...evidence, decidedBy: allowUnmet.where },
          remediation: `The request must carry ${allowUnmet.conditions.map((x) => requirement(x, 'Allow')).join(' and ')}; otherwise add a statement without that condition, or change it. Test a value with ${simulateCommand(p, allowUnmet.action, allowUnmet.resource, failing)}.`,
        });
      }
      // Locally, no unobservable value changes these decisions (see above); the simulator's denial without
      // values the tool cannot see may still rest on their absence.
      const unseen = missing.filter((k) => unobservableWhy(k, secretContext) !== undefined);
      const hinging = statements.filter((st) => inDenied(st) && depends(st) && st.conditions.some((c) => unseen.includes(c.key)));
      if (simulatorDenied && unseen.length) {
        const keys = unobservedKeys(hinging);
        const named = [...new Set([...keys.map((c) => `${c.key} (${c.unobserved})`), ...unseen])];
        return outcome('unknown', `Whether ${deniedLabel} is allowed depends on values the tool cannot observe from here: ${named.join(', ')}.`, {
          details: [
            ...details,
            `What the request must carry: ${hinging.flatMap((st) => st.conditions.map((c) => requirement(c, st.effect))).join('; ') || missing.join(', ')}.`,
            'No permission would let the tool see these: they belong to the request that was refused.',
          ],
          evidence,
          remediation: `Look up what the refused request carried with ${cloudTrail}, then compare it with the conditions above, or test a value with ${simulateCommand(p, hinging[0]?.action ?? action, hinging[0]?.resource ?? secretArn, keys)}.`,
        });
      }
      return outcome('pass', `Conditions are not the cause: no statement that would allow ${deniedLabel} applies, whatever the request carries (see caller-permission and secret-policy-caller).`, {
        details,
        evidence,
      });
    }

    // Nothing seen is a reason to deny; but without the identity policies (and no simulator answer) the
    // identity side's conditions were not seen at all.
    if (!identity.ok && !sims.some((x) => x.simulated)) {
      return outcome('unknown', `The conditions of ${p.arn}'s identity policies could not be seen: they could not be read (${identity.problem.code}) and the IAM simulator did not answer.`, {
        details,
        evidence: { ...evidence, error: identity.problem.code },
        remediation: `Let the identity running secrets-doctor use ${IDENTITY_PERMISSIONS}, or check by hand with ${simulateCommand(p, action, secretArn, [])}.`,
      });
    }
    // Statements whose conditions name unobservable keys, but whose values (tried) do not change the decision.
    const risky = statements.filter((st) => depends(st));
    if (risky.length) {
      details.push(`Conditions on values the tool cannot see do not change the decision here (every value they name was tried): ${[...new Set(unobservedKeys(risky).map((c) => c.key))].join(', ')}.`);
    }
    // The simulator's Allow without such a value: the tool cannot try others there.
    const unseen = missing.filter((k) => unobservableWhy(k, secretContext) !== undefined);
    if (unseen.length) {
      return outcome('warn', `${action} is allowed as far as the tool can see, but IAM SimulatePrincipalPolicy evaluated it without ${unseen.join(', ')}, which the tool cannot observe from here.`, {
        details: [...details, `What the request must carry: ${risky.flatMap((st) => st.conditions.map((c) => requirement(c, st.effect))).join('; ') || unseen.join(', ')}.`],
        evidence,
        remediation: `Check what the refused request carried with ${cloudTrail}, or test a value with ${simulateCommand(p, action, secretArn, unobservedKeys(risky))}.`,
      });
    }
    if (!statements.length) {
      return outcome('pass', `No statement that applies to ${seen.map((r) => r.label).join(' or ') || action} has a condition.`, { details, evidence });
    }
    return outcome('pass', `The conditions that apply are met by what the tool observes: ${[...new Set(statements.flatMap((st) => st.conditions.map((c) => c.key)))].join(', ')}.`, {
      details,
      evidence,
    });
  },
};
