/**
 * Names with spaces and shell metacharacters in the commands the tool suggests: every command a finding
 * suggests, every fix's undo command and the re-run command, run by a real /bin/sh (with `aws` and
 * `secrets-doctor` as shell functions that print their arguments), passes the secret ID, ARN or path as one
 * word, exactly, and runs nothing else. AWS refuses such names at CreateSecret; moto does not, which lets a
 * secret under one exist here. The `secret-id` check says the name is one no secret can have.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCreatorRole, seedKmsKey, seedScenario, type Seeded } from '../../source/demo/seed.js';
import { diagnose } from '../../source/diagnose.js';
import { keyPolicyTarget, secretPolicyTarget } from '../../source/fixes/targets.js';
import { reportModel, splitCommand } from '../../source/report/model.js';
import { shellQuote } from '../../source/shell.js';
import { newSession } from '../helpers/moto.js';

const run = promisify(execFile);
/** A name that a shell would split, expand and run if it were not quoted. */
const ODD = `odd name $(touch pwned) 'it''s' *;/`;

/** The words /bin/sh makes of `command`, with `aws` and `secrets-doctor` printing theirs; nothing else runs. */
async function words(command: string, cwd: string): Promise<string[]> {
  const script = `aws() { printf '%s\\0' aws "$@"; }\nsecrets_doctor() { printf '%s\\0' secrets-doctor "$@"; }\n${command.replace(/^secrets-doctor /, 'secrets_doctor ')}`;
  const { stdout } = await run('sh', ['-c', script], { cwd });
  return stdout.split('\0').slice(0, -1);
}

/** The value after `flag` in `argv`. */
const wordAfter = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe('shellQuote', () => {
  it('gives /bin/sh one word, the same, for anything a name or a path can hold', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-quote-'));
    for (const word of ['prod/db', 'my secret', "it's", '$(touch pwned)', '`touch pwned`', '*', 'a\tb', 'x;y|z&', '"q"', '~/x', '-n', 'é']) {
      expect(await words(`aws ${shellQuote(word)}`, dir)).toEqual(['aws', word]);
    }
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('a secret whose name has spaces and shell metacharacters (moto)', () => {
  const session = newSession();
  let demo: Seeded;
  let deleted: Seeded;
  let creator: string;

  beforeAll(async () => {
    [demo, deleted, creator] = await Promise.all([
      seedScenario(session, 'demo', { prefix: ODD }),
      seedScenario(session, 'deleted-secret', { prefix: ODD }),
      seedCreatorRole(session, { allow: false }),
    ]);
  });

  it('every suggested command passes the secret as one word, exactly, and runs nothing else', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-quote-'));
    const commands: string[] = [];
    for (const seeded of [demo, deleted]) {
      for (const secretId of [seeded.secretName, seeded.secretArn]) {
        const d = await diagnose(newSession(), { symptom: 'incident-manager-secret', secretId, principal: creator });
        for (const f of d.findings) {
          const command = splitCommand(f.remediation).command;
          if (command) commands.push(command);
        }
        commands.push(reportModel(d).rerun);
      }
    }
    // The checks that name the secret in a command did (the failing policies, the deletion, the re-run)
    const named = commands.filter((c) => c.includes('--secret-id'));
    expect(named.some((c) => c.startsWith('aws secretsmanager put-resource-policy'))).toBe(true);
    expect(named.some((c) => c.startsWith('aws secretsmanager restore-secret'))).toBe(true);
    expect(named.some((c) => c.startsWith('secrets-doctor diagnose'))).toBe(true);
    const known = new Set([demo.secretName, demo.secretArn, deleted.secretName, deleted.secretArn]);
    for (const command of named) {
      const argv = await words(command, dir);
      expect(known, command).toContain(wordAfter(argv, '--secret-id'));
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('asymmetric-kms-key: the create-secret command for a new secret quotes the name typed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-quote-'));
    const rsa = await seedKmsKey(session, { spec: 'RSA_2048' });
    const name = `${ODD}new`;
    const d = await diagnose(newSession(), { symptom: 'asymmetric-kms-key', kmsKeyId: rsa.keyArn, secretId: name });
    const f = d.findings.find((x) => x.id === 'kms-key-symmetric')!;
    expect(f.status).toBe('fail');
    const [create, update] = [...f.remediation.matchAll(/`(aws secretsmanager [^`]+)`/g)].map((m) => m[1]!);
    expect(wordAfter(await words(create!, dir), '--name')).toBe(name);
    expect(wordAfter(await words(update!, dir), '--secret-id')).toBe(name);
    expect(await readdir(dir)).toEqual([]);
  });

  it('secret-id says no secret can have such a name, and where to copy the right one from', async () => {
    const d = await diagnose(newSession(), { symptom: 'access-denied', secretId: demo.secretName });
    const f = d.findings.find((x) => x.id === 'secret-id')!;
    expect(f.status).toBe('warn');
    expect(f.summary).toContain(`The name "${demo.secretName.replace(/ /g, '␠')}" has a space, "$", "(", ")", "'", "*" and ";":`);
    expect(f.summary).toContain('Secrets Manager refuses any other name, so no secret has this one.');
    expect(splitCommand(f.remediation).command).toBe("aws secretsmanager list-secrets --query 'SecretList[].Name'");
  });

  it('the undo commands of the policy fixes quote the secret and a backup path with spaces', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-quote-'));
    const backup = path.join(dir, 'my backups $(touch pwned)', 'secret-policy.json');
    const secretUndo = await words(secretPolicyTarget(session, demo.secretArn, 'us-east-1', demo.secretName).undoCommand(backup), dir);
    expect([wordAfter(secretUndo, '--secret-id'), wordAfter(secretUndo, '--from')]).toEqual([demo.secretArn, backup]);
    const keyUndo = await words(keyPolicyTarget(session, demo.keyArn!, 'us-east-1').undoCommand(backup), dir);
    expect([wordAfter(keyUndo, '--kms-key-id'), wordAfter(keyUndo, '--from')]).toEqual([demo.keyArn, backup]);
    expect(await readdir(dir)).toEqual([]);
  });
});
