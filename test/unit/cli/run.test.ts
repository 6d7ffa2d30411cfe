// The CLI contract of run(argv, io) (cli.md §1-§4, §5.1): exit codes, the one-line error shape on
// stderr with an empty stdout, --debug cause chains, stdin, the output formats and --help.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, fixture, linesOf, runCli } from '../../helpers/run-cli.js';
import type { CliResult } from '../../helpers/run-cli.js';

const DB = fixture('pod-level-db.yaml');
const TWO = fixture('two-scenarios.yaml');
const REJECTED = fixture('rejected.yaml');
const BAD_QUANTITY = fixture('invalid-quantity.yaml');
const UNKNOWN_FIELD = fixture('unknown-field.yaml');

const fixtureText = (name: string) => readFileSync(join(REPO_ROOT, fixture(name)), 'utf8');

/** cli.md §3 rule 1 and §4: exit 2, nothing on stdout, exactly one `error: …` line, no stack. */
function expectUsageError(r: CliResult): string {
  expect(r).toMatchObject({ code: 2, stdout: '' });
  const lines = linesOf(r.stderr);
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  expect(line).toMatch(/^error: \S/);
  expect(line).not.toMatch(/\.$/);
  expect(r.stderr).toMatch(/\n$/);
  return line;
}

describe('simulate succeeds', () => {
  it('exits 0 with the table on stdout and nothing on stderr', async () => {
    const r = await runCli(['simulate', '-f', DB]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^SCENARIO pod-level-db {2}node worker-1 /);
    expect(r.stdout).toContain('db/db-0: admitted  numa 0  pod pool 1-4,33-36  pod shared pool 4,36\n');
  });

  it('exits 0 when a pod is rejected: a rejection is a result, not an error', async () => {
    const r = await runCli(['simulate', '-f', REJECTED, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      pods: [
        { name: 'odd', admitted: false, reason: 'SMTAlignmentError' },
        { name: 'even', admitted: true },
      ],
    });
  });
});

describe('usage and input errors: exit 2, one stderr line, empty stdout', () => {
  it.each([
    ['an unknown flag', ['simulate', '--foo', '-f', DB], 'error: unknown flag "--foo" for "simulate"'],
    ['an unknown short flag', ['simulate', '-x', '-f', DB], 'error: unknown flag "-x" for "simulate"'],
    [
      'an unknown flag before the command',
      ['--foo', 'simulate', '-f', DB],
      'error: unknown flag "--foo" for "simulate"',
    ],
    [
      'a read-command flag, which simulate rejects',
      ['simulate', '-f', DB, '--snapshot', 'snap.json'],
      'error: unknown flag "--snapshot" for "simulate"',
    ],
    ['an unknown command', ['frobnicate'], 'error: unknown command "frobnicate" for "kubectl podres"'],
    ['a flag without a command', ['-o', 'json'], 'error: unknown flag "-o" for "kubectl podres"'],
    [
      'an extra argument',
      ['simulate', '-f', DB, 'extra'],
      'error: unexpected argument "extra" for "simulate"',
    ],
    [
      'a bad -o value',
      ['simulate', '-f', DB, '-o', 'xml'],
      'error: invalid value "xml" for --output: expected one of table, wide, json, yaml',
    ],
    ['a missing file', ['simulate', '-f', 'x'], 'error: cannot read scenario "x": no such file or directory'],
    [
      'a directory',
      ['simulate', '-f', 'test/fixtures/scenarios'],
      'error: cannot read scenario "test/fixtures/scenarios": is a directory',
    ],
  ])('%s', async (_name, argv, message) => {
    expect(expectUsageError(await runCli(argv))).toBe(message);
  });

  it('no command', async () => {
    expect(expectUsageError(await runCli([]))).toMatch(/^error: missing command/);
  });

  it('missing -f', async () => {
    expect(expectUsageError(await runCli(['simulate']))).toMatch(/^error: simulate: missing .*--filename/);
  });

  it('-f without a file name', async () => {
    expect(expectUsageError(await runCli(['simulate', '-f', '']))).toMatch(/^error: simulate: .*-f/);
  });

  it('an invalid quantity names the file, the document and the field path', async () => {
    // doc 1 is valid: nothing of it may reach stdout before doc 2 fails
    const line = expectUsageError(await runCli(['simulate', '-f', BAD_QUANTITY]));
    expect(line).toMatch(
      /^error: test\/fixtures\/scenarios\/invalid-quantity\.yaml doc 2 pods\[0\]\.spec\.containers\[0\]\.resources\.limits\.cpu: /,
    );
    expect(line).toContain('"2x"');
  });

  it('an unknown field names the file, the document and the field path', async () => {
    const line = expectUsageError(await runCli(['simulate', '-f', UNKNOWN_FIELD]));
    expect(line).toMatch(
      /^error: test\/fixtures\/scenarios\/unknown-field\.yaml doc 1 node\.topology\.generate\.threads: unknown field/,
    );
  });

  it('a bad file after a good one: still nothing on stdout', async () => {
    const line = expectUsageError(await runCli(['simulate', '-f', DB, '-f', 'missing.yaml', '-o', 'json']));
    expect(line).toBe('error: cannot read scenario "missing.yaml": no such file or directory');
  });

  it('unparsable YAML on stdin is named <stdin>', async () => {
    const line = expectUsageError(await runCli(['simulate', '-f', '-'], { stdin: 'a: [1,\n' }));
    expect(line).toMatch(/^error: <stdin> doc 1 .*invalid YAML/);
  });

  it('an empty stdin has no scenario', async () => {
    expect(expectUsageError(await runCli(['simulate', '-f', '-'], { stdin: '' }))).toBe(
      'error: <stdin>: no scenario documents found',
    );
  });

  it('a stdin that cannot be read is an input error', async () => {
    const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    expect(expectUsageError(await runCli(['simulate', '-f', '-'], { stdin: eio }))).toBe(
      'error: cannot read scenario "-": EIO: i/o error, read',
    );
  });
});

describe('--debug', () => {
  it('keeps the first line and adds the cause chain on further lines', async () => {
    const plain = await runCli(['simulate', '-f', 'x']);
    const debug = await runCli(['simulate', '-f', 'x', '--debug']);
    expect(debug).toMatchObject({ code: 2, stdout: '' });
    const lines = linesOf(debug.stderr);
    expect(lines[0]).toBe(linesOf(plain.stderr)[0]);
    expect(lines.length).toBeGreaterThan(1);
    expect(debug.stderr).toMatch(/\ncaused by: .*ENOENT/);
  });

  it('without --debug there is no stack trace', async () => {
    const r = await runCli(['simulate', '-f', 'x']);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('caused by');
  });
});

describe('-f - reads stdin', () => {
  it('gives the same output as the file', async () => {
    const fromFile = await runCli(['simulate', '-f', TWO, '-o', 'json']);
    const fromStdin = await runCli(['simulate', '-f', '-', '-o', 'json'], {
      stdin: fixtureText('two-scenarios.yaml'),
    });
    expect(fromStdin).toEqual({ code: 0, stdout: fromFile.stdout, stderr: '' });
  });
});

describe('output formats', () => {
  it('-o json of one scenario is one object', async () => {
    const r = await runCli(['simulate', '-f', DB, '-o', 'json']);
    expect(r.code).toBe(0);
    const doc: unknown = JSON.parse(r.stdout);
    expect(Array.isArray(doc)).toBe(false);
    expect(doc).toMatchObject({ scenario: 'pod-level-db', node: 'worker-1', kubeletVersion: '1.36' });
    // 2-space indentation, one final newline
    expect(r.stdout).toMatch(/^\{\n {2}"scenario": /);
    expect(r.stdout).toMatch(/\}\n$/);
  });

  it('-o json of a multi-document file is an array in document order', async () => {
    const r = await runCli(['simulate', '-f', TWO, '-o', 'json']);
    const docs = JSON.parse(r.stdout) as { scenario: string | null; node: string }[];
    expect(docs.map((d) => [d.scenario, d.node])).toEqual([
      ['classic-guaranteed', 'small-1'],
      [null, 'small-2'],
    ]);
  });

  it('-o json of several -f is an array in flag order, even of one scenario each', async () => {
    const r = await runCli(['simulate', '-f', REJECTED, '-f', DB, '-o', 'json']);
    const docs = JSON.parse(r.stdout) as { scenario: string }[];
    expect(docs.map((d) => d.scenario)).toEqual(['smt-rejection', 'pod-level-db']);
  });

  it.each([[DB], [TWO]])('-o yaml of %s is the same tree as -o json', async (file) => {
    const json = await runCli(['simulate', '-f', file, '-o', 'json']);
    const yaml = await runCli(['simulate', '-f', file, '-o', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.stderr).toBe('');
    expect(parseYaml(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it('--no-headers prints only the data rows', async () => {
    const r = await runCli(['simulate', '-f', DB, '--no-headers']);
    expect(r.code).toBe(0);
    const rows = linesOf(r.stdout).map((l) => l.split(/ {2,}/));
    expect(rows.map((cells) => cells.at(-2))).toEqual(['4,36', '4,36', '1-3,33-35']);
    expect(r.stdout).not.toMatch(/SCENARIO|POD|CONTAINER|admitted/);
  });

  it('--no-headers over several scenarios prints one aligned table', async () => {
    const r = await runCli(['simulate', '-f', TWO, '-o', 'wide', '--no-headers']);
    const lines = linesOf(r.stdout);
    expect(lines.map((l) => l.split(/ +/)[0])).toEqual(['default/app', 'shop/web', 'shop/batch']);
    const column = (l: string) =>
      l.indexOf(l.includes('main') ? 'main' : l.includes('nginx') ? 'nginx' : 'worker');
    expect(new Set(lines.map(column)).size).toBe(1);
  });

  it('--no-color and NO_COLOR change nothing in uncoloured output', async () => {
    const plain = await runCli(['simulate', '-f', DB], { env: {} });
    expect(await runCli(['simulate', '-f', DB, '--no-color'], { env: {} })).toEqual(plain);
    expect(await runCli(['simulate', '-f', DB], { env: { NO_COLOR: '1' } })).toEqual(plain);
  });
});

describe('--help', () => {
  it.each([[['--help']], [['-h']]])('%j prints the usage and exits 0', async (argv) => {
    const r = await runCli(argv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Usage: kubectl podres <command> [flags]');
    expect(r.stdout).toMatch(/^ {2}kubectl podres simulate /m);
  });

  it('simulate --help prints the flags of simulate and exits 0', async () => {
    const r = await runCli(['simulate', '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/-f, --filename/);
    expect(r.stdout).toMatch(/-o, --output/);
    expect(r.stdout).toContain('--explain');
  });
});

describe('internal errors', () => {
  // An exception that is none of the podres error classes, thrown inside the command (here by a
  // stdout that fails to write): exit 3 and the bug-report hint.
  const failingStdout = () => {
    throw new TypeError('cannot write to a closed stream');
  };

  it('map to exit 3 with "this is a bug in kubectl podres"', async () => {
    const r = await runCli(['simulate', '-f', DB], { writeStdout: failingStdout });
    expect(r.code).toBe(3);
    expect(linesOf(r.stderr)).toEqual([
      'error: internal: cannot write to a closed stream; this is a bug in kubectl podres, please report it',
    ]);
  });

  it('show the original exception with --debug', async () => {
    const r = await runCli(['simulate', '-f', DB, '--debug'], { writeStdout: failingStdout });
    expect(r.code).toBe(3);
    expect(linesOf(r.stderr)[0]).toMatch(/^error: internal: .*this is a bug in kubectl podres/);
    expect(r.stderr).toMatch(/\ncaused by: TypeError: cannot write to a closed stream/);
  });
});
