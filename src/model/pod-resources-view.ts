// What the PodResources API `List` reports for a pod (allocator-model.md §7), CPU side: v1.36
// has no pod-level fields and reports pod-shared containers with the pod shared pool (quirk Q2);
// v1.37 reports the pod pool at pod level and nothing for shared containers.

import type { CpuSet } from './cpuset.js';
import type { KubeletVersion } from './kubelet-config.js';
import type { Pod } from './pod.js';

export interface ReportedResources {
  readonly cpuIds: readonly number[];
}

export interface ReportedPod extends ReportedResources {
  /** App containers and sidecars (standard init containers are not listed). */
  readonly containers: ReadonlyMap<string, ReportedResources>;
}

export function reportedPodResources(
  version: KubeletVersion,
  pod: Pod,
  entries: ReadonlyMap<string, CpuSet> | undefined,
  podPool: CpuSet | undefined,
  exclusiveByName: ReadonlyMap<string, number>,
): ReportedPod {
  const podLevelView = version === '1.37' && podPool !== undefined;
  const containers = new Map<string, ReportedResources>();
  for (const c of [...pod.initContainers.filter((x) => x.type === 'sidecar'), ...pod.containers]) {
    const entry = entries?.get(c.name);
    const shared = podPool !== undefined && (exclusiveByName.get(c.name) ?? 0) === 0;
    const cpuIds = entry === undefined || (podLevelView && shared) ? [] : entry.toArray();
    containers.set(c.name, { cpuIds });
  }
  return { cpuIds: podLevelView ? podPool.toArray() : [], containers };
}
