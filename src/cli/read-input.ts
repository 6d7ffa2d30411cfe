// Reads a named input file (or stdin for "-") and turns read failures (file system or stdin) into
// input errors.

import { InputError } from '../errors.js';
import type { Io } from './io.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

function readError(path: string, what: string, e: unknown): InputError {
  const code = (e as { code?: string }).code ?? '';
  return new InputError(
    `cannot read ${what} "${path}": ${REASONS[code] ?? (e instanceof Error ? e.message : String(e))}`,
    { cause: e },
  );
}

export async function readInput(io: Io, path: string, what: string): Promise<string> {
  try {
    return await (path === '-' ? io.readStdin() : io.readFile(path));
  } catch (e) {
    throw readError(path, what, e);
  }
}

/** As readInput, as bytes (gzip-compressed input such as a snapshot). */
export async function readInputBytes(io: Io, path: string, what: string): Promise<Uint8Array> {
  try {
    return await (path === '-' ? io.readStdinBytes() : io.readFileBytes(path));
  } catch (e) {
    throw readError(path, what, e);
  }
}
