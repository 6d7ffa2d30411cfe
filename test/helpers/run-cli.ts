// Runs the CLI in-process: `run(argv, io)` from src/cli/run.ts with a fake Io that captures
// stdout and stderr as strings, takes stdin as text and an explicit env, and reads files from the
// real file system. Relative paths resolve against the repository root (not the jest cwd), so
// tests pass fixture paths as users type them and error messages stay stable.

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io, OutStream } from '../../src/cli/io.js';
import type { ReadDeps } from '../../src/cli/read-command.js';
import { run } from '../../src/cli/run.js';

/** The repository root (this file is test/helpers/run-cli.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The build the end-to-end tests run: dist/ (npm test builds it first), or the one PODRES_DIST
 * names (absolute, or relative to the repository), e.g. a private `node scripts/build.js --out-dir DIR`.
 */
export const BUILT = resolve(REPO_ROOT, process.env.PODRES_DIST ?? 'dist');

/** The tsc build's plugin executable, as kubectl finds it on PATH. */
export const BUILT_PLUGIN = join(BUILT, 'cmd', 'kubectl-podres.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCliOptions {
  /** Text (or bytes) read by `-f -` (an Error: reading stdin fails with it); by default stdin is empty. */
  readonly stdin?: string | Uint8Array | Error;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the file reader (default: the real file system under REPO_ROOT). */
  readonly readFile?: (path: string) => Promise<string>;
  /** Replaces the stdout writer, e.g. to inject a failure. */
  readonly writeStdout?: (chunk: string) => void;
  /** stdout is a terminal this many columns wide (default: not a terminal, like a pipe). */
  readonly ttyColumns?: number;
  /** stderr is a terminal (default: not, like a pipe) */
  readonly stderrTty?: boolean;
  /** the read commands' clock, sleep and timers */
  readonly deps?: ReadDeps;
}

class Capture implements OutStream {
  text = '';
  readonly isTTY: boolean;
  readonly columns: number | undefined;
  constructor(
    private readonly hook?: (chunk: string) => void,
    ttyColumns?: number,
  ) {
    this.isTTY = ttyColumns !== undefined;
    this.columns = ttyColumns;
  }
  write(chunk: string): boolean {
    this.hook?.(chunk);
    this.text += chunk;
    return true;
  }
}

export function fixture(name: string): string {
  return `test/fixtures/scenarios/${name}`;
}

export async function runCli(argv: readonly string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const stdout = new Capture(opts.writeStdout, opts.ttyColumns);
  const stderr = new Capture(undefined, opts.stderrTty === true ? 80 : undefined);
  const io: Io = {
    stdout,
    stderr,
    env: opts.env ?? { NO_COLOR: '1' },
    readStdin: () =>
      opts.stdin instanceof Error
        ? Promise.reject(opts.stdin)
        : Promise.resolve(
            typeof opts.stdin === 'string' ? opts.stdin : Buffer.from(opts.stdin ?? '').toString('utf8'),
          ),
    readFile: opts.readFile ?? ((path) => readFile(resolve(REPO_ROOT, path), 'utf8')),
    writeFile: async (path, text) => {
      await mkdir(dirname(resolve(REPO_ROOT, path)), { recursive: true });
      await writeFile(resolve(REPO_ROOT, path), text, 'utf8');
    },
    readStdinBytes: () =>
      opts.stdin instanceof Error
        ? Promise.reject(opts.stdin)
        : Promise.resolve(
            typeof opts.stdin === 'string' || opts.stdin === undefined
              ? Buffer.from(opts.stdin ?? '')
              : opts.stdin,
          ),
    readFileBytes: (path) => readFile(resolve(REPO_ROOT, path)),
    writeFileBytes: (path, data) => writeFile(resolve(REPO_ROOT, path), data),
    rename: (from, to) => rename(resolve(REPO_ROOT, from), resolve(REPO_ROOT, to)),
    removeFile: (path) => rm(resolve(REPO_ROOT, path), { force: true }),
  };
  const code = await run(argv, io, opts.deps);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The lines of a captured stream, without the final newline's empty tail. */
export function linesOf(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** The `warning: ` lines a run wrote to stderr. */
export function warningsOf(r: CliResult): string[] {
  return linesOf(r.stderr).filter((l) => l.startsWith('warning: '));
}
