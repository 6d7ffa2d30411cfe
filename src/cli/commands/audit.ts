// `kubectl podres audit [NODE…] [-l NODE_SELECTOR]` (cli.md §5.4): the named nodes, those the
// selector matches, or all nodes, each read as `describe node` reads it (`--concurrency` at a
// time) and analysed as soon as its facts are complete; prints an AuditReport (§8.4) whose node
// reports list only the pods with findings. Nodes without label kubernetes.io/os=linux are
// `skipped` (their kubelets are not read). An unreachable node never stops the others.
//
// Exit (cli.md §3): 2 for usage and input errors (an unknown node included), 3 for a
// cluster-level failure (nothing on stdout); otherwise the report is printed, then 1 for a finding
// at or above --fail-on (default error), else 3 when a selected node is unreachable, else 0.
// A progress line goes to stderr when the run lasts longer than 2 s and stderr is a terminal.

import { UsageError } from '../../errors.js';
import type { AnalysisOptions } from '../../drift/node-facts.js';
import { countPods, renderAuditTable } from '../../render/audit-table.js';
import type { NodePodCount } from '../../render/audit-table.js';
import { DOCUMENT_API_VERSION } from '../../schema/common.js';
import type { FailOn } from '../../schema/common.js';
import type { AuditReport, NodeReportBody } from '../../schema/reports.js';
import type { Io } from '../io.js';
import { realEvery, startProgress } from '../progress.js';
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
import type { ReadDeps } from '../read-command.js';
import {
  collectorFlagsOf,
  lastOf,
  listOf,
  parseCheckList,
  parseConcurrency,
  parseRequireSources,
  parseSelector,
} from '../read-options.js';
import type { CollectorFlags, Fidelity, ReadOutput } from '../read-options.js';

export interface AuditArgs {
  readonly nodes: readonly string[];
  /** -l */
  readonly selector: string | null;
  readonly output: ReadOutput;
  readonly noHeaders: boolean;
  readonly snapshot: string | null;
  readonly observations: readonly string[];
  readonly topologies: readonly string[];
  readonly fidelity: Fidelity;
  readonly failOn: FailOn;
  readonly requireSources: string | null;
  readonly checks: string | null;
  readonly skipChecks: string | null;
  readonly concurrency: unknown;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly requestTimeout: string;
  readonly debug: boolean;
  /** --collector and its settings (cli.md §5.8) */
  readonly collector: CollectorFlags;
}

/** The yargs arguments of `audit` → AuditArgs. */
export function auditArgsOf(a: Readonly<Record<string, unknown>>): AuditArgs {
  return {
    nodes: listOf(a.nodes),
    selector: lastOf(a.selector),
    output: (lastOf(a.output) ?? 'table') as ReadOutput,
    noHeaders: a['no-headers'] === true,
    snapshot: lastOf(a.snapshot),
    observations: listOf(a.observation),
    topologies: listOf(a.topology),
    fidelity: (lastOf(a.fidelity) ?? 'source') as Fidelity,
    failOn: (lastOf(a['fail-on']) ?? 'error') as FailOn,
    requireSources: lastOf(a['require-sources']),
    checks: lastOf(a.checks),
    skipChecks: lastOf(a['skip-checks']),
    concurrency: lastOf(a.concurrency) ?? undefined,
    kubeconfig: lastOf(a.kubeconfig),
    context: lastOf(a.context),
    requestTimeout: lastOf(a['request-timeout']) ?? '30s',
    debug: a.debug === true,
    collector: collectorFlagsOf(a),
  };
}

export async function auditCommand(args: AuditArgs, io: Io, deps: ReadDeps = {}): Promise<number> {
  // ----- flags: exit 2 before anything is read
  if (args.nodes.length > 0 && args.selector !== null) {
    throw new UsageError('node names and --selector cannot be combined');
  }
  if (args.nodes.some((n) => n.trim() === '')) throw new UsageError('audit: empty node name');
  const collector = collectorSettingsOf(args);
  const selector = parseSelector(args.selector);
  const concurrency = parseConcurrency(args.concurrency);
  const options: AnalysisOptions = {
    fidelity: args.fidelity,
    checks: args.checks === null ? null : parseCheckList('checks', args.checks),
    skipChecks: args.skipChecks === null ? [] : parseCheckList('skip-checks', args.skipChecks),
    requireSources: parseRequireSources(args.requireSources),
  };
  const opened = await openFacts(io, sourceFlagsOf(args, concurrency, collector), deps);
  const { provider } = opened;
  try {
    const selection = await provider.selectNodes(args.nodes, selector);
    const skipped = notLinuxNodes(selection);
    const clock = deps.clock ?? (() => new Date());
    const progress = startProgress(io.stderr, {
      label: 'audit',
      unit: 'nodes read',
      total: selection.nodes.length,
      now: () => clock().getTime(),
      every: deps.every ?? realEvery,
    });
    const reports = new Map<string, NodeReportBody>();
    const podCounts = new Map<string, NodePodCount>();
    let run;
    try {
      run = await analyseNodes(
        provider,
        selection,
        { metrics: true, cadvisorScrapes: 1, intervalMs: 0 },
        options,
        ({ report }) => {
          if (report.status !== 'skipped') podCounts.set(report.name, countPods(report));
          // an audit lists only the pods with findings
          reports.set(report.name, { ...report, pods: report.pods.filter((p) => p.findings.length > 0) });
          progress.step();
        },
        skipped,
      );
    } finally {
      progress.stop();
    }
    const nodes = [...reports.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const report = auditReport(nodes, args.failOn, provider.now);
    const warnings = [...selection.warnings, ...inputWarnings(opened, reports.keys()), ...run.warnings];
    if (run.proxyDenied) {
      warnings.push(
        proxyDeniedWarning(KUBELET_ENDPOINTS, checksConsequence(nodes.flatMap((n) => n.coverage))),
      );
    }
    writeWarnings(io, warnings);
    io.stdout.write(
      renderReport(args.output, args.noHeaders, report, (layout) =>
        renderAuditTable(report, { ...layout, podCounts }),
      ),
    );
    return report.summary.exitCode;
  } finally {
    provider.close();
  }
}

/** The AuditReport of analysed nodes (sorted by name), with its summary and exit code. */
export function auditReport(
  nodes: readonly NodeReportBody[],
  failOn: FailOn,
  generatedAt: string,
): AuditReport {
  const count = (status: NodeReportBody['status']) => nodes.filter((n) => n.status === status).length;
  const findings = nodes.flatMap((n) => n.findings);
  const severities = { error: 0, warning: 0, info: 0 };
  for (const f of findings) severities[f.severity]++;
  const unreachable = count('unreachable');
  return {
    apiVersion: DOCUMENT_API_VERSION,
    kind: 'AuditReport',
    generatedAt,
    failOn,
    nodes,
    summary: {
      nodes: nodes.length,
      audited: count('ok') + count('partial'),
      unreachable,
      skipped: count('skipped'),
      nodesWithFindings: nodes.filter((n) => n.findings.length > 0).length,
      findings: severities,
      exitCode: exitCodeOf(findings, failOn, unreachable > 0),
    },
  };
}
