// The yargs program: command table with lazily imported command modules, strict flag parsing,
// and the single place where an error becomes one stderr line and an exit code.
//
// Cold start: this module imports nothing heavy. yargs itself is imported only when a command
// line needs it; `version`, `completion SHELL` (fast-path.ts) and `__complete` (shell
// completion, complete.ts) are answered without it. Command modules are imported by their
// handlers, so yaml, the model and (later) the cluster client load only for commands using them.

import type { Argv } from 'yargs';
import { ExitCode, InternalError, UsageError, isPodresError } from '../errors.js';
import type { Io } from './io.js';
import type { ReadDeps } from './read-command.js';
import type { OutputFormat } from './commands/simulate.js';
import { clusterOptions, DEFAULT_CONCURRENCY } from './cluster-options.js';
import { COLLECT_OUTPUTS, VERSION_OUTPUTS } from './command-table.js';
import { runFastPath } from './fast-path.js';
import {
  auditOptions,
  collectorFlagsOf,
  collectorOptions,
  describeOptions,
  throttleOptions,
} from './read-options.js';
import { terminalOf } from './terminal.js';

const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'wide', 'json', 'yaml'];
const KNOWN_COMMANDS: readonly string[] = [
  'simulate',
  'snapshot',
  'describe',
  'audit',
  'throttle',
  'collect',
  'version',
  'completion',
];

/** How an argument yargs calls unknown was written: as a flag ("--foo", "-x"), or bare. */
function asWritten(name: string, argv: readonly string[]): { readonly flag: boolean; readonly pos: number } {
  const flag = argv.findIndex(
    (a) =>
      a === `--${name}` ||
      a.startsWith(`--${name}=`) ||
      (name.length === 1 && /^-[^-]/.test(a) && a.slice(1).split('=')[0]?.includes(name) === true),
  );
  if (flag >= 0) return { flag: true, pos: flag };
  const bare = argv.indexOf(name);
  return { flag: false, pos: bare >= 0 ? bare : argv.length };
}

/** yargs' own messages → the cli.md wording. */
function usageMessage(msg: string, argv: readonly string[], command: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown?.[1] !== undefined) {
    // the first unknown argument in command-line order, as the user wrote it
    const [first] = unknown[1]
      .split(', ')
      .map((name) => ({ name, ...asWritten(name, argv) }))
      .sort((a, b) => a.pos - b.pos);
    const name = first?.name ?? '';
    const where = command === '' ? 'kubectl podres' : command;
    if (first?.flag === true) return `unknown flag "${name.length === 1 ? '-' : '--'}${name}" for "${where}"`;
    return command === ''
      ? `unknown command "${name}" for "kubectl podres"`
      : `unexpected argument "${name}" for "${command}"`;
  }
  const invalid = /^Invalid values:\s*Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(msg);
  if (invalid !== null) {
    return `invalid value ${invalid[2] ?? ''} for --${invalid[1] ?? ''}: expected one of ${(invalid[3] ?? '').replace(/"/g, '')}`;
  }
  const missing = /^Missing required argument: (.*)$/.exec(msg);
  if (missing?.[1] !== undefined) return `${command}: missing required flag --${missing[1]}`;
  return msg.charAt(0).toLowerCase() + msg.slice(1).replace(/\.$/, '');
}

/** Long flags whose value may be "-" (stdin or stdout). */
const DASH_VALUE_FLAGS = new Set(['--filename', '--output', '--snapshot', '--observation', '--topology']);

/**
 * `--snapshot -` → `--snapshot=-`: yargs reads a lone "-" after a long flag as a positional
 * argument (and the flag as empty); short flags (`-f -`) and `--flag=-` are read right already.
 */
function stdinValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (DASH_VALUE_FLAGS.has(a) && argv[i + 1] === '-') {
      out.push(`${a}=-`);
      i++;
    } else out.push(a);
  }
  return out;
}

function globalOptions<T>(y: Argv<T>) {
  return y
    .option('debug', { type: 'boolean', default: false, describe: 'show error cause chains on stderr' })
    .option('no-color', {
      type: 'boolean',
      default: false,
      describe: 'no colour (also with NO_COLOR or when not a terminal)',
    })
    .option('no-headers', {
      type: 'boolean',
      default: false,
      describe: 'table output without headers and summary lines',
    });
}

/** `deps`: the clock, sleep and timers of the read commands (tests replace them). */
export async function run(argv: readonly string[], io: Io, deps: ReadDeps = {}): Promise<number> {
  const debug = argv.includes('--debug');
  let command = '';
  try {
    // `__complete`, `version`, `completion SHELL`: answered without yargs
    const fast = runFastPath(argv, io);
    if (fast !== undefined) return await fast;
    const { default: yargs } = await import('yargs');
    const program = globalOptions(yargs())
      // kubectl has no "--no-<flag>" negation: `--no-headers` and `--no-color` are flags of their
      // own (with negation on, yargs reads them as `--headers=false` and strict mode rejects them).
      .parserConfiguration({ 'boolean-negation': false })
      .scriptName('kubectl podres')
      .usage(
        'kubectl podres: see how the kubelet places pods on CPUs, NUMA nodes and memory (incl. Pod-Level Resource Managers)\n\nUsage: $0 <command> [flags]',
      )
      .command(
        'simulate',
        'replay scenario files through the allocator model (no cluster needed)',
        (y) =>
          y
            .option('filename', {
              alias: 'f',
              // not `array: true`: yargs would then read "-" (stdin) as a positional argument
              type: 'string',
              demandOption: true,
              describe: 'scenario file (YAML or JSON, multi-document); "-" reads stdin; repeatable',
            })
            .option('output', {
              alias: 'o',
              type: 'string',
              choices: OUTPUT_FORMATS,
              default: 'table',
              describe: 'output format',
            })
            .option('explain', {
              type: 'boolean',
              default: false,
              describe: 'show the topology hints each manager offered and the merged hint',
            })
            .option('write-checkpoints', {
              type: 'string',
              describe:
                'write the predicted cpu_manager_state and memory_manager_state into DIR (one subdirectory per scenario when there are several)',
            })
            .example('$0 simulate -f examples/tightly-coupled-database.yaml', 'replay a scenario')
            .example(
              '$0 simulate -f scenario.yaml -o json | jq .pods[0].containers',
              'script against the JSON output',
            ),
        async (a) => {
          command = 'simulate';
          const { simulateCommand } = await import('./commands/simulate.js');
          exitCode = await simulateCommand(
            {
              files: ([] as string[]).concat(a.filename),
              output: a.output as OutputFormat,
              explain: a.explain,
              noHeaders: a['no-headers'],
              writeCheckpoints: a['write-checkpoints'] ?? null,
            },
            io,
          );
        },
      )
      .command(
        'snapshot [nodes..]',
        'write what the read commands read from the cluster into one Snapshot file',
        (y) =>
          clusterOptions(
            collectorOptions(y)
              .positional('nodes', { type: 'string', array: true, describe: 'nodes to read (default: all)' })
              .option('output', {
                alias: 'o',
                type: 'string',
                demandOption: true,
                describe: 'snapshot file: "-" = stdout; .yaml/.yml → YAML, else JSON; a further .gz → gzip',
              })
              .option('selector', {
                alias: 'l',
                type: 'string',
                describe: 'read the nodes with these labels',
              })
              .option('pod', {
                type: 'string',
                describe: 'read the node running this pod (namespace from -n); repeatable',
              })
              .option('namespace', {
                alias: 'n',
                type: 'string',
                describe: "namespace of --pod (default: the context's)",
              })
              .option('interval', {
                type: 'string',
                describe: 'take a second /metrics/cadvisor scrape this long after the first (for throttle)',
              })
              .option('raw-metrics', {
                type: 'boolean',
                default: false,
                describe: 'keep every metric family (default: only those the read commands use)',
              })
              .option('as-scenario', {
                type: 'boolean',
                default: false,
                describe:
                  'write one Scenario per node (for simulate -f) instead: multi-document YAML whatever the file name; nodes without topology are skipped',
              })
              .option('observation', {
                type: 'string',
                describe: 'NodeObservation file (from collect) of the node named inside it; repeatable',
              })
              .option('topology', {
                type: 'string',
                describe:
                  '[NODE=]FILE: a scenario-format node.topology for nodes without an observed one; repeatable',
              })
              .option('concurrency', {
                type: 'string',
                default: String(DEFAULT_CONCURRENCY),
                describe: 'nodes read in parallel, 1–64',
              }),
          )
            .example('$0 snapshot -o snap.json.gz', 'every node, gzip-compressed JSON')
            .example(
              '$0 snapshot -o snap-worker-1.json worker-1 --observation obs-worker-1.json --interval 30s',
              'one node with its node observation and two cAdvisor scrapes 30s apart',
            )
            .example(
              '$0 snapshot -o snap.yaml -l node-role.kubernetes.io/worker=',
              'the worker nodes, as YAML',
            )
            .example(
              '$0 snapshot -o worker-1.scenario.yaml worker-1 --observation obs-worker-1.json --as-scenario',
              'the node as a Scenario, to replay with simulate -f',
            ),
        async (a) => {
          command = 'snapshot';
          const { snapshotCommand } = await import('./commands/snapshot.js');
          const list = (v: string | string[] | undefined): string[] =>
            v === undefined ? [] : ([] as string[]).concat(v);
          exitCode = await snapshotCommand(
            {
              output: a.output,
              nodes: list(a.nodes),
              selector: a.selector ?? null,
              pods: list(a.pod),
              namespace: a.namespace ?? null,
              interval: a.interval ?? null,
              rawMetrics: a['raw-metrics'],
              asScenario: a['as-scenario'],
              observations: list(a.observation),
              topologies: list(a.topology),
              concurrency: a.concurrency,
              kubeconfig: a.kubeconfig ?? null,
              context: a.context ?? null,
              requestTimeout: a['request-timeout'],
              debug: a.debug,
              collector: collectorFlagsOf(a),
            },
            io,
            deps,
          );
        },
      )
      .command(
        'describe [kind] [name]',
        'describe a pod (pod NAME) or a node (node NAME): expected against observed placement, findings',
        describeOptions,
        async (a) => {
          command = 'describe';
          const { describeArgsOf, describeCommand } = await import('./commands/describe.js');
          exitCode = await describeCommand(describeArgsOf(a), io, deps);
        },
      )
      .command(
        'audit [nodes..]',
        "check the nodes' kubelet configuration and placements against the model",
        auditOptions,
        async (a) => {
          command = 'audit';
          const { auditArgsOf, auditCommand } = await import('./commands/audit.js');
          exitCode = await auditCommand(auditArgsOf(a), io, deps);
        },
      )
      .command(
        'throttle [pod]',
        'CFS throttling per container from cAdvisor, with the expected assignment and a cause',
        throttleOptions,
        async (a) => {
          command = 'throttle';
          const { throttleArgsOf, throttleCommand } = await import('./commands/throttle.js');
          exitCode = await throttleCommand(throttleArgsOf(a), io, deps);
        },
      )
      .command(
        'collect',
        'run on a node: print its NodeObservation (PodResources, checkpoints, sysfs topology, cgroups)',
        (y) =>
          y
            .option('host-root', {
              type: 'string',
              default: '/',
              describe: 'prefix of every host path below; must exist',
            })
            .option('kubelet-root-dir', {
              type: 'string',
              default: '/var/lib/kubelet',
              describe: 'kubelet root dir under the host root (cpu_manager_state, memory_manager_state)',
            })
            .option('podresources-socket', {
              type: 'string',
              describe:
                'PodResources socket, taken as given (default: <host-root><kubelet-root-dir>/pod-resources/kubelet.sock)',
            })
            .option('cgroup-root', {
              type: 'string',
              describe: 'cgroup v2 or v1 root (default: <host-root>/sys/fs/cgroup)',
            })
            .option('node-name', {
              type: 'string',
              describe: "the document's node (default: $NODE_NAME, else the host name)",
            })
            .option('kubelet-version', { type: 'string', describe: 'recorded as kubeletVersion' })
            .option('timeout', {
              type: 'string',
              default: '5s',
              describe: 'per gRPC call (Go duration; 0 = none)',
            })
            .option('output', {
              alias: 'o',
              type: 'string',
              choices: COLLECT_OUTPUTS,
              default: 'json',
              describe: 'output format',
            })
            .example(
              '$0 collect --host-root /host --node-name worker-1',
              'in a pod with the host mounted at /host',
            )
            .example(
              'kubectl debug node/worker-1 -it --image=IMAGE -- kubectl-podres collect --host-root /host',
              'from a node debug pod',
            ),
        async (a) => {
          command = 'collect';
          const { collectCommand } = await import('./commands/collect.js');
          exitCode = await collectCommand(
            {
              hostRoot: a['host-root'],
              kubeletRootDir: a['kubelet-root-dir'],
              podresourcesSocket: a['podresources-socket'] ?? null,
              cgroupRoot: a['cgroup-root'] ?? null,
              nodeName: a['node-name'] ?? null,
              kubeletVersion: a['kubelet-version'] ?? null,
              timeout: a.timeout,
              output: a.output === 'yaml' ? 'yaml' : 'json',
            },
            io,
          );
        },
      )
      .command(
        'version',
        'print the plugin version, git commit and the kubelet versions the model covers',
        (y) =>
          y.option('output', {
            alias: 'o',
            type: 'string',
            choices: VERSION_OUTPUTS,
            describe: 'output format (default: text)',
          }),
        async (a) => {
          command = 'version';
          const { versionCommand } = await import('./commands/version.js');
          exitCode = await versionCommand({ output: a.output ?? 'text' }, io);
        },
      )
      .command(
        'completion [shell]',
        'print a shell completion script (bash, zsh, fish, powershell)',
        (y) =>
          y
            .positional('shell', { type: 'string', describe: 'bash, zsh, fish or powershell' })
            .example('source <(kubectl-podres completion bash)', 'complete kubectl-podres in this bash')
            .epilogue(
              '`kubectl podres <TAB>` completes through kubectl (1.26+) when kubectl_complete-podres is on the PATH; these scripts complete kubectl-podres run on its own.',
            ),
        async (a) => {
          command = 'completion';
          const { completionCommand } = await import('./commands/completion.js');
          exitCode = completionCommand({ shell: a.shell }, io);
        },
      )
      .strict()
      .help()
      .alias('h', 'help')
      .version(false)
      // yargs' own messages are parsed by usageMessage: always English
      .locale('en')
      .wrap(Math.min(110, io.stdout.columns ?? 100))
      .exitProcess(false)
      .fail((msg: string | null, err: Error | undefined) => {
        // yargs reports its own parse failures as YError; anything else came from a handler.
        if (err !== undefined && err.name !== 'YError') throw err;
        const first = argv.find((a) => !a.startsWith('-')) ?? '';
        throw new UsageError(
          usageMessage(msg ?? 'invalid usage', argv, KNOWN_COMMANDS.includes(first) ? first : ''),
        );
      });
    let exitCode: number = ExitCode.ok;
    let helpText = '';
    // tables and colours follow the terminal (cli.md §2 --no-color)
    const { withTerminal } = await import('../render/terminal.js');
    const terminal = terminalOf(io, { noColor: argv.includes('--no-color') });
    await withTerminal(terminal, () =>
      program.parseAsync(stdinValues(argv), {}, (_err, _argv, output) => {
        helpText = output;
      }),
    );
    if (helpText !== '' && command === '')
      io.stdout.write(helpText.endsWith('\n') ? helpText : `${helpText}\n`);
    // Checked here, not with yargs' demandCommand: that check runs before the one for unknown
    // flags, so `--foo simulate` (yargs reads "simulate" as the value of --foo) would claim that
    // the command is missing.
    else if (command === '') throw new UsageError('missing command; run kubectl podres --help');
    return exitCode;
  } catch (e) {
    const err = isPodresError(e)
      ? e
      : new InternalError(`internal: ${firstLine(isError(e) ? e.message : String(e))}`, {
          hint: 'this is a bug in kubectl podres, please report it',
          cause: e,
        });
    io.stderr.write(`error: ${err.oneLine()}\n`);
    if (debug) io.stderr.write(`${describeCauses(err)}\n`);
    return err.exitCode;
  }
}

/** Also true for errors from another realm (Node's own errors inside jest's VM context). */
function isError(e: unknown): e is Error {
  // util.types.isNativeError without loading node:util (run.ts is on the cold-start path)
  return e instanceof Error || Object.prototype.toString.call(e) === '[object Error]';
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? '';
}

function describeCauses(e: unknown): string {
  const lines: string[] = [];
  let cur: unknown = e;
  while (isError(cur)) {
    lines.push(cur.stack ?? cur.message);
    cur = cur.cause;
  }
  return lines.join('\ncaused by: ');
}
