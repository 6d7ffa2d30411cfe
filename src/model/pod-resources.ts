// PodResources (k8s.io/kubelet/pkg/apis/podresources/v1, allocator-model.md §7) as our code uses
// it: not the protobuf messages but one domain shape shared by the observed side (dumps of `List`
// and `GetAllocatableResources`, src/parse/podresources.ts) and the model's prediction
// (pod-resources-view.ts), so that drift can compare the two with a deep equality.
//
// Canonical form. The kubelet fills several lists from Go maps (memory blocks per resource type,
// devices per resource and device id), so their order carries no meaning and changes between
// calls; both sides therefore sort them:
//   * id sets (cpuIds, numa, deviceIds) ascending, without duplicates;
//   * memory entries by type, then NUMA nodes, then size; device entries by resource name, then
//     device ids, then NUMA nodes.
// Pods, containers and dynamic resources keep the order of the response (the kubelet lists
// containers in spec order: restartable init containers, then app containers).

/** ContainerMemory: one memory block (memory or hugepages) and the NUMA nodes it lies on. */
export interface ContainerMemoryEntry {
  /** `memory` or `hugepages-<size>` (memory_type) */
  readonly type: string;
  /** bytes (uint64) */
  readonly size: bigint;
  /** NUMA node ids of `topology.nodes`, ascending; empty when there is no topology */
  readonly numa: readonly number[];
}

/** ContainerDevices: device-plugin devices of one resource (the kubelet sends one entry per device and NUMA node). */
export interface ContainerDevicesEntry {
  readonly resourceName: string;
  /** ascending (string order) */
  readonly deviceIds: readonly string[];
  /** ascending; empty when the device plugin reports no topology */
  readonly numa: readonly number[];
}

/** ClaimResource: one DRA device; driver/pool/device identify it. */
export interface ClaimResourceEntry {
  readonly driver: string;
  readonly pool: string;
  readonly device: string;
  /** fully qualified CDI device names, in response order */
  readonly cdiDevices: readonly string[];
  /** share_id (consumable capacity); null when not set */
  readonly shareId: string | null;
}

/** DynamicResource: the devices one ResourceClaim gave a container. */
export interface DynamicResourceEntry {
  readonly claimName: string;
  readonly claimNamespace: string;
  readonly claimResources: readonly ClaimResourceEntry[];
}

/** ContainerResources */
export interface ContainerResourcesEntry {
  readonly name: string;
  /** exclusive CPUs, ascending */
  readonly cpuIds: readonly number[];
  readonly memory: readonly ContainerMemoryEntry[];
  readonly devices: readonly ContainerDevicesEntry[];
  readonly dynamicResources: readonly DynamicResourceEntry[];
}

/** PodResources */
export interface PodResourcesEntry {
  readonly name: string;
  readonly namespace: string;
  /** Pod-level CPUs (the pod pool; kubelet 1.37+), ascending; empty before 1.37 and without a pool. */
  readonly cpuIds: readonly number[];
  /** Pod-level memory blocks (kubelet 1.37+); empty before 1.37 and without a pool. */
  readonly memory: readonly ContainerMemoryEntry[];
  readonly containers: readonly ContainerResourcesEntry[];
}

/** ListPodResourcesResponse */
export interface PodResourcesList {
  readonly pods: readonly PodResourcesEntry[];
}

/** AllocatableResourcesResponse */
export interface AllocatableResources {
  /** all CPUs − reserved (static policy); empty with policy none */
  readonly cpuIds: readonly number[];
  /** one entry per NUMA node and type with allocatable > 0 (Static policy); empty with None */
  readonly memory: readonly ContainerMemoryEntry[];
  readonly devices: readonly ContainerDevicesEntry[];
}

/** Ascending, without duplicates. */
export function sortedIds(ids: Iterable<number>): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function compareStrings(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function compareMemoryEntries(a: ContainerMemoryEntry, b: ContainerMemoryEntry): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const byNuma = compareNumbers(a.numa, b.numa);
  if (byNuma !== 0) return byNuma;
  return a.size === b.size ? 0 : a.size < b.size ? -1 : 1;
}

export function compareDeviceEntries(a: ContainerDevicesEntry, b: ContainerDevicesEntry): number {
  if (a.resourceName !== b.resourceName) return a.resourceName < b.resourceName ? -1 : 1;
  const byIds = compareStrings(a.deviceIds, b.deviceIds);
  return byIds !== 0 ? byIds : compareNumbers(a.numa, b.numa);
}

/** A memory entry in canonical form (NUMA ids sorted). */
export function memoryEntry(type: string, size: bigint, numa: Iterable<number>): ContainerMemoryEntry {
  return { type, size, numa: sortedIds(numa) };
}

/** Memory entries in canonical order (each entry's NUMA ids sorted, then the list). */
export function canonicalMemory(entries: Iterable<ContainerMemoryEntry>): ContainerMemoryEntry[] {
  return [...entries].map((m) => memoryEntry(m.type, m.size, m.numa)).sort(compareMemoryEntries);
}

/** Device entries in canonical order (ids sorted without duplicates, then the list). */
export function canonicalDevices(entries: Iterable<ContainerDevicesEntry>): ContainerDevicesEntry[] {
  return [...entries]
    .map((d) => ({
      resourceName: d.resourceName,
      deviceIds: [...new Set(d.deviceIds)].sort(),
      numa: sortedIds(d.numa),
    }))
    .sort(compareDeviceEntries);
}
