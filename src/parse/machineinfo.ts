// Reader for cAdvisor MachineInfo JSON (machineinfo.json, /spec, cAdvisor v0.39 … v0.49+): the
// per-NUMA-node topology the kubelet's topology.Discover turns into its CPU details.

import type { CpuRecord, NumaMemory } from '../model/topology.js';
import {
  JsonFields,
  distanceMatrix,
  hugepageResourceName,
  type MachineDescription,
} from './machine-description.js';

/**
 * Parses cAdvisor MachineInfo JSON. Per node (`topology[i]`): `node_id`, `cores[k].thread_ids`,
 * `cores[k].socket_id` (absent in very old cAdvisor: the node id is used), `uncore_caches`
 * (the kubelet takes the first one's id, else the socket id), `memory` in bytes, `hugepages`
 * (`page_size` KiB × `num_pages`) and `distances`. Node-level `caches` are ignored, as the
 * kubelet ignores them. Throws InputError naming `source` and the field path.
 */
export function parseMachineInfo(text: string, source: string): MachineDescription {
  const j: JsonFields = new JsonFields(source);
  const root = j.object(j.parse(text), '');
  const nodes = j.array(root.topology, 'topology');
  if (nodes.length === 0) j.fail('topology', 'no numa nodes');

  const records: CpuRecord[] = [];
  const memory: NumaMemory[] = [];
  const distanceRows = new Map<number, number[]>();
  let allDistances = true;
  const cpuWhere = new Map<number, string>();
  const nodePath = new Map<number, string>();

  for (const [i, rawNode] of nodes.entries()) {
    const np = `topology[${i}]`;
    const node = j.object(rawNode, np);
    const id = j.int(node.node_id, `${np}.node_id`);
    if (nodePath.has(id)) j.fail(`${np}.node_id`, `node ${id} listed twice`);
    nodePath.set(id, np);

    const cores = node.cores === null || node.cores === undefined ? [] : j.array(node.cores, `${np}.cores`);
    cores.forEach((rawCore, k) => {
      const cp = `${np}.cores[${k}]`;
      const core = j.object(rawCore, cp);
      const threads = j.cpuIds(core.thread_ids, `${cp}.thread_ids`);
      const socket = core.socket_id === undefined ? id : j.int(core.socket_id, `${cp}.socket_id`);
      const uncore = firstUncoreId(j, core.uncore_caches, `${cp}.uncore_caches`);
      const key = Math.min(...threads);
      for (const cpu of threads) {
        const before = cpuWhere.get(cpu);
        if (before !== undefined) j.fail(`${cp}.thread_ids`, `cpu ${cpu} already listed in ${before}`);
        cpuWhere.set(cpu, `${cp}.thread_ids`);
        records.push({ id: cpu, core: key, socket, numa: id, uncore });
      }
    });

    const bytes = node.memory === null || node.memory === undefined ? 0 : j.int(node.memory, `${np}.memory`);
    memory.push({ numa: id, memory: BigInt(bytes), hugepages: readHugepages(j, node.hugepages, np) });

    if (node.distances === null || node.distances === undefined) allDistances = false;
    else {
      const row = j.array(node.distances, `${np}.distances`);
      distanceRows.set(
        id,
        row.map((d, n) => j.int(d, `${np}.distances[${n}]`)),
      );
    }
  }

  if (records.length === 0) j.fail('topology', 'no cpus in any node');
  let distances: number[][] | null = null;
  if (allDistances) {
    const m = distanceMatrix(distanceRows);
    if (!Array.isArray(m)) j.fail(`${nodePath.get(m.node) ?? 'topology'}.distances`, m.why);
    distances = m;
  }
  records.sort((a, b) => a.id - b.id);
  memory.sort((a, b) => a.numa - b.numa);
  return { records, memory, distances, source };
}

function firstUncoreId(j: JsonFields, value: unknown, path: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const caches = j.array(value, path);
  if (caches.length === 0) return undefined;
  const first = j.object(caches[0], `${path}[0]`);
  return j.int(first.id, `${path}[0].id`);
}

function readHugepages(j: JsonFields, value: unknown, np: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  if (value === null || value === undefined) return out;
  j.array(value, `${np}.hugepages`).forEach((raw, h) => {
    const hp = `${np}.hugepages[${h}]`;
    const entry = j.object(raw, hp);
    const size = j.int(entry.page_size, `${hp}.page_size`, 1);
    const pages = j.int(entry.num_pages, `${hp}.num_pages`);
    const name = hugepageResourceName(size);
    out[name] = (out[name] ?? 0n) + BigInt(size) * 1024n * BigInt(pages);
  });
  return out;
}
