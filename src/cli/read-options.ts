// The flags of the read commands `describe`, `audit` and `throttle` (cli.md §2, §5.2–§5.5; the
// --collector flags also for `snapshot`, §5.8): their yargs definitions, and the checks of their
// values and combinations, all made before any file is read or the cluster is contacted (UsageError, exit 2). Light on purpose: run.ts imports it when
// it builds the program, so nothing here loads the cluster client, the model or a renderer.

import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { FailOn } from '../schema/common.js';
import type { CollectorSettings } from '../sources/collector.js';
import {
  checkSelector,
  clusterOptions,
  DEFAULT_CONCURRENCY,
  parseConcurrency,
  parseDurationFlag,
} from './cluster-options.js';

export const READ_OUTPUTS = ['table', 'wide', 'json', 'yaml'] as const;
export type ReadOutput = (typeof READ_OUTPUTS)[number];

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export const FIDELITIES = ['source', 'documented'] as const;
export type Fidelity = (typeof FIDELITIES)[number];

/** Sources `--require-sources` may name (cli.md §6.1). */
export const REQUIRABLE_SOURCES = ['metrics', 'cadvisor', 'observation'] as const;
export type RequirableSource = (typeof REQUIRABLE_SOURCES)[number];

export const DEFAULT_THROTTLE_INTERVAL = '10s';
export const DEFAULT_THRESHOLD = 0.25;

/** Codes --checks/--skip-checks accept: C1–C16, D1–D20 and the families C and D. */
const CHECK_CODE = /^(C([1-9]|1[0-6])|D([1-9]|1\d|20)|C|D)$/;

// ----- yargs definitions -------------------------------------------------------------------------

/** -o, --observation, --topology, --fidelity, --fail-on, --snapshot (every read command). */
export function readOptions<T>(y: Argv<T>, failOnDefault: FailOn) {
  return y
    .option('output', {
      alias: 'o',
      type: 'string',
      choices: READ_OUTPUTS,
      default: 'table',
      describe: 'output format',
    })
    .option('snapshot', {
      type: 'string',
      describe: 'read a Snapshot file (from `snapshot -o`) instead of the cluster; "-" reads stdin',
    })
    .option('observation', {
      type: 'string',
      describe: 'NodeObservation file (from collect) of the node named inside it; repeatable',
    })
    .option('topology', {
      type: 'string',
      describe: '[NODE=]FILE: a scenario-format node.topology for nodes without an observed one; repeatable',
    })
    .option('fidelity', {
      type: 'string',
      choices: FIDELITIES,
      default: 'source',
      describe: 'model fidelity of the replay (scenario model.fidelity)',
    })
    .option('fail-on', {
      type: 'string',
      choices: FAIL_ON,
      default: failOnDefault,
      describe: 'exit 1 when a finding has this severity or a higher one',
    });
}

/** cli.md §2: the defaults of --collector-namespace and --collector-timeout. */
export const DEFAULT_COLLECTOR_NAMESPACE = 'kube-system';
export const DEFAULT_COLLECTOR_TIMEOUT = '60s';

/** --collector, --collector-image, --collector-namespace, --collector-timeout (describe, audit, snapshot). */
export function collectorOptions<T>(y: Argv<T>) {
  return y
    .option('collector', {
      type: 'boolean',
      default: false,
      describe: 'start a collector pod on each selected node without an observation (creates pods)',
    })
    .option('collector-image', {
      type: 'string',
      describe: 'image containing kubectl-podres (default: the release image of this version, see version)',
    })
    .option('collector-namespace', {
      type: 'string',
      describe: `namespace of collector pods (default ${DEFAULT_COLLECTOR_NAMESPACE})`,
    })
    .option('collector-timeout', {
      type: 'string',
      describe: `per node, from pod creation to complete document (default ${DEFAULT_COLLECTOR_TIMEOUT})`,
    });
}

/** --require-sources (describe, audit). */
export function requireSourcesOption<T>(y: Argv<T>) {
  return y.option('require-sources', {
    type: 'string',
    describe: `comma list of ${REQUIRABLE_SOURCES.join(', ')}: sources that must also be read for a node to count as reachable`,
  });
}

/** --concurrency (audit, throttle). */
export function concurrencyOption<T>(y: Argv<T>) {
  return y.option('concurrency', {
    type: 'string',
    default: String(DEFAULT_CONCURRENCY),
    describe: 'nodes read in parallel, 1–64',
  });
}

/** `describe [kind] [name]`: pod NAME, pod/NAME, po NAME; node NAME, node/NAME, no NAME. */
export function describeOptions<T>(y: Argv<T>) {
  return collectorOptions(
    requireSourcesOption(
      readOptions(
        clusterOptions(
          y
            .positional('kind', {
              type: 'string',
              describe: 'pod (pods, po) or node (nodes, no); or TYPE/NAME',
            })
            .positional('name', { type: 'string', describe: 'the pod or node name' })
            .option('namespace', {
              alias: 'n',
              type: 'string',
              describe: "namespace of the pod (default: the context's)",
            }),
        ),
        'none',
      ),
    ),
  )
    .example('$0 describe pod db-0 -n db', 'expected and observed placement of one pod, with findings')
    .example('$0 describe node worker-1 -o wide', 'every pod of a node, config checks and drift findings')
    .example('$0 describe node/worker-1 --snapshot snap.json.gz', 'the same from a snapshot, no cluster');
}

/** `audit [nodes..]` */
export function auditOptions<T>(y: Argv<T>) {
  return collectorOptions(
    concurrencyOption(
      requireSourcesOption(
        readOptions(
          clusterOptions(
            y
              .positional('nodes', { type: 'string', array: true, describe: 'nodes to audit (default: all)' })
              .option('selector', {
                alias: 'l',
                type: 'string',
                describe: 'audit the nodes with these labels',
              })
              .option('checks', {
                type: 'string',
                describe: 'comma list of codes (D7) or families (C, D) to run',
              })
              .option('skip-checks', {
                type: 'string',
                describe: 'comma list of codes or families not to run',
              }),
          ),
          'error',
        ),
      ),
    ),
  )
    .example('$0 audit', 'every node; exit 1 on an error finding')
    .example(
      '$0 audit -l node-role.kubernetes.io/worker= --fail-on warning',
      'the worker nodes, failing on warnings too',
    )
    .example('$0 audit --snapshot snap.json.gz -o json | jq .summary', 'from a snapshot, in CI');
}

/** `throttle [pod]` */
export function throttleOptions<T>(y: Argv<T>) {
  return concurrencyOption(
    readOptions(
      clusterOptions(
        y
          .positional('pod', { type: 'string', describe: 'one pod (then every container is shown)' })
          .option('namespace', {
            alias: 'n',
            type: 'string',
            describe: "namespace of the pods (default: the context's)",
          })
          .option('all-namespaces', {
            alias: 'A',
            type: 'boolean',
            default: false,
            describe: 'pods of all namespaces',
          })
          .option('selector', { alias: 'l', type: 'string', describe: 'the pods with these labels' })
          .option('interval', {
            type: 'string',
            describe: `two cAdvisor scrapes per node this long apart (default ${DEFAULT_THROTTLE_INTERVAL})`,
          })
          .option('since-start', {
            type: 'boolean',
            default: false,
            describe: 'one scrape: counters since each cgroup started',
          })
          .option('threshold', {
            type: 'string',
            describe: `throttled ratio from which a row shows and T1 is raised, 0 < R <= 1 (default ${DEFAULT_THRESHOLD})`,
          })
          .option('all', {
            type: 'boolean',
            default: false,
            describe: 'every container, not only throttled ones',
          })
          .option('node', { type: 'string', describe: 'only pods bound to this node' }),
      ),
      'none',
    ),
  )
    .example('$0 throttle -A --interval 30s', 'throttled containers of all namespaces over 30 s')
    .example('$0 throttle db-0 -n db', 'every container of one pod');
}

// ----- value checks ------------------------------------------------------------------------------

function invalid(flag: string, value: string, why: string): UsageError {
  return new UsageError(`invalid value "${value}" for --${flag}: ${why}`);
}

/** A repeatable string flag as yargs delivers it (absent, one value or several). */
export function listOf(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return ([] as unknown[]).concat(v).map(String);
}

/** A flag given once at most: the last value wins, as kubectl reads repeated single flags. */
export function lastOf(v: unknown): string | null {
  const all = listOf(v);
  return all.length === 0 ? null : (all[all.length - 1] ?? null);
}

/** --require-sources: a comma list from metrics, cadvisor, observation (empty items ignored). */
export function parseRequireSources(text: string | null): RequirableSource[] {
  if (text === null) return [];
  const out: RequirableSource[] = [];
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    if (!(REQUIRABLE_SOURCES as readonly string[]).includes(item)) {
      throw invalid('require-sources', text, `"${item}" is not one of ${REQUIRABLE_SOURCES.join(', ')}`);
    }
    if (!out.includes(item as RequirableSource)) out.push(item as RequirableSource);
  }
  return out;
}

/** --checks / --skip-checks: a comma list of codes (D7) or families (C, D). */
export function parseCheckList(flag: 'checks' | 'skip-checks', text: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw invalid(flag, text, 'expected a comma list of check codes (D7) or families (C, D)');
  for (const item of items) {
    if (!CHECK_CODE.test(item)) {
      throw invalid(flag, text, `"${item}" is not a check code (C1–C16, D1–D20) or family (C, D)`);
    }
  }
  return [...new Set(items)];
}

/** --threshold: a number with 0 < R ≤ 1. */
export function parseThreshold(text: string | null): number {
  if (text === null) return DEFAULT_THRESHOLD;
  const t = text.trim();
  const r = /^(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
  if (!(r > 0 && r <= 1)) throw invalid('threshold', text, 'expected a number greater than 0 and at most 1');
  return r;
}

/** The --concurrency value (shared check of cluster-options.ts). */
export { parseConcurrency };

/** --interval for throttle: a positive Go duration, in milliseconds. */
export function parseInterval(text: string): number {
  return parseDurationFlag('interval', text);
}

/** -l: checked before anything is contacted. */
export function parseSelector(text: string | null): string | null {
  return text === null ? null : checkSelector('selector', text);
}

/** The --collector flags as given. */
export interface CollectorFlags {
  readonly collector: boolean;
  readonly image: string | null;
  readonly namespace: string | null;
  readonly timeout: string | null;
}

/** The yargs arguments → CollectorFlags. */
export function collectorFlagsOf(a: Readonly<Record<string, unknown>>): CollectorFlags {
  return {
    collector: a.collector === true,
    image: lastOf(a['collector-image']),
    namespace: lastOf(a['collector-namespace']),
    timeout: lastOf(a['collector-timeout']),
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The collector settings (null without --collector), checked before anything is contacted;
 * `defaultImage` is the release image of this version (release-info.ts).
 */
export function parseCollectorFlags(flags: CollectorFlags, defaultImage: string): CollectorSettings | null {
  const image = flags.image ?? defaultImage;
  if (image.trim() === '' || /\s/.test(image))
    throw invalid('collector-image', image, 'expected an image reference such as registry/name:tag');
  const namespace = flags.namespace ?? DEFAULT_COLLECTOR_NAMESPACE;
  if (!DNS_LABEL.test(namespace))
    throw invalid('collector-namespace', namespace, 'expected a namespace name (a DNS label)');
  const timeoutMs = parseDurationFlag('collector-timeout', flags.timeout ?? DEFAULT_COLLECTOR_TIMEOUT);
  return flags.collector ? { image, namespace, timeoutMs } : null;
}

// ----- combinations (cli.md §2) ------------------------------------------------------------------

/** The flags that name a cluster, as given (null when absent). */
export interface ClusterFlagsGiven {
  readonly kubeconfig: string | null;
  readonly context: string | null;
}

/** --snapshot replaces the cluster: the flags that choose one cannot come with it. */
export function checkSnapshotConflicts(
  snapshot: string | null,
  given: ClusterFlagsGiven & { readonly interval?: string | null; readonly collector?: boolean },
): void {
  if (snapshot === null) return;
  if (snapshot.trim() === '') throw new UsageError('flag --snapshot needs a file name ("-" reads stdin)');
  if (given.kubeconfig !== null) throw new UsageError('--snapshot and --kubeconfig cannot be combined');
  if (given.context !== null) throw new UsageError('--snapshot and --context cannot be combined');
  if (given.collector === true) {
    throw new UsageError('--snapshot and --collector cannot be combined; collector pods need a cluster');
  }
  if (given.interval !== undefined && given.interval !== null) {
    throw new UsageError(
      "--snapshot and --interval cannot be combined; the window is the snapshot's scrapes",
    );
  }
}

export function checkNamespaceConflict(namespace: string | null, allNamespaces: boolean): void {
  if (namespace !== null && allNamespaces) {
    throw new UsageError('--namespace and --all-namespaces cannot be combined');
  }
  if (namespace !== null && namespace.trim() === '')
    throw new UsageError('flag --namespace needs a namespace name');
}

/** The severities at or above a --fail-on level. */
export function failsOn(severity: 'error' | 'warning' | 'info', failOn: FailOn): boolean {
  const rank = { error: 3, warning: 2, info: 1, none: 4 } as const;
  return rank[severity] >= rank[failOn];
}
