// CPU topology hints (generateCPUTopologyHints / isHintSocketAligned in
// pkg/kubelet/cm/cpumanager/policy_static.go), allocator-model.md §3.2.

import type { CpuSet } from '../cpuset.js';
import { iterateMasks, maskCount, maskNodes } from '../bitmask.js';
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
  const totalPerNode = new Map<number, number>();
  const freePerNode = new Map<number, number>();
  for (const n of topo.numaNodes) totalPerNode.set(n, topo.cpusInNuma(n).size);
  for (const cpu of available) {
    const n = topo.info(cpu).numa;
    freePerNode.set(n, (freePerNode.get(n) ?? 0) + 1);
  }
  let reusableMask = 0;
  for (const cpu of reusable) reusableMask |= 1 << topo.info(cpu).numa;

  let minAffinity = topo.numaNodes.length;
  const hints: { mask: number; preferred: boolean }[] = [];
  for (const mask of iterateMasks(topo.numaNodes)) {
    const nodes = maskNodes(mask);
    const total = nodes.reduce((s, n) => s + (totalPerNode.get(n) ?? 0), 0);
    if (total >= request && maskCount(mask) < minAffinity) minAffinity = maskCount(mask);
    if ((reusableMask & ~mask) !== 0) continue;
    const matching = reusable.size + nodes.reduce((s, n) => s + (freePerNode.get(n) ?? 0), 0);
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
