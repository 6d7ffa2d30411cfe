// What the PodResources API reports (allocator-model.md §7), predicted from the model's state in
// the same domain shape a parsed observation has (pod-resources.ts), so drift can compare them:
//   * `List` for one pod: v1.36 has no pod-level fields and reports containers straight from the
//     manager state, so pod-shared containers report the pod shared pool and the shared memory
//     block (quirk Q2); v1.37 reports the pod pool and pod blocks at pod level, exclusive
//     containers their slice and shared containers nothing;
//   * `GetAllocatableResources` for the node.

import type { CpuSet } from './cpuset.js';
import type { KubeletVersion } from './kubelet-config.js';
import type { MachineState, MemoryBlock } from './memory/state.js';
import type { Pod } from './pod.js';
import {
  canonicalMemory,
  memoryEntry,
  type AllocatableResources,
  type ContainerMemoryEntry,
  type ContainerResourcesEntry,
  type PodResourcesEntry,
} from './pod-resources.js';
import { isEquivalentGuaranteed } from './qos.js';
import type { Topology } from './topology.js';

/** The model's `List` view of one pod: a PodResourcesEntry. */
export type ReportedPod = PodResourcesEntry;

/** The memory manager's view of one pod, when it has one (policy Static). */
export interface ReportedMemory {
  /** container name → blocks (an empty list is an entry without blocks: quirk Q1) */
  readonly entries?: ReadonlyMap<string, readonly MemoryBlock[]> | undefined;
  /** the pod's blocks (pod-level pods with a memory pool) */
  readonly podBlocks?: readonly MemoryBlock[] | undefined;
}

/** Memory blocks as PodResources reports them (ContainerMemory per block), in canonical order. */
export function memoryEntries(blocks: readonly MemoryBlock[]): ContainerMemoryEntry[] {
  return canonicalMemory(blocks.map((b) => memoryEntry(b.type, b.size, b.numaAffinity)));
}

/**
 * `List`'s entry for an admitted pod. `entries`: the pod's CPU entries (container → CPUs);
 * `podPool`: its CPU pod pool; `exclusiveByName`: exclusive CPUs per container (`guaranteedCPUs`),
 * which tells pod_exclusive from pod_shared containers. Containers: restartable init containers
 * then app containers (standard init containers are not listed). Devices and dynamic resources
 * are not modelled (always empty).
 */
export function reportedPodResources(
  version: KubeletVersion,
  pod: Pod,
  entries: ReadonlyMap<string, CpuSet> | undefined,
  podPool: CpuSet | undefined,
  exclusiveByName: ReadonlyMap<string, number>,
  memory?: ReportedMemory,
): ReportedPod {
  const podBlocks = memory?.podBlocks;
  // 1.37 reports each pool at pod level and leaves that resource empty for shared containers.
  const cpuPodView = version === '1.37' && podPool !== undefined;
  const memoryPodView = version === '1.37' && podBlocks !== undefined;
  const containers: ContainerResourcesEntry[] = [];
  for (const c of [...pod.initContainers.filter((x) => x.type === 'sidecar'), ...pod.containers]) {
    const cpus = entries?.get(c.name);
    const cpuShared = (exclusiveByName.get(c.name) ?? 0) === 0;
    const blocks = memory?.entries?.get(c.name) ?? [];
    // In a pod with a memory pool, a container's memory is exclusive exactly when it is
    // equivalent Guaranteed (§2.3 exclusiveMemory); its CPUs may still be shared (1500m).
    const memoryShared = !isEquivalentGuaranteed(c);
    containers.push({
      name: c.name,
      cpuIds: cpus === undefined || (cpuPodView && cpuShared) ? [] : cpus.toArray(),
      memory: memoryPodView && memoryShared ? [] : memoryEntries(blocks),
      devices: [],
      dynamicResources: [],
    });
  }
  return {
    name: pod.name,
    namespace: pod.namespace,
    cpuIds: cpuPodView ? podPool.toArray() : [],
    memory: memoryPodView ? memoryEntries(podBlocks) : [],
    containers,
  };
}

/**
 * `GetAllocatableResources`: `cpu_ids` = every CPU − the reserved CPUs under the static policy
 * (`cpuPolicy` null = policy none: empty); `memory` = one entry per NUMA node and resource type
 * with allocatable > 0 from the memory manager's machine state (null = policy None: empty).
 * Devices are not modelled (empty).
 */
export function allocatableResources(
  topology: Topology,
  cpuPolicy: { readonly reserved: CpuSet } | null,
  machineState: MachineState | null,
): AllocatableResources {
  const memory: ContainerMemoryEntry[] = [];
  for (const [numa, node] of machineState ?? []) {
    for (const [type, table] of node.memoryMap) {
      if (table.allocatable > 0n) memory.push(memoryEntry(type, table.allocatable, [numa]));
    }
  }
  return {
    cpuIds: cpuPolicy === null ? [] : topology.all.difference(cpuPolicy.reserved).toArray(),
    memory: canonicalMemory(memory),
    devices: [],
  };
}
