// Memory invariants checked on model cases: per node and type free + reserved = allocatable, and
// for pod-level pods the pod blocks equal Σ exclusive long-running blocks + the shared block.

import type { SimulationResult } from '../../src/model/simulate.js';

export function memoryInvariantViolations(result: SimulationResult): string[] {
  const memory = result.node.memory;
  if (memory === null) return [];
  const problems: string[] = [];
  for (const [numa, node] of memory.machineState) {
    for (const [type, t] of node.memoryMap) {
      if (t.free + t.reserved !== t.allocatable) {
        problems.push(
          `numa ${numa} ${type}: free ${t.free} + reserved ${t.reserved} != allocatable ${t.allocatable}`,
        );
      }
      if (t.free < 0n || t.reserved < 0n) problems.push(`numa ${numa} ${type}: negative free or reserved`);
    }
  }
  for (const a of result.admissions) {
    const podBlocks = memory.podEntries.get(a.pod.uid);
    if (!a.admitted || podBlocks === undefined) continue;
    const entries = memory.entries.get(a.pod.uid);
    for (const pb of podBlocks) {
      let exclusive = 0n;
      let shared: bigint | null = null;
      for (const p of a.placements) {
        if (p.container.type === 'init') continue;
        const size = (entries?.get(p.container.name) ?? [])
          .filter((b) => b.type === pb.type)
          .reduce((s, b) => s + b.size, 0n);
        if (p.memory === 'pod_exclusive') exclusive += size;
        else if (p.memory === 'pod_shared') shared = size;
      }
      if (shared !== null && exclusive + shared !== pb.size) {
        problems.push(
          `${a.pod.name} ${pb.type}: exclusive ${exclusive} + shared ${shared} != pod block ${pb.size}`,
        );
      }
      if (exclusive > pb.size)
        problems.push(`${a.pod.name} ${pb.type}: exclusive blocks exceed the pod block`);
    }
  }
  return problems;
}
