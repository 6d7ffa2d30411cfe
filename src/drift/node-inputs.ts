// The node input of the replay (cli.md §6.2 point 1): the Node object's facts and the machine
// topology (the kubelet version and configuration: kubelet-version.ts, config-facts.ts).

import { isPodresError } from '../errors.js';
import { intValue, parseQuantity, toMilliCpu } from '../model/quantity.js';
import { buildTopology, generateCpuRecords, type Topology } from '../model/topology.js';
import { isMap, type RawMap } from '../scenario/fields.js';
import { toTopology } from '../scenario/topology.js';
import type { NodeObjectFacts, TopologyFacts } from './context.js';

function errorText(e: unknown): string {
  if (isPodresError(e)) return e.oneLine();
  return e instanceof Error ? e.message : String(e);
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function quantityOf(v: unknown): ReturnType<typeof parseQuantity> | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  try {
    return parseQuantity(v);
  } catch {
    return null;
  }
}

/** Labels and capacity of a v1 Node (unreadable values are left out, never guessed). */
export function nodeObjectFacts(node: object): NodeObjectFacts {
  const n = node as RawMap;
  const meta = isMap(n.metadata) ? n.metadata : {};
  const labels = stringRecord(meta.labels);
  const status = isMap(n.status) ? n.status : {};
  const capacity = isMap(status.capacity) ? status.capacity : {};
  const cpu = quantityOf(capacity.cpu);
  const memory = quantityOf(capacity.memory);
  const hugepages: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(capacity)) {
    if (!k.startsWith('hugepages-')) continue;
    const q = quantityOf(v);
    if (q !== null && intValue(q) > 0n) hugepages[k] = intValue(q);
  }
  return {
    labels,
    linux: labels['kubernetes.io/os'] === 'linux',
    capacityCpus: cpu === null ? null : Math.floor(toMilliCpu(cpu) / 1000),
    capacityMemory: memory === null ? null : intValue(memory),
    capacityHugepages: hugepages,
  };
}

/**
 * The machine: the observation's topology, else the --topology one (cli.md §6.2 point 1); one
 * whose CPU count differs from capacity cpu, or that cannot be read, is ignored.
 */
export function topologyFacts(
  node: string,
  observed: object | null,
  file: object | null,
  capacityCpus: number | null,
): TopologyFacts {
  const candidate: { raw: object; source: 'observation' | 'file' } | null =
    observed !== null
      ? { raw: observed, source: 'observation' }
      : file !== null
        ? { raw: file, source: 'file' }
        : null;
  if (candidate === null) return { topology: null, source: null, ignored: null };
  const where =
    candidate.source === 'observation' ? `observation of node ${node} topology` : `topology of node ${node}`;
  let topology: Topology;
  try {
    topology = toTopology(candidate.raw, where);
  } catch (e) {
    return { topology: null, source: null, ignored: `${errorText(e)}; topology ignored` };
  }
  const count = topology.cpus.length;
  if (capacityCpus !== null && count !== capacityCpus) {
    return {
      topology: null,
      source: null,
      ignored: `topology has ${count} CPUs but the node reports capacity cpu ${capacityCpus}; topology ignored`,
    };
  }
  return { topology, source: candidate.source, ignored: null };
}

/**
 * The machine of count mode (cli.md §6.2 point 5): `capacity cpu` CPUs, one per core, on one
 * socket and NUMA node holding the node's memory and hugepages capacity. Only sizes and assignment
 * types of a replay on it mean anything.
 */
export function syntheticTopology(facts: NodeObjectFacts): Topology | null {
  if (facts.capacityCpus === null || facts.capacityCpus < 1) return null;
  const records = generateCpuRecords({
    sockets: 1,
    numaNodesPerSocket: 1,
    coresPerSocket: facts.capacityCpus,
    threadsPerCore: 1,
    uncoreCachesPerSocket: 1,
  });
  const memory =
    facts.capacityMemory === null
      ? []
      : [{ numa: 0, memory: facts.capacityMemory, hugepages: { ...facts.capacityHugepages } }];
  return buildTopology(records, { memory, distances: null });
}
