// `kubectl podres describe pod NAME [-n NS]` (also `pod/NAME`, `po NAME`) and
// `kubectl podres describe node NAME` (also `node/NAME`, `no NAME`), cli.md §5.2–§5.3: one node's
// facts (live or from --snapshot) through the drift engine, printed as a PodReport or NodeReport.
//
// Exit (cli.md §3): 2 for usage and input errors (an unknown pod or node included), 3 for a
// cluster-level failure (nothing on stdout); otherwise the report is printed, then 1 for a finding
// at or above --fail-on (default none), else 3 when the node is unreachable, else 0. A pod bound to
// no node gets a report with nothing expected or checked, exit 0.

import { UsageError } from '../../errors.js';
import { podReport, unboundPodReport } from '../../drift/analyze-node.js';
import type { NodeAnalysis } from '../../drift/analyze-node.js';
import { POD_COVERAGE_CODES } from '../../drift/coverage.js';
import type { AnalysisOptions } from '../../drift/node-facts.js';
import { renderDescribeNodeTable } from '../../render/describe-node-table.js';
import { renderDescribePodTable } from '../../render/describe-pod-table.js';
import type { PodNodeContext } from '../../render/describe-pod-table.js';
import { DOCUMENT_API_VERSION } from '../../schema/common.js';
import type { FailOn } from '../../schema/common.js';
import type { NodeReport, PodReport } from '../../schema/reports.js';
import { podNodeName } from '../facts-provider.js';
import type { FactsProvider, GatherRequest, SelectionResult } from '../facts-provider.js';
import type { Io } from '../io.js';
import {
  KUBELET_ENDPOINTS,
  analyseNodes,
  checksConsequence,
  collectorSettingsOf,
  exitCodeOf,
  inputWarnings,
  notLinuxNodes,
  openFacts,
  proxyDeniedWarning,
  renderReport,
  sourceFlagsOf,
  writeWarnings,
} from '../read-command.js';
import type { OpenedFacts, ReadDeps } from '../read-command.js';
import {
  checkNamespaceConflict,
  collectorFlagsOf,
  lastOf,
  listOf,
  parseRequireSources,
} from '../read-options.js';
import type { CollectorFlags, Fidelity, ReadOutput } from '../read-options.js';

export interface DescribeArgs {
  /** the first positional: pod, pods, po, node, nodes, no, or TYPE/NAME */
  readonly kind: string | null;
  readonly name: string | null;
  /** -n; null = the context's namespace */
  readonly namespace: string | null;
  readonly output: ReadOutput;
  readonly noHeaders: boolean;
  readonly snapshot: string | null;
  readonly observations: readonly string[];
  readonly topologies: readonly string[];
  readonly fidelity: Fidelity;
  readonly failOn: FailOn;
  readonly requireSources: string | null;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly requestTimeout: string;
  readonly debug: boolean;
  /** --collector and its settings (cli.md §5.8) */
  readonly collector: CollectorFlags;
}

/** The yargs arguments of `describe` → DescribeArgs. */
export function describeArgsOf(a: Readonly<Record<string, unknown>>): DescribeArgs {
  return {
    kind: lastOf(a.kind),
    name: lastOf(a.name),
    namespace: lastOf(a.namespace),
    output: (lastOf(a.output) ?? 'table') as ReadOutput,
    noHeaders: a['no-headers'] === true,
    snapshot: lastOf(a.snapshot),
    observations: listOf(a.observation),
    topologies: listOf(a.topology),
    fidelity: (lastOf(a.fidelity) ?? 'source') as Fidelity,
    failOn: (lastOf(a['fail-on']) ?? 'none') as FailOn,
    requireSources: lastOf(a['require-sources']),
    kubeconfig: lastOf(a.kubeconfig),
    context: lastOf(a.context),
    requestTimeout: lastOf(a['request-timeout']) ?? '30s',
    debug: a.debug === true,
    collector: collectorFlagsOf(a),
  };
}

const KINDS: Readonly<Record<string, 'pod' | 'node'>> = {
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  node: 'node',
  nodes: 'node',
  no: 'node',
};

/** `pod NAME`, `pod/NAME`, `po NAME`, `node NAME`, … → what to describe. */
export function describeTarget(
  kind: string | null,
  name: string | null,
): { kind: 'pod' | 'node'; name: string } {
  if (kind === null || kind === '') {
    throw new UsageError('describe: missing resource type; expected pod NAME or node NAME');
  }
  const slash = kind.indexOf('/');
  const type = slash < 0 ? kind : kind.slice(0, slash);
  const resolved = KINDS[type.toLowerCase()];
  if (resolved === undefined)
    throw new UsageError(`describe: unknown resource type "${type}"; expected pod or node`);
  if (slash >= 0) {
    if (name !== null) throw new UsageError(`unexpected argument "${name}" for "describe"`);
    const inline = kind.slice(slash + 1);
    if (inline === '') throw new UsageError(`describe ${resolved}: missing ${resolved} name`);
    return { kind: resolved, name: inline };
  }
  if (name === null || name === '') throw new UsageError(`describe ${resolved}: missing ${resolved} name`);
  return { kind: resolved, name };
}

/** Everything describe reads about a node: /configz, /metrics and one cAdvisor scrape. */
const REQUEST: GatherRequest = { metrics: true, cadvisorScrapes: 1, intervalMs: 0 };

interface OneNode {
  readonly analysis: NodeAnalysis;
  readonly warnings: string[];
}

/** Gathers and analyses one node; a node that is not linux is not read (its report is skipped). */
async function analyseOne(
  provider: FactsProvider,
  selection: SelectionResult,
  options: AnalysisOptions,
): Promise<OneNode> {
  const name = selection.nodes[0]?.name ?? '';
  const analysed: NodeAnalysis[] = [];
  const run = await analyseNodes(
    provider,
    selection,
    REQUEST,
    options,
    (a) => analysed.push(a),
    notLinuxNodes(selection),
  );
  const found = analysed[0];
  if (found === undefined) throw new Error(`node ${name} was selected but not analysed`);
  const warnings = [...selection.warnings, ...run.warnings];
  if (run.proxyDenied)
    warnings.push(proxyDeniedWarning(KUBELET_ENDPOINTS, checksConsequence(found.report.coverage)));
  return { analysis: found, warnings };
}

export async function describeCommand(args: DescribeArgs, io: Io, deps: ReadDeps = {}): Promise<number> {
  // ----- flags: exit 2 before anything is read
  const target = describeTarget(args.kind, args.name);
  const collector = collectorSettingsOf(args);
  checkNamespaceConflict(args.namespace, false);
  const options: AnalysisOptions = {
    fidelity: args.fidelity,
    checks: null,
    skipChecks: [],
    requireSources: parseRequireSources(args.requireSources),
  };
  const opened = await openFacts(io, sourceFlagsOf(args, 1, collector), deps);
  const { provider } = opened;
  try {
    return target.kind === 'pod'
      ? await describePod(io, args, provider, target.name, options, opened)
      : await describeNode(io, args, provider, target.name, options, opened);
  } finally {
    provider.close();
  }
}

async function describePod(
  io: Io,
  args: DescribeArgs,
  provider: FactsProvider,
  name: string,
  options: AnalysisOptions,
  opened: OpenedFacts,
): Promise<number> {
  const namespace = args.namespace ?? provider.namespace;
  const pod = await provider.getPod(namespace, name);
  const nodeName = podNodeName(pod);
  let report: PodReport;
  let warnings: string[];
  let unreachable = false;
  let nodeContext: PodNodeContext | null = null;
  if (nodeName === '') {
    report = unboundPodReport(pod);
    warnings = inputWarnings(opened, []);
  } else {
    const one = await analyseOne(provider, await provider.nodesByName([nodeName]), options);
    const node = one.analysis.report;
    warnings = [...inputWarnings(opened, [nodeName]), ...one.warnings];
    if (node.status === 'skipped') {
      // nothing of a node that is not linux is read or checked: the pod's status only
      const reason = node.coverage[0]?.reason ?? 'the node is skipped';
      const codes = new Set(POD_COVERAGE_CODES);
      report = {
        ...unboundPodReport(pod),
        node: nodeName,
        coverage: node.coverage.filter((c) => codes.has(c.code)).map((c) => ({ ...c, reason })),
      };
    } else {
      const found = podReport(one.analysis, namespace, name);
      // the pod was deleted between its GET and the node's pod list
      if (found === null) throw new UsageError(`pod "${name}" not found in namespace "${namespace}"`);
      report = found;
    }
    unreachable = node.status === 'unreachable';
    nodeContext = { kubeletVersion: node.kubeletVersion, sources: node.sources };
  }
  writeWarnings(io, warnings);
  io.stdout.write(
    renderReport(args.output, args.noHeaders, report, (layout) =>
      renderDescribePodTable(report, { ...layout, node: nodeContext }),
    ),
  );
  return exitCodeOf(report.findings, args.failOn, unreachable);
}

async function describeNode(
  io: Io,
  args: DescribeArgs,
  provider: FactsProvider,
  name: string,
  options: AnalysisOptions,
  opened: OpenedFacts,
): Promise<number> {
  // an unknown node is exit 2
  const one = await analyseOne(provider, await provider.selectNodes([name], null), options);
  const report: NodeReport = { apiVersion: DOCUMENT_API_VERSION, kind: 'NodeReport', ...one.analysis.report };
  writeWarnings(io, [...inputWarnings(opened, [name]), ...one.warnings]);
  io.stdout.write(
    renderReport(args.output, args.noHeaders, report, (layout) => renderDescribeNodeTable(report, layout)),
  );
  return exitCodeOf(report.findings, args.failOn, report.status === 'unreachable');
}
