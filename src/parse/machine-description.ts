// A machine as the topology readers return it (cAdvisor MachineInfo.Topology flattened to one
// record per logical CPU), the cAdvisor/kubelet rules the readers share, and toTopology.

import { InputError } from '../errors.js';
import { formatBytes } from '../model/quantity.js';
import { buildTopology, type CpuRecord, type NumaMemory, type Topology } from '../model/topology.js';

/** What one machine description yields: CPU records, per-NUMA memory and the distance matrix. */
export interface MachineDescription {
  readonly records: CpuRecord[];
  /** One entry per NUMA node the source describes memory for; empty when it has none. */
  readonly memory: NumaMemory[];
  /** Indexed by NUMA node id; null when the source has no distances. */
  readonly distances: number[][] | null;
  /** File name (or other label) the description was read from; named in every error. */
  readonly source: string;
}

/** Builds the Topology of a description; an inconsistent description becomes an InputError. */
export function toTopology(desc: MachineDescription): Topology {
  try {
    return buildTopology(desc.records, { distances: desc.distances, memory: desc.memory });
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`${desc.source}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** "<source> <path>: <why>" (or "<source>: <why>" without a path), as InputError. */
export function machineInputError(source: string, path: string, why: string, cause?: unknown): InputError {
  const where = path === '' ? source : `${source} ${path}`;
  return new InputError(`${where}: ${why}`, cause === undefined ? {} : { cause });
}

/** A cache above L2 as cAdvisor reads it: its id and the number of CPUs sharing it. */
export interface OuterCache {
  readonly id: number;
  readonly cpus: number;
}

/** A physical core as cAdvisor groups it inside one NUMA node (info.Core). */
export interface NodeCore {
  readonly threads: readonly number[];
  readonly socket: number;
  /** Caches of level > 2 of the core's first thread, in cache index order. */
  readonly outerCaches: readonly OuterCache[];
}

/** A NUMA node as cAdvisor reports it (info.Node): its id and its cores. */
export interface NodeCores {
  readonly id: number;
  readonly cores: readonly NodeCore[];
}

/**
 * Turns cAdvisor-style nodes into CPU records the way MachineInfo reaches the kubelet:
 * cAdvisor's addCacheInfo (utils/sysinfo/sysinfo.go) files a level > 2 cache as a node cache
 * when the number of CPUs sharing it equals len(node.Cores) * len(core.Threads), and as one of
 * the core's uncore caches otherwise; the kubelet's getUncoreCacheID
 * (pkg/kubelet/cm/cpumanager/topology/topology.go) takes the first uncore cache's id, else the
 * socket id (left undefined here: buildTopology applies that fallback). The core key is the
 * lowest thread id, the kubelet's getUniqueCoreID.
 */
export function recordsFromNodes(nodes: readonly NodeCores[]): CpuRecord[] {
  const records: CpuRecord[] = [];
  for (const node of nodes) {
    for (const core of node.cores) {
      const threadsPerNode = node.cores.length * core.threads.length;
      const uncore = core.outerCaches.find((c) => c.cpus !== threadsPerNode)?.id;
      const key = Math.min(...core.threads);
      for (const id of core.threads) {
        records.push({ id, core: key, socket: core.socket, numa: node.id, uncore });
      }
    }
  }
  return records.sort((a, b) => a.id - b.id);
}

/** The resource name of a hugepage size given in KiB, as the kubelet names it ("hugepages-2Mi"). */
export function hugepageResourceName(pageSizeKiB: number): string {
  return `hugepages-${formatBytes(BigInt(pageSizeKiB) * 1024n)}`;
}

/**
 * Builds the distance matrix indexed by node id from one row per node. As in the kernel's
 * nodeN/distance file, a row lists the distances to every node in ascending node id order, so
 * with gaps in the ids (0, 2, 3) entry k of a row belongs to the k-th node; the rows and columns
 * of absent ids are filled with 0. A row of the wrong length is returned as `{ node, why }`.
 */
export function distanceMatrix(
  rows: ReadonlyMap<number, readonly number[]>,
): number[][] | { readonly node: number; readonly why: string } {
  const ids = [...rows.keys()].sort((a, b) => a - b);
  const size = ids.length === 0 ? 0 : (ids[ids.length - 1] as number) + 1;
  const matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const from of ids) {
    const row = rows.get(from) ?? [];
    if (row.length !== ids.length) {
      return { node: from, why: `expected ${ids.length} distances (one per node), got ${row.length}` };
    }
    ids.forEach((to, k) => {
      (matrix[from] as number[])[to] = row[k] as number;
    });
  }
  return matrix;
}

/** Typed access to parsed JSON that throws InputErrors naming the source and the field path. */
export class JsonFields {
  constructor(readonly source: string) {}

  fail(path: string, why: string): never {
    throw machineInputError(this.source, path, why);
  }

  parse(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw machineInputError(this.source, '', `invalid json: ${lowerFirst(msg)}`, e);
    }
  }

  object(value: unknown, path: string): Readonly<Record<string, unknown>> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${describe(value)}`);
    }
    return value as Readonly<Record<string, unknown>>;
  }

  array(value: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${describe(value)}`);
    return value as readonly unknown[];
  }

  /** A safe integer, >= min (default 0). */
  int(value: unknown, path: string, min = 0): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      const what = min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
      this.fail(path, `expected ${what}, got ${describe(value)}`);
    }
    return value;
  }

  /** A non-empty array of distinct non-negative integers (cpu ids). */
  cpuIds(value: unknown, path: string): number[] {
    const ok =
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
    if (!ok) this.fail(path, `expected a non-empty array of integers, got ${describe(value)}`);
    const ids = value as number[];
    const dup = ids.find((v, i) => ids.indexOf(v) !== i);
    if (dup !== undefined) this.fail(path, `cpu ${dup} listed twice`);
    return ids;
  }
}

/** One line, starting lower case (engine messages may quote multi-line input). */
function lowerFirst(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.charAt(0).toLowerCase() + line.slice(1);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}
