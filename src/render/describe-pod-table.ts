// `describe pod` table layout (cli.md §9): preamble lines POD, POOLS, SOURCES; one row per
// container with comparing cells (expected, and `→observed` where they differ); then the
// FINDINGS lines (all severities) and the `not checked:` lines (`-o wide`: the coverage table).
// The container cells are shared with `describe node` (describe-node-table.ts).

import type { Evidence, NodeSource, Pool, SourceStatus } from '../schema/common.js';
import { EVIDENCE } from '../schema/common.js';
import type { ContainerReport, PodReportBody } from '../schema/reports.js';
import type { Cell, ColumnFit } from './table.js';
import { currentTerminal } from './terminal.js';
import type { Terminal } from './terminal.js';
import {
  blocksText,
  cfsText,
  compareCell,
  coverageSection,
  dash,
  droppedNote,
  findingCodesCell,
  findingsSection,
  fittedTable,
  notCheckedLines,
  numaText,
  percentCell,
  sourcesCell,
} from './report-table.js';
import type { ReportTableOptions, Verdict } from './report-table.js';

/** What the pod's table shows of its node: the NodeReport of the same run fits. */
export interface PodNodeContext {
  readonly kubeletVersion: string | null;
  readonly sources: Readonly<Partial<Record<NodeSource, SourceStatus>>>;
}

export interface DescribePodTableOptions extends ReportTableOptions {
  /** The pod's node (version, source statuses); null for a pod not bound to a node. */
  readonly node: PodNodeContext | null;
}

/** Columns `-o wide` adds to the container tables of `describe pod` and `describe node`. */
export const CONTAINER_WIDE_HEADERS = ['ISOLATION', 'MEMORY BLOCKS', 'CONTAINER ID', 'PLACEMENT', 'SOURCES'];
/** Fits of CONTAINER_WIDE_HEADERS: block lists shrink; wide-only columns may be left out. */
export const CONTAINER_WIDE_FITS: readonly ColumnFit[] = [
  { drop: 2 },
  { shrink: 'text', drop: 5 },
  { drop: 3 },
  { drop: 1 },
  { shrink: 'list', drop: 4 },
];

/** Whether a field was observed: it has a value, or a source names where its absence was seen. */
const seen = (value: unknown, source: Readonly<Record<string, Evidence>>, field: string): boolean =>
  value !== null || source[field] !== undefined;

/** The comparing cells of a container (cli.md §9), default and wide. */
export interface ContainerCells {
  readonly cpu: string;
  readonly memory: string;
  readonly cpus: string;
  readonly numa: string;
  readonly cfs: string;
  readonly throttled: string;
  readonly findings: Cell;
  readonly isolation: string;
  readonly blocks: string;
  readonly containerId: string;
  readonly placement: Cell;
  readonly sources: string;
}

/** Observed CFS quota `none` matches expected `none` and `unlimited`; `set` equal millicores (§8.2). */
function cfsVerdict(c: ContainerReport): Verdict {
  const e = c.expected;
  const o = c.observed;
  if (e === null || o.cfsQuota === null) return 'differ';
  if (o.cfsQuota === 'none') return e.cfsQuota === 'none' || e.cfsQuota === 'unlimited' ? 'agree' : 'differ';
  return (e.cfsQuota === 'container' || e.cfsQuota === 'pod') && e.cfsQuotaMillicores === o.cfsQuotaMillicores
    ? 'agree'
    : 'differ';
}

/**
 * Ids (cpus, NUMA nodes, memory blocks) compared: those that differ from the fresh replay under
 * an `equivalent` placement show as observed (cli.md §6.4), other differences as drift.
 */
function idsCell(c: ContainerReport, expected: string | null, observed: string | null): string {
  if (expected === null || observed === null || expected === observed) return compareCell(expected, observed);
  return compareCell(expected, observed, c.placement === 'equivalent' ? 'equivalent' : 'differ');
}

/** The bare container id, 12 characters ("containerd://9f3a…" → "9f3a…"); "-" when unknown. */
export function shortContainerId(id: string | null): string {
  if (id === null) return '-';
  const scheme = id.indexOf('://');
  const bare = scheme < 0 ? id : id.slice(scheme + 3);
  return dash(bare.slice(0, 12));
}

export function containerCells(c: ContainerReport): ContainerCells {
  const e = c.expected;
  const o = c.observed;
  const cpusE = e === null || e.cpus === null ? null : dash(e.cpus);
  const cpusO = o.cpus === null ? null : dash(o.cpus);
  const numaE = e === null || e.numaNodes === null ? null : numaText(e.numaNodes);
  const numaO = o.numaNodes === null ? null : numaText(o.numaNodes);
  const blocksE = e === null || e.memory === null ? null : blocksText(e.memory);
  const blocksO = o.memory === null ? null : blocksText(o.memory);
  const cfsO = o.cfsQuota === null ? null : cfsText(o.cfsQuota, o.cfsQuotaMillicores);
  const evidence = new Set(Object.values(o.source));
  return {
    cpu: compareCell(e?.assignment.cpu ?? null, o.assignment.cpu),
    memory: compareCell(e?.assignment.memory ?? null, o.assignment.memory),
    cpus: idsCell(c, cpusE, cpusO),
    numa: idsCell(c, numaE, numaO),
    cfs: compareCell(e === null ? null : cfsText(e.cfsQuota, e.cfsQuotaMillicores), cfsO, cfsVerdict(c)),
    // a cgroup without a quota cannot be CFS-throttled: "-" rather than a ratio of no periods
    throttled: percentCell(
      o.cfs === null || (o.cfsQuota === 'none' && o.cfs.periods === 0) ? null : o.cfs.throttledRatio,
    ),
    findings: findingCodesCell(c.findings),
    isolation: e?.isolation ?? '?',
    blocks: idsCell(c, blocksE, blocksO),
    containerId: shortContainerId(c.containerId),
    placement: c.placement === 'drift' ? { text: c.placement, colour: 'red' } : c.placement,
    sources: dash(EVIDENCE.filter((ev) => evidence.has(ev)).join(',')),
  };
}

const HEADERS = ['CONTAINER', 'TYPE', 'CPU', 'MEMORY', 'CPUS', 'NUMA', 'CFS', 'THROTTLED', 'FINDINGS'];
const FITS: readonly ColumnFit[] = [
  ...HEADERS.map((h): ColumnFit => (h === 'CPUS' || h === 'NUMA' ? { shrink: 'list' } : {})),
  ...CONTAINER_WIDE_FITS,
];

/**
 * A container's row: `lead` cells (describe node: namespace and pod), CONTAINER, TYPE, CPU,
 * MEMORY, CPUS, NUMA, CFS, THROTTLED (describe pod only), FINDINGS, then the wide columns.
 */
export function containerRow(
  c: ContainerReport,
  wide: boolean,
  layout: { readonly lead: readonly Cell[]; readonly throttled: boolean },
): Cell[] {
  const cells = containerCells(c);
  return [
    ...layout.lead,
    c.name,
    c.type,
    cells.cpu,
    cells.memory,
    cells.cpus,
    cells.numa,
    cells.cfs,
    ...(layout.throttled ? [cells.throttled] : []),
    cells.findings,
    ...(wide ? [cells.isolation, cells.blocks, cells.containerId, cells.placement, cells.sources] : []),
  ];
}

/** "cpus 1-4,33-36 memory 16Gi@0"; "none" for no pool. */
function poolText(pool: Pool | null): string {
  if (pool === null) return 'none';
  const parts: string[] = [];
  if (pool.cpus !== undefined) parts.push(`cpus ${dash(pool.cpus)}`);
  if (pool.memory !== undefined && pool.memory.length > 0) parts.push(`memory ${blocksText(pool.memory)}`);
  return parts.length === 0 ? 'none' : parts.join(' ');
}

/**
 * A pool compared part by part when both sides have one ("cpus 1-4,33-36→1-5,33-37 memory
 * 16Gi@0"), else as a whole; `observed` undefined: not observed.
 */
function poolCell(expected: Pool | null, observed: Pool | null | undefined, equivalent: boolean): string {
  if (observed === undefined) return compareCell(poolText(expected), null);
  const idVerdict = (e: string, o: string): Verdict =>
    e === o ? 'agree' : equivalent ? 'equivalent' : 'differ';
  if (expected === null || observed === null) {
    const e = poolText(expected);
    const o = poolText(observed);
    return compareCell(e, o, e === o ? 'agree' : 'differ');
  }
  const parts: string[] = [];
  if (expected.cpus !== undefined || observed.cpus !== undefined) {
    const e = dash(expected.cpus);
    const o = dash(observed.cpus);
    parts.push(`cpus ${compareCell(e, o, idVerdict(e, o))}`);
  }
  const eMem = expected.memory ?? [];
  const oMem = observed.memory ?? [];
  if (eMem.length > 0 || oMem.length > 0) {
    const e = blocksText(eMem);
    const o = blocksText(oMem);
    parts.push(`memory ${compareCell(e, o, idVerdict(e, o))}`);
  }
  return parts.length === 0 ? 'none' : parts.join(' ');
}

/** Pod cgroup quota: observed `none` matches expected `none` and `unlimited`. */
function podQuotaCell(pod: PodReportBody): string {
  const e = pod.expected?.podCgroupCfsQuota;
  const o = pod.observed.podCgroupCfsQuota;
  const text = (q: 'none' | 'unlimited' | number) => (typeof q === 'number' ? `${q}m` : q);
  if (e === undefined) return '?';
  if (o === null) return compareCell(text(e), null);
  const agree = o === 'none' ? e === 'none' || e === 'unlimited' : e === o;
  return compareCell(text(e), text(o), agree ? 'agree' : 'differ');
}

/** The POOLS preamble value: pod pool, pod shared pool and pod cgroup CFS quota. */
export function podPoolsText(pod: PodReportBody): string {
  const e = pod.expected;
  const o = pod.observed;
  if (e === null) return 'pod: ? | pod shared: ? | pod cfs quota: ?';
  // the pools are judged by D6-D8 and the containers' placement: ids that differ from the fresh
  // replay while every container is placed equivalently are not drift
  const equivalent =
    pod.containers.some((c) => c.placement === 'equivalent') &&
    pod.containers.every((c) => c.placement === 'equivalent' || c.placement === 'exact');
  const pool = seen(o.podPool, o.source, 'podPool') ? o.podPool : undefined;
  const shared =
    o.podSharedPool !== null || o.source.podSharedPool !== undefined || o.source.podPool !== undefined
      ? o.podSharedPool
      : undefined;
  return [
    `pod: ${poolCell(e.podPool, pool, equivalent)}`,
    `pod shared: ${poolCell(e.podSharedPool, shared, equivalent)}`,
    `pod cfs quota: ${podQuotaCell(pod)}`,
  ].join(' | ');
}

/** "admitted", "rejected (TopologyAffinityError)". */
function admissionText(admitted: boolean, reason: string | null): string {
  return admitted ? 'admitted' : reason === null ? 'rejected' : `rejected (${reason})`;
}

/** The POD preamble value. */
function podLine(pod: PodReportBody, node: PodNodeContext | null): string {
  const name = `${pod.namespace}/${pod.name}`;
  if (pod.node === null) return [name, 'not bound to a node', pod.qosClass, pod.phase].join('  ');
  const version = node?.kubeletVersion ?? null;
  const e = pod.expected;
  const o = pod.observed;
  const parts = [
    name,
    `node ${pod.node}${version === null ? '' : ` (${version})`}`,
    pod.qosClass,
    `path ${pod.path ?? '?'}`,
  ];
  if (e !== null && e.numaAffinity !== null && e.numaAffinity.length > 0)
    parts.push(`numa ${numaText(e.numaAffinity)}`);
  parts.push(
    compareCell(
      e === null || e.admitted === null ? null : admissionText(e.admitted, e.reason),
      o.admitted === null ? null : admissionText(o.admitted, o.reason),
    ),
  );
  return parts.join('  ');
}

/** Preamble lines: labels padded to one column, two spaces after the longest. */
export function preamble(lines: readonly (readonly [string, string])[]): string {
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  return lines.map(([label, value]) => `${label.padEnd(width)}${value}`.trimEnd() + '\n').join('');
}

export function renderDescribePodTable(pod: PodReportBody, opts: DescribePodTableOptions): string {
  const terminal: Terminal = opts.terminal ?? currentTerminal();
  const rows = pod.containers.map((c) => containerRow(c, opts.wide, { lead: [], throttled: true }));
  const headers = opts.wide ? [...HEADERS, ...CONTAINER_WIDE_HEADERS] : HEADERS;
  const { text, dropped } = fittedTable(headers, rows, FITS, opts.noHeaders, terminal);
  if (opts.noHeaders) return text;
  const bound = pod.node !== null;
  const out = [
    preamble([
      ['POD', podLine(pod, opts.node)],
      ['POOLS', bound ? podPoolsText(pod) : '-'],
      ['SOURCES', bound && opts.node !== null ? sourcesCell(opts.node.sources) : '-'],
    ]),
    text,
    droppedNote(dropped, terminal),
    findingsSection(pod.findings, opts.wide, terminal),
  ];
  if (opts.wide)
    out.push(coverageSection([{ node: pod.node ?? '-', coverage: pod.coverage }], false, terminal));
  else out.push(...notCheckedLines({ coverage: pod.coverage, node: null }).map((l) => l + '\n'));
  return out.join('');
}
