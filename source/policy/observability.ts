/**
 * The request context model (SPEC.md, "The request context: observed, documented, unobservable") and the
 * one helper every policy check decides through, so that no verdict rests on an assumed absence.
 *
 * A key in a request context is observed (read from AWS for this run) or documented (what AWS documents
 * that such a request carries): context.ts puts both there. A key a policy conditions on that is NOT in
 * the context is either documented as absent (a plain read carries no aws:SourceArn, a role carries no
 * aws:username) or unobservable: a value the request may carry that the tool cannot see from here. Those are
 * listed below (IAM User Guide, "AWS global condition context keys"), plus the keys a context builder marks
 * for its request (Incident Manager's aws:SourceArn when the response plan is unknown, the KMS key's tags).
 * A key that is present in the context is never unobservable: when another part of the tool reads it
 * (Organizations facts, a refused request in CloudTrail), it becomes observed by being put there.
 *
 * decideWithUnobservables() evaluates a request with every such key absent, then with the values the
 * policies' own conditions name (an address inside and one outside each CIDR, true and false, a number or
 * date either side of the bound, each named string and another one). When the decision changes, the
 * request "depends": every check that reports it is `unknown`, naming the keys and, for each decision,
 * values that lead to it.
 */
import { evaluate, type Decision, type Evaluation, type EvaluationRequest } from './evaluate.js';
import type { RequestContext } from './context.js';
import { asList } from './parse.js';

/** Keys a context builder marks as unobservable for its own request (exact names, or prefixes ending in '/'). */
export const UNOBSERVED = Symbol('unobservable keys of this request');
/**
 * Keys read as absent from the request itself (the refused request in CloudTrail: a request that did not
 * come through a VPC endpoint carries no aws:SourceVpce): their absence is observed, not assumed.
 */
export const OBSERVED_ABSENT = Symbol('keys the refused request was seen not to carry');

/** Why the tool has no value for a key, by pattern (IAM User Guide, "AWS global condition context keys"). */
const UNOBSERVABLE: [RegExp, string][] = [
  [/^aws:sourceip$/i, 'the IP address the request comes from'],
  [/^aws:(sourcevpc|sourcevpce|vpcsourceip|sourcevpcarn|vpceaccount|vpceorgid|vpceorgpaths)$/i, 'the VPC or VPC endpoint the request comes through'],
  [/^aws:ec2instancesource(vpc|privateipv4)$/i, 'the EC2 instance the credentials were delivered to'],
  [/^aws:multifactorauth(present|age)$/i, 'whether and when the credentials were obtained with MFA'],
  [/^aws:principalorg(id|paths)$/i, "the principal's organization (not read)"],
  [/^aws:resourceorg(id|paths)$/i, "the resource's organization (not read)"],
  [/^aws:sourceorg(id|paths)$/i, 'the organization of the resource a service acts for (not read)'],
  [/^aws:principaltag\//i, "the principal's tags (not read)"],
  [/^aws:(requesttag\/|tagkeys$)/i, 'tags sent with the request'],
  [/^aws:calledvia(first|last)?$/i, 'the services the request passed through'],
  [/^aws:(sourceidentity|tokenissuetime|federatedprovider|userid)$/i, 'a property of the session the request is signed with'],
  [/^aws:(referer|useragent)$/i, 'a header of the request'],
];

const MARKED_WHY: [RegExp, string][] = [
  [/^aws:source(arn|account)$/i, 'the resource a service acts for (the response plan: give --response-plan ARN)'],
  [/^aws:resourcetag\//i, "the KMS key's tags (not read)"],
];

function lookup(context: RequestContext, key: string): string | string[] | undefined {
  const lower = key.toLowerCase();
  const found = Object.keys(context).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : context[found];
}

function marked(context: RequestContext, key: string): boolean {
  const lower = key.toLowerCase();
  return (context[UNOBSERVED] ?? []).some((m) => (m.endsWith('/') ? lower.startsWith(m.toLowerCase()) : lower === m.toLowerCase()));
}

/**
 * Actions whose requests may carry tags (Service Authorization Reference: aws:RequestTag/aws:TagKeys are
 * condition keys of these only); any other request carries none, as AWS documents.
 */
const TAGGING = /^(secretsmanager:(createsecret|tagresource|replicatesecrettoregions)|kms:(createkey|tagresource|replicatekey))$/i;

/** Why a key has no value here; undefined when its absence is what AWS documents for this request. */
export function unobservableWhy(key: string, context: RequestContext, action?: string | undefined): string | undefined {
  if (lookup(context, key) !== undefined) return undefined;
  if ((context[OBSERVED_ABSENT] ?? []).some((k) => k.toLowerCase() === key.toLowerCase())) return undefined;
  if (action !== undefined && /^aws:(requesttag\/|tagkeys$)/i.test(key) && !TAGGING.test(action)) return undefined;
  if (marked(context, key)) return MARKED_WHY.find(([p]) => p.test(key))?.[1] ?? 'not observable from here';
  return UNOBSERVABLE.find(([p]) => p.test(key))?.[1];
}

/** Keys the tool reads from AWS (or from the refused request) rather than takes from AWS's documentation. */
const OBSERVED: RegExp[] = [
  /^aws:principal(arn|account|type|orgid|orgpaths)$/i,
  /^aws:(userid|username|requestedregion|currenttime|epochtime)$/i,
  /^(aws|secretsmanager):resourcetag\//i,
  /^secretsmanager:secretid$/i,
  /^aws:sourcearn$/i,
  ...UNOBSERVABLE.map(([p]) => p), // present only when read (Organizations, the refused request in CloudTrail)
];

export type KeyKind = 'observed' | 'documented' | 'unobservable' | 'absent';

/**
 * Which of SPEC.md's kinds a key is in this request: observed (read for this run), documented (what AWS
 * documents the request carries), unobservable (may be carried, cannot be seen), or absent (AWS documents
 * that this request does not carry it).
 */
export function keyKind(key: string, context: RequestContext): KeyKind {
  if (lookup(context, key) !== undefined) return OBSERVED.some((p) => p.test(key)) ? 'observed' : 'documented';
  return unobservableWhy(key, context) === undefined ? 'absent' : 'unobservable';
}

/** A condition of a policy: its operator, key and values, as written. */
export interface ConditionUse {
  operator: string;
  key: string;
  values: string[];
}

function statementsOf(document: unknown): Record<string, unknown>[] {
  if (typeof document !== 'object' || document === null) return [];
  const raw = (document as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null && !Array.isArray(s));
}

/** Every condition of the policies, as written. */
export function conditionsOf(documents: unknown[]): ConditionUse[] {
  const uses: ConditionUse[] = [];
  for (const document of documents) {
    for (const statement of statementsOf(document)) {
      const condition = statement.Condition;
      if (typeof condition !== 'object' || condition === null) continue;
      for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
        if (typeof block !== 'object' || block === null) continue;
        for (const [key, values] of Object.entries(block as Record<string, unknown>)) uses.push({ operator, key, values: asList(values) });
      }
    }
  }
  return uses;
}

/**
 * Keys that conditions name through policy variables (`${aws:PrincipalTag/Project}`): they are carried by
 * the request like any other key. Their telling values are the ones the condition compares them with: the
 * observed value of the condition's own key (the secret's tag, say).
 */
function withVariables(uses: ConditionUse[], context: RequestContext): ConditionUse[] {
  const extra: ConditionUse[] = [];
  for (const use of uses) {
    for (const value of use.values) {
      for (const match of value.matchAll(/\$\{\s*([^}\s]+)\s*\}/g)) {
        const own = lookup(context, use.key);
        extra.push({ operator: 'StringEquals', key: match[1]!, values: own === undefined ? [] : [own].flat() });
      }
    }
  }
  return [...uses, ...extra];
}

// --- candidate values -----------------------------------------------------------------------------------

const OUTSIDE_IPS = ['198.51.100.200', '203.0.113.200', '192.0.2.200', '100.64.0.200', '172.31.255.200'];

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function inCidr(address: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const a = ipv4(address);
  const b = ipv4(base);
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Math.min(32, Math.max(0, Number(bits) || 0)));
  return Math.floor(a / size) === Math.floor(b / size);
}

function baseOperator(operator: string): string {
  return operator
    .replace(/^for(any|all)values:/i, '')
    .replace(/ifexists$/i, '')
    .toLowerCase();
}

const DIFFERENT = 'secrets-doctor-other-value';

/** Some value of the key's own type, for conditions (Null) that only ask whether it is present. */
function presentValues(key: string): string[] {
  if (/(sourceip|vpcsourceip|privateipv4)$/i.test(key)) return [OUTSIDE_IPS[0]!];
  if (/multifactorauthpresent$/i.test(key)) return ['true', 'false'];
  if (/multifactorauthage$/i.test(key)) return ['0'];
  if (/tokenissuetime$/i.test(key)) return [new Date(0).toISOString()];
  return [DIFFERENT];
}

/** Values a request may carry for `key` that tell the policies' conditions apart. */
function candidates(key: string, uses: ConditionUse[]): string[] {
  const found = new Set<string>();
  const cidrs: string[] = [];
  for (const use of uses) {
    const op = baseOperator(use.operator);
    for (const value of use.values) {
      if (value.includes('${')) continue; // a policy variable: its value is another key's
      if (op === 'ipaddress' || op === 'notipaddress') {
        cidrs.push(value);
        found.add(value.replace(/\/\d+$/, ''));
      } else if (op === 'bool') {
        found.add('true').add('false');
      } else if (op.startsWith('numeric')) {
        const n = Number(value);
        if (Number.isFinite(n))
          found
            .add(String(n - 1))
            .add(String(n))
            .add(String(n + 1));
      } else if (op.startsWith('date')) {
        const t = Date.parse(value);
        if (!Number.isNaN(t)) for (const d of [-86_400_000, 0, 86_400_000]) found.add(new Date(t + d).toISOString());
      } else if (op === 'null') {
        // Present or absent is what Null tells apart: absent is always tried; "present" needs any value.
      } else {
        found.add(value.replace(/[*?]/g, 'x'));
        found.add(op.startsWith('arn') || value.startsWith('arn:') ? 'arn:aws:iam::000000000000:root' : DIFFERENT);
      }
    }
  }
  if (cidrs.length) {
    const outside = OUTSIDE_IPS.find((ip) => !cidrs.some((c) => inCidr(ip, c)));
    if (outside) found.add(outside);
  }
  if (!found.size) for (const v of presentValues(key)) found.add(v);
  return [...found];
}

// --- the decision ---------------------------------------------------------------------------------------

export interface UnobservedKey {
  key: string;
  why: string;
}

/** One assignment of the unobservable keys: a value, or undefined for absent. */
export type Assignment = Record<string, string | undefined>;

export type OkEvaluation = Extract<Evaluation, { ok: true }>;

export interface DecisionOutcome {
  decision: Decision;
  /** The first evaluation that gave it (its deciding statements). */
  evaluation: OkEvaluation;
  /** Assignments that give it (a few). */
  when: Assignment[];
}

export type ContextDecision =
  | {
      ok: true;
      /** The request with every unobservable key absent: what the engine alone would say. */
      evaluation: OkEvaluation;
      /** The unobservable keys the policies condition on. */
      unobserved: UnobservedKey[];
      /** true: the decision changes with them; every check reporting it is `unknown`. */
      depends: boolean;
      /** One entry per distinct decision. */
      outcomes: DecisionOutcome[];
    }
  | Extract<Evaluation, { ok: false }>;

/** At most this many evaluations per request; beyond it each key is varied on its own. */
const MAX_COMBINATIONS = 64;

function assignments(keys: string[], values: Map<string, (string | undefined)[]>): Assignment[] {
  const lists = keys.map((k) => values.get(k)!);
  const total = lists.reduce((n, l) => n * l.length, 1);
  if (total <= MAX_COMBINATIONS) {
    let result: Assignment[] = [{}];
    for (const [i, key] of keys.entries()) result = result.flatMap((a) => lists[i]!.map((v) => ({ ...a, [key]: v })));
    return result;
  }
  // Too many to try all: every key absent, each key's values alone, and all keys at their first value.
  const absent = Object.fromEntries(keys.map((k) => [k, undefined]));
  const one = keys.flatMap((k, i) => lists[i]!.filter((v) => v !== undefined).map((v) => ({ ...absent, [k]: v })));
  const first = Object.fromEntries(keys.map((k, i) => [k, lists[i]!.find((v) => v !== undefined)]));
  return [absent, ...one, first];
}

function policiesOf(request: EvaluationRequest): unknown[] {
  return [...(request.identityPolicies ?? []).map((p) => p.policy), request.permissionsBoundary?.policy, request.resourcePolicy].filter((p) => p !== undefined);
}

/**
 * Evaluates `request` in every context its unobservable keys allow (see the module comment). Local only:
 * no AWS request. `evaluation` is the decision with those keys absent; use it only where `depends` is false.
 */
export async function decideWithUnobservables(request: EvaluationRequest): Promise<ContextDecision> {
  const baseline = await evaluate(request);
  if (!baseline.ok) return baseline;
  const uses = withVariables(conditionsOf(policiesOf(request)), request.context);
  const byKey = new Map<string, { key: string; why: string; uses: ConditionUse[] }>();
  for (const use of uses) {
    const why = unobservableWhy(use.key, request.context, request.action);
    if (why === undefined) continue;
    const id = use.key.toLowerCase();
    const entry = byKey.get(id) ?? { key: use.key, why, uses: [] };
    entry.uses.push(use);
    byKey.set(id, entry);
  }
  const unobserved = [...byKey.values()].map(({ key, why }) => ({ key, why }));
  const outcomes: DecisionOutcome[] = [
    { decision: baseline.decision, evaluation: baseline, when: [Object.fromEntries(unobserved.map((u) => [u.key, undefined]))] },
  ];
  if (!unobserved.length) return { ok: true, evaluation: baseline, unobserved, depends: false, outcomes };
  const keys = unobserved.map((u) => u.key);
  const values = new Map(keys.map((k) => [k, [undefined, ...candidates(k, byKey.get(k.toLowerCase())!.uses)]]));
  const tried: { assignment: Assignment; decision: Decision }[] = [{ assignment: outcomes[0]!.when[0]!, decision: baseline.decision }];
  for (const assignment of assignments(keys, values)) {
    if (keys.every((k) => assignment[k] === undefined)) continue; // the baseline
    const context: RequestContext = { ...request.context };
    for (const [k, v] of Object.entries(assignment)) if (v !== undefined) context[k] = v;
    const result = await evaluate({ ...request, context });
    if (!result.ok) continue; // a value the engine cannot type for this key: not a context AWS would send
    tried.push({ assignment, decision: result.decision });
    const known = outcomes.find((o) => o.decision === result.decision);
    if (!known) outcomes.push({ decision: result.decision, evaluation: result, when: [assignment] });
  }
  if (outcomes.length === 1) return { ok: true, evaluation: baseline, unobserved, depends: false, outcomes };
  // Name only the keys that change the decision, and for each decision a few assignments of those keys.
  const relevant = keys.filter((k) => changes(k, keys, tried));
  const shown = relevant.length ? relevant : keys;
  for (const outcome of outcomes) {
    const seen = new Set<string>();
    outcome.when = [];
    for (const t of tried) {
      if (t.decision !== outcome.decision) continue;
      const a = Object.fromEntries(shown.map((k) => [k, t.assignment[k]]));
      const id = JSON.stringify(shown.map((k) => a[k] ?? null));
      if (seen.has(id) || outcome.when.length >= 3) continue;
      seen.add(id);
      outcome.when.push(a);
    }
  }
  return { ok: true, evaluation: baseline, unobserved: unobserved.filter((u) => shown.includes(u.key)), depends: true, outcomes };
}

/** Whether two tried assignments that differ only in `key` decide differently. */
function changes(key: string, keys: string[], tried: { assignment: Assignment; decision: Decision }[]): boolean {
  const others = (a: Assignment) => JSON.stringify(keys.filter((k) => k !== key).map((k) => a[k] ?? null));
  const groups = new Map<string, Set<Decision>>();
  for (const t of tried) {
    const id = others(t.assignment);
    const set = groups.get(id) ?? new Set<Decision>();
    set.add(t.decision);
    groups.set(id, set);
  }
  return [...groups.values()].some((set) => set.size > 1);
}

/**
 * Whether the decision changes in a way that matters to a check: some outcome fails by `fails` and some
 * does not (a request that is denied either way, implicitly or explicitly, does not depend for a check
 * that fails on both).
 */
export function dependsAs(decision: Extract<ContextDecision, { ok: true }>, fails: (d: Decision) => boolean): boolean {
  const verdicts = new Set(decision.outcomes.map((o) => fails(o.decision)));
  return verdicts.size > 1;
}

/** The outcome to report when the decision does not depend: the baseline's, or (equivalent) the first failing one. */
export function settled(decision: Extract<ContextDecision, { ok: true }>, fails: (d: Decision) => boolean): OkEvaluation {
  return decision.outcomes.find((o) => fails(o.decision))?.evaluation ?? decision.evaluation;
}

function showAssignment(a: Assignment): string {
  return Object.entries(a)
    .map(([k, v]) => (v === undefined ? `${k} absent` : `${k} = ${v}`))
    .join(', ');
}

const WORDS: Record<Decision, string> = { Allowed: 'allowed', ImplicitlyDenied: 'not allowed (no statement allows it)', ExplicitlyDenied: 'explicitly denied' };

/** "allowed when aws:SourceIp = 192.0.2.0; explicitly denied when aws:SourceIp absent, or aws:SourceIp = 198.51.100.200". */
export function describeOutcomes(decision: Extract<ContextDecision, { ok: true }>): string {
  return decision.outcomes.map((o) => `${WORDS[o.decision]} when ${o.when.map(showAssignment).join(', or ')}`).join('; ');
}

/** "aws:SourceIp (the IP address the request comes from)". */
export function describeUnobserved(decision: Extract<ContextDecision, { ok: true }>): string {
  return decision.unobserved.map((u) => `${u.key} (${u.why})`).join(', ');
}

/** Evidence for a decision that depends on what the tool cannot see. */
export function dependsEvidence(decision: Extract<ContextDecision, { ok: true }>): Record<string, unknown> {
  return {
    unobservable: decision.unobserved.map((u) => u.key),
    outcomes: decision.outcomes.map((o) => ({ decision: o.decision, when: o.when.map(showAssignment) })),
  };
}
