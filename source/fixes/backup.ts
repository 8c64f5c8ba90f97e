/**
 * Backups of documents before they change: a JSON file, mode 0600, never overwriting another, holding
 * `{kind, target, region, takenAt, policy, policyText}`: `policyText` is the document exactly as AWS
 * returned it (null when there was none), what restore-policy writes back; `policy` is the same parsed,
 * for people and for backups written before policyText existed. A backup is written whole or not at all.
 */
import { constants } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { documentValue, type DocumentKind } from './document.js';
import { FileReadError, MAX_FILE_BYTES, readRegularFile } from '../read-file.js';

export interface Backup {
  kind: DocumentKind;
  target: string;
  region: string;
  takenAt: string;
  /** The document as JSON (or its text where it was not JSON), or null when there was none. */
  policy: unknown;
  /** The document exactly as read, or null when there was none; absent in backups of earlier versions. */
  policyText?: string | null;
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

/** Kernel file systems hold no backups, and Node 20's recursive mkdir spins forever under /proc. */
const KERNEL_FS = /^\/(proc|sys)(\/|$)/;

/**
 * Creates the folder and its missing parents one level at a time (mode 0700), never with
 * `{recursive: true}`, which on Node 20 loops forever on some paths under /proc.
 */
export async function ensureDir(dir: string): Promise<void> {
  const absolute = path.resolve(dir);
  if (process.platform === 'linux' && KERNEL_FS.test(absolute)) {
    throw new Error(`${absolute} is on a kernel file system, not a place for files; choose another --backup-dir`);
  }
  const missing: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    try {
      if (!(await stat(at)).isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) throw error;
      missing.unshift(at);
    }
  }
  for (const level of missing) {
    await mkdir(level, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/**
 * Gives the written temporary file its name without replacing a file of that name: a hard link where the
 * file system has them, else the name reserved by an exclusive create and then renamed over.
 */
async function linkOrReserve(temporary: string, file: string): Promise<void> {
  try {
    await link(temporary, file);
  } catch (error) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await (await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)).close();
    await rename(temporary, file);
  }
}

/**
 * Writes the backup and returns its path. Whole or not at all: the text goes to a temporary file in the
 * same folder, is flushed to disk, and is then linked to its name, which fails rather than overwrite
 * another backup; on any error (a full disk, say) the temporary file is removed and nothing is left.
 */
/** Earlier backups looked at for one of the same document, newest first. */
const REUSE_LOOKBACK = 20;

/**
 * The newest backup in `dir` of the same target holding exactly this text: a fix opened again on an unchanged
 * document (the wizard's Esc and back) keeps one backup rather than one per opening.
 */
async function sameBackup(dir: string, kind: DocumentKind, target: string, region: string, text: string | null): Promise<string | undefined> {
  const prefix = fileName(kind, target, '', 0).replace(/-\.json$/, '-');
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => n.startsWith(prefix) && n.endsWith('.json'))
    .sort()
    .reverse();
  for (const name of names.slice(0, REUSE_LOOKBACK)) {
    const file = path.join(dir, name);
    const backup = await readBackup(file).catch(() => undefined);
    if (backup && backup.kind === kind && backup.target === target && backup.region === region && backup.policyText !== undefined && backup.policyText === text)
      return file;
  }
  return undefined;
}

export async function writeBackup(dir: string, kind: DocumentKind, target: string, region: string, text: string | null): Promise<string> {
  await ensureDir(dir);
  const earlier = await sameBackup(dir, kind, target, region, text);
  if (earlier) return earlier;
  const takenAt = new Date().toISOString();
  const backup: Backup = { kind, target, region, takenAt, policy: documentValue(text), policyText: text };
  const body = `${JSON.stringify(backup, null, 2)}\n`;
  const temporary = path.join(dir, `.${fileName(kind, target, takenAt, 0)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let n = 0; ; n++) {
      const file = path.join(dir, fileName(kind, target, takenAt, n));
      try {
        await linkOrReserve(temporary, file);
        return file;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' && n < 1000) continue;
        throw error;
      }
    }
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

export class BackupError extends Error {
  override name = 'BackupError';
}

const MAX_BACKUP_BYTES = MAX_FILE_BYTES;

/** Reads and checks a backup file; every problem is a BackupError with one sentence. */
export async function readBackup(file: string): Promise<Backup> {
  let text: string;
  try {
    text = await readRegularFile(file, MAX_BACKUP_BYTES);
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    // The same sentences, said of a backup.
    throw new BackupError(
      error.message
        .replace(/is not a regular file\.$/, 'is not a regular file: give the path of a backup that secrets-doctor wrote.')
        .replace(/: too large.*$/, ': too large to be a secrets-doctor backup.'),
    );
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
  if ('policyText' in b) checkPolicyText(file, b.policyText, b.policy);
  return b as Backup;
}

/** policyText is what gets written back: it must be JSON, and the document that `policy` shows. */
function checkPolicyText(file: string, text: unknown, policy: unknown): void {
  if (text === null && policy === null) return;
  if (typeof text !== 'string') throw new BackupError(`${file} is not a secrets-doctor backup (its policyText is neither text nor null).`);
  try {
    JSON.parse(text);
  } catch {
    throw new BackupError(`${file} holds a policyText that is not JSON: AWS would not accept it, so it is not restored.`);
  }
  if (!isDeepStrictEqual(documentValue(text), policy)) {
    throw new BackupError(`${file} has been edited: its policyText and policy differ, so it is not restored.`);
  }
}

/** The backup's document as the text to write, or null (no policy). */
export function backupText(backup: Backup): string | null {
  // The text exactly as read: duplicate keys and long numbers come back as they were.
  if (backup.policyText !== undefined) return backup.policyText;
  if (backup.policy === null) return null;
  return typeof backup.policy === 'string' ? backup.policy : JSON.stringify(backup.policy, null, 2);
}
