// The node's file system as `collect` reads it: a small interface, so that tests can run the
// readers on a temp directory and inject failures (EACCES, EIO) that a root test process cannot
// provoke with permissions. The live implementation is node:fs/promises.

import { readdir, readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface DirEntry {
  readonly name: string;
  /** the entry itself (a symlink is 'symlink', not followed) */
  readonly kind: EntryKind;
}

export interface HostFs {
  /** UTF-8 text; rejects with the Node error (code ENOENT, EACCES, …). */
  readFile(path: string): Promise<string>;
  /** Entries of a directory, unsorted; rejects with the Node error. */
  readDir(path: string): Promise<DirEntry[]>;
  /** What the path is, following symlinks; rejects with the Node error (ENOENT when absent). */
  kindOf(path: string): Promise<EntryKind>;
}

/** Files read at the same time at most: a 256-CPU sysfs is thousands of files (EMFILE). */
const MAX_OPEN = 64;

/** Runs `task` when fewer than MAX_OPEN others run. */
function limited(): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= MAX_OPEN) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const slot = limited();

export const liveHostFs: HostFs = {
  readFile: (path) => slot(() => readFile(path, 'utf8')),
  readDir: (path) =>
    slot(async () =>
      (await readdir(path, { withFileTypes: true })).map((d) => ({
        name: d.name,
        kind: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symlink' : 'other',
      })),
    ),
  kindOf: (path) =>
    slot(async () => {
      const s = await stat(path);
      return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
    }),
};

/** `<root><path>` without doubled slashes: hostPath('/', '/var/lib/kubelet') = '/var/lib/kubelet'. */
export function hostPath(root: string, ...parts: string[]): string {
  return posix.join(root, ...parts);
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  ENODEV: 'no such device',
};

/** The code of a Node file system error, or ''. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** The reason of a file system error in the usual lower-case words ("no such file or directory"). */
export function describeFsError(e: unknown): string {
  const reason = REASONS[errorCode(e)];
  if (reason !== undefined) return reason;
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.replace(/\s+/g, ' ').trim();
  return line.charAt(0).toLowerCase() + line.slice(1);
}

/** readFile, or null when the file does not exist (other errors reject). */
export async function readOptional(fs: HostFs, path: string): Promise<string | null> {
  try {
    return await fs.readFile(path);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  }
}
