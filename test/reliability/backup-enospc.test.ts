/**
 * A backup is written whole or not at all, on any machine: the disk filling up mid-write is simulated here
 * (special-files.test.ts uses a real full tmpfs where the machine allows a mount). Before, a full disk
 * left a 0-byte or truncated backup under the final name.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const failing = vi.hoisted(() => ({ on: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    if (failing.on) {
      // Half the text reaches the disk, then the disk is full.
      handle.writeFile = async (data: unknown) => {
        await handle.write(String(data).slice(0, String(data).length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
    }
    return handle;
  };
  return { ...real, default: { ...real, open }, open };
});

const { writeBackup } = await import('../../source/fixes/backup.js');

describe('a full disk during the backup', () => {
  it('fails with ENOSPC and leaves nothing behind: no empty, truncated or temporary file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sd-enospc-'));
    failing.on = true;
    try {
      await expect(
        writeBackup(dir, 'secret-policy', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf', 'us-east-1', '{"Statement":[]}'),
      ).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      failing.on = false;
    }
    expect(await readdir(dir)).toEqual([]);
  });
});
