/**
 * Backups of documents before they change: a JSON file, mode 0600, never overwriting another, holding
 * `{kind, target, region, takenAt, policy}` (policy null when there was none).
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { documentValue, type DocumentKind } from './document.js';

export interface Backup {
  kind: DocumentKind;
  target: string;
  region: string;
  takenAt: string;
  /** The document as JSON (or its text where it was not JSON), or null when there was none. */
  policy: unknown;
}

/** The user's state directory: XDG_STATE_HOME (or ~/.local/state), ~/Library/Application Support, %LOCALAPPDATA%. */
export function defaultBackupDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  const base =
    platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
        : (env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'));
  return path.join(base, 'secrets-doctor', 'backups');
}

function fileName(kind: DocumentKind, target: string, takenAt: string, n: number): string {
  const name = target.split(/[:/]/).filter(Boolean).slice(-1)[0] ?? 'target';
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  const stamp = takenAt.replace(/[:.]/g, '-');
  return `${kind}-${safe}-${stamp}${n ? `-${n}` : ''}.json`;
}

/** Writes the backup and returns its path. Exclusive create: an existing file is never overwritten. */
export async function writeBackup(dir: string, kind: DocumentKind, target: string, region: string, text: string | null): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const takenAt = new Date().toISOString();
  const backup: Backup = { kind, target, region, takenAt, policy: documentValue(text) };
  const body = `${JSON.stringify(backup, null, 2)}\n`;
  for (let n = 0; ; n++) {
    const file = path.join(dir, fileName(kind, target, takenAt, n));
    let handle;
    try {
      handle = await open(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && n < 1000) continue;
      throw error;
    }
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return file;
  }
}

export class BackupError extends Error {
  override name = 'BackupError';
}

const MAX_BACKUP_BYTES = 1_048_576;

/** Reads and checks a backup file; every problem is a BackupError with one sentence. */
export async function readBackup(file: string): Promise<Backup> {
  let text: string;
  try {
    const buffer = await readFile(file);
    if (buffer.length > MAX_BACKUP_BYTES) throw new BackupError(`${file} is ${buffer.length} bytes: too large to be a secrets-doctor backup.`);
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BackupError(`${file} is not JSON: it is not a secrets-doctor backup.`);
  }
  const b = value as Partial<Backup> | null;
  if (
    typeof b !== 'object' ||
    b === null ||
    (b.kind !== 'secret-policy' && b.kind !== 'key-policy') ||
    typeof b.target !== 'string' ||
    typeof b.region !== 'string' ||
    typeof b.takenAt !== 'string' ||
    !('policy' in b)
  ) {
    throw new BackupError(`${file} is not a secrets-doctor backup (it needs kind, target, region, takenAt and policy).`);
  }
  if (b.kind === 'key-policy' && b.policy === null) throw new BackupError(`${file} holds no key policy: a KMS key always has one.`);
  return b as Backup;
}

/** The backup's document as the text to write, or null (no policy). */
export function backupText(backup: Backup): string | null {
  if (backup.policy === null) return null;
  return typeof backup.policy === 'string' ? backup.policy : JSON.stringify(backup.policy, null, 2);
}
