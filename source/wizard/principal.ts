/**
 * The principal question's choices and what can be said of a typed ARN, shared by both front-ends (no
 * Ink): the given principal, the caller, the account's roles and users filtered by what is typed, and the
 * typed text as an ARN. A role or user of the caller's account that a complete listing does not have is
 * said not to exist before it is accepted; where the tool cannot see (another account, a list cut short or
 * refused) it says so and gives no verdict.
 */
import type { PrincipalEntry, PrincipalListing } from '../facts/discovery.js';
import { accountOf } from '../facts/principal-account.js';
import { visible } from '../visible.js';
import type { Lookup, PrincipalAnswer } from './state.js';

/** An IAM or STS ARN, as --principal takes it (commands/args.ts checks the flag the same way). */
export const PRINCIPAL_ARN = /^arn:[^:]+:(iam|sts)::\d{12}:.+/;

export const NOT_AN_ARN = 'That is not an IAM or STS ARN, such as arn:aws:iam::123456789012:role/ResponsePlanCreator.';

/**
 * The role or user an ARN names: an IAM role or user ARN (compared whole, path included), a role session
 * (its role, by name), or moto's STS user ARN (by name). Anything else (root, a federated user, a group)
 * names nothing that is listed.
 */
export function namedEntity(arn: string): { kind: 'role' | 'user'; name: string; account: string; wholeArn: boolean } | undefined {
  const iam = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (iam) return { kind: iam[2] as 'role' | 'user', name: iam[3]!, account: iam[1]!, wholeArn: true };
  const session = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  if (session) return { kind: 'role', name: session[2]!, account: session[1]!, wholeArn: false };
  const stsUser = /^arn:[^:]+:sts::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (stsUser) return { kind: 'user', name: stsUser[2]!, account: stsUser[1]!, wholeArn: false };
  return undefined;
}

/**
 * What can be said of an ARN before it is used: `listed` (the entry it names), `missing` (a role or user of
 * the caller's account that the complete list does not have, or has under another ARN: Enter must be
 * confirmed), a `note` (the tool cannot tell, and says why), or nothing (not an ARN of a role or user).
 */
export type Verdict = { kind: 'listed'; entry: PrincipalEntry } | { kind: 'missing'; text: string } | { kind: 'note'; text: string } | undefined;

export function principalVerdict(arn: string, principals: Lookup<PrincipalListing>, callerArn: string | undefined): Verdict {
  if (!PRINCIPAL_ARN.test(arn)) return undefined;
  const named = namedEntity(arn);
  const caller = accountOf(callerArn);
  if (!named || !caller) return undefined;
  const name = visible(named.name);
  if (named.account !== caller) {
    return {
      kind: 'note',
      text: `Account ${named.account} is not the caller's (${caller}): its roles and users cannot be listed from here, so the ARN is used as typed.`,
    };
  }
  // The caller exists (it has just made requests), whether or not the list has it (moto's caller is not).
  const self = callerArn ? namedEntity(callerArn) : undefined;
  if (self && self.kind === named.kind && self.name === named.name && self.account === named.account) return undefined;
  if (principals.state === 'loading') return undefined;
  const result = principals.result;
  const part = result.available ? (named.kind === 'role' ? result.value.roles : result.value.users) : undefined;
  if (!result.available || !part?.listed || part.truncated) {
    const why = !result.available ? visible(result.reason) : !part?.listed ? visible(part!.reason) : `more than the ${named.kind}s listed`;
    return {
      kind: 'note',
      text: `The ${named.kind}s of account ${caller} could not all be listed (${why}): whether ${named.kind} ${name} exists is checked when the checks run.`,
    };
  }
  const same = result.value.entries.filter((e) => e.kind === named.kind);
  const entry = same.find((e) => e.name === named.name);
  if (entry && (!named.wholeArn || entry.arn === arn)) return { kind: 'listed', entry };
  if (entry)
    return {
      kind: 'missing',
      text: `The ${named.kind} ${name} of account ${caller} has the ARN ${visible(entry.arn)}, not this one: choose it from the list.`,
    };
  const near = same.find((e) => e.name.toLowerCase() === named.name.toLowerCase());
  const hint = near ? ` (there is ${visible(near.name)})` : '';
  return { kind: 'missing', text: `No ${named.kind} named ${name} in account ${caller}${hint}: check the name, or choose from the list.` };
}

export interface PrincipalChoice {
  value: string;
  /** Unwrapped, every character visible; the views fit it to the width. */
  label: string;
  answer: PrincipalAnswer;
  /** The text as typed (an ARN that no listed choice has). */
  typed?: boolean;
}

export interface PrincipalChoiceInput {
  listing?: PrincipalListing | undefined;
  /** The caller's ARN, or why it is not known. */
  caller: { arn?: string | undefined; text: string };
  /** The answer so far (--principal, the error message's principal, an earlier pass): first, so Enter keeps it. */
  current?: PrincipalAnswer | undefined;
}

/** A listed role or user as one short line: `role/path/Name`. */
export function entryLabel(e: PrincipalEntry): string {
  return visible(`${e.kind}${e.path}${e.name}`);
}

/**
 * The choices for what is typed: the given principal, the caller, the roles and users whose name or ARN
 * contains it (any case), and the text itself when it is an IAM or STS ARN that none of them has. An exact
 * ARN match comes first, then the typed ARN, so that Enter on a full ARN takes it.
 */
export function principalChoices(term: string, input: PrincipalChoiceInput): PrincipalChoice[] {
  const typed = term.trim();
  const needle = typed.toLowerCase();
  const matches = (...texts: string[]) => !needle || texts.some((t) => t.toLowerCase().includes(needle));
  const choices: PrincipalChoice[] = [];
  const given = input.current?.kind === 'arn' ? input.current.arn : undefined;
  if (given && matches(given)) choices.push({ value: 'given', label: visible(given), answer: { kind: 'arn', arn: given } });
  if (matches(input.caller.text, input.caller.arn ?? '', 'caller')) {
    choices.push({ value: 'caller', label: visible(`The caller (these credentials): ${input.caller.text}`), answer: { kind: 'caller' } });
  }
  for (const e of input.listing?.entries ?? []) {
    if (e.arn === given || !matches(e.name, e.arn)) continue;
    choices.push({ value: `${e.kind}:${e.arn}`, label: entryLabel(e), answer: { kind: 'arn', arn: e.arn } });
  }
  const arnOf = (c: PrincipalChoice) => (c.answer.kind === 'arn' ? c.answer.arn : input.caller.arn);
  if (PRINCIPAL_ARN.test(typed) && !choices.some((c) => arnOf(c) === typed)) {
    choices.unshift({ value: 'typed', label: visible(`Use ${typed} as typed`), answer: { kind: 'arn', arn: typed }, typed: true });
  }
  return choices.sort((a, b) => Number(arnOf(b) === typed) - Number(arnOf(a) === typed));
}

/** "Roles and users: 12 of 340 match." (or "340 listed."), and what of the list is missing and why. */
export function listingLines(listing: PrincipalListing, shown?: number): string[] {
  const cut = (listing.roles.listed && listing.roles.truncated) || (listing.users.listed && listing.users.truncated);
  const total = `${listing.entries.length}${cut ? '+' : ''}`;
  const lines = [`Roles and users: ${shown === undefined ? `${total} listed` : `${shown} of ${total} match`}.`];
  if (!listing.roles.listed) lines.push(`Roles: not listed (${visible(listing.roles.reason)}).`);
  if (!listing.users.listed) lines.push(`Users: not listed (${visible(listing.users.reason)}).`);
  return lines;
}
