// Machine CPU topology as the kubelet sees it (pkg/kubelet/cm/cpumanager/topology/topology.go):
// one record per logical CPU with a machine-unique core id (lowest CPU id of the core), socket,
// NUMA node and uncore (L3) cache id (socket id when the machine reports no L3).

import type { NumaMask } from './bitmask.js';
import { iterateMasks } from './bitmask.js';
import { CpuSet } from './cpuset.js';

/** One logical CPU as a machine description gives it; `core` is only a grouping key (per socket). */
export interface CpuRecord {
  readonly id: number;
  readonly core: number;
  readonly socket: number;
  readonly numa: number;
  /** Absent: the socket id (the kubelet's fallback when no L3 is reported). */
  readonly uncore?: number | undefined;
}

/** A logical CPU after normalisation: `core` is the lowest CPU id among the core's threads. */
export interface CpuInfo {
  readonly id: number;
  readonly core: number;
  readonly socket: number;
  readonly numa: number;
  readonly uncore: number;
}

/** Regular memory and hugepages of one NUMA node, in bytes (hugepages: total bytes per page size). */
export interface NumaMemory {
  readonly numa: number;
  readonly memory: bigint;
  readonly hugepages: Readonly<Record<string, bigint>>;
}

export interface Topology {
  readonly cpus: readonly CpuInfo[];
  readonly all: CpuSet;
  readonly numaNodes: readonly number[];
  readonly sockets: readonly number[];
  readonly cores: readonly number[];
  readonly uncores: readonly number[];
  readonly cpusPerCore: number;
  readonly cpusPerSocket: number;
  readonly cpusPerUncore: number;
  /** NumSockets >= NumNUMANodes: NUMA nodes are the higher level of the packed allocator. */
  readonly numaFirst: boolean;
  /** NUMA distance matrix indexed by node id, or null when unknown (all off-diagonal equal). */
  readonly distances: readonly (readonly number[])[] | null;
  readonly memory: readonly NumaMemory[];
  info(cpu: number): CpuInfo;
  cpusInNuma(numa: number): CpuSet;
  cpusInSocket(socket: number): CpuSet;
  cpusInCore(core: number): CpuSet;
  cpusInUncore(uncore: number): CpuSet;
  cpusInNumaMask(nodes: readonly number[]): CpuSet;
  /** Every non-empty mask of the NUMA nodes, in hint order (`iterateMasks`); computed once, on first use. */
  numaMasks(): readonly NumaMask[];
  socketsOfNuma(numa: number): readonly number[];
  numaOfSocket(socket: number): readonly number[];
  coresOfSocket(socket: number): readonly number[];
  coresOfNuma(numa: number): readonly number[];
  uncoresOfNuma(numa: number): readonly number[];
  coresOfUncore(uncore: number): readonly number[];
}

export interface TopologyExtras {
  readonly distances?: readonly (readonly number[])[] | null;
  readonly memory?: readonly NumaMemory[];
}

function sortedUnique(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function group<K>(cpus: readonly CpuInfo[], key: (c: CpuInfo) => K): Map<K, number[]> {
  const m = new Map<K, number[]>();
  for (const c of cpus) {
    const list = m.get(key(c));
    if (list === undefined) m.set(key(c), [c.id]);
    else list.push(c.id);
  }
  return m;
}

function relation(cpus: readonly CpuInfo[], from: (c: CpuInfo) => number, to: (c: CpuInfo) => number) {
  const m = new Map<number, Set<number>>();
  for (const c of cpus) {
    let s = m.get(from(c));
    if (s === undefined) m.set(from(c), (s = new Set()));
    s.add(to(c));
  }
  const out = new Map<number, readonly number[]>();
  for (const [k, s] of m) out.set(k, sortedUnique(s));
  return out;
}

/**
 * Normalises CPU records into a Topology: cores are grouped by (socket, core key) and renumbered
 * to their lowest CPU id, a missing uncore becomes the socket id. Throws RangeError on a
 * duplicate or invalid CPU id.
 */
export function buildTopology(records: readonly CpuRecord[], extras: TopologyExtras = {}): Topology {
  if (records.length === 0) throw new RangeError('topology has no CPUs');
  const seen = new Set<number>();
  for (const r of records) {
    if (!Number.isInteger(r.id) || r.id < 0) throw new RangeError(`invalid cpu id ${r.id}`);
    if (seen.has(r.id)) throw new RangeError(`cpu ${r.id} listed twice`);
    seen.add(r.id);
  }
  const coreKey = (r: CpuRecord) => `${r.socket}/${r.core}`;
  const lowest = new Map<string, number>();
  for (const r of records) {
    const k = coreKey(r);
    const cur = lowest.get(k);
    if (cur === undefined || r.id < cur) lowest.set(k, r.id);
  }
  const cpus: CpuInfo[] = records
    .map((r) => ({
      id: r.id,
      core: lowest.get(coreKey(r)) ?? r.id,
      socket: r.socket,
      numa: r.numa,
      uncore: r.uncore ?? r.socket,
    }))
    .sort((a, b) => a.id - b.id);

  const byId = new Map(cpus.map((c) => [c.id, c]));
  const setsBy = (key: (c: CpuInfo) => number) => {
    const m = new Map<number, CpuSet>();
    for (const [k, ids] of group(cpus, key)) m.set(k, CpuSet.from(ids));
    return m;
  };
  const numaSets = setsBy((c) => c.numa);
  const socketSets = setsBy((c) => c.socket);
  const coreSets = setsBy((c) => c.core);
  const uncoreSets = setsBy((c) => c.uncore);
  const socketsOfNuma = relation(
    cpus,
    (c) => c.numa,
    (c) => c.socket,
  );
  const numaOfSocket = relation(
    cpus,
    (c) => c.socket,
    (c) => c.numa,
  );
  const coresOfSocket = relation(
    cpus,
    (c) => c.socket,
    (c) => c.core,
  );
  const coresOfNuma = relation(
    cpus,
    (c) => c.numa,
    (c) => c.core,
  );
  const uncoresOfNuma = relation(
    cpus,
    (c) => c.numa,
    (c) => c.uncore,
  );
  const coresOfUncore = relation(
    cpus,
    (c) => c.uncore,
    (c) => c.core,
  );

  const numaNodes = sortedUnique(cpus.map((c) => c.numa));
  const sockets = sortedUnique(cpus.map((c) => c.socket));
  const cores = sortedUnique(cpus.map((c) => c.core));
  const uncores = sortedUnique(cpus.map((c) => c.uncore));
  const n = cpus.length;
  const maskCache = new Map<string, CpuSet>();
  let numaMasks: readonly NumaMask[] | null = null;
  const none: readonly number[] = [];

  return {
    cpus,
    all: CpuSet.fromSorted(cpus.map((c) => c.id)),
    numaNodes,
    sockets,
    cores,
    uncores,
    cpusPerCore: Math.floor(n / cores.length),
    cpusPerSocket: Math.floor(n / sockets.length),
    cpusPerUncore: uncores.length === 0 ? 0 : Math.floor(n / uncores.length),
    numaFirst: sockets.length >= numaNodes.length,
    distances: extras.distances ?? null,
    memory: extras.memory ?? [],
    info(cpu) {
      const c = byId.get(cpu);
      if (c === undefined) throw new RangeError(`cpu ${cpu} is not in the topology`);
      return c;
    },
    cpusInNuma: (x) => numaSets.get(x) ?? CpuSet.empty,
    cpusInSocket: (x) => socketSets.get(x) ?? CpuSet.empty,
    cpusInCore: (x) => coreSets.get(x) ?? CpuSet.empty,
    cpusInUncore: (x) => uncoreSets.get(x) ?? CpuSet.empty,
    cpusInNumaMask(nodes) {
      const key = nodes.join(',');
      let s = maskCache.get(key);
      if (s === undefined) {
        s = nodes.reduce((acc, x) => acc.union(numaSets.get(x) ?? CpuSet.empty), CpuSet.empty);
        maskCache.set(key, s);
      }
      return s;
    },
    numaMasks: () => (numaMasks ??= iterateMasks(numaNodes)),
    socketsOfNuma: (x) => socketsOfNuma.get(x) ?? none,
    numaOfSocket: (x) => numaOfSocket.get(x) ?? none,
    coresOfSocket: (x) => coresOfSocket.get(x) ?? none,
    coresOfNuma: (x) => coresOfNuma.get(x) ?? none,
    uncoresOfNuma: (x) => uncoresOfNuma.get(x) ?? none,
    coresOfUncore: (x) => coresOfUncore.get(x) ?? none,
  };
}

export interface GenerateSpec {
  readonly sockets: number;
  readonly numaNodesPerSocket: number;
  readonly coresPerSocket: number;
  readonly threadsPerCore: number;
  readonly uncoreCachesPerSocket: number;
}

/**
 * Generates CPU records numbered as Linux does on x86: thread 0 of every core over all sockets
 * first, then thread 1, … so the sibling of cpu c is c + sockets*coresPerSocket. The cores of a
 * socket are split evenly, in core order, over its NUMA nodes and, independently, its uncores.
 */
export function generateCpuRecords(spec: GenerateSpec): CpuRecord[] {
  const {
    sockets,
    numaNodesPerSocket: nps,
    coresPerSocket: cps,
    threadsPerCore: tpc,
    uncoreCachesPerSocket: ups,
  } = spec;
  const out: CpuRecord[] = [];
  for (let t = 0; t < tpc; t++) {
    for (let s = 0; s < sockets; s++) {
      for (let k = 0; k < cps; k++) {
        out.push({
          id: t * sockets * cps + s * cps + k,
          core: s * cps + k,
          socket: s,
          numa: s * nps + Math.floor((k * nps) / cps),
          uncore: s * ups + Math.floor((k * ups) / cps),
        });
      }
    }
  }
  return out;
}
