// The real process environment for run(argv, io), and the one place that turns a command's
// result into the process exit status (shared by the executables in cmd/). It does not import
// the program itself: the npm launcher must stay small.

import type { Io } from '../src/cli/io.js';

async function readStdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString('utf8');
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin,
    // imported when a command reads a file, not on every start
    readFile: async (path) => (await import('node:fs/promises')).readFile(path, 'utf8'),
    writeFile: async (path, text) => {
      const [fs, path_] = await Promise.all([import('node:fs/promises'), import('node:path')]);
      await fs.mkdir(path_.dirname(path), { recursive: true });
      await fs.writeFile(path, text, 'utf8');
    },
    readStdinBytes,
    readFileBytes: async (path) => (await import('node:fs/promises')).readFile(path),
    writeFileBytes: async (path, data) => (await import('node:fs/promises')).writeFile(path, data),
    rename: async (from, to) => (await import('node:fs/promises')).rename(from, to),
    removeFile: async (path) => (await import('node:fs/promises')).rm(path, { force: true }),
  };
}

/**
 * Sets the exit status when `result` settles: process.exitCode, so pending stdout writes finish.
 * Callers use no top-level await (the single-executable build is CommonJS).
 */
export function exitWith(result: Promise<number>): void {
  result.then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // run() maps every error itself; this is a last resort
      process.stderr.write(
        `error: internal: ${String(e)}; this is a bug in kubectl podres, please report it\n`,
      );
      process.exitCode = 3;
    },
  );
}
