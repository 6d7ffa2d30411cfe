// Shell completion (src/cli/complete.ts): what `kubectl podres …<TAB>` offers, in the Cobra
// protocol kubectl reads from kubectl_complete-podres, and the pluggable source of live names
// with its time budget.

import { Directive, NAME_BUDGET_MS, complete, formatCompletion } from '../../../src/cli/complete.js';
import type { NameQuery, NameSource } from '../../../src/cli/complete.js';
import type { CommandSpec, FlagSpec } from '../../../src/cli/command-table.js';
import { linesOf, runCli } from '../../helpers/run-cli.js';

const values = (c: { candidates: readonly string[] }) => c.candidates.map((x) => x.split('\t')[0]);

// The engine's rules on a fixed table (the real one grows; it is checked against yargs in
// command-table.test.ts, and smoke-tested below).
const GLOBALS: FlagSpec[] = [
  { name: 'debug', describe: 'd' },
  { name: 'help', short: 'h', describe: 'h' },
];
const TABLE: CommandSpec[] = [
  {
    name: 'simulate',
    describe: 'replay',
    flags: [
      {
        name: 'filename',
        short: 'f',
        describe: 'file',
        value: { kind: 'file', extensions: ['yaml', 'json'] },
        repeatable: true,
      },
      {
        name: 'output',
        short: 'o',
        describe: 'format',
        value: { kind: 'choices', values: ['table', 'json'] },
      },
      { name: 'explain', describe: 'hints' },
      { name: 'out-dir', describe: 'dir', value: { kind: 'directory' } },
    ],
  },
  { name: 'version', describe: 'v', flags: [] },
  {
    name: 'completion',
    describe: 'c',
    flags: [],
    args: { value: { kind: 'choices', values: ['bash', 'zsh'] }, max: 1 },
  },
];

describe('complete: commands, flags, values', () => {
  it.each([
    ['commands', [], '', ['simulate', 'version', 'completion'], Directive.noFileComp],
    ['a command prefix', [], 'si', ['simulate'], Directive.noFileComp],
    ['after a global flag', ['--debug'], 've', ['version'], Directive.noFileComp],
    ['an unknown command: nothing', ['frob'], '', [], Directive.noFileComp],
    [
      'flags of a command, then the global ones',
      ['simulate'],
      '--',
      ['--filename', '--output', '--explain', '--out-dir', '--debug', '--help'],
      Directive.noFileComp,
    ],
    ['a flag prefix', ['simulate'], '--ex', ['--explain'], Directive.noFileComp],
    [
      'short forms too after one dash',
      ['simulate'],
      '-',
      ['--filename', '-f', '--output', '-o', '--explain', '--out-dir', '--debug', '--help', '-h'],
      Directive.noFileComp,
    ],
    [
      'used flags are not offered again',
      ['simulate', '--explain', '-o', 'json'],
      '--',
      ['--filename', '--out-dir', '--debug', '--help'],
      Directive.noFileComp,
    ],
    ['a repeatable flag is', ['simulate', '-f', 'a.yaml'], '--f', ['--filename'], Directive.noFileComp],
    ['choices', ['simulate', '-o'], '', ['table', 'json'], Directive.noFileComp],
    ['a choice prefix', ['simulate', '--output'], 'j', ['json'], Directive.noFileComp],
    ['--flag=prefix', ['simulate'], '--output=j', ['--output=json'], Directive.noFileComp],
    ['--flag= of a boolean: nothing', ['simulate'], '--explain=', [], Directive.noFileComp],
    ['files with these extensions', ['simulate', '-f'], '', ['yaml', 'json'], Directive.filterFileExt],
    [
      'after a bundled -ojson',
      ['simulate', '-ojson', '--filename'],
      'ex',
      ['yaml', 'json'],
      Directive.filterFileExt,
    ],
    ['--filename=', ['simulate'], '--filename=', ['yaml', 'json'], Directive.filterFileExt],
    ['directories', ['simulate', '--out-dir'], '', [], Directive.filterDirs],
    ['positional choices', ['completion'], '', ['bash', 'zsh'], Directive.noFileComp],
    ['a positional prefix', ['completion'], 'z', ['zsh'], Directive.noFileComp],
    ['no more positionals than the command takes', ['completion', 'bash'], '', [], Directive.noFileComp],
    ['a bare word where none is taken', ['simulate'], 'x', [], Directive.noFileComp],
    ['after --, no flags', ['simulate', '--'], '--', [], Directive.noFileComp],
  ] as const)('%s', async (_name, words, partial, expected, directive) => {
    const c = await complete(words, partial, { commands: TABLE, globalFlags: GLOBALS });
    expect(values(c)).toEqual(expected);
    expect(c.directive).toBe(directive);
  });

  it.each([
    [
      'commands',
      [],
      '',
      ['simulate', 'snapshot', 'describe', 'audit', 'throttle', 'collect', 'version', 'completion'],
      Directive.noFileComp,
    ],
    ['describe', ['describe'], '', ['pod', 'node'], Directive.noFileComp],
    [
      'audit --fail-on',
      ['audit', '--fail-on'],
      '',
      ['error', 'warning', 'info', 'none'],
      Directive.noFileComp,
    ],
    [
      'throttle --snapshot',
      ['throttle', '--snapshot'],
      '',
      ['json', 'yaml', 'yml', 'gz'],
      Directive.filterFileExt,
    ],
    ['simulate -o', ['simulate', '-o'], '', ['table', 'wide', 'json', 'yaml'], Directive.noFileComp],
    ['snapshot -o', ['snapshot', '-o'], '', ['json', 'yaml', 'yml', 'gz'], Directive.filterFileExt],
    ['snapshot -l (free text)', ['snapshot', '-l'], '', [], Directive.noFileComp],
    ['simulate -f', ['simulate', '-f'], '', ['yaml', 'yml', 'json'], Directive.filterFileExt],
    ['version -o', ['version', '-o'], '', ['json', 'yaml'], Directive.noFileComp],
    ['completion', ['completion'], '', ['bash', 'zsh', 'fish', 'powershell'], Directive.noFileComp],
  ] as const)('the real table: %s', async (_name, words, partial, expected, directive) => {
    const c = await complete(words, partial);
    expect(values(c)).toEqual(expected);
    expect(c.directive).toBe(directive);
  });

  it('commands and flags carry a description after a tab', async () => {
    const c = await complete([], 'sim');
    expect(c.candidates).toEqual(['simulate\treplay scenario files through the allocator model']);
  });

  it('prints the Cobra format: one candidate per line, then :<directive>', () => {
    expect(formatCompletion({ candidates: ['a\tx', 'b'], directive: 4 })).toBe('a\tx\nb\n:4\n');
    expect(formatCompletion({ candidates: [], directive: 1 })).toBe(':1\n');
  });
});

describe('live names: a pluggable source within a time budget', () => {
  // a command with node and pod arguments, as describe will have
  const commands: CommandSpec[] = [
    {
      name: 'describe-node',
      describe: 'x',
      flags: [{ name: 'context', describe: 'x', value: { kind: 'names', names: 'context' } }],
      args: { value: { kind: 'names', names: 'node' }, max: 1 },
    },
    {
      name: 'describe-pod',
      describe: 'x',
      flags: [
        { name: 'namespace', short: 'n', describe: 'x', value: { kind: 'names', names: 'namespace' } },
        { name: 'all-namespaces', short: 'A', describe: 'x' },
      ],
      args: { value: { kind: 'names', names: 'pod' }, max: 1 },
    },
  ];
  const fixed = (names: Record<string, string[]>, seen: NameQuery[] = []): NameSource => ({
    names: (q) => {
      seen.push(q);
      return Promise.resolve(names[q.kind] ?? []);
    },
  });

  it('offers the names the source gives, filtered by the partial word, with the query from the flags', async () => {
    const seen: NameQuery[] = [];
    const names = fixed({ node: ['worker-1', 'worker-2', 'gpu-1'], pod: ['db-0', 'web-1'] }, seen);
    expect(values(await complete(['describe-node'], 'wor', { commands, names }))).toEqual([
      'worker-1',
      'worker-2',
    ]);
    expect(values(await complete(['describe-pod', '-n', 'db'], '', { commands, names }))).toEqual([
      'db-0',
      'web-1',
    ]);
    expect(seen[1]).toEqual({ kind: 'pod', namespace: 'db' });
    await complete(['describe-pod', '-A'], '', { commands, names });
    expect(seen[2]).toEqual({ kind: 'pod', allNamespaces: true });
    expect(
      values(
        await complete(['describe-node', '--context'], '', { commands, names: fixed({ context: ['prod'] }) }),
      ),
    ).toEqual(['prod']);
  });

  it('a source that never answers gives no names once the budget is spent, and is told to stop', async () => {
    let aborted = false;
    const hanging: NameSource = {
      names: (_q, signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    };
    const start = Date.now();
    const c = await complete(['describe-node'], '', { commands, names: hanging, budgetMs: 100 });
    expect(c).toEqual({ candidates: [], directive: Directive.noFileComp });
    expect(Date.now() - start).toBeLessThan(1000);
    expect(aborted).toBe(true);
  });

  it('a failing source gives no names', async () => {
    const failing: NameSource = { names: () => Promise.reject(new Error('connection refused')) };
    expect(await complete(['describe-node'], '', { commands, names: failing })).toEqual({
      candidates: [],
      directive: Directive.noFileComp,
    });
  });

  it('the budget is 2 s (cli.md §5.9)', () => {
    expect(NAME_BUDGET_MS).toBe(2000);
  });
});

describe('__complete (what kubectl_complete-podres runs)', () => {
  it('prints candidates and the directive, exit 0, nothing on stderr', async () => {
    const r = await runCli(['__complete', 'simulate', '-o', '']);
    expect(r).toEqual({ code: 0, stdout: 'table\nwide\njson\nyaml\n:4\n', stderr: '' });
  });

  it('never fails, whatever the words', async () => {
    for (const argv of [
      ['__complete'],
      ['__complete', '--foo', '-x', '"', ''],
      ['__complete', 'simulate', '--', '-'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(linesOf(r.stdout).at(-1)).toMatch(/^:\d+$/);
    }
  });
});
