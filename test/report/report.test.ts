/**
 * The report a person acts on (SPEC.md, "Reports a person can act on"): headline, what to do first with the
 * command to copy, problems with labelled evidence, passes compactly; Markdown for a ticket; --format and
 * --output on the command line. Assertions on order and content, not snapshots.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../source/report/text.js';
import { renderMarkdown } from '../../source/report/markdown.js';
import { evidenceLines, reportModel, shellQuote, splitCommand } from '../../source/report/model.js';
import { brokenDiagnosis, diagnosis, finding, healthyDiagnosis } from '../ui/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { seedScenario } from '../../source/demo/seed.js';
import { newSession } from '../helpers/moto.js';

const vpce = diagnosis([
  finding('credentials', 'pass'),
  finding('caller-permission', 'pass'),
  finding('secret-policy-caller', 'pass'),
  finding('policy-conditions', 'fail', {
    summary: 'The resource policy denies requests that do not come through vpce-0abc1234.',
    details: ['Statement "DenyOutsideVpce" (#2) applies StringNotEquals aws:SourceVpce.'],
    evidence: { statement: { sid: 'DenyOutsideVpce', index: 2 }, requires: { 'aws:SourceVpce': ['vpce-0abc1234'] }, observable: false },
    remediation:
      'Send the request through the VPC endpoint vpce-0abc1234, or ask the owner to widen the condition: `aws secretsmanager get-resource-policy --secret-id prod/db`.',
  }),
  finding('kms-policy-caller', 'unknown', {
    summary: 'Could not read the key policy: AccessDeniedException.',
    remediation: 'Grant kms:GetKeyPolicy on the key.',
  }),
  finding('service-health', 'pass'),
]);

describe('the text report', () => {
  it('leads with the headline and what to do first, then problems (fail before unknown), then the passes in one line', () => {
    const text = renderReport(vpce, { color: false });
    const lines = text.split('\n');
    expect(lines[1]).toBe('1 problem found; 1 check could not decide.');
    const order = [
      'What to do first',
      'FAIL    policy-conditions',
      'UNKNOWN kms-policy-caller',
      'Passed: credentials, caller-permission, secret-policy-caller, service-health',
    ];
    const at = order.map((o) => lines.findIndex((l) => l.startsWith(o) || l.trimStart().startsWith(o)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // No PASS row per passing check, and no raw JSON anywhere
    expect(text).not.toMatch(/^PASS /m);
    expect(text).not.toMatch(/[{[]"/);
    // Evidence as labelled lines
    expect(text).toContain('statement.sid: DenyOutsideVpce');
    expect(text).toContain('requires.aws:SourceVpce: vpce-0abc1234');
    // The command stands on a line of its own, whole
    expect(lines).toContain('       aws secretsmanager get-resource-policy --secret-id prod/db');
  });

  it('offers `secrets-doctor fix` for a failure the tool can fix', () => {
    const text = renderReport(brokenDiagnosis(), { color: false });
    expect(text).toContain(
      'secrets-doctor fix --symptom incident-manager-secret --secret-id prod/pagerduty --region us-east-1 --principal arn:aws:iam::123456789012:role/ResponsePlanCreator --fixes secret-policy',
    );
    expect(text).not.toContain('[fix:');
  });

  it('--verbose shows every check, passes included, with their evidence', () => {
    const d = diagnosis([
      finding('credentials', 'pass', { evidence: { api: 'sts:GetCallerIdentity' } }),
      finding('secret-value-format', 'skip', { summary: 'Not asked to read the value.' }),
    ]);
    expect(renderReport(d, { color: false })).not.toContain('api: sts:GetCallerIdentity');
    const verbose = renderReport(d, { color: false, verbose: true });
    expect(verbose).toContain('PASS    credentials');
    expect(verbose).toContain('api: sts:GetCallerIdentity');
    expect(verbose).toContain('Not asked to read the value.');
  });

  it('a healthy diagnosis says so first', () => {
    expect(renderReport(healthyDiagnosis(), { color: false }).split('\n')[1]).toBe('No problem found: every check passed.');
  });
});

describe('the Markdown report', () => {
  it('title, input, what to do first, a table of every finding, details of every non-pass, the re-run command', () => {
    const md = renderMarkdown(vpce);
    const sections = [
      '# secrets-doctor: ',
      '- secret: `prod/pagerduty`',
      '## What to do first',
      '## Findings',
      '| status | check | summary |',
      '## Details',
      '### FAIL policy-conditions',
      '### UNKNOWN kms-policy-caller',
      '## Run it again',
    ];
    const at = sections.map((s) => md.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const f of vpce.findings) expect(md).toContain(`| ${f.status} | ${f.id} |`);
    expect(md).not.toContain('### PASS');
    expect(md).toContain(
      'secrets-doctor diagnose --symptom incident-manager-secret --secret-id prod/pagerduty --region us-east-1 --principal arn:aws:iam::123456789012:role/ResponsePlanCreator',
    );
  });

  it('a pipe or a newline in a summary does not break the table', () => {
    const md = renderMarkdown(diagnosis([finding('secret-id', 'fail', { summary: 'a | b\nc' })]));
    expect(md).toContain('| fail | secret-id | a \\| b c |');
  });
});

describe('the model', () => {
  it('quotes names with spaces for a shell', () => {
    expect(shellQuote('prod/db')).toBe('prod/db');
    expect(shellQuote('my secret')).toBe("'my secret'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(reportModel(diagnosis([], 'my secret')).rerun).toContain("--secret-id 'my secret'");
  });
  it('takes the AWS CLI command out of a remediation; other backticks stay', () => {
    expect(splitCommand('Enable it: `aws kms enable-key --key-id k`.')).toEqual({
      text: 'Enable it: the command below.',
      command: 'aws kms enable-key --key-id k',
    });
    expect(splitCommand('Use `alias/x` instead.')).toEqual({ text: 'Use `alias/x` instead.' });
  });
  it('evidence: nested objects as dotted labels, lists joined, lists of objects numbered', () => {
    expect(evidenceLines({ a: 1, b: { c: 'd' }, e: ['x', 'y'], f: [{ g: 1 }], h: null })).toEqual(['a: 1', 'b.c: d', 'e: x, y', 'f[1].g: 1', 'h: null']);
  });
});

describe('--format and --output (the built CLI against moto_server)', () => {
  it('markdown to a file: the file holds the report, stdout nothing, stderr its path; text and json still work', async () => {
    const seeded = await seedScenario(newSession(), 'demo');
    const dir = mkdtempSync(path.join(tmpdir(), 'sd-report-'));
    const file = path.join(dir, 'report.md');
    const md = await runCli(['diagnose', '--symptom', 'incident-manager-secret', '--secret-id', seeded.secretArn, '--format', 'markdown', '--output', file]);
    expect(md.code).toBe(1);
    expect(md.stdout).toBe('');
    expect(md.stderr).toContain(file);
    const written = readFileSync(file, 'utf8');
    expect(written).toMatch(/^# secrets-doctor: ValidationException/);
    expect(written).toContain('| fail | secret-policy-incident-manager |');
    expect(written).toContain('secrets-doctor fix --symptom incident-manager-secret');

    const json = await runCli(['diagnose', '--symptom', 'incident-manager-secret', '--secret-id', seeded.secretArn, '--format', 'json']);
    expect(JSON.parse(json.stdout).symptom).toBe('incident-manager-secret');

    const bad = await runCli(['diagnose', '--format', 'html']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);

    const unwritable = await runCli([
      'diagnose',
      '--symptom',
      'incident-manager-secret',
      '--secret-id',
      seeded.secretArn,
      '--output',
      path.join(dir, 'no', 'such', 'dir.md'),
    ]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain('could not be written');
    expect(existsSync(path.join(dir, 'no'))).toBe(false);
  });
});

describe('a report saved from the wizard', () => {
  it('is the Markdown report, in a new file: an existing one is never replaced, and nothing is left half written', async () => {
    const { saveMarkdown } = await import('../../source/report/output.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'sd-saved-'));
    const now = new Date('2026-11-30T21:00:00.123Z');
    const first = saveMarkdown(brokenDiagnosis(), {}, dir, now);
    const second = saveMarkdown(brokenDiagnosis(), { action: 'secretsmanager:GetSecretValue' }, dir, now);
    expect(first).toBe(path.join(dir, 'secrets-doctor-report-20261130T210000Z.md'));
    expect(second).toBe(path.join(dir, 'secrets-doctor-report-20261130T210000Z-2.md'));
    expect(readFileSync(first, 'utf8')).toBe(renderMarkdown(brokenDiagnosis(), {}));
    expect(readFileSync(second, 'utf8')).toContain('secretsmanager:GetSecretValue');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).sort()).toEqual(['secrets-doctor-report-20261130T210000Z-2.md', 'secrets-doctor-report-20261130T210000Z.md']);
  });
});
