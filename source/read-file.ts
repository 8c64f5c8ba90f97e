/**
 * Reading a file a person names on the command line (a backup, an expected document): a regular file
 * only, read with a limit. Opened without blocking, so a FIFO with no writer cannot hang the run; fstat then
 * refuses anything that is not a regular file (/dev/zero would otherwise be read until memory runs out).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** The largest file read: far above any policy (131,072 characters at most) or backup. */
export const MAX_FILE_BYTES = 1_048_576;

/** Why a file could not be read, as one sentence. */
export class FileReadError extends Error {
  override name = 'FileReadError';
}

export async function readRegularFile(file: string, maxBytes = MAX_FILE_BYTES): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw new FileReadError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileReadError(`${file} is not a regular file.`);
    if (info.size > maxBytes) throw new FileReadError(`${file} is ${info.size} bytes: too large (the limit is ${maxBytes}).`);
    // At most one byte past the limit, whatever the size said: a file may grow while it is read.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new FileReadError(`${file} is over ${maxBytes} bytes: too large.`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  } finally {
    await handle.close();
  }
}
