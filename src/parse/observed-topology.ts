// A machine description (read from sysfs by parseSysfsTopology) → the explicit topology of a
// NodeObservation (cli.md §8.6, scenario-format.md `node.topology` with `cpus`), so that a reader
// gets back exactly the Topology the description gives (scenario/topology.ts toTopology).
//
// * cpus: the online CPUs; `core` = the lowest CPU id among the core's threads (the kubelet's core
//   key); `uncoreCache` = the L3 (`cache/index3/id`) when the kubelet uses it as the CPU's uncore
//   cache, left out otherwise. cAdvisor files an L3 shared by every CPU of a NUMA node as a node
//   cache, and the kubelet then takes the socket id as the uncore id; leaving `uncoreCache` out
//   gives readers that same socket fallback (machine-description.ts recordsFromNodes).
// * memory: per NUMA node with online CPUs, `memory` = MemTotal bytes and `hugepages-<size>` =
//   total bytes of that page size (pages × page size). A memory-only node (no online CPU: CXL
//   memory, or all its CPUs offline) is left out: the kubelet's managers only use NUMA nodes with
//   CPUs, and a topology's memory entries must name nodes that have CPUs.
// * distances: the nodeN/distance rows of the nodes with CPUs, when those are numbered 0…N-1 (the
//   matrix is indexed by node id); left out otherwise.

import type { ObservedTopology, ObservedTopologyCpu, ObservedTopologyMemory } from '../schema/observation.js';
import type { MachineDescription } from './machine-description.js';
import { machineInputError } from './machine-description.js';

export function toObservedTopology(desc: MachineDescription): ObservedTopology {
  const cpus = desc.records.map((r): ObservedTopologyCpu =>
    r.uncore === undefined
      ? { id: r.id, core: r.core, socket: r.socket, numa: r.numa }
      : { id: r.id, core: r.core, socket: r.socket, numa: r.numa, uncoreCache: r.uncore },
  );
  const numaNodes = [...new Set(cpus.map((c) => c.numa))].sort((a, b) => a - b);
  const bytes = (value: bigint, what: string): number => {
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw machineInputError(desc.source, '', `${what}: ${value} bytes is too large to write exactly`);
    }
    return Number(value);
  };
  const memory = desc.memory
    .filter((m) => numaNodes.includes(m.numa))
    .map((m): ObservedTopologyMemory => {
      const out: Record<string, number> = { numa: m.numa, memory: bytes(m.memory, `node ${m.numa} memory`) };
      for (const [name, total] of Object.entries(m.hugepages)) {
        out[name] = bytes(total, `node ${m.numa} ${name}`);
      }
      return out as ObservedTopologyMemory;
    });
  const dense = numaNodes.every((id, i) => id === i);
  const distances =
    desc.distances !== null && dense && numaNodes.every((id) => desc.distances?.[id] !== undefined)
      ? numaNodes.map((from) => numaNodes.map((to) => desc.distances?.[from]?.[to] ?? 0))
      : null;
  return distances === null ? { cpus, memory } : { cpus, memory, distances };
}
