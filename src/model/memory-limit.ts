// Memory limits of container and pod cgroups with pod-level resources (allocator-model.md §6.6):
// getMemoryLimit in pkg/kubelet/kuberuntime/kuberuntime_container_linux.go falls back to the
// pod-level limit for a container without its own; the pod cgroup takes the pod-level limit, or
// the sum of the container limits when every long-running container has one.

import type { Container, Pod } from './pod.js';
import type { PodGates } from './qos.js';
import { isPodLevelPod } from './qos.js';

export interface MemoryLimit {
  readonly source: 'container' | 'pod' | 'unlimited';
  /** bytes, null when unlimited */
  readonly bytes: bigint | null;
}

export function containerMemoryLimit(pod: Pod, c: Container, gates: PodGates): MemoryLimit {
  const own = c.resources.limits.memory;
  if (own !== undefined && own > 0n) return { source: 'container', bytes: own };
  const podLimit = pod.podResources?.limits.memory;
  if (gates.plr && isPodLevelPod(pod) && podLimit !== undefined && podLimit > 0n) {
    return { source: 'pod', bytes: podLimit };
  }
  return { source: 'unlimited', bytes: null };
}

export function podCgroupMemoryLimit(pod: Pod, gates: PodGates): bigint | null {
  if (gates.plr && isPodLevelPod(pod)) {
    const lim = pod.podResources?.limits.memory;
    return lim !== undefined && lim > 0n ? lim : null;
  }
  const longRunning = [...pod.initContainers.filter((c) => c.type === 'sidecar'), ...pod.containers];
  if (longRunning.some((c) => (c.resources.limits.memory ?? 0n) <= 0n)) return null;
  let sidecars = 0n;
  let initMax = 0n;
  for (const c of pod.initContainers) {
    const lim = c.resources.limits.memory ?? 0n;
    if (c.type === 'sidecar') sidecars += lim;
    else if (sidecars + lim > initMax) initMax = sidecars + lim;
  }
  const apps = pod.containers.reduce((s, c) => s + (c.resources.limits.memory ?? 0n), 0n);
  return apps + sidecars > initMax ? apps + sidecars : initMax;
}
