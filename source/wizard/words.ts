/**
 * Findings in the wizard's words. A check names the tool's own inputs by their flags, which is right on
 * the command line ("No secret was given (--secret-id).") and wrong in the wizard, where nobody passes
 * flags: there, the same input is a question on screen. The convention that makes one text serve both:
 * a check names an input the wizard asks for in a parenthesis that starts with its flag, "(--read-value)"
 * or "(--principal arn:aws:iam::ACCOUNT:role/NAME)" (test/wizard/words.test.tsx holds every check to
 * it). The wizard rewrites such a parenthesis to name its question instead: "(yes to “Also check the
 * secret value's format?”)", "(“Whose permissions?”: arn:aws:iam::ACCOUNT:role/NAME)". Flags the wizard
 * does not ask about (--region, --since, --response-plan...) stay: the wizard takes them on its command
 * line. AWS CLI commands are in backticks and are never rewritten. The wizard's services apply this to
 * every finding they hand to a front-end (Ink and --plain alike); --json, the text report and `fix` keep
 * the flags. Pure; no Ink.
 */
import type { Diagnosis, DiagnoseEvent } from '../diagnose.js';
import type { Finding } from '../types.js';
import type { WizardServices } from './services.js';

/** The wizard's questions, by the flag that answers them on the command line. */
export const QUESTION_OF_FLAG = {
  '--secret-id': 'Which secret?',
  '--principal': 'Whose permissions?',
  '--read-value': "Also check the secret value's format?",
  '--action': 'Which operation was denied?',
  '--error-message': 'Paste the error message you got',
  '--changed': 'What did you change?',
  '--expect-version-id': 'Which version should be AWSCURRENT now?',
  '--kms-key-id': 'Which KMS key did you give CreateSecret?',
} as const;

export type AskedFlag = keyof typeof QUESTION_OF_FLAG;

/** A flag's wording in the wizard; `rest` is what followed it in the parenthesis (an example value). */
function asked(flag: AskedFlag, rest: string): string {
  const question = `“${QUESTION_OF_FLAG[flag]}”`;
  if (flag === '--read-value') return `yes to ${question}`;
  // A choice's values (--changed value, resource-policy, ...) are the question's own options.
  if (flag === '--changed' || !rest) return question;
  return `${question}: ${rest}`;
}

/** "(--flag" then anything but a parenthesis, up to ")". */
const PARENTHESIS = /\((--[a-z][a-z-]*)(?: ([^()]*))?\)/g;

/** `text` with each "(--flag ...)" of an input the wizard asks for naming its question; commands (in backticks) as they are. */
export function inWizardWords(text: string): string {
  if (!text.includes('(--')) return text;
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(PARENTHESIS, (whole, flag: string, rest: string | undefined) =>
            flag in QUESTION_OF_FLAG ? `(${asked(flag as AskedFlag, rest?.trim() ?? '')})` : whole,
          ),
    )
    .join('');
}

/** A finding's summary, details and what to do, in the wizard's words (evidence is data: unchanged). */
export function findingInWizardWords(f: Finding): Finding {
  const details = f.details.map(inWizardWords);
  const remediation = inWizardWords(f.remediation);
  const summary = inWizardWords(f.summary);
  if (summary === f.summary && remediation === f.remediation && details.every((d, i) => d === f.details[i])) return f;
  return { ...f, summary, details, remediation };
}

export function diagnosisInWizardWords(d: Diagnosis): Diagnosis {
  return { ...d, findings: d.findings.map(findingInWizardWords) };
}

/** The services, with every finding they pass on (as events, and in diagnoses) in the wizard's words. */
export function withWizardWords(services: WizardServices): WizardServices {
  const event = (e: DiagnoseEvent): DiagnoseEvent => (e.type === 'finding' ? { ...e, finding: findingInWizardWords(e.finding) } : e);
  return {
    ...services,
    diagnose: async (inputs, onEvent) => diagnosisInWizardWords(await services.diagnose(inputs, (e) => onEvent(event(e)))),
    diagnoseMany: (inputs, secretIds, onDiagnosis, stopped) =>
      services.diagnoseMany(inputs, secretIds, (d, done) => onDiagnosis(diagnosisInWizardWords(d), done), stopped),
  };
}
