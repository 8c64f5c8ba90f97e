/**
 * `secrets-doctor diagnose --symptom incident-manager-secret --json`, run as a user runs it (the built CLI
 * in a child process), against a real moto_server seeded with one healthy and many broken set-ups.
 *
 * moto does not implement IAM SimulatePrincipalPolicy: the tool must fall back to evaluating the
 * principal's policies read through IAM, which these tests exercise with a seeded creator role.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seedScenarios, seedCreatorRole, SCENARIOS, type Seeded, type ScenarioName } from '../../source/demo/seed.js';
import { newSession, motoEnv } from '../helpers/moto.js';
import { runCli, documents, statuses, finding, type JsonDiagnosis } from '../helpers/cli.js';

const IM = ['diagnose', '--symptom', 'incident-manager-secret', '--json'];
const CANARY = `canary-${Math.random().toString(36).slice(2)}-value`;

let seeded: Record<ScenarioName, Seeded>;
let creator: string;
let creatorWithout: string;

beforeAll(async () => {
  const session = newSession();
  const names = SCENARIOS.filter((s) => s !== 'bad-value');
  const [list, bad, allowRole, denyRole] = await Promise.all([
    seedScenarios(session, names),
    seedScenarios(session, ['bad-value'], { value: JSON.stringify({ token: CANARY }) }),
    seedCreatorRole(session, { allow: true }),
    seedCreatorRole(session, { allow: false }),
  ]);
  seeded = Object.fromEntries([...list, ...bad].map((s) => [s.scenario, s])) as Record<ScenarioName, Seeded>;
  creator = allowRole;
  creatorWithout = denyRole;
});

async function diagnoseIm(secretId: string, ...extra: string[]): Promise<{ code: number | null; doc: JsonDiagnosis; stderr: string; stdout: string }> {
  const result = await runCli([...IM, '--secret-id', secretId, ...extra]);
  const docs = documents(result.stdout);
  expect(docs).toHaveLength(1);
  return { code: result.code, doc: docs[0]!, stderr: result.stderr, stdout: result.stdout };
}

describe('a healthy set-up', () => {
  it('passes every check, with the creator role evaluated locally, and exits 0', async () => {
    // Given a secret whose resource policy and key policy both allow Incident Manager, and a creator role
    // When diagnosing as that role
    const { code, doc } = await diagnoseIm(seeded.healthy.secretArn, '--principal', creator);
    // Then every check passes (the value is not read without consent)
    expect(statuses(doc)).toEqual({
      credentials: 'pass',
      'secret-id': 'pass',
      'secret-exists': 'pass',
      'caller-permission': 'pass',
      'secret-policy-caller': 'pass',
      'org-policies': 'pass',
      'secret-policy-incident-manager': 'pass',
      'kms-key-customer-managed': 'pass',
      'kms-key-usable': 'pass',
      'kms-policy-incident-manager': 'pass',
      'kms-policy-caller': 'pass',
      'secret-value-format': 'skip',
      'service-health': 'pass',
    });
    expect(code).toBe(0);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.identity).toMatchObject({ account: '123456789012', type: 'user' });
    expect(doc.input).toEqual({ secretId: seeded.healthy.secretArn, region: 'us-east-1', principal: creator });
    expect(doc.summary).toEqual({ pass: 12, fail: 0, warn: 0, unknown: 0, skip: 1 });
    // And the verdicts name their evidence: the deciding statements and the source
    const callerPermission = finding(doc, 'caller-permission');
    expect(JSON.stringify(callerPermission.evidence)).toContain('ReadPagerDutySecret');
    expect(callerPermission.evidence.decidedBy).toBe('local evaluation of the identity policies read through IAM');
    expect(callerPermission.details.join(' ')).toContain('IAM SimulatePrincipalPolicy was not available');
    expect(finding(doc, 'secret-policy-incident-manager').summary).toContain('AllowIncidentManagerToReadSecret');
    expect(finding(doc, 'kms-policy-incident-manager').details.join(' ')).toContain('Allow Incident Manager to use the key');
  });

  it('passes with a single-statement policy that uses a service list and a wildcard action', async () => {
    const { doc } = await diagnoseIm(seeded['healthy-single-statement'].secretArn, '--principal', creator);
    const f = finding(doc, 'secret-policy-incident-manager');
    expect(f.status).toBe('pass');
    expect(f.summary).toContain('statement #1');
  });

  it('reads the value only with consent and reports its shape without it', async () => {
    const { doc, stdout } = await diagnoseIm(seeded.healthy.secretArn, '--principal', creator, '--read-value');
    expect(finding(doc, 'secret-value-format').status).toBe('pass');
    expect(stdout).not.toContain('y_FAKEdemoTOKEN00000');
    expect(stdout).not.toContain('oncall@example.com');
  });
});

describe('the identity that creates the response plan (P1)', () => {
  it('fails caller-permission when its IAM policies do not allow GetSecretValue', async () => {
    const { code, doc } = await diagnoseIm(seeded.healthy.secretArn, '--principal', creatorWithout);
    const f = finding(doc, 'caller-permission');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('secretsmanager:GetSecretValue');
    expect(f.remediation).toContain('aws iam put-role-policy');
    expect(f.remediation).not.toContain('secrets:GetSecretValue');
    expect(finding(doc, 'kms-policy-caller').status).toBe('fail');
    expect(code).toBe(1);
  });

  it('is unknown, naming the permission, when the principal cannot be read through IAM', async () => {
    // moto's default caller (user/moto) does not exist in IAM
    const { doc } = await diagnoseIm(seeded.healthy.secretArn);
    const f = finding(doc, 'caller-permission');
    expect(f.status).toBe('unknown');
    expect(f.remediation).toContain('iam:SimulatePrincipalPolicy');
  });
});

describe('the secret resource policy (P2, P3)', () => {
  it.each([
    ['no-resource-policy', 'has no resource policy'],
    ['policy-other-service', 'No statement'],
  ] as const)('%s: fails secret-policy-incident-manager and offers the secret-policy fix', async (scenario, words) => {
    const { code, doc } = await diagnoseIm(seeded[scenario].secretArn, '--principal', creator);
    const f = finding(doc, 'secret-policy-incident-manager');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain(words);
    expect(f.fix).toBe('secret-policy');
    expect(f.remediation).toContain('"Principal":{"Service":"ssm-incidents.amazonaws.com"}');
    expect(f.remediation).toContain('secretsmanager:GetSecretValue');
    expect(code).toBe(1);
    // and everything about the key still passes
    expect(finding(doc, 'kms-policy-incident-manager').status).toBe('pass');
  });

  it('deny-caller: fails secret-policy-caller, naming the Deny statement', async () => {
    const { doc } = await diagnoseIm(seeded['deny-caller'].secretArn);
    const f = finding(doc, 'secret-policy-caller');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('"DenyCaller" (#2)');
    expect(f.evidence.decision).toBe('ExplicitlyDenied');
    expect(finding(doc, 'secret-policy-incident-manager').status).toBe('pass');
  });

  it('deny-everyone: fails both policy checks, offers no fix, and shows the Deny', async () => {
    const { doc } = await diagnoseIm(seeded['deny-everyone'].secretArn, '--principal', creator);
    const im = finding(doc, 'secret-policy-incident-manager');
    expect(im.status).toBe('fail');
    expect(im.fix).toBeUndefined();
    expect(im.summary).toContain('"DenyAll" (#2)');
    expect(im.details.join(' ')).toContain('"Effect":"Deny"');
    expect(im.remediation).toContain('aws:PrincipalServiceName');
    expect(finding(doc, 'secret-policy-caller').status).toBe('fail');
  });
});

describe('the KMS key (P4)', () => {
  it('aws-managed-key: fails kms-key-customer-managed and skips the key-policy checks', async () => {
    const { doc } = await diagnoseIm(seeded['aws-managed-key'].secretArn, '--principal', creator);
    expect(finding(doc, 'kms-key-customer-managed').status).toBe('fail');
    expect(finding(doc, 'kms-key-customer-managed').summary).toContain('aws/secretsmanager');
    expect(finding(doc, 'kms-key-usable').status).toBe('skip');
    expect(finding(doc, 'kms-policy-incident-manager').status).toBe('skip');
    expect(finding(doc, 'kms-policy-caller').status).toBe('skip');
  });

  it('key-policy-without-im: fails kms-policy-incident-manager with the key-policy fix', async () => {
    const { doc } = await diagnoseIm(seeded['key-policy-without-im'].secretArn, '--principal', creator);
    const f = finding(doc, 'kms-policy-incident-manager');
    expect(f.status).toBe('fail');
    expect(f.fix).toBe('key-policy');
    expect(f.evidence.keyArn).toBe(seeded['key-policy-without-im'].keyArn);
    expect(f.remediation).toContain('kms:GenerateDataKey*');
    // the creator still reaches the key through the account-root delegation
    expect(finding(doc, 'kms-policy-caller').status).toBe('pass');
  });

  it('key-policy-decrypt-only: fails, with Decrypt allowed and GenerateDataKey not', async () => {
    const { doc } = await diagnoseIm(seeded['key-policy-decrypt-only'].secretArn, '--principal', creator);
    const f = finding(doc, 'kms-policy-incident-manager');
    expect(f.status).toBe('fail');
    expect(f.evidence.decisions).toEqual({ 'kms:Decrypt': 'Allowed', 'kms:GenerateDataKey': 'ImplicitlyDenied' });
    expect(f.summary).toContain('kms:GenerateDataKey');
  });

  it('disabled-key: fails kms-key-usable with the enable-key command', async () => {
    const { doc } = await diagnoseIm(seeded['disabled-key'].secretArn, '--principal', creator);
    const f = finding(doc, 'kms-key-usable');
    expect(f.status).toBe('fail');
    expect(f.evidence.keyState).toBe('Disabled');
    expect(f.remediation).toContain('aws kms enable-key');
  });

  it('asymmetric-key: fails kms-key-usable on the key spec', async () => {
    const { doc } = await diagnoseIm(seeded['asymmetric-key'].secretArn, '--principal', creator);
    const f = finding(doc, 'kms-key-usable');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('RSA_2048');
  });
});

describe('the secret ID (P5)', () => {
  it('a trailing space fails secret-id, shown visibly, and the other checks go on with the trimmed ID', async () => {
    const { code, doc } = await diagnoseIm(`${seeded.healthy.secretName} `, '--principal', creator);
    const f = finding(doc, 'secret-id');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('␠');
    expect(f.evidence.trimmed).toBe(seeded.healthy.secretName);
    expect(finding(doc, 'secret-exists').status).toBe('pass');
    expect(finding(doc, 'secret-policy-incident-manager').status).toBe('pass');
    expect(code).toBe(1);
  });

  it('a deleted secret fails secret-exists with the restore fix, and is still checked', async () => {
    const { doc } = await diagnoseIm(seeded['deleted-secret'].secretArn, '--principal', creator);
    const f = finding(doc, 'secret-exists');
    expect(f.status).toBe('fail');
    expect(f.fix).toBe('restore-secret');
    expect(f.evidence.deletedDate).toEqual(expect.any(String));
    expect(finding(doc, 'secret-policy-incident-manager').status).toBe('pass');
  });

  it('a secret in another Region: by name, secret-exists names the Region where it is', async () => {
    const { doc } = await diagnoseIm(seeded['other-region'].secretName, '--principal', creator);
    const f = finding(doc, 'secret-exists');
    expect(f.status).toBe('fail');
    expect(f.evidence.otherRegions).toEqual(['us-west-2']);
    expect(f.details.join(' ')).toContain('us-west-2');
    expect(finding(doc, 'secret-policy-incident-manager').status).toBe('skip');
  });

  it("a secret in another Region: by ARN, secret-id fails because Incident Manager needs the plan's Region", async () => {
    const { doc } = await diagnoseIm(seeded['other-region'].secretArn, '--principal', creator);
    const f = finding(doc, 'secret-id');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('us-west-2');
    expect(finding(doc, 'secret-exists').status).toBe('pass');
  });

  it('a missing secret fails secret-exists and skips what needs it', async () => {
    const { code, doc } = await diagnoseIm('sd/does-not-exist-anywhere', '--principal', creator);
    expect(finding(doc, 'secret-exists').status).toBe('fail');
    for (const id of ['caller-permission', 'secret-policy-caller', 'secret-policy-incident-manager', 'kms-key-usable', 'kms-policy-caller']) {
      expect(finding(doc, id).status).toBe('skip');
    }
    expect(code).toBe(1);
  });
});

describe('the secret value', () => {
  it('a badly formatted value fails secret-value-format and never appears in any output, even with --debug', async () => {
    const { code, doc, stdout, stderr } = await diagnoseIm(seeded['bad-value'].secretArn, '--principal', creator, '--read-value', '--debug');
    const f = finding(doc, 'secret-value-format');
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('pagerDutyToken');
    expect(code).toBe(1);
    expect(stdout).not.toContain(CANARY);
    expect(stderr).not.toContain(CANARY);
    const text = await runCli(['diagnose', '--symptom', 'incident-manager-secret', '--secret-id', seeded['bad-value'].secretArn, '--read-value', '--debug']);
    expect(text.stdout + text.stderr).not.toContain(CANARY);
    expect(text.stdout).toContain('secret-value-format');
  });
});

describe('exit statuses and errors', () => {
  it('with no credentials at all: exit 3, one sentence on stderr, the JSON document on stdout', async () => {
    const env = motoEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const result = await runCli([...IM, '--secret-id', seeded.healthy.secretArn], env);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('No AWS credentials were found');
    const [doc] = documents(result.stdout);
    expect(finding(doc!, 'credentials').status).toBe('fail');
    expect(doc!.findings.filter((f) => f.id !== 'credentials').every((f) => f.status === 'skip')).toBe(true);
  });

  it('--strict turns warn and unknown into exit 1', async () => {
    const plain = await diagnoseIm(seeded.healthy.secretArn);
    expect(finding(plain.doc, 'caller-permission').status).toBe('unknown');
    expect(plain.doc.summary.fail).toBe(0);
    expect(plain.code).toBe(0);
    const strict = await diagnoseIm(seeded.healthy.secretArn, '--strict');
    expect(strict.code).toBe(1);
  });

  it.each([
    [['diagnose', '--symptom', 'nope'], 'Unknown symptom'],
    [['diagnose', '--secret-id', ''], 'empty'],
    [['diagnose', '--secret-id', 'x'.repeat(2049)], '2,048'],
    [['diagnose', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['explode'], 'Unknown command'],
    [['diagnose', '--timeout', 'soon'], '--timeout'],
    [['diagnose', '--principal', 'bob'], '--principal'],
    [['diagnose', '--secret-id'], 'argument missing'],
  ])('usage error %j exits 2 with one sentence and no stack trace', async (args, words) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(words);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('without a terminal, the wizard says to use diagnose and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('secrets-doctor diagnose');
  });

  it('--version and --help answer without AWS', async () => {
    const version = await runCli(['--version'], { PATH: process.env.PATH });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(['--help'], { PATH: process.env.PATH });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('incident-manager-secret');
  });

  it('the human-readable report lists every finding and what to do', async () => {
    const result = await runCli(['diagnose', '--symptom', 'incident-manager-secret', '--secret-id', seeded.demo.secretArn, '--no-color']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL\s+secret-policy-incident-manager/);
    expect(result.stdout).toMatch(/FAIL\s+kms-policy-incident-manager/);
    expect(result.stdout).toContain('What to do');
    expect(result.stdout).not.toContain('\u001b[');
  });
});
