// The fast paths (src/cli/fast-path.ts) answer `version`, `completion SHELL` and `__complete`
// without yargs. yargs stays the authority: every command line a fast path takes must mean the
// same to yargs, and everything else must be left to yargs. This test runs each command line
// twice, through run() as it is and through run() with the fast paths switched off (the module
// mocked), and compares what the user sees. Both runs use a freshly loaded module graph, so the
// error classes of a run are those of its own graph.

import { jest } from '@jest/globals';
import type { Io } from '../../../src/cli/io.js';
import { matchFastPath } from '../../../src/cli/fast-path.js';

/** run() from a fresh module graph, with or without the fast paths. */
async function freshRun(argv: readonly string[], fastPaths: boolean) {
  jest.resetModules();
  if (!fastPaths) {
    jest.unstable_mockModule('../../../src/cli/fast-path.js', () => ({
      runFastPath: () => undefined,
      matchFastPath: () => undefined,
      COMPLETE_COMMAND: '__complete',
    }));
  }
  const { run } = await import('../../../src/cli/run.js');
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { NO_COLOR: '1' },
    readStdin: () => Promise.resolve(''),
    readFile: () => Promise.reject(new Error('no files here')),
    writeFile: () => Promise.reject(new Error('no files here')),
    readStdinBytes: () => Promise.resolve(new Uint8Array()),
    readFileBytes: () => Promise.reject(new Error('no files here')),
    writeFileBytes: () => Promise.reject(new Error('no files here')),
    rename: () => Promise.reject(new Error('no files here')),
    removeFile: () => Promise.reject(new Error('no files here')),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

const TAKEN: readonly (readonly string[])[] = [
  ['version'],
  ['version', '-o', 'json'],
  ['version', '--output', 'json'],
  ['version', '--output=json'],
  ['version', '-ojson'],
  ['version', '-o=json'],
  ['--debug', 'version'],
  ['version', '--no-color', '-o', 'json', '--no-headers'],
  ['completion', 'bash'],
  ['completion', 'zsh'],
  ['--no-color', 'completion', 'fish'],
  ['completion', 'powershell', '--debug'],
];

const LEFT_TO_YARGS: readonly (readonly string[])[] = [
  ['version', '-o', 'yaml'],
  ['version', '-o', 'table'],
  ['version', '-o'],
  ['version', '-o', '--debug', 'json'],
  ['version', '-o', 'json', '-o', 'json'],
  ['version', '--debug', '--debug'],
  ['version', 'extra'],
  ['version', '--help'],
  ['version', '-h'],
  ['version', '--foo'],
  ['completion'],
  ['completion', 'tcsh'],
  ['completion', 'bash', 'zsh'],
  ['completion', '--help'],
  ['--version'],
  ['simulate', '-f', 'x.yaml'],
  [],
];

describe('matchFastPath', () => {
  it.each(TAKEN.map((a) => [a]))('takes %j', (argv) => {
    expect(matchFastPath(argv)).toBeDefined();
  });
  it.each(LEFT_TO_YARGS.map((a) => [a]))('leaves %j to yargs', (argv) => {
    expect(matchFastPath(argv)).toBeUndefined();
  });
});

describe('a fast path means what yargs means', () => {
  afterEach(() => {
    jest.resetModules();
  });
  it.each([...TAKEN, ...LEFT_TO_YARGS.filter((a) => a[0] !== 'simulate')].map((a) => [a]))(
    '%j',
    async (argv) => {
      // the first stderr line: --debug adds stack traces, which differ in their line numbers
      const seen = ({ code, stdout, stderr }: { code: number; stdout: string; stderr: string }) => ({
        code,
        stdout,
        stderr: stderr.split('\n', 1)[0],
      });
      expect(seen(await freshRun(argv, true))).toEqual(seen(await freshRun(argv, false)));
    },
  );
});
