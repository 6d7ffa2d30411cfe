// What `describe`, `audit` and `throttle` share once their flags are checked: reading the input
// files and opening the facts provider (a Snapshot, else the cluster), the run's warnings, the
// one warning for a denied `get nodes/proxy`, JSON/YAML output and the exit code (cli.md §3).
//
// Order (cli.md §3.1): the --observation and --topology files, then the --snapshot file, are read
// and checked before the cluster is contacted; a bad file is exit 2 with nothing on stdout.

import { analyzeNodeFull } from '../drift/analyze-node.js';
import type { NodeAnalysis } from '../drift/analyze-node.js';
import type { AnalysisOptions, NodeFacts } from '../drift/node-facts.js';
import { nodeObjectFacts } from '../drift/node-inputs.js';
import { parseSnapshot } from '../parse/snapshot.js';
import { renderJson, renderYaml } from '../render/document.js';
import { compareCodes } from '../render/report-table.js';
import type { FailOn } from '../schema/common.js';
import type { Coverage, Finding } from '../schema/reports.js';
import { collectorOptionsOf } from '../sources/collector.js';
import type { CollectorSettings, SignalHook } from '../sources/collector.js';
import { BUILD_INFO } from './build-info.js';
import { parseRequestTimeout } from './cluster-options.js';
import type { Io } from './io.js';
import { LiveFactsProvider, SnapshotFactsProvider } from './facts-provider.js';
import type { FactsProvider, GatherRequest, SelectionResult } from './facts-provider.js';
import { readObservations, readTopologies, unusedInputWarnings } from './node-inputs.js';
import type { Observations, Topologies } from './node-inputs.js';
import { openCluster } from './open-cluster.js';
import { checkSnapshotConflicts, failsOn, parseCollectorFlags } from './read-options.js';
import type { CollectorFlags, ReadOutput } from './read-options.js';
import { readInputBytes } from './read-input.js';
import { defaultCollectorImage } from './release-info.js';

/** Replaceable parts, for tests that call the commands directly. */
export interface ReadDeps {
  readonly openCluster?: typeof openCluster;
  /** the wall clock (scrape times, the run's `now`) */
  readonly clock?: () => Date;
  /** waits between the two cAdvisor scrapes of throttle */
  readonly sleep?: (ms: number) => Promise<void>;
  /** runs `tick` every `ms` until the returned function is called (audit progress) */
  readonly every?: (tick: () => void, ms: number) => () => void;
  /** a number in [0, 1) for collector pod names (default Math.random) */
  readonly random?: () => number;
  /** registers the SIGINT/SIGTERM handler while collector pods exist (cmd/ hooks the process) */
  readonly onSignal?: SignalHook;
  /** time between two GETs of a collector pod (default 1 s) */
  readonly collectorPollMs?: number;
}

export interface SourceFlags {
  readonly snapshot: string | null;
  readonly observations: readonly string[];
  readonly topologies: readonly string[];
  readonly kubeconfig: string | null;
  readonly context: string | null;
  /** milliseconds, 0 = none */
  readonly requestTimeoutMs: number;
  readonly concurrency: number;
  readonly debug: boolean;
  /** --collector (describe, audit; absent or null: off) */
  readonly collector?: CollectorSettings | null;
}

/** The source flags as the arguments of `describe`, `audit` and `throttle` carry them. */
export interface SourceArgs {
  readonly snapshot: string | null;
  readonly observations: readonly string[];
  readonly topologies: readonly string[];
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly requestTimeout: string;
  readonly debug: boolean;
}

/** SourceFlags of a command's arguments; a bad --request-timeout is a UsageError (exit 2). */
export function sourceFlagsOf(
  args: SourceArgs,
  concurrency: number,
  collector: CollectorSettings | null = null,
): SourceFlags {
  return {
    snapshot: args.snapshot,
    observations: args.observations,
    topologies: args.topologies,
    kubeconfig: args.kubeconfig,
    context: args.context,
    requestTimeoutMs: parseRequestTimeout(args.requestTimeout),
    concurrency,
    debug: args.debug,
    collector,
  };
}

/**
 * --collector and its settings (describe, audit): a --snapshot run takes no cluster flag and no
 * --collector, then the settings are checked (both exit 2); null when --collector is off.
 */
export function collectorSettingsOf(
  args: Pick<SourceArgs, 'snapshot' | 'kubeconfig' | 'context'> & { readonly collector: CollectorFlags },
): CollectorSettings | null {
  checkSnapshotConflicts(args.snapshot, {
    kubeconfig: args.kubeconfig,
    context: args.context,
    collector: args.collector.collector,
  });
  return parseCollectorFlags(args.collector, defaultCollectorImage(BUILD_INFO.version));
}

export interface OpenedFacts {
  readonly provider: FactsProvider;
  readonly observations: Observations;
  readonly topologies: Topologies;
}

/** Reads the input files, then the snapshot or the kubeconfig; the caller closes the provider. */
export async function openFacts(io: Io, flags: SourceFlags, deps: ReadDeps): Promise<OpenedFacts> {
  const observations = await readObservations(io, flags.observations);
  const topologies = await readTopologies(io, flags.topologies);
  const inputs = { observations, topologies };
  if (flags.snapshot !== null) {
    const snapshot = parseSnapshot(await readInputBytes(io, flags.snapshot, 'snapshot'), flags.snapshot);
    return {
      provider: new SnapshotFactsProvider(snapshot, flags.snapshot, inputs),
      observations,
      topologies,
    };
  }
  const source = await (deps.openCluster ?? openCluster)(io, {
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    requestTimeoutMs: flags.requestTimeoutMs,
    concurrency: flags.concurrency,
    debug: flags.debug,
  });
  const clock = deps.clock ?? (() => new Date());
  const provider = new LiveFactsProvider(source, inputs, {
    concurrency: flags.concurrency,
    clock,
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
    collector:
      flags.collector === undefined || flags.collector === null
        ? null
        : collectorOptionsOf(flags.collector, flags.concurrency, deps),
  });
  return { provider, observations, topologies };
}

/** Warnings for --observation/--topology inputs of nodes that were not selected. */
export function inputWarnings(opened: OpenedFacts, selected: Iterable<string>): string[] {
  return unusedInputWarnings(new Set(selected), opened.observations, opened.topologies);
}

export function writeWarnings(io: Io, lines: Iterable<string>): void {
  for (const line of lines) io.stderr.write(`warning: ${line}\n`);
}

const KUBELET_EVIDENCE = new Set(['configz', 'metrics', 'cadvisor']);

/** What describe and audit read through the node proxy. */
export const KUBELET_ENDPOINTS = '/configz, /metrics and /metrics/cadvisor';

/** The checks of these coverages that were not (fully) made for want of a kubelet endpoint. */
export function checksNeedingKubelet(coverage: Iterable<Coverage>): string[] {
  const codes = new Set<string>();
  for (const c of coverage) {
    if (c.status !== 'not-checked' && c.status !== 'partial') continue;
    if (
      c.missing.some((m) => KUBELET_EVIDENCE.has(m)) ||
      /^(configz|metrics|cadvisor)\b/.test(c.reason ?? '')
    ) {
      codes.add(c.code);
    }
  }
  return [...codes].sort(compareCodes);
}

/**
 * The one warning of a run whose access review denied `get nodes/proxy` (instead of a 403 per
 * node and endpoint): which endpoints, and what was left undone for want of them.
 */
export function proxyDeniedWarning(endpoints: string, consequence: string): string {
  return `cannot read the kubelets' ${endpoints} through the API server: forbidden (403); needs get on nodes/proxy; ${consequence}`;
}

/** The consequence for describe and audit: the checks left out. */
export function checksConsequence(coverage: Iterable<Coverage>): string {
  const codes = checksNeedingKubelet(coverage);
  return codes.length === 0 ? 'no check needed them' : `not checked or partial: ${codes.join(',')}`;
}

export function renderDocument(output: ReadOutput, doc: unknown): string {
  return output === 'yaml' ? renderYaml(doc) : renderJson(doc);
}

/** How `-o table|wide` and --no-headers lay a table out. */
export interface TableLayout {
  readonly wide: boolean;
  readonly noHeaders: boolean;
}

/** The report as JSON or YAML (`-o json|yaml`), else the table `table` renders for the layout. */
export function renderReport(
  output: ReadOutput,
  noHeaders: boolean,
  doc: unknown,
  table: (layout: TableLayout) => string,
): string {
  return output === 'json' || output === 'yaml'
    ? renderDocument(output, doc)
    : table({ wide: output === 'wide', noHeaders });
}

/** cli.md §3.3: 1 for a finding at or above --fail-on, else 3 for an unreachable node, else 0. */
export function exitCodeOf(
  findings: Iterable<Pick<Finding, 'severity'>>,
  failOn: FailOn,
  unreachable: boolean,
): 0 | 1 | 3 {
  for (const f of findings) if (failsOn(f.severity, failOn)) return 1;
  return unreachable ? 3 : 0;
}

/** Selected nodes whose Node object says they are not linux (cli.md §5.4: skipped, not read). */
export function notLinuxNodes(selection: SelectionResult): Set<string> {
  return new Set(
    selection.nodes.filter((n) => n.node !== null && !nodeObjectFacts(n.node).linux).map((n) => n.name),
  );
}

export interface AnalysedRun {
  readonly proxyDenied: boolean;
  /**
   * per node, in node-name order: failed sources, then what the analysis noticed; then the
   * collector pods that could not be deleted
   */
  readonly warnings: readonly string[];
}

/**
 * The node's analysis; when it throws (a bug in the engine, never an input error: inputs are
 * checked or tolerated), the analysis of the node with nothing read but that error, so the node
 * stays in the report as unreachable with the message, and the other nodes are unaffected.
 */
export function analyseOrFail(
  facts: NodeFacts,
  options: AnalysisOptions,
): { readonly analysis: NodeAnalysis; readonly failure: string | null } {
  try {
    return { analysis: analyzeNodeFull(facts, options), failure: null };
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n', 1)[0] ?? '';
    const failure =
      `cannot analyse the node: internal error (${why}); please report it with a snapshot of the ` +
      `node (kubectl podres snapshot -o FILE ${facts.name})`;
    const nothing: NodeFacts = {
      ...facts,
      node: null,
      configz: null,
      metrics: null,
      cadvisor: [],
      observation: null,
      observationFrom: null,
      topology: null,
      pods: [],
      errors: [{ source: 'node', status: 'invalid', httpStatus: null, message: failure }],
    };
    return { analysis: analyzeNodeFull(nothing, options), failure };
  }
}

/**
 * Gathers and analyses the selected nodes, handing each analysis to `onAnalysis` as soon as the
 * node's facts are complete (so a big audit keeps no kubelet texts around). Nodes in `skipReads`
 * get only their Node object read.
 */
export async function analyseNodes(
  provider: FactsProvider,
  selection: SelectionResult,
  request: GatherRequest,
  options: AnalysisOptions,
  onAnalysis: (analysis: NodeAnalysis) => void,
  skipReads: ReadonlySet<string> = new Set(),
): Promise<AnalysedRun> {
  const byNode = new Map<string, string[]>();
  const outcome = await provider.gather(
    selection,
    request,
    ({ facts, warnings }) => {
      const { analysis, failure } = analyseOrFail(facts, options);
      byNode.set(facts.name, [
        ...warnings,
        ...(failure === null ? [] : [`node ${facts.name}: ${failure}`]),
        ...analysis.context.warnings.map((w) => `node ${facts.name}: ${w}`),
      ]);
      onAnalysis(analysis);
    },
    skipReads,
  );
  const names = [...byNode.keys()].sort();
  return {
    proxyDenied: outcome.proxyDenied,
    warnings: [...names.flatMap((n) => byNode.get(n) ?? []), ...(outcome.warnings ?? [])],
  };
}
