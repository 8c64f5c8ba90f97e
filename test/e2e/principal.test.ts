/**
 * Whose permissions, in a real terminal (tmux) against moto: the account's roles and users are listed and
 * filter as you type; a mistyped role ARN is said not to exist before it is used; the role chosen from the
 * list (by its own ARN, or by a part of its name) is the principal the checks run for (the command printed on leaving names it). The Ink wizard and
 * --plain.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedCreatorRole, seedScenario, type Seeded } from '../../source/demo/seed.js';
import { CLI } from '../helpers/cli.js';
import { motoEnv, newSession } from '../helpers/moto.js';
import { Terminal, tmuxVersion } from './tmux.js';

const session = newSession();
let terminal: Terminal;
let creator: string;
let healthy: Seeded;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  await tmuxVersion();
  [creator, healthy] = await Promise.all([seedCreatorRole(session, { allow: true }), seedScenario(session, 'healthy', { prefix: 'principal/' })]);
});

afterEach(async () => {
  await terminal?.kill();
});

/** The Ink wizard shows `text` and its key hints (shown once that screen's keys work). */
function ready(text: string | ((screen: string) => boolean), timeoutMs?: number): Promise<string> {
  const shows = typeof text === 'string' ? (s: string) => s.includes(text) : text;
  return terminal.waitFor((s) => shows(s) && /(Ctrl-C quit|Enter or q quit)$/.test(s.trimEnd()), timeoutMs);
}

const flat = (s: string) => s.replace(/\s+/g, ' ');
/** The role's own name (sd-creator-<hex>), its unique part, and the same ARN with a typo. */
const roleName = () => creator.split('/').pop()!;
const unique = () => roleName().split('-').pop()!;
const typo = () => `${creator}x`;

describe('the Ink wizard', () => {
  it('says at once that a mistyped role does not exist, then takes the role chosen from the list', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--symptom', 'access-denied-temporary-credentials', '--secret-id', healthy.secretName], {
      env: motoEnv({ NO_COLOR: '1' }),
    });
    await ready('Which error do you see?');
    await terminal.keys('Enter');
    await ready(`❯ ${healthy.secretName}`);
    await terminal.keys('Enter');
    // The roles and users are listed by the time the question shows
    await ready((s) => s.includes('Whose permissions?') && s.includes('Roles and users: '));
    // A mistyped ARN: said not to exist before Enter
    await terminal.type(typo());
    const said = await ready((s) => flat(s).includes(`No role named ${roleName()}x in account 123456789012`));
    expect(flat(said)).toContain('check the name, or choose from the list. Enter twice to use it anyway.');
    // Corrected: the role's own ARN is the listed role, first
    await terminal.keys('BSpace');
    const corrected = await ready((s) => s.includes(`❯ role/incident-response/${roleName()}`));
    expect(corrected).not.toContain('No role named');
    await terminal.keys('Enter');
    // Then the checks run for that role: the command printed on leaving names it
    await ready('Report', 60_000);
    await terminal.keys('q');
    await terminal.exited(30_000);
    await terminal.waitFor((s) => s.includes(`--principal ${creator}`), 10_000, { joined: true, history: true });
  }, 90_000);
});

describe('--plain', () => {
  it('lists the roles to filter, asks before using a mistyped one, and takes the role chosen', async () => {
    terminal = new Terminal();
    await terminal.start([process.execPath, CLI, '--plain', '--symptom', 'access-denied-temporary-credentials', '--secret-id', healthy.secretName], {
      env: motoEnv(),
    });
    await terminal.waitFor('Which error do you see?');
    await terminal.keys('Enter');
    await terminal.waitFor('Which secret?');
    await terminal.keys('Enter');
    await terminal.waitFor('Whose permissions? Type to filter, or type an ARN:');
    // A mistyped ARN: the list says it does not exist, and choosing it asks first (default no)
    await terminal.type(typo());
    await terminal.waitFor((s) => flat(s).includes(`No role named ${roleName()}x in account 123456789012`), 20_000, { joined: true });
    await terminal.keys('Enter');
    await terminal.waitFor((s) => s.includes('Use it anyway?') && s.trimEnd().endsWith('(y/N)'), 20_000, { joined: true });
    await terminal.keys('Enter');
    // Asked again: the role found by a part of its name
    await terminal.waitFor((s) => s.includes('? Whose permissions? Type to filter, or type an ARN:'));
    await terminal.type(unique());
    await terminal.waitFor(`❯ role/incident-response/${roleName()}`);
    await terminal.keys('Enter');
    // Then the checks run for that role: the report says so, and the command printed on leaving names it
    await terminal.waitFor((s) => s.includes('? Done?'), 60_000);
    expect(flat(await terminal.screen({ history: true, joined: true }))).toContain(`The permission checks evaluate ${creator}.`);
    await terminal.keys('Enter');
    await terminal.exited(30_000);
    await terminal.waitFor((s) => s.includes(`--principal ${creator}`), 10_000, { joined: true, history: true });
  }, 90_000);
});
