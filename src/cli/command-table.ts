// The commands and flags of kubectl podres as data, for shell completion (src/cli/complete.ts),
// which must answer without loading yargs. The yargs program in run.ts is the authority; a unit
// test (test/unit/cli/command-table.test.ts) checks that every command and flag here matches
// its `--help`, so a flag added there and forgotten here fails the tests.

/** Kinds of live names a completion can offer; they come from a NameSource (complete.ts). */
export type NameKind = 'node' | 'pod' | 'namespace' | 'context';

export type ValueSpec =
  | { readonly kind: 'choices'; readonly values: readonly string[] }
  /** A file name; `extensions` (without the dot) filter what the shell offers. */
  | { readonly kind: 'file'; readonly extensions: readonly string[] }
  /** A directory name. */
  | { readonly kind: 'directory' }
  | { readonly kind: 'names'; readonly names: NameKind };

export interface FlagSpec {
  /** Long name without the dashes. */
  readonly name: string;
  /** One-letter alias. */
  readonly short?: string;
  readonly describe: string;
  /** The value it takes; absent for a boolean flag. */
  readonly value?: ValueSpec;
  readonly repeatable?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  readonly describe: string;
  readonly flags: readonly FlagSpec[];
  /** What its positional arguments are, and how many it takes at most. */
  readonly args?: { readonly value: ValueSpec; readonly max: number };
}

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export const VERSION_OUTPUTS = ['json', 'yaml'] as const;
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** Flags every command takes. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'debug', describe: 'show error cause chains on stderr' },
  { name: 'no-color', describe: 'no colour' },
  { name: 'no-headers', describe: 'table output without headers and summary lines' },
  { name: 'help', short: 'h', describe: 'show help' },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'simulate',
    describe: 'replay scenario files through the allocator model',
    flags: [
      {
        name: 'filename',
        short: 'f',
        describe: 'scenario file; "-" reads stdin',
        value: { kind: 'file', extensions: ['yaml', 'yml', 'json'] },
        repeatable: true,
      },
      {
        name: 'output',
        short: 'o',
        describe: 'output format',
        value: { kind: 'choices', values: OUTPUT_FORMATS },
      },
      { name: 'explain', describe: 'show the topology hints behind each admission' },
      {
        name: 'write-checkpoints',
        describe: 'write the predicted checkpoint files into DIR',
        value: { kind: 'directory' },
      },
    ],
  },
  {
    name: 'version',
    describe: 'print the plugin version and what it supports',
    flags: [
      {
        name: 'output',
        short: 'o',
        describe: 'output format',
        value: { kind: 'choices', values: VERSION_OUTPUTS },
      },
    ],
  },
  {
    name: 'completion',
    describe: 'print a shell completion script',
    flags: [],
    args: { value: { kind: 'choices', values: COMPLETION_SHELLS }, max: 1 },
  },
];
