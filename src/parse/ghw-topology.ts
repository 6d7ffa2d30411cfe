// Reader for jaypipes/ghw CPU + topology JSON (`ghw … -f json`, as debug-tools stores it): sockets
// from cpu.processors, NUMA nodes with their cores, caches, distances and memory from topology.nodes.

import type { CpuRecord, NumaMemory } from '../model/topology.js';
import {
  JsonFields,
  distanceMatrix,
  recordsFromNodes,
  type MachineDescription,
  type NodeCores,
  type OuterCache,
} from './machine-description.js';

interface GhwCache {
  readonly level: number;
  readonly cpus: readonly number[];
}

/**
 * Parses ghw JSON with `cpu.processors[].cores[].logical_processors` (socket = processor id) and
 * `topology.nodes[]` (`id`, `cores[].logical_processors`, `caches[]`, `distances`,
 * `memory.total_usable_bytes`, which is the node's MemTotal). ghw caches carry no id: the caches
 * above L2 are numbered per level in the order of their lowest CPU, which matches the kernel's
 * L3 ids on the machines seen (AMD CCX/CCD order). Uncore caches then follow cAdvisor's rule
 * (recordsFromNodes). Hugepage counts are not in ghw JSON. Throws InputError naming `source`
 * and the field path.
 */
export function parseGhwTopology(text: string, source: string): MachineDescription {
  const j: JsonFields = new JsonFields(source);
  const root = j.object(j.parse(text), '');

  const socketOf = new Map<number, number>();
  const cpu = j.object(root.cpu, 'cpu');
  j.array(cpu.processors, 'cpu.processors').forEach((raw, p) => {
    const pp = `cpu.processors[${p}]`;
    const proc = j.object(raw, pp);
    const socket = j.int(proc.id, `${pp}.id`);
    j.array(proc.cores, `${pp}.cores`).forEach((rawCore, k) => {
      const cp = `${pp}.cores[${k}].logical_processors`;
      for (const id of j.cpuIds(j.object(rawCore, `${pp}.cores[${k}]`).logical_processors, cp)) {
        if (socketOf.has(id)) j.fail(cp, `cpu ${id} listed twice`);
        socketOf.set(id, socket);
      }
    });
  });

  const topology = j.object(root.topology, 'topology');
  const rawNodes = j.array(topology.nodes, 'topology.nodes');
  if (rawNodes.length === 0) j.fail('topology.nodes', 'no numa nodes');

  // Caches above L2, deduplicated by CPU set (a cache may be listed under several nodes).
  const outer = new Map<string, GhwCache>();
  const parsed = rawNodes.map((raw, i) => {
    const np = `topology.nodes[${i}]`;
    const node = j.object(raw, np);
    const id = j.int(node.id, `${np}.id`);
    const cores = j.array(node.cores ?? [], `${np}.cores`).map((rawCore, k) => {
      const cp = `${np}.cores[${k}].logical_processors`;
      const threads = j.cpuIds(j.object(rawCore, `${np}.cores[${k}]`).logical_processors, cp);
      const socket = socketOf.get(threads[0] as number);
      if (socket === undefined) j.fail(cp, `cpu ${threads[0] as number} is in no cpu.processors[].cores[]`);
      return { threads, socket: socket };
    });
    j.array(node.caches ?? [], `${np}.caches`).forEach((rawCache, c) => {
      const cp = `${np}.caches[${c}]`;
      const cache = j.object(rawCache, cp);
      const level = j.int(cache.level, `${cp}.level`, 1);
      if (level <= 2) return;
      const cpus = [...j.cpuIds(cache.logical_processors, `${cp}.logical_processors`)].sort((a, b) => a - b);
      outer.set(`${level}:${cpus.join(',')}`, { level, cpus });
    });
    const memoryField =
      node.memory === null || node.memory === undefined ? null : j.object(node.memory, `${np}.memory`);
    const bytes =
      memoryField === null ? 0 : j.int(memoryField.total_usable_bytes, `${np}.memory.total_usable_bytes`);
    const distances =
      node.distances === null || node.distances === undefined
        ? null
        : j.array(node.distances, `${np}.distances`).map((d, n) => j.int(d, `${np}.distances[${n}]`));
    return { np, id, cores, bytes, distances };
  });

  // Number the caches of each level by their lowest CPU.
  const cacheIds = new Map<GhwCache, number>();
  const byLevel = new Map<number, GhwCache[]>();
  for (const c of outer.values()) byLevel.set(c.level, [...(byLevel.get(c.level) ?? []), c]);
  for (const list of byLevel.values()) {
    list.sort((a, b) => (a.cpus[0] as number) - (b.cpus[0] as number)).forEach((c, n) => cacheIds.set(c, n));
  }
  const cachesByLevel = [...outer.values()].sort((a, b) => a.level - b.level);
  const outerCachesOf = (cpuId: number): OuterCache[] =>
    cachesByLevel
      .filter((c) => c.cpus.includes(cpuId))
      .map((c) => ({ id: cacheIds.get(c) as number, cpus: c.cpus.length }));

  const seen = new Map<number, string>();
  for (const n of parsed) {
    const before = seen.get(n.id);
    if (before !== undefined) j.fail(`${n.np}.id`, `node ${n.id} listed twice`);
    seen.set(n.id, n.np);
  }
  const nodes: NodeCores[] = parsed.map((n) => ({
    id: n.id,
    cores: n.cores.map((c) => ({
      threads: c.threads,
      socket: c.socket,
      outerCaches: outerCachesOf(Math.min(...c.threads)),
    })),
  }));
  const records: CpuRecord[] = recordsFromNodes(nodes);
  const cpuSeen = new Set<number>();
  for (const r of records) {
    if (cpuSeen.has(r.id)) j.fail('topology.nodes', `cpu ${r.id} listed twice`);
    cpuSeen.add(r.id);
  }
  if (records.length === 0) j.fail('topology.nodes', 'no cpus in any node');

  const memory: NumaMemory[] = parsed
    .map((n) => ({ numa: n.id, memory: BigInt(n.bytes), hugepages: {} }))
    .sort((a, b) => a.numa - b.numa);
  let distances: number[][] | null = null;
  if (parsed.every((n) => n.distances !== null)) {
    const m = distanceMatrix(new Map(parsed.map((n) => [n.id, n.distances as number[]])));
    if (!Array.isArray(m)) j.fail(`${seen.get(m.node) ?? 'topology.nodes'}.distances`, m.why);
    distances = m;
  }
  return { records, memory, distances, source };
}
