/**
 * The secret ID exactly as typed, and what the tool makes of it. Nothing is trimmed silently: the
 * `secret-id` check reports whitespace, and the facts use the trimmed ID.
 */

export interface SecretArn {
  partition: string;
  region: string;
  account: string;
  /** The name with the 6-character suffix, when there is one. */
  resourceName: string;
}

export interface SecretRef {
  raw: string;
  /** The ID the tool queries: trimmed of surrounding whitespace. */
  id: string;
  /** The raw ID with whitespace and control characters made visible. */
  visible: string;
  hasOuterWhitespace: boolean;
  controlCharacters: boolean;
  /** Present when the ID looks like an ARN and parses. */
  arn?: SecretArn | undefined;
  /** Set when the ID starts like an ARN but does not parse as a Secrets Manager secret ARN. */
  malformedArn?: string | undefined;
}

const VISIBLE: Record<string, string> = { ' ': '␠', '\t': '␉', '\n': '␊', '\r': '␍' };

export function visible(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f]/g, (c) => VISIBLE[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function parseSecretArn(text: string): SecretArn | string {
  const parts = text.split(':');
  if (parts.length < 7) return 'an ARN has the form arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME';
  const [, partition, service, region, account, type] = parts;
  const resourceName = parts.slice(6).join(':');
  if (!partition || !/^aws(-[a-z]+)*$/.test(partition)) return `"${partition}" is not an AWS partition`;
  if (service !== 'secretsmanager') return `the service is "${service}", not secretsmanager`;
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return `"${region}" is not a Region`;
  if (!account || !/^\d{12}$/.test(account)) return `"${account}" is not a 12-digit account ID`;
  if (type !== 'secret') return `the resource type is "${type}", not secret`;
  if (!resourceName) return 'the secret name is empty';
  return { partition, region, account, resourceName };
}

export function secretRef(raw: string): SecretRef {
  const id = raw.trim();
  // eslint-disable-next-line no-control-regex
  const controlCharacters = /[\u0000-\u001f\u007f]/.test(id);
  const ref: SecretRef = { raw, id, visible: visible(raw), hasOuterWhitespace: id !== raw, controlCharacters };
  if (id.startsWith('arn:')) {
    const parsed = parseSecretArn(id);
    if (typeof parsed === 'string') ref.malformedArn = parsed;
    else ref.arn = parsed;
  }
  return ref;
}

/** `prod/pd-AbCdEf` → `prod/pd`: the name from an ARN's resource part (a full ARN ends in -6 chars). */
export function nameFromArn(arn: SecretArn): string {
  return arn.resourceName.replace(/-[A-Za-z0-9]{6}$/, '');
}
