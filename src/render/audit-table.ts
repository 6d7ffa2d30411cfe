// `audit` table layout (cli.md §9): one row per node (NODE, VERSION, CPU, MEMORY, TOPOLOGY, PLRM,
// PODS, SOURCES, E, W, I, STATUS; `-o wide` adds CPU OPTIONS, RESERVED, NUMA, POD-LEVEL PODS),
// then the FINDINGS lines (errors and warnings; wide: info too, with expected, observed and
// evidence), the `not checked:` lines (wide: the coverage table) and the summary line.

import type { Severity } from '../schema/common.js';
import type { AuditReport, NodeReportBody } from '../schema/reports.js';
import { nodeStatusCell, optionsText } from './describe-node-table.js';
import {
  coverageSection,
  dash,
  droppedNote,
  findingsSection,
  fittedTable,
  notCheckedLines,
  sourcesCell,
  unreachableReason,
} from './report-table.js';
import type { ReportTableOptions } from './report-table.js';
import type { Cell, ColumnFit } from './table.js';
import { currentTerminal } from './terminal.js';
import type { Terminal } from './terminal.js';

/** Pods bound to a node: all of them, and the pod-level ones (Guaranteed with spec.resources). */
export interface NodePodCount {
  readonly pods: number;
  readonly podLevelPods: number;
}

export interface AuditTableOptions extends ReportTableOptions {
  /**
   * Per node name, its pod counts. An AuditReport lists only the pods with findings, so the
   * counts come from the full node reports (`countPods`); a node missing here shows `-`.
   */
  readonly podCounts: ReadonlyMap<string, NodePodCount>;
}

/** The pod counts of a full node report (every pod bound to the node). */
export function countPods(node: NodeReportBody): NodePodCount {
  return {
    pods: node.pods.length,
    podLevelPods: node.pods.filter((p) => p.podLevel && p.qosClass === 'Guaranteed').length,
  };
}

const HEADERS = [
  'NODE',
  'VERSION',
  'CPU',
  'MEMORY',
  'TOPOLOGY',
  'PLRM',
  'PODS',
  'SOURCES',
  'E',
  'W',
  'I',
  'STATUS',
];
const WIDE_HEADERS = ['CPU OPTIONS', 'RESERVED', 'NUMA', 'POD-LEVEL PODS'];
const FITS: readonly ColumnFit[] = [
  ...HEADERS.map((): ColumnFit => ({})),
  { shrink: 'list', drop: 3 },
  { shrink: 'list', drop: 4 },
  { drop: 1 },
  { drop: 2 },
];

function countCell(n: number, colour: 'red' | 'yellow' | null): Cell {
  return n > 0 && colour !== null ? { text: String(n), colour } : String(n);
}

function nodeRow(node: NodeReportBody, counts: NodePodCount | undefined, wide: boolean): Cell[] {
  const c = node.config;
  const bySeverity = (s: Severity) => node.findings.filter((f) => f.severity === s).length;
  const row: Cell[] = [
    node.name,
    dash(node.kubeletVersion),
    c === null ? '-' : c.cpuManagerPolicy,
    c === null ? '-' : c.memoryManagerPolicy,
    c === null ? '-' : `${c.topologyManagerPolicy}/${c.topologyManagerScope}`,
    c === null ? '-' : c.podLevelManagers,
    counts === undefined ? '-' : String(counts.pods),
    sourcesCell(node.sources),
    countCell(bySeverity('error'), 'red'),
    countCell(bySeverity('warning'), 'yellow'),
    countCell(bySeverity('info'), null),
    nodeStatusCell(node.status),
  ];
  if (!wide) return row;
  return [
    ...row,
    c === null ? '-' : dash(optionsText(c.cpuManagerPolicyOptions)),
    c === null ? '-' : dash(c.reservedCpus),
    node.topology === null ? '-' : String(node.topology.numaNodes),
    counts === undefined ? '-' : String(counts.podLevelPods),
  ];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `3 nodes: 2 audited, 1 unreachable, 0 skipped; 1 error, 1 warning, 3 info` */
export function auditSummaryLine(summary: AuditReport['summary']): string {
  const f = summary.findings;
  return (
    `${plural(summary.nodes, 'node', 'nodes')}: ${summary.audited} audited, ${summary.unreachable} unreachable, ` +
    `${summary.skipped} skipped; ${plural(f.error, 'error', 'errors')}, ${plural(f.warning, 'warning', 'warnings')}, ${f.info} info`
  );
}

export function renderAuditTable(report: AuditReport, opts: AuditTableOptions): string {
  const terminal: Terminal = opts.terminal ?? currentTerminal();
  const rows = report.nodes.map((n) => nodeRow(n, opts.podCounts.get(n.name), opts.wide));
  const headers = opts.wide ? [...HEADERS, ...WIDE_HEADERS] : HEADERS;
  const { text, dropped } = fittedTable(headers, rows, FITS, opts.noHeaders, terminal);
  if (opts.noHeaders) return text;
  const findings = report.nodes.flatMap((n) => n.findings).filter((f) => opts.wide || f.severity !== 'info');
  const out = [text, droppedNote(dropped, terminal), findingsSection(findings, opts.wide, terminal)];
  const audited = report.nodes.filter((n) => n.status !== 'skipped');
  if (opts.wide) {
    out.push(
      coverageSection(
        audited.map((n) => ({ node: n.name, coverage: n.coverage })),
        true,
        terminal,
      ),
    );
  } else {
    for (const n of audited) {
      const unreachable =
        n.status === 'unreachable' ? { unreachableReason: unreachableReason(n.sources) } : {};
      out.push(
        ...notCheckedLines({ coverage: n.coverage, node: n.name, ...unreachable }).map((l) => l + '\n'),
      );
    }
  }
  out.push(auditSummaryLine(report.summary) + '\n');
  return out.join('');
}
