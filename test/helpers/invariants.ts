// Cheap invariants checked after every model case (design §Testing style): no CPU in two
// exclusive sets, nothing exclusive in the shared pool, and exclusive ∪ shared ∪ reserved = all.

import { CpuSet } from '../../src/model/cpuset.js';
import type { SimulationResult } from '../../src/model/simulate.js';

export function cpuInvariantViolations(result: SimulationResult): string[] {
  const problems: string[] = [];
  const { node } = result;
  const reserved = node.ctx.cpuPolicy?.reserved ?? CpuSet.empty;
  const shared = node.cpu.defaultCpuSet;
  let exclusive = CpuSet.empty;
  const claim = (what: string, cpus: CpuSet) => {
    if (cpus.intersects(exclusive))
      problems.push(`${what} ${cpus.toString()} overlaps another exclusive set`);
    if (cpus.intersects(shared))
      problems.push(`${what} ${cpus.toString()} overlaps the shared pool ${shared.toString()}`);
    exclusive = exclusive.union(cpus);
  };
  for (const [uid, pool] of node.cpu.podEntries.entries()) claim(`pod pool of ${uid}`, pool);
  // Pods that were already on the node (restored state) hold their entries too.
  const admitted = new Set(result.admissions.map((a) => a.pod.uid));
  for (const [uid, containers] of node.cpu.entries.entries()) {
    if (admitted.has(uid) || node.cpu.podEntries.get(uid) !== undefined) continue;
    let podCpus = CpuSet.empty;
    for (const cpus of containers.values()) podCpus = podCpus.union(cpus);
    claim(`restored pod ${uid}`, podCpus);
  }
  for (const a of result.admissions) {
    if (!a.admitted) continue;
    const entries = node.cpu.entries.get(a.pod.uid);
    const pool = node.cpu.podEntries.get(a.pod.uid);
    let slices = CpuSet.empty;
    for (const p of a.placements) {
      const entry = entries?.get(p.container.name);
      if (entry === undefined || p.container.type === 'init' || p.exclusiveCpus === 0) continue;
      if (pool !== undefined) {
        if (!entry.isSubsetOf(pool))
          problems.push(`${p.container.name} ${entry.toString()} leaves its pod pool`);
        if (entry.intersects(slices))
          problems.push(`${p.container.name} ${entry.toString()} overlaps a sibling slice`);
        slices = slices.union(entry);
      } else {
        claim(`${a.pod.name}/${p.container.name}`, entry);
      }
    }
  }
  const covered = exclusive.union(shared).union(reserved);
  if (!covered.equals(node.ctx.topology.all)) {
    problems.push(
      `exclusive ∪ shared ∪ reserved = ${covered.toString()}, not all CPUs ${node.ctx.topology.all.toString()}`,
    );
  }
  return problems;
}
