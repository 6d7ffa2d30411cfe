// `simulate` table layout (cli.md §9): one row per container, the pod's cells on its first row,
// then one admission line per pod; `-o wide` adds isolation, memory blocks and reported CPUs.
// On a terminal: ADMITTED and the verdicts in colour, cpusets shortened to fit the width, and
// the wide-only columns left out (with a note) when shortening is not enough.

import { CpuSet, formatCpuList } from '../model/cpuset.js';
import { formatBytes } from '../model/quantity.js';
import type { HintOut, MemoryBlockOut, PodOut, PoolOut, SimulationOut } from './schema.js';
import { fitTable, renderTable } from './table.js';
import type { Cell, ColumnFit } from './table.js';
import { currentTerminal, paint } from './terminal.js';
import type { Terminal } from './terminal.js';

export interface SimulateTableOptions {
  readonly wide: boolean;
  readonly noHeaders: boolean;
  readonly explain: boolean;
  /** Width and colour; by default the one the CLI set for this command (`withTerminal`). */
  readonly terminal?: Terminal;
}

const HEADERS = ['POD', 'ADMITTED', 'PATH', 'NUMA', 'CONTAINER', 'TYPE', 'CPU', 'MEMORY', 'CPUS', 'CFS'];
const WIDE_HEADERS = ['ISOLATION', 'MEMORY BLOCKS', 'REPORTED CPUS'];
/** Per column of HEADERS + WIDE_HEADERS: cpusets and block lists shrink; wide-only columns may go. */
const COLUMN_FITS: readonly ColumnFit[] = [
  ...HEADERS.map((h): ColumnFit => (h === 'CPUS' || h === 'NUMA' ? { shrink: 'list' } : {})),
  { drop: 1 },
  { shrink: 'text', drop: 3 },
  { shrink: 'list', drop: 2 },
];

const dash = (s: string) => (s === '' ? '-' : s);

function numaCell(nodes: readonly number[] | null): string {
  return nodes === null || nodes.length === 0 ? '-' : nodes.join(',');
}

function cfsCell(source: string, millicores: number | null): string {
  return millicores === null ? source : `${source} ${millicores}m`;
}

function blocksCell(blocks: readonly MemoryBlockOut[]): string {
  if (blocks.length === 0) return '-';
  return blocks
    .map(
      (b) => `${b.type === 'memory' ? '' : `${b.type}:`}${formatBytes(BigInt(b.size))}@${b.numa.join(',')}`,
    )
    .join(' ');
}

/**
 * The NUMA column is per container (the NUMA nodes of its CPUs): under container scope each
 * container has its own; the pod's merged affinity is on the admission line below the table.
 */
function podRows(p: PodOut, wide: boolean): Cell[][] {
  const admitted: Cell = p.admitted
    ? { text: 'yes', colour: 'green' }
    : { text: p.reason ?? 'no', colour: 'red' };
  const podCells: Cell[] = [`${p.namespace}/${p.name}`, admitted, p.path];
  const blank = podCells.map(() => '');
  if (p.containers.length === 0) {
    const row = [...podCells, '-', '-', '-', '-', '-', '-', '-'];
    return [wide ? [...row, '-', '-', '-'] : row];
  }
  return p.containers.map((c, i) => {
    const row = [
      ...(i === 0 ? podCells : blank),
      numaCell(c.numaNodes),
      c.name,
      c.type,
      c.assignment.cpu,
      c.assignment.memory,
      dash(c.cpus),
      cfsCell(c.cfsQuota, c.cfsQuotaMillicores),
    ];
    if (!wide) return row;
    const reported = p.reported.containers[c.name];
    return [
      ...row,
      c.isolation,
      blocksCell(c.memory),
      reported === undefined ? '(not listed)' : dash(formatCpuList(CpuSet.from(reported.cpuIds))),
    ];
  });
}

/** "1-4,33-36 + 16Gi@0": CPUs and memory of a pod (shared) pool; "-" when it holds nothing. */
function poolCell(pool: PoolOut): string {
  const parts: string[] = [];
  if (pool.cpus !== undefined) parts.push(dash(pool.cpus));
  if (pool.memory !== undefined && pool.memory.length > 0) parts.push(blocksCell(pool.memory));
  return parts.length === 0 ? '-' : parts.join(' + ');
}

function hintText(h: HintOut): string {
  return `${h.numaAffinity === null ? '{nil}' : `{${h.numaAffinity.join(',')}}`}${h.preferred ? ' preferred' : ''}`;
}

function explainLines(p: PodOut): string[] {
  if (p.explain === undefined) return [];
  const lines = [`  hints for ${p.namespace}/${p.name}:`];
  for (const s of p.explain.steps) {
    const providers = Object.entries(s.providers).map(([name, hints]) => {
      // a nil or empty hint map: the topology manager reads both as "no preference" (§4.2)
      if (hints === null || Object.keys(hints).length === 0) return `${name} manager: no preference`;
      return `${name} manager: ${Object.entries(hints)
        .map(
          ([res, list]) =>
            `${res} [${list === null ? 'no preference' : list.length === 0 ? 'cannot be satisfied' : list.map(hintText).join(', ')}]`,
        )
        .join(' ')}`;
    });
    lines.push(
      `    ${s.scope}: ${providers.join('; ')} -> merged ${hintText(s.merged)}${s.admitted ? '' : ' (not admitted)'}`,
    );
  }
  if (p.explain.steps.length === 0 && p.path === 'none') {
    lines.push('    none: topology manager policy none merges no hints');
  }
  for (const n of p.explain.notes) lines.push(`    note: ${n}`);
  return lines;
}

/** The table, fitted to the terminal's width when there is one. */
function table(
  rows: readonly (readonly Cell[])[],
  wide: boolean,
  noHeaders: boolean,
  terminal: Terminal,
): { readonly text: string; readonly dropped: readonly string[] } {
  const headers = wide ? [...HEADERS, ...WIDE_HEADERS] : HEADERS;
  const fitted =
    terminal.width === undefined
      ? { headers, rows, dropped: [] }
      : fitTable(headers, rows, COLUMN_FITS, terminal.width);
  return {
    text: renderTable(fitted.headers, fitted.rows, { noHeaders, color: terminal.color }),
    dropped: fitted.dropped,
  };
}

export function renderSimulationTable(docs: readonly SimulationOut[], opts: SimulateTableOptions): string {
  const terminal = opts.terminal ?? currentTerminal();
  const rowsOf = (doc: SimulationOut) => doc.pods.flatMap((p) => podRows(p, opts.wide));
  // Without headers only the data rows are printed: one table over all scenarios, so the columns
  // line up for scripts.
  if (opts.noHeaders) return table(docs.flatMap(rowsOf), opts.wide, true, terminal).text;
  const out: string[] = [];
  docs.forEach((doc, i) => {
    if (i > 0) out.push('\n');
    out.push(
      `SCENARIO ${dash(doc.scenario ?? '')}  node ${doc.node} (kubelet ${doc.kubeletVersion})  reserved ${dash(doc.reservedCpus)}  node shared pool ${dash(doc.nodeSharedPool.cpus)}\n`,
    );
    const { text, dropped } = table(rowsOf(doc), opts.wide, false, terminal);
    out.push(text);
    if (dropped.length > 0) {
      out.push(
        `(${dropped.join(', ')} left out to fit ${terminal.width ?? 0} columns; widen the terminal or pipe the output to see them)\n`,
      );
    }
    for (const p of doc.pods) {
      const pools =
        p.podPool === undefined
          ? ''
          : `  pod pool ${poolCell(p.podPool)}  pod shared pool ${poolCell(p.podSharedPool ?? {})}`;
      const numa = p.numaAffinity === null ? '' : `  numa ${numaCell(p.numaAffinity)}`;
      const verdict = p.admitted
        ? `${paint('admitted', 'green', terminal.color)}${numa}${pools}`
        : `${paint('rejected', 'red', terminal.color)}: ${p.reason ?? ''}: ${p.message ?? ''}`;
      out.push(`${p.namespace}/${p.name}: ${verdict}\n`);
      if (opts.explain)
        out.push(
          explainLines(p)
            .map((l) => l + '\n')
            .join(''),
        );
    }
  });
  return out.join('');
}
