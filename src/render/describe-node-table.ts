// `describe node` table layout (cli.md §9): preamble lines NODE, CONFIG, POOLS, SOURCES, METRICS;
// one row per container of every pod on the node (admission order) with the comparing cells of
// `describe pod`; then the FINDINGS lines (all severities) and the `not checked:` lines (`-o
// wide`: the coverage table).

import type { Metrics } from '../schema/common.js';
import type { NodeReportBody } from '../schema/reports.js';
import { CONTAINER_WIDE_FITS, CONTAINER_WIDE_HEADERS, containerRow, preamble } from './describe-pod-table.js';
import {
  compareCell,
  coverageSection,
  dash,
  droppedNote,
  findingsSection,
  fittedTable,
  notCheckedLines,
  sourceFailureText,
  sourcesCell,
  unreachableReason,
} from './report-table.js';
import type { ReportTableOptions, Verdict } from './report-table.js';
import type { Cell, ColumnFit } from './table.js';
import { currentTerminal, paint } from './terminal.js';
import type { Terminal } from './terminal.js';

export type DescribeNodeTableOptions = ReportTableOptions;

const HEADERS = ['NAMESPACE', 'POD', 'CONTAINER', 'TYPE', 'CPU', 'MEMORY', 'CPUS', 'NUMA', 'CFS', 'FINDINGS'];
const FITS: readonly ColumnFit[] = [
  ...HEADERS.map((h): ColumnFit => (h === 'CPUS' || h === 'NUMA' ? { shrink: 'list' } : {})),
  ...CONTAINER_WIDE_FITS,
];

const STATUS_COLOUR = { ok: 'green', partial: 'yellow', unreachable: 'red' } as const;

/** A node status, coloured when colours are on (ok green, partial yellow, unreachable red). */
export function nodeStatusCell(status: NodeReportBody['status']): Cell {
  return status === 'skipped' ? status : { text: status, colour: STATUS_COLOUR[status] };
}

/** "full-pcpus-only=true,…" in option-name order; "" when none. */
export function optionsText(options: Readonly<Record<string, string>>): string {
  return Object.keys(options)
    .sort()
    .map((k) => `${k}=${options[k] ?? ''}`)
    .join(',');
}

function nodeLine(node: NodeReportBody, color: boolean): string {
  const version =
    node.kubeletVersion === null
      ? 'kubelet ?'
      : `kubelet ${node.kubeletVersion}${node.modelVersion === null ? '' : ` (model ${node.modelVersion})`}`;
  const t = node.topology;
  const topology =
    t === null
      ? 'no topology'
      : `${t.cpus} cpus, ${t.cores} cores, ${t.sockets} sockets, ${t.numaNodes} numa nodes, ${t.uncoreCaches} uncore caches (${t.source})`;
  const status = nodeStatusCell(node.status);
  const statusText = typeof status === 'string' ? status : paint(status.text, status.colour, color);
  return [node.name, version, statusText, topology].join('  ');
}

function configLine(node: NodeReportBody, wide: boolean): string {
  const c = node.config;
  if (c === null) {
    const configz = node.sources.configz;
    return configz.status === 'ok' ? '?' : `? (${sourceFailureText('configz', configz)})`;
  }
  const withOptions = (value: string, options: Readonly<Record<string, string>>) => {
    const text = optionsText(options);
    return text === '' ? value : `${value} (${text})`;
  };
  const parts = [
    `cpu ${withOptions(c.cpuManagerPolicy, c.cpuManagerPolicyOptions)}`,
    `reserved ${dash(c.reservedCpus)}`,
    `memory ${c.memoryManagerPolicy}`,
    `topology ${withOptions(`${c.topologyManagerPolicy}/${c.topologyManagerScope}`, c.topologyManagerPolicyOptions)}`,
    `plrm ${c.podLevelManagers}`,
    `cfs quota ${c.cpuCFSQuota ? 'on' : 'off'}`,
  ];
  if (wide) {
    const gates = Object.keys(c.featureGates)
      .sort()
      .map((g) => `${g}=${String(c.featureGates[g])}`)
      .join(',');
    parts.push(`gates ${dash(gates)}`);
  }
  return parts.join('  ');
}

/**
 * Node shared pool and allocatable CPUs. A shared pool whose ids differ from the fresh replay is
 * not drift when D13 judged it and found none (a node with history): then it shows as observed.
 */
function poolsLine(node: NodeReportBody): string {
  const e = node.expected;
  const o = node.observed;
  if (e === null) return 'node shared: ? | allocatable: ?';
  const sharedE = e.nodeSharedPool.cpus === null ? null : dash(e.nodeSharedPool.cpus);
  const sharedO = o.nodeSharedPool === null ? null : dash(o.nodeSharedPool.cpus);
  const d13 = node.coverage.find((c) => c.code === 'D13');
  const judged =
    d13 !== undefined &&
    (d13.status === 'checked' || d13.status === 'partial') &&
    !node.findings.some((f) => f.code === 'D13');
  const sharedVerdict: Verdict | undefined =
    sharedE === null || sharedO === null || sharedE === sharedO
      ? undefined
      : judged
        ? 'equivalent'
        : 'differ';
  const allocE = e.allocatableCpus === null ? null : dash(e.allocatableCpus);
  const allocO = o.allocatableCpus === null ? null : dash(o.allocatableCpus);
  return [
    `node shared: cpus ${compareCell(sharedE, sharedO, sharedVerdict)}`,
    `allocatable: cpus ${compareCell(allocE, allocO)}`,
  ].join(' | ');
}

function sourcesLine(node: NodeReportBody): string {
  const v = node.observed.checkpointVersions;
  const versions = [
    ...(v.cpuManager === null ? [] : [`cpu ${v.cpuManager}`]),
    ...(v.memoryManager === null ? [] : [`memory ${v.memoryManager}`]),
  ];
  return [
    sourcesCell(node.sources),
    ...(versions.length === 0 ? [] : [`checkpoints ${versions.join(', ')}`]),
  ].join('  ');
}

type NumericMetric = {
  [K in keyof Metrics]: Metrics[K] extends number ? K : never;
}[keyof Metrics];

/**
 * A gauge must equal the model's value; a counter must be at least it (pods deleted since the
 * kubelet started added too, D11): then the observed value shows.
 */
function metricCell(
  expected: Metrics | null,
  observed: Partial<Metrics> | null,
  name: NumericMetric,
  kind: 'gauge' | 'counter',
  unit = '',
): string {
  const e = expected === null ? null : expected[name];
  const o = observed?.[name] ?? null;
  const verdict: Verdict | undefined =
    e === null || o === null || kind === 'gauge' ? undefined : o >= e ? 'equivalent' : 'differ';
  return compareCell(e === null ? null : `${e}${unit}`, o === null ? null : `${o}${unit}`, verdict);
}

function metricsLine(node: NodeReportBody): string {
  const e = node.expected?.metrics ?? null;
  if (e === null) return '?';
  const o = node.observed.metrics;
  const m = (name: NumericMetric, kind: 'gauge' | 'counter', unit?: string) =>
    metricCell(e, o, name, kind, unit);
  const parts = [
    `shared pool ${m('kubelet_cpu_manager_shared_pool_size_millicores', 'gauge', 'm')}`,
    `exclusive cpus ${m('kubelet_cpu_manager_exclusive_cpu_allocation_count', 'gauge')}`,
    `cpu pinning ${m('kubelet_cpu_manager_pinning_requests_total', 'counter')} errors ${m('kubelet_cpu_manager_pinning_errors_total', 'counter')}`,
    `memory pinning ${m('kubelet_memory_manager_pinning_requests_total', 'counter')} errors ${m('kubelet_memory_manager_pinning_errors_total', 'counter')}`,
    `topology admissions ${m('kubelet_topology_manager_admission_requests_total', 'counter')} errors ${m('kubelet_topology_manager_admission_errors_total', 'counter')}`,
  ];
  if (node.observed.kubeletStartTime !== null) parts.push(`kubelet start ${node.observed.kubeletStartTime}`);
  return parts.join('  ');
}

export function renderDescribeNodeTable(node: NodeReportBody, opts: DescribeNodeTableOptions): string {
  const terminal: Terminal = opts.terminal ?? currentTerminal();
  // one row per container, the pod's namespace and name on each (so rows stand alone in pipes)
  const rows = node.pods.flatMap((p) =>
    p.containers.map((c) => containerRow(c, opts.wide, { lead: [p.namespace, p.name], throttled: false })),
  );
  const headers = opts.wide ? [...HEADERS, ...CONTAINER_WIDE_HEADERS] : HEADERS;
  const { text, dropped } = fittedTable(headers, rows, FITS, opts.noHeaders, terminal);
  if (opts.noHeaders) return text;
  const out = [
    preamble([
      ['NODE', nodeLine(node, terminal.color)],
      ['CONFIG', configLine(node, opts.wide)],
      ['POOLS', poolsLine(node)],
      ['SOURCES', sourcesLine(node)],
      ['METRICS', metricsLine(node)],
    ]),
    text,
    droppedNote(dropped, terminal),
    findingsSection(node.findings, opts.wide, terminal),
  ];
  if (opts.wide) out.push(coverageSection([{ node: node.name, coverage: node.coverage }], false, terminal));
  else {
    const unreachable =
      node.status === 'unreachable' ? { unreachableReason: unreachableReason(node.sources) } : {};
    out.push(
      ...notCheckedLines({ coverage: node.coverage, node: null, ...unreachable }).map((l) => l + '\n'),
    );
  }
  return out.join('');
}
