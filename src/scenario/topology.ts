// Maps a scenario-format `node.topology` (scenario-format.md; also the explicit form inside a
// NodeObservation and `--topology FILE`) to the model's Topology: an explicit `cpus` list or a
// `generate` spec, per-NUMA memory and the NUMA distance matrix.
//
// `generate` defaults (the spec is silent): sockets 1, numaNodesPerSocket 1, threadsPerCore 1
// (no SMT), uncoreCachesPerSocket 1; coresPerSocket is required. Every count is a positive
// integer, and coresPerSocket must divide evenly by numaNodesPerSocket and by
// uncoreCachesPerSocket (the generator splits a socket's cores evenly over both).

import { MAX_MASK_NODES } from '../model/bitmask.js';
import { intValue } from '../model/quantity.js';
import {
  buildTopology,
  generateCpuRecords,
  type CpuRecord,
  type GenerateSpec,
  type NumaMemory,
  type Topology,
} from '../model/topology.js';
import {
  asInt,
  asList,
  asMap,
  asNonNegativeQuantity,
  checkKeys,
  hugepageSize,
  isAbsent,
  isHugepagesName,
  optInt,
  type RawMap,
} from './fields.js';
import { Where } from './where.js';

const TOPOLOGY_FIELDS = ['cpus', 'generate', 'memory', 'distances'] as const;
const CPU_FIELDS = ['id', 'core', 'socket', 'numa', 'uncoreCache'] as const;
const GENERATE_FIELDS = [
  'sockets',
  'numaNodesPerSocket',
  'coresPerSocket',
  'threadsPerCore',
  'uncoreCachesPerSocket',
] as const;

/** Guards against a typo turning into a machine the model cannot hold in memory. */
const MAX_CPUS = 65536;

export function toTopology(raw: unknown, where: string | Where): Topology {
  const w = Where.from(where);
  const t = asMap(raw, w);
  checkKeys(t, TOPOLOGY_FIELDS, w);
  const hasCpus = !isAbsent(t.cpus);
  const hasGenerate = !isAbsent(t.generate);
  if (hasCpus && hasGenerate) w.fail('cpus and generate cannot both be given; use exactly one');
  if (!hasCpus && !hasGenerate) w.fail('one of cpus or generate is required');
  const records = hasCpus ? cpuRecords(t.cpus, w.child('cpus')) : generated(t.generate, w.child('generate'));

  const numaNodes = [...new Set(records.map((r) => r.numa))].sort((a, b) => a - b);
  const memory = isAbsent(t.memory) ? [] : numaMemory(t.memory, numaNodes, w.child('memory'));
  const distances = isAbsent(t.distances)
    ? null
    : distanceMatrix(t.distances, numaNodes, w.child('distances'));
  try {
    return buildTopology(records, { memory, distances });
  } catch (e) {
    return w.fail(e instanceof Error ? e.message : String(e), undefined, e);
  }
}

/** Explicit CPUs: `core` is a grouping key per socket; the model renumbers cores to their lowest CPU id. */
function cpuRecords(raw: unknown, w: Where): CpuRecord[] {
  const list = asList(raw, w);
  if (list.length === 0) w.fail('must list at least one cpu');
  if (list.length > MAX_CPUS) w.fail(`more than ${MAX_CPUS} cpus are not supported`);
  const firstIndexOfId = new Map<number, number>();
  const coreHome = new Map<string, { numa: number; uncore: number | undefined; index: number }>();
  return list.map((item, i) => {
    const iw = w.child(i);
    const c = asMap(item, iw);
    checkKeys(c, CPU_FIELDS, iw);
    const id = asInt(c.id, iw.child('id'));
    const core = asInt(c.core, iw.child('core'));
    const socket = asInt(c.socket, iw.child('socket'));
    const numa = numaId(c.numa, iw.child('numa'));
    const uncore = optInt(c.uncoreCache, iw.child('uncoreCache'));
    const seen = firstIndexOfId.get(id);
    if (seen !== undefined) iw.child('id').fail(`duplicate cpu id ${id} (also cpus[${seen}])`);
    firstIndexOfId.set(id, i);
    // Hyperthreads of one core share its NUMA node and L3; a mismatch is a typo in the list.
    const key = `${socket}/${core}`;
    const home = coreHome.get(key);
    if (home === undefined) coreHome.set(key, { numa, uncore, index: i });
    else if (home.numa !== numa) {
      iw.child('numa').fail(
        `core ${core} of socket ${socket} is on numa node ${home.numa} in cpus[${home.index}]`,
      );
    } else if (home.uncore !== uncore) {
      iw.child('uncoreCache').fail(
        `core ${core} of socket ${socket} has another uncoreCache in cpus[${home.index}]`,
      );
    }
    return uncore === undefined ? { id, core, socket, numa } : { id, core, socket, numa, uncore };
  });
}

function numaId(v: unknown, w: Where): number {
  const n = asInt(v, w);
  return n > MAX_MASK_NODES ? w.fail(`numa node ids above ${MAX_MASK_NODES} are not supported, got ${n}`) : n;
}

function generated(raw: unknown, w: Where): CpuRecord[] {
  const g = asMap(raw, w);
  checkKeys(g, GENERATE_FIELDS, w);
  const count = (key: (typeof GENERATE_FIELDS)[number], dflt: number | undefined): number => {
    const v = g[key];
    if (isAbsent(v) && dflt !== undefined) return dflt;
    return asInt(v, w.child(key), 1);
  };
  const spec: GenerateSpec = {
    sockets: count('sockets', 1),
    numaNodesPerSocket: count('numaNodesPerSocket', 1),
    coresPerSocket: count('coresPerSocket', undefined),
    threadsPerCore: count('threadsPerCore', 1),
    uncoreCachesPerSocket: count('uncoreCachesPerSocket', 1),
  };
  const divides = (key: 'numaNodesPerSocket' | 'uncoreCachesPerSocket'): void => {
    if (spec.coresPerSocket % spec[key] !== 0) {
      w.child(key).fail(
        `coresPerSocket ${spec.coresPerSocket} does not divide evenly into ${spec[key]} ${key}`,
      );
    }
  };
  divides('numaNodesPerSocket');
  divides('uncoreCachesPerSocket');
  if (spec.sockets * spec.numaNodesPerSocket > MAX_MASK_NODES + 1) {
    w.fail(`more than ${MAX_MASK_NODES + 1} numa nodes are not supported`);
  }
  if (spec.sockets * spec.coresPerSocket * spec.threadsPerCore > MAX_CPUS) {
    w.fail(`more than ${MAX_CPUS} cpus are not supported`);
  }
  return generateCpuRecords(spec);
}

/** Per-NUMA memory: `memory` and `hugepages-<size>` totals in bytes (quantities or numbers). */
function numaMemory(raw: unknown, numaNodes: readonly number[], w: Where): NumaMemory[] {
  const seen = new Map<number, number>();
  return asList(raw, w).map((item, i) => {
    const iw = w.child(i);
    const m: RawMap = asMap(item, iw);
    let memory: bigint | undefined;
    let numa: number | undefined;
    const hugepages: Record<string, bigint> = {};
    for (const [key, value] of Object.entries(m)) {
      const kw = iw.child(key);
      if (key === 'numa') {
        numa = asInt(value, kw);
      } else if (key === 'memory') {
        memory = intValue(asNonNegativeQuantity(value, kw));
      } else if (isHugepagesName(key)) {
        const pageSize = hugepageSize(key, kw);
        const bytes = intValue(asNonNegativeQuantity(value, kw));
        if (bytes % pageSize !== 0n) {
          kw.fail(
            `${bytes} bytes is not a multiple of the page size ${pageSize}; give total bytes, not a page count`,
          );
        }
        hugepages[key] = bytes;
      } else {
        kw.fail('unknown field', 'known fields: numa, memory, hugepages-<size>');
      }
    }
    if (numa === undefined) return iw.child('numa').fail('required');
    if (memory === undefined) return iw.child('memory').fail('required');
    if (!numaNodes.includes(numa)) {
      iw.child('numa').fail(
        `numa node ${numa} has no cpus in the topology (numa nodes: ${numaNodes.join(', ')})`,
      );
    }
    const prev = seen.get(numa);
    if (prev !== undefined) iw.child('numa').fail(`numa node ${numa} is listed twice (also memory[${prev}])`);
    seen.set(numa, i);
    return { numa, memory, hugepages };
  });
}

/**
 * The N×N distance matrix of the N NUMA nodes. The model indexes it by node id, so the node ids
 * must be 0 … N-1 (as they are on any machine without offline nodes).
 */
function distanceMatrix(raw: unknown, numaNodes: readonly number[], w: Where): number[][] {
  const n = numaNodes.length;
  if (numaNodes.some((id, i) => id !== i)) {
    w.fail(`distances need numa node ids 0-${n - 1}, the topology has ${numaNodes.join(', ')}`);
  }
  const rows = asList(raw, w);
  if (rows.length !== n)
    w.fail(`expected a ${n}x${n} matrix (one row per numa node), got ${rows.length} rows`);
  return rows.map((row, i) => {
    const rw = w.child(i);
    const cells = asList(row, rw);
    if (cells.length !== n) rw.fail(`expected ${n} distances (one per numa node), got ${cells.length}`);
    return cells.map((cell, j) => asInt(cell, rw.child(j), 1));
  });
}
