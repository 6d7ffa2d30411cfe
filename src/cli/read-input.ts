// Reads a named input file (or stdin for "-") and turns read failures (file system or stdin) into
// input errors.

import { InputError } from '../errors.js';
import type { Io } from './io.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

export async function readInput(io: Io, path: string, what: string): Promise<string> {
  try {
    return await (path === '-' ? io.readStdin() : io.readFile(path));
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    throw new InputError(
      `cannot read ${what} "${path}": ${REASONS[code] ?? (e instanceof Error ? e.message : String(e))}`,
      {
        cause: e,
      },
    );
  }
}
