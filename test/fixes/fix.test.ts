/**
 * `secrets-doctor fix` and `restore-policy` against moto_server, run as a user runs them (the built CLI),
 * and the protocol's guards in-process where a step must be interrupted (a change between plan and write,
 * a change right after the write).
 */
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteSecretCommand, DescribeSecretCommand, GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedScenario, seedCreatorRole, type ScenarioName, type Seeded } from '../../source/demo/seed.js';
import { applyChange, type ChangeRequest, type FixEvent, type FixIo } from '../../source/fixes/protocol.js';
import { secretPolicyTarget } from '../../source/fixes/targets.js';
import { progressLine, questionText } from '../../source/fixes/wording.js';
import { planFix } from '../../source/fixes/index.js';
import { newSession } from '../helpers/moto.js';
import { runCli, documents, finding } from '../helpers/cli.js';

let creator: string;
const session = newSession();

beforeAll(async () => {
  creator = await seedCreatorRole(session, { allow: true });
});

async function seed(scenario: ScenarioName): Promise<Seeded> {
  return seedScenario(session, scenario);
}

async function secretPolicy(arn: string): Promise<unknown> {
  const out = await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: arn }));
  return out.ResourcePolicy === undefined ? null : JSON.parse(out.ResourcePolicy);
}

async function keyPolicy(arn: string): Promise<unknown> {
  const out = await (await session.kms()).send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }));
  return JSON.parse(out.Policy!);
}

async function backupsIn(dir: string): Promise<{ file: string; mode: number; body: Record<string, unknown> }[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      return { file, mode: (await stat(file)).mode & 0o777, body: JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> };
    }),
  );
}

const FIX = (arn: string, dir: string, ...extra: string[]) => [
  'fix',
  '--symptom',
  'incident-manager-secret',
  '--secret-id',
  arn,
  '--principal',
  creator,
  '--backup-dir',
  dir,
  '--wait',
  '10',
  ...extra,
];

describe('fix --yes on a broken set-up', () => {
  it('adds the statements, keeps the existing ones, backs up, verifies, and the diagnosis then passes', async () => {
    // Given a secret whose policy has an unrelated statement, and a key policy without Incident Manager
    const demo = await seed('demo');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const originalSecretPolicy = await secretPolicy(demo.secretArn);
    const originalKeyPolicy = await keyPolicy(demo.keyArn!);
    // When fixing it non-interactively, as JSON
    const result = await runCli(FIX(demo.secretArn, dir, '--yes', '--json'));
    // Then both fixes were applied and verified, and the re-diagnosis passes them
    const [doc] = documents(result.stdout) as (ReturnType<typeof documents>[number] & { applied: Record<string, unknown>[] })[];
    expect(doc!.applied.map((a) => [a.fix, a.status, a.verified])).toEqual([
      ['secret-policy', 'applied', true],
      ['key-policy', 'applied', true],
    ]);
    expect(finding(doc!, 'secret-policy-incident-manager').status).toBe('pass');
    expect(finding(doc!, 'kms-policy-incident-manager').status).toBe('pass');
    expect(result.code).toBe(0);
    // And the original statements are intact, JSON-equal and in order, with the new ones after them
    const fixedSecret = (await secretPolicy(demo.secretArn)) as { Statement: unknown[] };
    const originalStatements = (originalSecretPolicy as { Statement: unknown[] }).Statement;
    expect(fixedSecret.Statement.slice(0, originalStatements.length)).toEqual(originalStatements);
    expect(fixedSecret.Statement).toHaveLength(originalStatements.length + 1);
    const fixedKey = (await keyPolicy(demo.keyArn!)) as { Statement: unknown[] };
    const originalKeyStatements = (originalKeyPolicy as { Statement: unknown[] }).Statement;
    expect(fixedKey.Statement.slice(0, originalKeyStatements.length)).toEqual(originalKeyStatements);
    // And the backups hold the originals, mode 0600, and the applied list names them
    const backups = await backupsIn(dir);
    expect(backups.map((b) => b.body.kind).sort()).toEqual(['key-policy', 'secret-policy']);
    for (const b of backups) expect(b.mode).toBe(0o600);
    const secretBackup = backups.find((b) => b.body.kind === 'secret-policy')!;
    expect(secretBackup.body).toMatchObject({ target: demo.secretArn, region: 'us-east-1', policy: originalSecretPolicy });
    expect(secretBackup.body.takenAt).toEqual(expect.any(String));
    expect(doc!.applied.map((a) => a.backup).sort()).toEqual(backups.map((b) => b.file).sort());

    // When restoring both from their backups
    const keyBackup = backups.find((b) => b.body.kind === 'key-policy')!;
    const restoreDir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const secretRestore = await runCli([
      'restore-policy',
      '--secret-id',
      demo.secretArn,
      '--from',
      secretBackup.file,
      '--yes',
      '--backup-dir',
      restoreDir,
      '--wait',
      '10',
    ]);
    const keyRestore = await runCli([
      'restore-policy',
      '--kms-key-id',
      demo.keyArn!,
      '--from',
      keyBackup.file,
      '--yes',
      '--backup-dir',
      restoreDir,
      '--wait',
      '10',
    ]);
    // Then the documents are back as they were, and what was there was backed up in turn
    expect(secretRestore.code).toBe(0);
    expect(keyRestore.code).toBe(0);
    expect(await secretPolicy(demo.secretArn)).toEqual(originalSecretPolicy);
    expect(await keyPolicy(demo.keyArn!)).toEqual(originalKeyPolicy);
    expect((await backupsIn(restoreDir)).map((b) => b.body.policy)).toEqual(expect.arrayContaining([fixedSecret, fixedKey]));
  });

  it('with no resource policy: creates one; the backup holds null; restoring deletes it again', async () => {
    const seeded = await seed('no-resource-policy');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const result = await runCli(FIX(seeded.secretArn, dir, '--yes'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('secret-policy: applied');
    expect(await secretPolicy(seeded.secretArn)).toMatchObject({ Statement: [{ Principal: { Service: 'ssm-incidents.amazonaws.com' } }] });
    const [backup] = await backupsIn(dir);
    expect(backup!.body.policy).toBeNull();
    const restore = await runCli(['restore-policy', '--secret-id', seeded.secretArn, '--from', backup!.file, '--yes', '--backup-dir', dir]);
    expect(restore.code).toBe(0);
    expect(await secretPolicy(seeded.secretArn)).toBeNull();
  });

  it('with a single Statement object: the object is kept first, unchanged', async () => {
    const seeded = await seed('no-resource-policy');
    const single = {
      Version: '2012-10-17',
      Statement: { Sid: 'Lambda', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' },
    };
    await (await session.secretsManager()).send(new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: JSON.stringify(single) }));
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const result = await runCli(FIX(seeded.secretArn, dir, '--yes', '--fixes', 'secret-policy'));
    expect(result.code).toBe(0);
    const after = (await secretPolicy(seeded.secretArn)) as { Statement: unknown[] };
    expect(after.Statement[0]).toEqual(single.Statement);
    expect(after.Statement).toHaveLength(2);
  });

  it('with a Deny on everyone: offers no fix, names the Deny, changes nothing', async () => {
    const seeded = await seed('deny-everyone');
    const before = await secretPolicy(seeded.secretArn);
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const result = await runCli(FIX(seeded.secretArn, dir, '--yes', '--no-color'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('"DenyAll" (#2)');
    expect(result.stdout).toContain('No fix to apply');
    expect(await secretPolicy(seeded.secretArn)).toEqual(before);
    expect(await readdir(dir)).toEqual([]);
  });

  it('--dry-run shows the plan and the diff and changes nothing, not even a backup', async () => {
    const seeded = await seed('policy-other-service');
    const before = await secretPolicy(seeded.secretArn);
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const result = await runCli(FIX(seeded.secretArn, dir, '--dry-run', '--no-color'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('+       "Sid": "AllowIncidentManagerToReadSecret"');
    expect(result.stdout).toContain('secret-policy: skipped. Dry run');
    expect(await secretPolicy(seeded.secretArn)).toEqual(before);
    expect(await readdir(dir)).toEqual([]);
  });

  it('restores a deleted secret only when restore-secret is named', async () => {
    const seeded = await seed('deleted-secret');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const unnamed = await runCli(FIX(seeded.secretArn, dir, '--yes', '--json'));
    const [first] = documents(unnamed.stdout) as (ReturnType<typeof documents>[number] & { applied: Record<string, unknown>[] })[];
    expect(first!.applied[0]).toMatchObject({ fix: 'restore-secret', status: 'skipped' });
    expect(String(first!.applied[0]!.message)).toContain('--fixes restore-secret');
    const named = await runCli(FIX(seeded.secretArn, dir, '--yes', '--json', '--fixes', 'restore-secret'));
    const [second] = documents(named.stdout) as (ReturnType<typeof documents>[number] & { applied: Record<string, unknown>[] })[];
    expect(second!.applied[0]).toMatchObject({ fix: 'restore-secret', status: 'applied', verified: true });
    // The undo deletes it again with the recovery window that was left (moto schedules 7 days out)
    expect(second!.applied[0]!.undo).toBe(`aws secretsmanager delete-secret --secret-id ${seeded.secretArn} --region us-east-1 --recovery-window-in-days 7`);
    // The plan, as the protocol's 'planned' event is worded, on stderr next to the JSON
    expect(named.stderr).toContain(`restore-secret: cancel the scheduled deletion of ${seeded.secretName} (DeletedDate `);
    const described = await (await session.secretsManager()).send(new DescribeSecretCommand({ SecretId: seeded.secretArn }));
    expect(described.DeletedDate).toBeUndefined();
    expect(finding(second!, 'secret-exists').status).toBe('pass');
  });

  it('restore-secret goes through the protocol against moto: plan, question, re-read, RestoreSecret, verification; its undo schedules the deletion again', async () => {
    const seeded = await seed('deleted-secret');
    const scheduled = (await (await session.secretsManager()).send(new DescribeSecretCommand({ SecretId: seeded.secretArn }))).DeletedDate!;
    const plan = await planFix(session, { symptom: 'incident-manager-secret', secretId: seeded.secretArn }, 'restore-secret', { includeCreator: false });
    if (!('request' in plan)) throw new Error(`no plan: ${plan.skip}`);
    const log: string[] = [];
    const result = await applyChange(
      plan.request,
      {
        event: (e) => log.push(e.type === 'planned' ? `planned ${e.proposal.before}` : e.type),
        confirm: async (proposal) => log.push(questionText(proposal)) > 0,
      },
      { backupDir: await mkdtemp(path.join(tmpdir(), 'sd-backups-')), dryRun: false, yes: false, waitMs: 5000 },
    );
    expect(log.slice(0, 6)).toEqual([
      `planned ${scheduled.toISOString()}`,
      `Restore ${seeded.secretName}? A deletion may have been deliberate.`,
      'rereading',
      'writing',
      'written',
      'verifying',
    ]);
    expect(log.at(-1)).toBe('verified');
    expect(result).toMatchObject({ fix: 'restore-secret', status: 'applied', verified: true });
    // When the undo runs (the call it prints), the secret is scheduled for deletion again, on about the same day
    const window = Number(/--recovery-window-in-days (\d+)$/.exec(result.undo!)![1]);
    await (await session.secretsManager()).send(new DeleteSecretCommand({ SecretId: seeded.secretArn, RecoveryWindowInDays: window }));
    const again = (await (await session.secretsManager()).send(new DescribeSecretCommand({ SecretId: seeded.secretArn }))).DeletedDate!;
    expect(Math.abs(again.getTime() - scheduled.getTime())).toBeLessThan(86_400_000);
  });
});

describe('usage', () => {
  it.each([
    [['fix', '--symptom', 'incident-manager-secret', '--secret-id', 'x'], '--yes'],
    [['fix', '--secret-id', 'x', '--yes'], '--symptom'],
    [['fix', '--symptom', 'incident-manager-secret', '--yes'], 'checks a secret: give --secret-id'],
    [['restore-policy', '--secret-id', 'x', '--yes'], '--from'],
    [['restore-policy', '--from', '/nonexistent/backup.json', '--secret-id', 'x', '--yes'], 'cannot be read'],
    [['restore-policy', '--from', '/etc/hostname', '--secret-id', 'x', '--yes'], 'not JSON'],
    [['fix', '--symptom', 'incident-manager-secret', '--secret-id', 'x', '--fixes', 'everything'], 'Unknown fix'],
  ])('%j exits 2 with one sentence', async (args, words) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(words);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('restore-policy refuses a backup of another secret', async () => {
    const [a, b] = await Promise.all([seed('healthy'), seed('healthy')]);
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const { writeBackup } = await import('../../source/fixes/backup.js');
    const file = await writeBackup(dir, 'secret-policy', a.secretArn, 'us-east-1', null);
    const result = await runCli(['restore-policy', '--secret-id', b.secretArn, '--from', file, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`is a backup of ${a.secretArn}`);
    expect(await secretPolicy(b.secretArn)).not.toBeNull();
  });
});

describe('the protocol guards (in-process)', () => {
  function io(onConfirm: () => Promise<void> = async () => {}): FixIo & { events: FixEvent[] } {
    const events: FixEvent[] = [];
    return {
      events,
      event: (e) => events.push(e),
      async confirm() {
        await onConfirm();
        return true;
      },
    };
  }

  async function request(seeded: Seeded, after: unknown, passes = async () => true): Promise<ChangeRequest> {
    const target = secretPolicyTarget(session, seeded.secretArn, 'us-east-1', seeded.secretName);
    return { fix: 'secret-policy', target, before: await target.read(), after: JSON.stringify(after), description: 'test change', passes };
  }

  const IM_ONLY = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm-incidents.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  };

  it('stops when the document changed between the plan and the write, with the backup kept', async () => {
    const seeded = await seed('policy-other-service');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const someoneElse = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Else', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    };
    // Given someone writes the policy while the user is being asked
    const change = await request(seeded, IM_ONLY);
    const result = await applyChange(
      change,
      io(async () => {
        await (await session.secretsManager()).send(new PutResourcePolicyCommand({ SecretId: seeded.secretArn, ResourcePolicy: JSON.stringify(someoneElse) }));
      }),
      { backupDir: dir, dryRun: false, yes: false, waitMs: 2000 },
    );
    // Then nothing is written over their change, and the backup exists
    expect(result.status).toBe('failed');
    expect(result.message).toContain('changed since it was read');
    expect(await secretPolicy(seeded.secretArn)).toEqual(someoneElse);
    expect(result.backup).toEqual(expect.stringContaining(dir));
  });

  it('reports a change someone made right after the write', async () => {
    const seeded = await seed('policy-other-service');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const change = await request(seeded, IM_ONLY);
    const realWrite = change.target.write.bind(change.target);
    change.target.write = async (text) => {
      await realWrite(text);
      await realWrite(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'Later', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
        }),
      );
    };
    const result = await applyChange(change, io(), { backupDir: dir, dryRun: false, yes: true, waitMs: 2000 });
    expect(result.status).toBe('applied');
    expect(result.verified).toBe(false);
    expect(result.message).toContain('someone else changed it meanwhile');
  });

  it('refuses to write a public policy, before any backup', async () => {
    const seeded = await seed('policy-other-service');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const open = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] };
    const result = await applyChange(await request(seeded, open), io(), { backupDir: dir, dryRun: false, yes: true, waitMs: 1000 });
    expect(result.status).toBe('failed');
    expect(result.message).toContain('public access');
    expect(await readdir(dir)).toEqual([]);
  });

  it('says when remote validation is not available (moto has no ValidateResourcePolicy) and goes on', async () => {
    const seeded = await seed('policy-other-service');
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const out = io();
    const result = await applyChange(await request(seeded, IM_ONLY), out, { backupDir: dir, dryRun: false, yes: true, waitMs: 2000 });
    expect(result.status).toBe('applied');
    expect(out.events.map(progressLine).join('\n')).toContain('Remote validation not available');
  });

  it('never overwrites a backup, even when many are taken at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backups-'));
    const { writeBackup } = await import('../../source/fixes/backup.js');
    const files = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writeBackup(dir, 'secret-policy', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf', 'us-east-1', JSON.stringify({ n: i })),
      ),
    );
    expect(new Set(files).size).toBe(20);
    const bodies = await backupsIn(dir);
    expect(bodies.map((b) => (b.body.policy as { n: number }).n).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a fix opened again on an unchanged document keeps its one backup; a changed document gets a new one (issue 14, item 9)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-backup-reuse-'));
    const { writeBackup } = await import('../../source/fixes/backup.js');
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf';
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    const first = await writeBackup(dir, 'secret-policy', arn, 'us-east-1', text);
    expect(await writeBackup(dir, 'secret-policy', arn, 'us-east-1', text)).toBe(first);
    // A different document, another target or another kind: a backup of its own
    const changed = await writeBackup(dir, 'secret-policy', arn, 'us-east-1', `${text} `);
    expect(changed).not.toBe(first);
    expect(await writeBackup(dir, 'secret-policy', arn, 'us-east-1', null)).not.toBe(first);
    expect(await writeBackup(dir, 'key-policy', arn, 'us-east-1', text)).not.toBe(first);
    expect((await backupsIn(dir)).length).toBe(4);
  });
});
