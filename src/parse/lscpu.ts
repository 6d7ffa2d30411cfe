// Reader for util-linux lscpu text: the CPU table of `lscpu -p` (parsable, "# CPU,Core,Socket,…")
// or `lscpu -e` (extended, "CPU NODE SOCKET CORE …"), checked against the "NUMA nodeN CPU(s):" lines.

import type { CpuSet } from '../model/cpuset.js';
import { parseCpuListWithStrides } from '../model/cpuset.js';
import {
  machineInputError,
  recordsFromNodes,
  type MachineDescription,
  type NodeCores,
} from './machine-description.js';

interface Row {
  readonly line: number;
  readonly cpu: number;
  readonly core: number;
  readonly socket: number;
  readonly node: number | null;
  readonly l3: number | null;
}

/**
 * Parses lscpu output. The first CPU table found is used (`lscpu -p` or `lscpu -e`; util-linux's
 * own test files print `-p` and then `-p --physical`, the later blocks are ignored); offline rows
 * (`ONLINE` no, `-` columns) are skipped. Core, socket and L3 ids are lscpu's ids: logical ones
 * unless lscpu ran with --physical, so socket numbers may differ from physical_package_id. NUMA
 * nodes come from the table's Node column or, without one, from the summary's "NUMA nodeN CPU(s):"
 * lists (which may use strides, "0-62:2"); when both exist they must agree. Uncore caches follow
 * cAdvisor's rule (recordsFromNodes) with the number of listed CPUs per L3 id. lscpu carries no
 * memory or distances. Throws InputError naming `source` and the line.
 */
export function parseLscpu(text: string, source: string): MachineDescription {
  const lines = text.split(/\r?\n/);
  const fail: (line: number, why: string, cause?: unknown) => never = (line, why, cause) => {
    throw machineInputError(source, line === 0 ? '' : `line ${line}`, why, cause);
  };

  const summary = new Map<number, { line: number; cpus: CpuSet }>();
  lines.forEach((l, i) => {
    const m = /^NUMA node(\d+) CPU\(s\):\s*(.*)$/.exec(l.trim());
    if (m === null) return;
    try {
      summary.set(Number(m[1]), { line: i + 1, cpus: parseCpuListWithStrides(m[2] as string) });
    } catch (e) {
      if (e instanceof RangeError) fail(i + 1, e.message, e);
      throw e;
    }
  });

  const table = findTable(lines);
  if (table === null) fail(0, 'no lscpu -p or lscpu -e cpu table found');
  const { header, first, split } = table;
  const col = (name: string) => header.findIndex((h) => h.toUpperCase() === name);
  const cpuCol = col('CPU');
  const coreCol = col('CORE');
  const socketCol = col('SOCKET');
  const nodeCol = col('NODE');
  const onlineCol = col('ONLINE');
  let l3Col = col('L3');
  let l3Part = -1;
  if (l3Col < 0) {
    l3Col = header.findIndex((h) => h.toUpperCase().split(':').includes('L3'));
    if (l3Col >= 0) l3Part = (header[l3Col] as string).toUpperCase().split(':').indexOf('L3');
  }
  if (coreCol < 0 || socketCol < 0) fail(first, 'the cpu table has no Core and Socket columns');

  const rows: Row[] = [];
  for (let i = first; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (!/^\s*\d/.test(raw)) break;
    const line = i + 1;
    const values = split(raw);
    if (values.length !== header.length)
      fail(line, `expected ${header.length} columns, got ${values.length}`);
    const value = (c: number) => (values[c] as string).trim();
    if (onlineCol >= 0 && /^(no|n)$/i.test(value(onlineCol))) continue;
    const int = (c: number): number => {
      const v = value(c);
      if (!/^\d+$/.test(v)) fail(line, `column ${header[c] as string}: expected an integer, got "${v}"`);
      return Number(v);
    };
    const optional = (c: number, part = -1): number | null => {
      if (c < 0) return null;
      const v = part < 0 ? value(c) : (value(c).split(':')[part] ?? '');
      if (v === '' || v === '-') return null;
      if (!/^\d+$/.test(v)) fail(line, `column ${header[c] as string}: expected an integer, got "${v}"`);
      return Number(v);
    };
    rows.push({
      line,
      cpu: int(cpuCol),
      core: int(coreCol),
      socket: int(socketCol),
      node: optional(nodeCol),
      l3: optional(l3Col, l3Part),
    });
  }
  if (rows.length === 0) fail(first, 'the cpu table lists no online cpu');

  const seen = new Set<number>();
  const l3Count = new Map<number, number>();
  for (const r of rows) {
    if (seen.has(r.cpu)) fail(r.line, `cpu ${r.cpu} listed twice`);
    seen.add(r.cpu);
    if (r.l3 !== null) l3Count.set(r.l3, (l3Count.get(r.l3) ?? 0) + 1);
  }

  const nodeFromSummary = (cpu: number): number | null => {
    for (const [node, s] of summary) if (s.cpus.has(cpu)) return node;
    return null;
  };
  const cores = new Map<number, Map<string, { socket: number; threads: number[]; l3: number | null }>>();
  for (const r of rows) {
    const listed = nodeFromSummary(r.cpu);
    if (r.node !== null && summary.size > 0 && listed !== r.node) {
      const where =
        listed === null
          ? 'no "NUMA nodeN CPU(s):" line'
          : `NUMA node${listed} (line ${summary.get(listed)?.line ?? 0})`;
      fail(r.line, `cpu ${r.cpu} is on node ${r.node} here but in ${where}`);
    }
    const node = r.node ?? listed ?? 0;
    const byKey =
      cores.get(node) ?? new Map<string, { socket: number; threads: number[]; l3: number | null }>();
    cores.set(node, byKey);
    const key = `${r.socket}/${r.core}`;
    const core = byKey.get(key);
    if (core === undefined) byKey.set(key, { socket: r.socket, threads: [r.cpu], l3: r.l3 });
    else core.threads.push(r.cpu);
  }

  const nodes: NodeCores[] = [...cores.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, byKey]) => ({
      id,
      cores: [...byKey.values()].map((c) => ({
        threads: c.threads,
        socket: c.socket,
        outerCaches: c.l3 === null ? [] : [{ id: c.l3, cpus: l3Count.get(c.l3) ?? 0 }],
      })),
    }));
  return { records: recordsFromNodes(nodes), memory: [], distances: null, source };
}

interface CpuTable {
  readonly header: readonly string[];
  /** 0-based index of the first data line. */
  readonly first: number;
  readonly split: (line: string) => string[];
}

function findTable(lines: readonly string[]): CpuTable | null {
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (/^#\s*CPU,/i.test(l)) {
      return { header: l.replace(/^#\s*/, '').split(','), first: i + 1, split: (s) => s.trim().split(',') };
    }
    const tokens = l.split(/\s+/);
    if (tokens[0] === 'CPU' && tokens.some((t) => t === 'CORE' || t === 'SOCKET')) {
      return { header: tokens, first: i + 1, split: (s) => s.trim().split(/\s+/) };
    }
  }
  return null;
}
