// CPU topology hints (generateCPUTopologyHints / isHintSocketAligned in
// pkg/kubelet/cm/cpumanager/policy_static.go), allocator-model.md §3.2.

import type { CpuSet } from '../cpuset.js';
import { maskCount, maskNodes } from '../bitmask.js';
import type { Topology } from '../topology.js';
import type { TopologyHint } from '../topology-manager/hint.js';

/**
 * Every NUMA mask (by size, then lexicographic) that can hold `request` CPUs from `available`
 * plus all of `reusable`; hints as narrow as the narrowest mask that could hold the request on
 * an empty machine are preferred (with align-by-socket also the socket-aligned ones).
 */
export function generateCpuTopologyHints(
  topo: Topology,
  available: CpuSet,
  reusable: CpuSet,
  request: number,
  alignBySocket: boolean,
): TopologyHint[] {
  // Per NUMA node (indexed like topo.numaNodes): all its CPUs, and its CPUs in `available`.
  const nodes = topo.numaNodes;
  const totalPerNode = nodes.map((n) => topo.cpusInNuma(n).size);
  const position = new Map(nodes.map((n, i) => [n, i]));
  const freePerNode = nodes.map(() => 0);
  for (const cpu of available) {
    const i = position.get(topo.info(cpu).numa) as number;
    freePerNode[i] = (freePerNode[i] as number) + 1;
  }
  let reusableMask = 0;
  for (const cpu of reusable) reusableMask |= 1 << topo.info(cpu).numa;
  /** Sum of `perNode` over the nodes of `mask`. */
  const sumIn = (mask: number, perNode: readonly number[]): number => {
    let sum = 0;
    for (let i = 0; i < nodes.length; i++) {
      if ((mask & (1 << (nodes[i] as number))) !== 0) sum += perNode[i] as number;
    }
    return sum;
  };

  let minAffinity = nodes.length;
  const hints: { mask: number; preferred: boolean }[] = [];
  for (const mask of topo.numaMasks()) {
    const count = maskCount(mask);
    if (count < minAffinity && sumIn(mask, totalPerNode) >= request) minAffinity = count;
    if ((reusableMask & ~mask) !== 0) continue;
    const matching = reusable.size + sumIn(mask, freePerNode);
    if (matching < request) continue;
    hints.push({ mask, preferred: false });
  }
  const numaPerSocket = Math.floor(topo.numaNodes.length / topo.sockets.length);
  for (const h of hints) {
    if (alignBySocket && numaPerSocket > 0) {
      const minSockets = Math.ceil(minAffinity / numaPerSocket);
      const sockets = new Set(maskNodes(h.mask).flatMap((n) => topo.socketsOfNuma(n)));
      if (sockets.size === minSockets) {
        h.preferred = true;
        continue;
      }
    }
    if (maskCount(h.mask) === minAffinity) h.preferred = true;
  }
  return hints;
}
