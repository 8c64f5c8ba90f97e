/**
 * What AWS always sends in the answers the tool builds facts and plans on. The SDK accepts an empty or
 * cut-down body as a valid answer with every field missing (an empty 200 from a proxy, a captive portal,
 * a broken middlebox): read that way, "no ResourcePolicy" would look like "no policy" and a fix would
 * overwrite the real one. An answer without these fields is a malformed answer, a service fault, never a
 * fact. One validator per operation; the session applies them to every call, reads by fixes included.
 */

type Output = Record<string, unknown>;

const isText = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/** The fields that must be present, by "service:Operation"; each returns what is missing, or undefined. */
const VALIDATORS: Record<string, (out: Output) => string | undefined> = {
  'secretsmanager:DescribeSecret': (out) => missing(out, ['ARN', 'Name']),
  'secretsmanager:GetResourcePolicy': (out) => missing(out, ['ARN', 'Name']),
  'secretsmanager:ListSecretVersionIds': (out) => missing(out, ['ARN', 'Name']),
  'kms:GetKeyPolicy': (out) => missing(out, ['Policy']),
  'kms:DescribeKey': (out) => {
    const metadata = out.KeyMetadata as Output | undefined;
    if (typeof metadata !== 'object' || metadata === null) return 'KeyMetadata';
    const absent = missing(metadata, ['KeyId', 'Arn']);
    return absent && `KeyMetadata's ${absent}`;
  },
  'sts:GetCallerIdentity': (out) => missing(out, ['Arn', 'Account']),
};

function missing(out: Output, fields: string[]): string | undefined {
  const absent = fields.filter((f) => !isText(out[f]));
  return absent.length ? absent.join(', ') : undefined;
}

/** Why an answer is malformed (the fields AWS always sends that it lacks), or undefined when it is whole. */
export function malformedAnswer(service: string, operation: string, output: unknown): string | undefined {
  const validate = VALIDATORS[`${service}:${operation}`];
  if (!validate) return undefined;
  if (typeof output !== 'object' || output === null) return 'the whole answer';
  return validate(output as Output);
}

/** The error a malformed answer becomes: `classify` makes it a 'malformed' problem, a service fault. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedResponse';
  readonly $metadata: { httpStatusCode?: number | undefined };
  constructor(service: string, operation: string, what: string, status: number | undefined) {
    super(`${service}:${operation} answered without ${what}, which AWS always sends`);
    this.$metadata = { httpStatusCode: status };
  }
}
