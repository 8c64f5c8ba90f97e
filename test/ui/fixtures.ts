/** Diagnoses and fake services for the wizard's tests: no AWS, every answer under the test's control. */
import type { Diagnosis } from '../../source/diagnose.js';
import { proposalOf, type Applied, type ChangeRequest } from '../../source/fixes/protocol.js';
import type { ChangeTarget, DocumentTarget } from '../../source/fixes/targets.js';
import type { Finding, Status } from '../../source/types.js';
import type { Discovered, KmsKeyEntry, PrincipalEntry, PrincipalListing } from '../../source/facts/discovery.js';
import type { FixHooks, PlannedFix, WizardServices } from '../../source/wizard/services.js';

export const SECRET = 'prod/pagerduty';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/pagerduty-AbCdEf';
export const CREATOR = 'arn:aws:iam::123456789012:role/ResponsePlanCreator';
export const CALLER = 'arn:aws:sts::123456789012:assumed-role/Ops/alice';

/** The account's roles and users, as the fake lists them. */
export const PRINCIPALS: PrincipalEntry[] = [
  { kind: 'role', name: 'Ops', arn: 'arn:aws:iam::123456789012:role/Ops', path: '/' },
  { kind: 'role', name: 'ResponsePlanCreator', arn: CREATOR, path: '/' },
  {
    kind: 'role',
    name: 'AWSServiceRoleForSupport',
    arn: 'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
    path: '/aws-service-role/support.amazonaws.com/',
  },
  { kind: 'user', name: 'alice', arn: 'arn:aws:iam::123456789012:user/alice', path: '/' },
];

export function finding(id: Finding['id'], status: Status, extra: Partial<Finding> = {}): Finding {
  return { id, title: `title of ${id}`, status, summary: `summary of ${id}`, details: [], evidence: {}, remediation: '', ...extra };
}

export function diagnosis(findings: Finding[], secretId: string | null = SECRET): Diagnosis {
  const count = (s: Status) => findings.filter((f) => f.status === s).length;
  return {
    schemaVersion: 1,
    symptom: 'incident-manager-secret',
    input: { secretId, region: 'us-east-1', principal: CREATOR },
    identity: { arn: CALLER, account: '123456789012', type: 'assumed-role' },
    findings,
    summary: { pass: count('pass'), fail: count('fail'), warn: count('warn'), unknown: count('unknown'), skip: count('skip') },
  };
}

/** The demo's findings: the secret policy and the key policy lack Incident Manager. */
export function brokenDiagnosis(): Diagnosis {
  return diagnosis([
    finding('credentials', 'pass'),
    finding('secret-id', 'pass'),
    finding('secret-exists', 'pass'),
    finding('caller-permission', 'pass'),
    finding('secret-policy-caller', 'pass'),
    finding('secret-policy-incident-manager', 'fail', {
      summary: 'No statement of the resource policy allows ssm-incidents.amazonaws.com secretsmanager:GetSecretValue.',
      details: ['The policy has 1 statement(s).'],
      evidence: { api: 'secretsmanager:GetResourcePolicy', statements: 1, decision: 'ImplicitlyDenied' },
      remediation: 'Add the Incident Manager statement to the resource policy.',
      fix: 'secret-policy',
    }),
    finding('kms-key-customer-managed', 'pass'),
    finding('kms-key-usable', 'pass'),
    finding('kms-policy-incident-manager', 'fail', { summary: 'The key policy does not let Incident Manager use the key.', fix: 'key-policy' }),
    finding('kms-policy-caller', 'pass'),
    finding('secret-value-format', 'skip'),
    finding('service-health', 'pass'),
  ]);
}

export function healthyDiagnosis(): Diagnosis {
  return diagnosis(brokenDiagnosis().findings.map((f) => ({ ...f, status: f.status === 'fail' ? 'pass' : f.status, fix: undefined })));
}

export const BEFORE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowLambda', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
});
export const AFTER = JSON.stringify({
  ...JSON.parse(BEFORE),
  Statement: [
    ...JSON.parse(BEFORE).Statement,
    {
      Sid: 'AllowIncidentManagerToReadSecret',
      Effect: 'Allow',
      Principal: { Service: 'ssm-incidents.amazonaws.com' },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    },
  ],
});

export function changeRequest(fix: 'secret-policy' | 'key-policy' = 'secret-policy'): ChangeRequest {
  const target = { kind: fix, arn: SECRET_ARN, region: 'us-east-1', label: `the resource policy of secret ${SECRET}`, name: SECRET } as DocumentTarget;
  return { fix, target, before: BEFORE, after: AFTER, description: `add "AllowIncidentManagerToReadSecret" to ${target.label}`, passes: async () => true };
}

/** When the secret of the fixtures is scheduled for deletion (DescribeSecret's DeletedDate). */
export const DELETED_DATE = '2030-01-08T12:00:00.000Z';

/** restore-secret's plan for the secret of the fixtures. */
export function restoreRequest(): ChangeRequest {
  const target = {
    kind: 'secret-deletion',
    arn: SECRET_ARN,
    region: 'us-east-1',
    label: `the scheduled deletion of secret ${SECRET}`,
    name: SECRET,
  } as ChangeTarget;
  return {
    fix: 'restore-secret',
    target,
    before: DELETED_DATE,
    after: null,
    description: `cancel the scheduled deletion of ${SECRET}`,
    passes: async () => true,
  };
}

/** A deferred value: the test decides when (and whether) it arrives. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FakeOptions {
  diagnoses?: Diagnosis[];
  /** How applyFix behaves: by default it asks, then "writes" and reports applied (or declined on no). */
  apply?: (plan: Exclude<PlannedFix, { kind: 'skip' }>, hooks: FixHooks) => Promise<Applied>;
  secrets?: string[];
  planReferences?: { secretId: string; planName: string }[];
  keys?: KmsKeyEntry[];
  /** Many secrets: each secret's diagnosis (default: the broken one), and a wait before each. */
  manyDiagnosis?: (secretId: string) => Diagnosis;
  manyGate?: (secretId: string) => Promise<void>;
  principals?: Discovered<PrincipalListing>;
  /** saveReport fails (a directory that cannot be written). */
  saveFails?: boolean;
}

export const RSA_KEY: KmsKeyEntry = {
  keyId: '11111111-2222-3333-4444-555555555555',
  arn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  aliases: ['alias/signing'],
  spec: 'RSA_2048',
  usage: 'ENCRYPT_DECRYPT',
  state: 'Enabled',
  manager: 'CUSTOMER',
};
export const SYMMETRIC_KEY: KmsKeyEntry = {
  keyId: '66666666-7777-8888-9999-000000000000',
  arn: 'arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000',
  aliases: ['alias/secrets'],
  spec: 'SYMMETRIC_DEFAULT',
  usage: 'ENCRYPT_DECRYPT',
  state: 'Enabled',
  manager: 'CUSTOMER',
};
export const KEYS = [SYMMETRIC_KEY, RSA_KEY];

export interface Fake extends WizardServices {
  diagnoseCalls: Parameters<WizardServices['diagnose']>[0][];
  manyCalls: { inputs: Parameters<WizardServices['diagnose']>[0]; secretIds: string[] }[];
  planCalls: { fix: string; includeCreator: boolean }[];
  saved: { secretId: string | null; extra: Parameters<WizardServices['saveReport']>[1] }[];
}

/** Services that answer at once, from fixtures; applyFix sends the protocol's events through the hooks, as the protocol would. */
export function fakeServices(options: FakeOptions = {}): Fake {
  const diagnoses = [...(options.diagnoses ?? [brokenDiagnosis(), healthyDiagnosis()])];
  const fake: Fake = {
    diagnoseCalls: [],
    saved: [],
    manyCalls: [],
    planCalls: [],
    callerArn: async () => ({ available: true, value: CALLER }),
    listSecrets: async () => ({
      available: true,
      value: {
        region: 'us-east-1',
        truncated: false,
        secrets: (options.secrets ?? [SECRET, 'prod/database', 'staging/pagerduty']).map((name) => ({
          name,
          arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`,
        })),
      },
    }),
    responsePlanSecrets: async () =>
      options.planReferences
        ? {
            available: true,
            value: {
              region: 'us-east-1',
              plans: options.planReferences.length,
              unreadable: 0,
              truncated: false,
              references: options.planReferences.map((r) => ({ ...r, planArn: `arn:aws:ssm-incidents::123456789012:response-plan/${r.planName}` })),
            },
          }
        : { available: false, reason: 'ssm-incidents:ListResponsePlans is not implemented at this endpoint' },
    principals: async () =>
      options.principals ?? {
        available: true,
        value: { entries: PRINCIPALS, roles: { listed: true, truncated: false }, users: { listed: true, truncated: false } },
      },
    kmsKeys: async () => ({
      available: true,
      value: { region: 'us-east-1', keys: options.keys ?? KEYS, listed: (options.keys ?? KEYS).length, awsManaged: 1, notDescribed: 0, truncated: false },
    }),
    async diagnoseMany(inputs, secretIds, onDiagnosis, stopped) {
      fake.manyCalls.push({ inputs, secretIds });
      let done = 0;
      for (const id of secretIds) {
        if (stopped()) break;
        if (options.manyGate) await options.manyGate(id);
        const d = options.manyDiagnosis?.(id) ?? brokenDiagnosis();
        onDiagnosis({ ...d, input: { ...d.input, secretId: id } }, ++done);
      }
      return done;
    },
    async diagnose(inputs, onEvent) {
      fake.diagnoseCalls.push(inputs);
      const d = diagnoses.length > 1 ? diagnoses.shift()! : diagnoses[0]!;
      onEvent({ type: 'plan', checks: d.findings.map((f) => ({ id: f.id, title: f.title })) });
      for (const f of d.findings) onEvent({ type: 'finding', finding: f });
      return { ...d, input: { ...d.input, secretId: inputs.secretId ?? null } };
    },
    async saveReport(d, extra) {
      fake.saved.push({ secretId: d.input.secretId, extra });
      if (options.saveFails) throw new Error(`EACCES: permission denied, open '/reports/secrets-doctor-report.md'`);
      return `/reports/secrets-doctor-report-${fake.saved.length}.md`;
    },
    async planFix(_inputs, fix, { includeCreator }) {
      fake.planCalls.push({ fix, includeCreator });
      return { kind: 'change', fix, request: fix === 'restore-secret' ? restoreRequest() : changeRequest(fix) };
    },
    async applyFix(plan, hooks) {
      if (options.apply) return options.apply(plan, hooks);
      // The protocol's events, in its order, for a change that is agreed to, written and verified at once.
      const proposal = proposalOf(plan.request);
      hooks.event({ type: 'planned', proposal });
      hooks.event({ type: 'remote-validation', result: { available: true, passed: true, messages: [] } });
      hooks.event({ type: 'backed-up', path: '/tmp/backups/secret-policy.json' });
      const yes = await hooks.confirm(proposal);
      if (!yes) return { fix: plan.fix, status: 'declined', message: 'Declined: nothing was changed.', backup: '/tmp/backups/secret-policy.json' };
      hooks.event({ type: 'rereading' });
      hooks.event({ type: 'writing' });
      hooks.event({ type: 'written', waitSeconds: 60 });
      hooks.event({ type: 'verifying', attempt: 1 });
      hooks.event({ type: 'verified', passed: true, seconds: 0.1 });
      const undo = `secrets-doctor restore-policy --secret-id ${SECRET_ARN} --region us-east-1 --from /tmp/backups/secret-policy.json`;
      return {
        fix: plan.fix,
        status: 'applied',
        message: `Applied and verified in 0.1 s. Undo with: ${undo}`,
        backup: '/tmp/backups/secret-policy.json',
        verified: true,
        seconds: 0.1,
        undo,
      };
    },
  };
  return fake;
}
