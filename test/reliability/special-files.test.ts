/**
 * Special files (SPEC.md, Version 2, "Hostile input and malformed answers"): `restore-policy --from
 * /dev/zero` once read until 4 GB of memory and a FIFO blocked forever; `--backup-dir` under /proc spun
 * forever (Node 20's recursive mkdir); a full disk left a 0-byte or truncated backup. Now --from takes a
 * regular file of at most 1 MiB, exit 2 with one sentence otherwise; the backup folder is made one level
 * at a time and kernel file systems are refused; a backup is written whole or not at all. The full disk is
 * a real one where this machine lets the test mount a small tmpfs (as root), and is simulated as well.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { seedScenario } from '../../source/demo/seed.js';
import { writeBackup, readBackup } from '../../source/fixes/backup.js';
import { runCli, documents } from '../helpers/cli.js';
import { newSession } from '../helpers/moto.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf';

async function restoreFrom(file: string) {
  return runCli(['restore-policy', '--secret-id', 's', '--from', file, '--yes']);
}

describe('restore-policy --from takes regular files only, at most 1 MiB', () => {
  it('/dev/zero: exit 2 at once, one sentence, no read', async () => {
    const result = await restoreFrom('/dev/zero');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/dev/zero is not a regular file');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a FIFO with no writer: exit 2 at once instead of waiting forever', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-special-'));
    const fifo = path.join(dir, 'backup.json');
    execFileSync('mkfifo', [fifo]);
    const result = await restoreFrom(fifo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a regular file');
  });

  it('a folder: exit 2, not a regular file', async () => {
    const result = await restoreFrom(await mkdtemp(path.join(tmpdir(), 'sd-special-')));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a regular file');
  });

  it('a 2 MiB file is refused from its size, without reading it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-special-'));
    const file = path.join(dir, 'big.json');
    await writeFile(file, Buffer.alloc(2 * 1_048_576, 0x20));
    await expect(readBackup(file)).rejects.toThrow(/2097152 bytes: too large/);
  });
});

describe('--expect FILE takes regular files only, too', () => {
  it.each(['/dev/zero', 'fifo'])('%s: exit 2 at once, one sentence', async (which) => {
    let file = which;
    if (which === 'fifo') {
      file = path.join(await mkdtemp(path.join(tmpdir(), 'sd-special-')), 'expected.json');
      execFileSync('mkfifo', [file]);
    }
    const result = await runCli(['diagnose', '--symptom', 'changes-not-visible', '--secret-id', 's', '--changed', 'resource-policy', '--expect', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a regular file');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--backup-dir', () => {
  it.each(['/proc/self/sd-backups', '/proc/1/sd/backups', '/sys/sd-backups'])('%s is refused at once (recursive mkdir spins there on Node 20)', async (dir) => {
    await expect(writeBackup(dir, 'secret-policy', ARN, 'us-east-1', '{}')).rejects.toThrow(/kernel file system/);
  });

  it('fix --backup-dir /proc/self/...: the fix fails at the backup, before anything changes', async () => {
    const session = newSession();
    const seeded = await seedScenario(session, 'policy-other-service');
    const read = async () => (await (await session.secretsManager()).send(new GetResourcePolicyCommand({ SecretId: seeded.secretArn }))).ResourcePolicy;
    const before = await read();
    const result = await runCli([
      'fix',
      '--symptom',
      'incident-manager-secret',
      '--secret-id',
      seeded.secretArn,
      '--fixes',
      'secret-policy',
      '--yes',
      '--json',
      '--backup-dir',
      '/proc/self/sd-backups',
    ]);
    const [doc] = documents(result.stdout) as unknown as { applied: { status: string; message: string }[] }[];
    expect(doc!.applied[0]).toMatchObject({ status: 'failed' });
    expect(doc!.applied[0]!.message).toContain('kernel file system');
    expect(await read()).toBe(before);
  });

  it('missing levels are made one by one, each 0700; the backup is 0600', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'sd-special-'));
    const dir = path.join(base, 'a', 'b', 'c');
    const file = await writeBackup(dir, 'secret-policy', ARN, 'us-east-1', '{"Statement":[]}');
    for (const level of [path.join(base, 'a'), path.join(base, 'a', 'b'), dir]) expect((await stat(level)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([path.basename(file)]);
  });

  it('a file where a folder should be: refused with ENOTDIR, nothing created', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'sd-special-'));
    await writeFile(path.join(base, 'a'), 'x');
    await expect(writeBackup(path.join(base, 'a', 'b'), 'secret-policy', ARN, 'us-east-1', '{}')).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

/** A 64 KiB tmpfs, where this machine allows it (root, mount permitted); undefined otherwise. */
async function smallDisk(): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'sd-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
}

const disk = await smallDisk();

afterAll(async () => {
  if (!disk) return;
  execFileSync('umount', [disk]);
  await rm(disk, { recursive: true, force: true });
});

describe('a backup is written whole or not at all', () => {
  it.skipIf(!disk)('on a full disk (a 64 KiB tmpfs): the write fails with ENOSPC and leaves no file, not even an empty one', async () => {
    const dir = path.join(disk!, 'backups');
    await mkdir(dir);
    // Leave less room than the backup needs.
    await writeFile(path.join(disk!, 'filler'), Buffer.alloc(48 * 1024));
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'x'.repeat(40_000), Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
    });
    await expect(writeBackup(dir, 'secret-policy', ARN, 'us-east-1', text)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readdir(dir)).toEqual([]);
  });
});
