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
  | { readonly kind: 'names'; readonly names: NameKind }
  /**
   * A resource type, then a name of that type (`pod NAME`), or both in one word (`pod/NAME`):
   * positional 1 is the type, positional 2 the name. `types` are offered; `aliases` are accepted.
   */
  | {
      readonly kind: 'resource';
      readonly types: readonly {
        readonly name: string;
        readonly names: NameKind;
        readonly aliases: readonly string[];
      }[];
    }
  /** Free text (a selector, a duration): nothing to offer. */
  | { readonly kind: 'text' };

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
export const COLLECT_OUTPUTS = ['json', 'yaml'] as const;
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** Flags every command takes. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'debug', describe: 'show error cause chains on stderr' },
  { name: 'no-color', describe: 'no colour' },
  { name: 'no-headers', describe: 'table output without headers and summary lines' },
  { name: 'help', short: 'h', describe: 'show help' },
];

/** Flags of the commands that read a cluster (cluster-options.ts). */
export const CLUSTER_FLAGS: readonly FlagSpec[] = [
  { name: 'kubeconfig', describe: 'kubeconfig file', value: { kind: 'file', extensions: [] } },
  { name: 'context', describe: 'kubeconfig context', value: { kind: 'names', names: 'context' } },
  { name: 'request-timeout', describe: 'per API-server request; 0 = none', value: { kind: 'text' } },
];

/** Flags of describe, audit and throttle (read-options.ts readOptions). */
const READ_FLAGS: readonly FlagSpec[] = [
  {
    name: 'output',
    short: 'o',
    describe: 'output format',
    value: { kind: 'choices', values: OUTPUT_FORMATS },
  },
  {
    name: 'snapshot',
    describe: 'read a Snapshot instead of the cluster',
    value: { kind: 'file', extensions: ['json', 'yaml', 'yml', 'gz'] },
  },
  {
    name: 'observation',
    describe: 'NodeObservation file',
    value: { kind: 'file', extensions: ['json', 'yaml', 'yml'] },
    repeatable: true,
  },
  {
    name: 'topology',
    describe: '[NODE=]FILE: a node.topology',
    value: { kind: 'file', extensions: ['yaml', 'yml', 'json'] },
    repeatable: true,
  },
  {
    name: 'fidelity',
    describe: 'model fidelity',
    value: { kind: 'choices', values: ['source', 'documented'] },
  },
  {
    name: 'fail-on',
    describe: 'exit 1 from this severity',
    value: { kind: 'choices', values: ['error', 'warning', 'info', 'none'] },
  },
];

const REQUIRE_SOURCES_FLAG: FlagSpec = {
  name: 'require-sources',
  describe: 'sources that must be read too',
  value: { kind: 'text' },
};

/** --collector and its settings (describe, audit, snapshot; read-options.ts collectorOptions). */
const COLLECTOR_FLAGS: readonly FlagSpec[] = [
  { name: 'collector', describe: 'start a collector pod on each node without an observation' },
  { name: 'collector-image', describe: 'image containing kubectl-podres', value: { kind: 'text' } },
  {
    name: 'collector-namespace',
    describe: 'namespace of collector pods',
    value: { kind: 'names', names: 'namespace' },
  },
  { name: 'collector-timeout', describe: 'per node, creation to document', value: { kind: 'text' } },
];

const CONCURRENCY_FLAG: FlagSpec = {
  name: 'concurrency',
  describe: 'nodes read in parallel, 1–64',
  value: { kind: 'text' },
};

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
    name: 'snapshot',
    describe: 'write what the read commands read from the cluster into one Snapshot file',
    flags: [
      {
        name: 'output',
        short: 'o',
        describe: 'snapshot file; "-" = stdout',
        value: { kind: 'file', extensions: ['json', 'yaml', 'yml', 'gz'] },
      },
      { name: 'selector', short: 'l', describe: 'read the nodes with these labels', value: { kind: 'text' } },
      {
        name: 'pod',
        describe: 'read the node running this pod',
        value: { kind: 'names', names: 'pod' },
        repeatable: true,
      },
      {
        name: 'namespace',
        short: 'n',
        describe: 'namespace of --pod',
        value: { kind: 'names', names: 'namespace' },
      },
      {
        name: 'interval',
        describe: 'second cAdvisor scrape this long after the first',
        value: { kind: 'text' },
      },
      { name: 'raw-metrics', describe: 'keep every metric family' },
      { name: 'as-scenario', describe: 'one Scenario per node (multi-document YAML) instead' },
      {
        name: 'observation',
        describe: 'NodeObservation file',
        value: { kind: 'file', extensions: ['json', 'yaml', 'yml'] },
        repeatable: true,
      },
      {
        name: 'topology',
        describe: '[NODE=]FILE: a node.topology',
        value: { kind: 'file', extensions: ['yaml', 'yml', 'json'] },
        repeatable: true,
      },
      { name: 'concurrency', describe: 'nodes read in parallel, 1–64', value: { kind: 'text' } },
      ...COLLECTOR_FLAGS,
      ...CLUSTER_FLAGS,
    ],
    args: { value: { kind: 'names', names: 'node' }, max: Number.POSITIVE_INFINITY },
  },
  {
    name: 'describe',
    describe: 'describe a pod or a node: expected against observed placement',
    flags: [
      {
        name: 'namespace',
        short: 'n',
        describe: 'namespace of the pod',
        value: { kind: 'names', names: 'namespace' },
      },
      ...READ_FLAGS,
      REQUIRE_SOURCES_FLAG,
      ...COLLECTOR_FLAGS,
      ...CLUSTER_FLAGS,
    ],
    // describe.ts describeTarget: `pod NAME`, `po NAME`, `pod/NAME`, `node NAME`, …
    args: {
      value: {
        kind: 'resource',
        types: [
          { name: 'pod', names: 'pod', aliases: ['pods', 'po'] },
          { name: 'node', names: 'node', aliases: ['nodes', 'no'] },
        ],
      },
      max: 2,
    },
  },
  {
    name: 'audit',
    describe: 'check nodes against the model',
    flags: [
      {
        name: 'selector',
        short: 'l',
        describe: 'audit the nodes with these labels',
        value: { kind: 'text' },
      },
      { name: 'checks', describe: 'codes or families to run', value: { kind: 'text' } },
      { name: 'skip-checks', describe: 'codes or families not to run', value: { kind: 'text' } },
      ...READ_FLAGS,
      REQUIRE_SOURCES_FLAG,
      CONCURRENCY_FLAG,
      ...COLLECTOR_FLAGS,
      ...CLUSTER_FLAGS,
    ],
    args: { value: { kind: 'names', names: 'node' }, max: Number.POSITIVE_INFINITY },
  },
  {
    name: 'throttle',
    describe: 'CFS throttling per container',
    flags: [
      {
        name: 'namespace',
        short: 'n',
        describe: 'namespace of the pods',
        value: { kind: 'names', names: 'namespace' },
      },
      { name: 'all-namespaces', short: 'A', describe: 'pods of all namespaces' },
      { name: 'selector', short: 'l', describe: 'the pods with these labels', value: { kind: 'text' } },
      { name: 'interval', describe: 'time between the two scrapes', value: { kind: 'text' } },
      { name: 'since-start', describe: 'one scrape, counters since cgroup start' },
      { name: 'threshold', describe: 'throttled ratio that shows a row', value: { kind: 'text' } },
      { name: 'all', describe: 'every container' },
      { name: 'node', describe: 'only pods bound to this node', value: { kind: 'names', names: 'node' } },
      ...READ_FLAGS,
      CONCURRENCY_FLAG,
      ...CLUSTER_FLAGS,
    ],
    args: { value: { kind: 'names', names: 'pod' }, max: 1 },
  },
  {
    name: 'collect',
    describe: 'run on a node: print its NodeObservation',
    flags: [
      { name: 'host-root', describe: 'prefix of every host path', value: { kind: 'directory' } },
      {
        name: 'kubelet-root-dir',
        describe: 'kubelet root dir under the host root',
        value: { kind: 'directory' },
      },
      {
        name: 'podresources-socket',
        describe: 'PodResources socket',
        value: { kind: 'file', extensions: ['sock'] },
      },
      { name: 'cgroup-root', describe: 'cgroup v2 or v1 root', value: { kind: 'directory' } },
      { name: 'node-name', describe: "the document's node", value: { kind: 'text' } },
      { name: 'kubelet-version', describe: 'recorded as kubeletVersion', value: { kind: 'text' } },
      { name: 'timeout', describe: 'per gRPC call', value: { kind: 'text' } },
      {
        name: 'output',
        short: 'o',
        describe: 'output format',
        value: { kind: 'choices', values: COLLECT_OUTPUTS },
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
