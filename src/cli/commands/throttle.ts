// `kubectl podres throttle [POD] [-n NS | -A] [-l POD_SELECTOR]` (cli.md §5.5): CFS throttling per
// container from cAdvisor, joined with the expected assignment and quota of each node's replay and
// a cause (§7.3); prints a ThrottleReport (§8.5).
//
// Pods: POD in the namespace, else the pods of the namespace (or all with -A) matching -l; only
// pods bound to a node (--node: to that node). Per node of those pods: the Node, all its pods (the
// replay needs them), /configz (missing: expected columns blank) and /metrics/cadvisor, scraped
// twice `--interval` apart (one scrape with --since-start). With --snapshot the window is the
// snapshot's scrapes: two → interval, one → cumulative.
//
// Exit (cli.md §3): 2 for usage and input errors, 3 for a cluster-level failure; otherwise the
// report is printed, then 1 for a finding at or above --fail-on (default none), else 3 when a node
// is unreachable (node object or cAdvisor not read), else 0.

import { UsageError } from '../../errors.js';
import type { NodeAnalysis } from '../../drift/analyze-node.js';
import type { AnalysisOptions } from '../../drift/node-facts.js';
import { buildThrottle } from '../../drift/throttle.js';
import type { ThrottleNodeInput, ThrottlePodInput } from '../../drift/throttle.js';
import { parseCpuList } from '../../model/cpuset.js';
import { renderThrottleTable } from '../../render/throttle-table.js';
import type { FailOn } from '../../schema/common.js';
import { podNodeName } from '../facts-provider.js';
import type { KubeObject } from '../../sources/cluster/cluster-source.js';
import type { Io } from '../io.js';
import {
  analyseNodes,
  exitCodeOf,
  inputWarnings,
  notLinuxNodes,
  openFacts,
  proxyDeniedWarning,
  renderReport,
  sourceFlagsOf,
  writeWarnings,
} from '../read-command.js';
import type { ReadDeps } from '../read-command.js';
import {
  DEFAULT_THROTTLE_INTERVAL,
  checkNamespaceConflict,
  checkSnapshotConflicts,
  lastOf,
  listOf,
  parseConcurrency,
  parseInterval,
  parseSelector,
  parseThreshold,
} from '../read-options.js';
import type { Fidelity, ReadOutput } from '../read-options.js';

export interface ThrottleArgs {
  readonly pod: string | null;
  readonly namespace: string | null;
  readonly allNamespaces: boolean;
  /** -l */
  readonly selector: string | null;
  readonly interval: string | null;
  readonly sinceStart: boolean;
  readonly threshold: string | null;
  readonly all: boolean;
  /** --node */
  readonly node: string | null;
  readonly output: ReadOutput;
  readonly noHeaders: boolean;
  readonly snapshot: string | null;
  readonly observations: readonly string[];
  readonly topologies: readonly string[];
  readonly fidelity: Fidelity;
  readonly failOn: FailOn;
  readonly concurrency: unknown;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly requestTimeout: string;
  readonly debug: boolean;
}

/** The yargs arguments of `throttle` → ThrottleArgs. */
export function throttleArgsOf(a: Readonly<Record<string, unknown>>): ThrottleArgs {
  return {
    pod: lastOf(a.pod),
    namespace: lastOf(a.namespace),
    allNamespaces: a['all-namespaces'] === true,
    selector: lastOf(a.selector),
    interval: lastOf(a.interval),
    sinceStart: a['since-start'] === true,
    threshold: lastOf(a.threshold),
    all: a.all === true,
    node: lastOf(a.node),
    output: (lastOf(a.output) ?? 'table') as ReadOutput,
    noHeaders: a['no-headers'] === true,
    snapshot: lastOf(a.snapshot),
    observations: listOf(a.observation),
    topologies: listOf(a.topology),
    fidelity: (lastOf(a.fidelity) ?? 'source') as Fidelity,
    failOn: (lastOf(a['fail-on']) ?? 'none') as FailOn,
    concurrency: lastOf(a.concurrency) ?? undefined,
    kubeconfig: lastOf(a.kubeconfig),
    context: lastOf(a.context),
    requestTimeout: lastOf(a['request-timeout']) ?? '30s',
    debug: a.debug === true,
  };
}

function metaOf(pod: object): { namespace: string; name: string } {
  const meta = (pod as { metadata?: { namespace?: unknown; name?: unknown } }).metadata;
  return {
    namespace: typeof meta?.namespace === 'string' ? meta.namespace : '',
    name: typeof meta?.name === 'string' ? meta.name : '',
  };
}

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

/** CPUs of a cpuset text, null when absent. */
function cpuCount(cpus: string | undefined | null): number | null {
  return cpus === undefined || cpus === null ? null : parseCpuList(cpus).size;
}

/**
 * One node of the throttle analysis from its drift analysis: the selected pods' reports and raw
 * objects, the counts of count mode (no topology: the replay ran on a synthetic machine, so only
 * the sizes of its cpusets mean anything), the parsed cAdvisor scrapes and the node's sources.
 */
export function throttleNodeInput(analysis: NodeAnalysis, selected: ReadonlySet<string>): ThrottleNodeInput {
  const ctx = analysis.context;
  const raw = new Map<string, object>();
  for (const p of analysis.facts.pods) {
    const m = metaOf(p);
    raw.set(key(m.namespace, m.name), p);
  }
  const reports = new Map(analysis.report.pods.map((p) => [key(p.namespace, p.name), p]));
  const synthetic = ctx.replay !== null && ctx.replay.ok && ctx.replay.synthetic;
  const pods: ThrottlePodInput[] = [];
  for (const p of ctx.pods) {
    const k = key(p.status.namespace, p.status.name);
    const report = reports.get(k);
    if (!selected.has(k) || report === undefined) continue;
    const input: ThrottlePodInput = { report, pod: raw.get(k) ?? null };
    if (synthetic && p.expected !== null) {
      const cpuCounts: Record<string, number> = {};
      for (const c of p.expected.containers) cpuCounts[c.name] = parseCpuList(c.cpus).size;
      const pool = cpuCount(p.expected.podSharedPool?.cpus);
      pods.push({ ...input, cpuCounts, ...(pool === null ? {} : { podSharedPoolCpuCount: pool }) });
    } else pods.push(input);
  }
  const sources = analysis.report.sources;
  return {
    name: analysis.facts.name,
    sources: { node: sources.node, configz: sources.configz, cadvisor: sources.cadvisor },
    cadvisor: ctx.metrics.cadvisor.map((cpu, i) => ({
      scrapedAt: ctx.metrics.cadvisorScrapedAt[i] ?? '',
      cpu,
    })),
    pods,
  };
}

export async function throttleCommand(args: ThrottleArgs, io: Io, deps: ReadDeps = {}): Promise<number> {
  // ----- flags: exit 2 before anything is read
  checkNamespaceConflict(args.namespace, args.allNamespaces);
  if (args.pod !== null) {
    if (args.pod.trim() === '') throw new UsageError('throttle: empty pod name');
    if (args.selector !== null) throw new UsageError('a pod name and --selector cannot be combined');
    if (args.allNamespaces) throw new UsageError('a pod name and --all-namespaces cannot be combined');
  }
  checkSnapshotConflicts(args.snapshot, {
    kubeconfig: args.kubeconfig,
    context: args.context,
    interval: args.interval,
  });
  if (args.sinceStart && args.interval !== null)
    throw new UsageError('--since-start and --interval cannot be combined');
  if (args.node !== null && args.node.trim() === '') throw new UsageError('flag --node needs a node name');
  const intervalMs = parseInterval(args.interval ?? DEFAULT_THROTTLE_INTERVAL);
  const threshold = parseThreshold(args.threshold);
  const selector = parseSelector(args.selector);
  const concurrency = parseConcurrency(args.concurrency);
  const options: AnalysisOptions = {
    fidelity: args.fidelity,
    checks: null,
    skipChecks: [],
    requireSources: [],
  };

  const opened = await openFacts(io, sourceFlagsOf(args, concurrency), deps);
  const { provider } = opened;
  try {
    const warnings: string[] = [];
    // an unknown --node is exit 2
    if (args.node !== null) await provider.selectNodes([args.node], null);
    const namespace = args.namespace ?? provider.namespace;
    let pods: KubeObject[];
    if (args.pod !== null) {
      const pod = await provider.getPod(namespace, args.pod);
      if (podNodeName(pod) === '') warnings.push(`pod "${namespace}/${args.pod}" is not bound to a node`);
      pods = [pod];
    } else pods = await provider.listPods(args.allNamespaces ? null : namespace, selector);
    const bound = pods.filter((p) => {
      const node = podNodeName(p);
      return node !== '' && (args.node === null || node === args.node);
    });
    const selected = new Set(bound.map((p) => key(metaOf(p).namespace, metaOf(p).name)));
    const selection = await provider.nodesByName(bound.map(podNodeName));
    const notLinux = notLinuxNodes(selection);
    for (const name of notLinux) warnings.push(`node ${name} is not a linux node; its pods are left out`);
    const read = { ...selection, nodes: selection.nodes.filter((n) => !notLinux.has(n.name)) };

    const inputs: ThrottleNodeInput[] = [];
    const run = await analyseNodes(
      provider,
      read,
      { metrics: false, cadvisorScrapes: args.sinceStart ? 1 : 2, intervalMs },
      options,
      (analysis) => inputs.push(throttleNodeInput(analysis, selected)),
    );
    const mode = windowMode(provider.mode, args.sinceStart, inputs);
    if (mode.warning !== null) warnings.push(mode.warning);
    inputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const report = buildThrottle(inputs, {
      mode: mode.mode,
      threshold,
      all: args.all || args.pod !== null,
      now: provider.now,
    });
    warnings.push(
      ...inputWarnings(
        opened,
        read.nodes.map((n) => n.name),
      ),
      ...run.warnings,
    );
    if (run.proxyDenied) {
      warnings.push(
        proxyDeniedWarning(
          '/configz and /metrics/cadvisor',
          'no throttling measured, expected columns blank',
        ),
      );
    }
    writeWarnings(io, warnings);
    io.stdout.write(
      renderReport(args.output, args.noHeaders, report, (layout) => renderThrottleTable(report, layout)),
    );
    return exitCodeOf(
      report.findings,
      args.failOn,
      report.nodes.some((n) => n.status === 'unreachable'),
    );
  } finally {
    provider.close();
  }
}

/**
 * The window: --since-start → cumulative; live → interval; a snapshot → interval when every node
 * with scrapes has two, else cumulative (counters since each cgroup started).
 */
function windowMode(
  mode: 'live' | 'snapshot',
  sinceStart: boolean,
  inputs: readonly ThrottleNodeInput[],
): { mode: 'interval' | 'cumulative'; warning: string | null } {
  if (sinceStart) return { mode: 'cumulative', warning: null };
  if (mode === 'live') return { mode: 'interval', warning: null };
  const scraped = inputs.filter((n) => n.cadvisor.length > 0);
  if (scraped.every((n) => n.cadvisor.length >= 2)) return { mode: 'interval', warning: null };
  const two = scraped.filter((n) => n.cadvisor.length >= 2).length;
  return {
    mode: 'cumulative',
    warning:
      two === 0
        ? null
        : `the snapshot has one cAdvisor scrape for ${scraped.length - two} of ${scraped.length} nodes; ratios are cumulative since each cgroup started`,
  };
}
