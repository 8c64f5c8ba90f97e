/**
 * Findings in the wizard's words: where a check names an input the wizard asks for by its flag, the wizard
 * (Ink and --plain, through its services) names its question instead; the command line keeps the flag.
 * And every check keeps to the convention that makes that possible: such a flag only at the start of a
 * parenthesis, outside the AWS CLI commands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { App } from '../../source/ui/App.js';
import { findingInWizardWords, inWizardWords, QUESTION_OF_FLAG, withWizardWords } from '../../source/wizard/words.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { CREATOR, diagnosis, fakeServices, finding, SECRET } from '../ui/fixtures.js';

describe('inWizardWords', () => {
  it('names the question where a finding names the flag that answers it', () => {
    expect(inWizardWords('Not checked: reading the value needs consent (--read-value); the read is logged in CloudTrail under your name.')).toBe(
      "Not checked: reading the value needs consent (yes to “Also check the secret value's format?”); the read is logged in CloudTrail under your name.",
    );
    expect(inWizardWords('No secret was given (--secret-id).')).toBe('No secret was given (“Which secret?”).');
    expect(inWizardWords('The ARN does not name that user: give that user as the principal (--principal arn:aws:iam::ACCOUNT:user/NAME) to evaluate it.')).toBe(
      'The ARN does not name that user: give that user as the principal (“Whose permissions?”: arn:aws:iam::ACCOUNT:user/NAME) to evaluate it.',
    );
    expect(inWizardWords('Nothing to watch: say what was changed (--changed value, resource-policy, key-policy or metadata).')).toBe(
      'Nothing to watch: say what was changed (“What did you change?”).',
    );
    expect(inWizardWords('this check evaluated secretsmanager:GetSecretValue (--action).')).toBe(
      'this check evaluated secretsmanager:GetSecretValue (“Which operation was denied?”).',
    );
    expect(inWizardWords('No key was given: name it (--kms-key-id), or give the secret (--secret-id).')).toBe(
      'No key was given: name it (“Which KMS key did you give CreateSecret?”), or give the secret (“Which secret?”).',
    );
  });

  it('leaves the flags the wizard does not ask about, and the AWS CLI commands, as they are', () => {
    for (const text of [
      "Run with --region eu-west-1, or use the secret's full ARN.",
      "Give the response plan's ARN with --response-plan ARN, so Incident Manager's aws:SourceArn is known.",
      'Skipped: (--verbose says why)',
      'Replace it: `aws secretsmanager put-resource-policy --secret-id arn (--secret-id x) --resource-policy file://p.json`.',
      'nothing to do',
    ]) {
      expect(inWizardWords(text)).toBe(text);
    }
  });

  it("rewrites a finding's summary, details and what to do, never its evidence; unchanged findings stay the same object", () => {
    const f = finding('secret-value-format', 'skip', {
      summary: 'needs consent (--read-value)',
      details: ['see (--secret-id)'],
      remediation: 'pass (--principal ARN)',
      evidence: { given: '(--read-value)' },
    });
    expect(findingInWizardWords(f)).toMatchObject({
      summary: "needs consent (yes to “Also check the secret value's format?”)",
      details: ['see (“Which secret?”)'],
      remediation: 'pass (“Whose permissions?”: ARN)',
      evidence: { given: '(--read-value)' },
    });
    const plainFinding = finding('credentials', 'pass');
    expect(findingInWizardWords(plainFinding)).toBe(plainFinding);
  });
});

describe('the wizard shows its questions, not flags', () => {
  it('in the live check rows and in the report', async () => {
    const consent = 'Not checked: reading the value needs consent (--read-value); the read is logged in CloudTrail under your name.';
    const d = diagnosis([
      finding('credentials', 'pass'),
      finding('temporary-credentials', 'warn', {
        summary: 'The credentials in use are not temporary.',
        remediation: 'Or give the role as the principal (--principal arn:aws:iam::ACCOUNT:role/NAME).',
      }),
      finding('secret-value-format', 'skip', { summary: consent }),
    ]);
    const services = withWizardWords(fakeServices({ diagnoses: [d] }));
    const r = render(
      <App services={services} presets={{ symptom: 'incident-manager-secret', secretId: SECRET, principal: CREATOR }} size={{ columns: 200, rows: 50 }} />,
    );
    for (const q of ['Which error do you see?', 'Which secret?', 'Whose permissions?', "Also check the secret value's format?"]) {
      await r.waitForFrame(q);
      await r.press(KEYS.enter);
    }
    const report = plain(await r.waitForFrame('Report'));
    const body = report.slice(report.indexOf('Report'));
    expect(body).toContain("Skipped: secret-value-format (Not checked: reading the value needs consent (yes to “Also check the secret value's format?”)");
    expect(body.replace(/\s+/g, ' ')).toContain(
      '1. temporary-credentials: Or give the role as the principal (“Whose permissions?”: arn:aws:iam::ACCOUNT:role/NAME).',
    );
    // (the kept check rows above the report too)
    expect(report.split('\n').filter((l) => l.includes('yes to “Also check'))).toHaveLength(2);
    expect(report).not.toMatch(/--read-value|--principal/);
  });

  it('for many secrets too', async () => {
    const services = withWizardWords(
      fakeServices({ manyDiagnosis: () => diagnosis([finding('secret-id', 'skip', { summary: 'No secret was given (--secret-id).' })]) }),
    );
    const seen: string[] = [];
    await services.diagnoseMany(
      { symptom: 'not-sure' },
      ['a', 'b'],
      (d) => seen.push(d.findings[0]!.summary),
      () => false,
    );
    expect(seen).toEqual(['No secret was given (“Which secret?”).', 'No secret was given (“Which secret?”).']);
  });
});

describe("the checks' texts keep to the convention", () => {
  it('name an input the wizard asks for only as "(--flag ...)", outside commands', () => {
    const flags = Object.keys(QUESTION_OF_FLAG).sort((a, b) => b.length - a.length);
    const bare = new RegExp(`(.)(${flags.join('|')})(?![a-z-])`, 'g');
    const dir = new URL('../../source/checks/', import.meta.url);
    const offending: string[] = [];
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    expect(files).toContain('propagation/word.ts'); // the checks' own folders too
    for (const name of files) {
      readFileSync(new URL(name, dir), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\*|\/\/|\/\*\*)/.test(line)) return; // comments
          // AWS CLI (and secrets-doctor) commands, in backticks (escaped in template literals), keep their flags
          const text = line.replace(/\\?`(?:aws|secrets-doctor) [^`]*?\\?`/g, '');
          for (const m of text.matchAll(bare)) if (m[1] !== '(') offending.push(`source/checks/${name}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offending).toEqual([]);
  });
});
