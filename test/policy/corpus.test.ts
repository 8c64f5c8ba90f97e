/**
 * The policy corpus (test/fixtures/corpus, copied from the project's shared corpus with each file's public source; see its README.md) as fixtures: every policy must parse, and
 * every question, mapped to an `evaluate()` request the way the product builds one, must get AWS's
 * documented answer. No AWS is needed.
 *
 * Where the corpus leaves something implicit, the mapping supplies what AWS itself puts in every request
 * (see `principalContext`). Where the engine is wrong by AWS's documentation, the case is `it.fails` with
 * the source; see KNOWN_ENGINE_GAPS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../source/policy/parse.js';
import { evaluate, isServicePrincipal } from '../../source/policy/evaluate.js';
import type { Decision, EvaluationRequest } from '../../source/policy/evaluate.js';

type ContextValue = string | number | boolean | (string | number | boolean)[];

interface CorpusQuestion {
  principal: string;
  action: string;
  context: Record<string, ContextValue>;
  expected: Decision;
  why: string;
}

interface CorpusFile {
  source: string;
  kind: 'secret-resource-policy' | 'kms-key-policy';
  policy: { Statement?: unknown } & Record<string, unknown>;
  notes?: string;
  questions: CorpusQuestion[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.resolve(repoRoot, 'test', 'fixtures', 'corpus');
const files = readdirSync(corpusDir)
  .filter((name) => /^\d\d-.*\.json$/.test(name))
  .sort();
const corpus = files.map((name) => ({
  name,
  data: JSON.parse(readFileSync(path.join(corpusDir, name), 'utf8')) as CorpusFile,
}));

const REGION = 'us-east-1';

/** A plausible resource of the right kind when a question does not name one. */
function defaultResource(kind: CorpusFile['kind'], account: string): string {
  return kind === 'kms-key-policy'
    ? `arn:aws:kms:${REGION}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
    : `arn:aws:secretsmanager:${REGION}:${account}:secret:corpus-example-AbCdEf`;
}

function contextString(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/** Keys without a leading underscore, as the engine takes them: strings, lists of strings. */
function questionContext(context: CorpusQuestion['context']): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(context)) {
    if (key.startsWith('_')) continue;
    result[key] = Array.isArray(value) ? value.map(contextString) : contextString(value);
  }
  return result;
}

/**
 * What AWS puts in the request context for every signed request, derived from the principal. The corpus
 * lists only the keys a question is about; these ones AWS never leaves out, and the engine does not derive
 * them from `principal` (it treats an absent aws:PrincipalArn as absent, so `...IfExists` conditions on it
 * match everyone: that is how file 22's Role2 got denied).
 *
 * IAM User Guide, "AWS global condition context keys": aws:PrincipalArn ("For IAM roles, the request
 * context returns the ARN of the role, not the ARN of the user that assumed the role"), aws:PrincipalAccount
 * and aws:PrincipalType are "always included in the request context" (awsdocs/iam-user-guide
 * doc_source/reference_policies_condition-keys.md; today's page: "included in the request context for all
 * signed requests"); aws:PrincipalIsAWSService is in every signed request, true for a service principal.
 * aws:PrincipalServiceName is present when the caller is a service principal.
 */
function principalContext(principal: string, callerAccount: string | undefined): Record<string, string> {
  if (isServicePrincipal(principal)) {
    return { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': principal };
  }
  const account = callerAccount ?? principal.split(':')[4] ?? '';
  const resource = principal.split(':').slice(5).join(':');
  const type = resource === 'root' ? 'Account' : resource.startsWith('user/') ? 'User' : 'AssumedRole';
  return {
    'aws:PrincipalArn': principal,
    'aws:PrincipalAccount': account,
    'aws:PrincipalType': type,
    'aws:PrincipalIsAWSService': 'false',
  };
}

async function requestFor(file: CorpusFile, question: CorpusQuestion): Promise<EvaluationRequest> {
  const c = question.context;
  const resourceAccount = typeof c._resource_account === 'string' ? c._resource_account : '123456789012';
  const callerAccount = typeof c._caller_account === 'string' ? c._caller_account : undefined;
  const resource = typeof c._resource === 'string' ? c._resource : defaultResource(file.kind, resourceAccount);
  const [service = '', action = ''] = question.action.split(':');
  // An action with no resource type (ListSecrets, ListKeys, ...) is authorized against "*", not against a
  // secret or a key, so the secret's or key's own policy is not part of its evaluation: "When authorizing
  // access to a secret, Secrets Manager evaluates the resource-based policy attached to the secret"
  // (Secrets Manager User Guide, "Determine who has permissions to your secrets"); ListSecrets has no
  // resource type in the Service Authorization Reference ("Actions, resources, and condition keys for AWS
  // Secrets Manager": no resource type means Resource "*"). The engine would otherwise apply the policy as
  // if it were attached to "*" (file 17).
  const resourceLevel = !(await isWildcardOnlyAction(service, action));
  return {
    principal: question.principal,
    action: question.action,
    resource,
    resourceAccount,
    context: { ...principalContext(question.principal, callerAccount), ...questionContext(c) },
    // true: the identity side is assumed to allow (evaluate()'s default); false: no identity policy allows.
    // Absent for service principals, which have no identity policies.
    ...(c._identity_policy_allows === false ? { identityPolicies: [] } : {}),
    ...(resourceLevel ? { resourcePolicy: file.policy } : {}),
  };
}

/**
 * Questions where @cloud-copilot/iam-simulate (0.1.173) answers differently from AWS's documentation.
 * Each stays asserting the documented answer, as `it.fails`, so that a fixed engine makes it a failure to
 * notice (then remove the entry).
 */
const KNOWN_ENGINE_GAPS: Record<string, string> = {
  // (none today) File 23's first question was one: the engine dropped kms:EncryptionContext:SecretARN
  // (normalizeSimulationParameters() keeps a context key only if the action lists it or it matches a
  // `/`-style variable key, and KMS lists it as `kms:EncryptionContext:${EncryptionContextKey}`).
  // source/policy/condition-keys.ts renames the key for the engine, so evaluate() answers as AWS documents
  // (KMS Developer Guide, "AWS KMS condition keys", kms:EncryptionContext:context-key; Secrets Manager User
  // Guide, "Secret encryption and decryption": Secrets Manager sends SecretARN and SecretVersionId).
};

function statementCount(policy: CorpusFile['policy']): number {
  const raw = policy.Statement;
  return Array.isArray(raw) ? raw.length : raw === undefined ? 0 : 1;
}

describe('policy corpus', () => {
  it('has files to test', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('parses every policy with the right statement count, whatever the Statement shape', () => {
    let objectShaped = 0;
    for (const { name, data } of corpus) {
      const parsed = parsePolicy(JSON.stringify(data.policy));
      expect(parsed, name).toMatchObject({ ok: true });
      if (!parsed.ok) continue;
      expect(parsed.statements, name).toHaveLength(statementCount(data.policy));
      if (!Array.isArray(data.policy.Statement)) {
        objectShaped += 1;
        expect(parsed.statements[0], name).toEqual(data.policy.Statement);
      } else {
        expect(parsed.statements, name).toEqual(data.policy.Statement);
      }
    }
    // The corpus holds single-object Statements (01, 09): the shape must stay covered.
    expect(objectShaped).toBeGreaterThan(0);
  });

  for (const { name, data } of corpus) {
    describe(name, () => {
      data.questions.forEach((question, index) => {
        const id = `${name}#${index + 1}`;
        const title = `#${index + 1} ${question.principal} ${question.action} → ${question.expected}`;
        const gap = KNOWN_ENGINE_GAPS[id];
        const test = gap ? it.fails : it;
        test(gap ? `${title} (known engine gap: ${gap})` : title, async () => {
          const result = await evaluate(await requestFor(data, question));
          expect(result, question.why).toMatchObject({ ok: true });
          if (!result.ok) return;
          expect(result.decision, question.why).toBe(question.expected);
        });
      });
    });
  }
});
