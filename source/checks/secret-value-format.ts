import { PAGERDUTY_KEYS } from '../facts/index.js';
import { outcome, couldNotSee, needSecret, type Check } from './common.js';
import { shellQuote } from '../shell.js';

const EXAMPLE = '{"pagerDutyToken": "<REST API key>", "pagerDutyServiceRegion": "US", "pagerDutyFromEmail": "user@example.com"}';

export const secretValueFormat: Check = {
  id: 'secret-value-format',
  title: 'The secret value has the shape Incident Manager expects',
  async run(ctx) {
    if (!ctx.inputs.readValue) {
      return outcome('skip', 'Not checked: reading the value needs consent (--read-value); the read is logged in CloudTrail under your name.');
    }
    const secret = await needSecret(ctx);
    if ('outcome' in secret) return secret.outcome;
    const shape = await ctx.facts.secretValueShape();
    if (!shape.ok) return couldNotSee('the secret value', shape.problem, 'secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key)');
    const v = shape.value;
    // Evidence holds only key names that Incident Manager defines and yes/no answers: never the value.
    const evidence = {
      api: 'secretsmanager:GetSecretValue',
      json: v.json,
      binary: v.binary,
      expectedKeysPresent: v.expectedKeys,
      otherKeys: v.otherKeyCount,
      tokenPresent: v.tokenPresent,
      serviceRegionValid: v.regionValid,
      fromEmailPlausible: v.emailPlausible,
    };
    const problems: string[] = [];
    if (v.binary) problems.push('The secret holds a binary value, not a JSON string.');
    else if (!v.json) problems.push('The value is not a JSON object.');
    else {
      const missing = PAGERDUTY_KEYS.filter((k) => !v.expectedKeys.includes(k));
      if (missing.length) problems.push(`The value lacks ${missing.join(', ')}.`);
      if (v.expectedKeys.includes('pagerDutyToken') && !v.tokenPresent) problems.push('pagerDutyToken is empty.');
      if (v.expectedKeys.includes('pagerDutyServiceRegion') && !v.regionValid) problems.push('pagerDutyServiceRegion is not US or EU.');
      if (v.expectedKeys.includes('pagerDutyFromEmail') && !v.emailPlausible) problems.push('pagerDutyFromEmail is not an email address.');
    }
    if (problems.length) {
      return outcome('fail', problems[0]!, {
        details: [...problems.slice(1), 'The value itself is never shown.'],
        evidence,
        remediation: `Store the value as ${EXAMPLE} (the token is a PagerDuty General Access or User Token REST API key): \`aws secretsmanager put-secret-value --secret-id ${shellQuote(secret.value.description.ARN ?? '')} --secret-string file://pagerduty.json\`.`,
      });
    }
    return outcome('pass', 'The value is a JSON object with pagerDutyToken, pagerDutyServiceRegion and pagerDutyFromEmail, each plausible.', { evidence });
  },
};
