// Resource isolation level and CFS quota of container and pod cgroups (allocator-model.md §6.6):
// GetResourceIsolationLevel (pkg/kubelet/cm/cpumanager/cpu_manager.go), getCPULimit fallback
// (pkg/kubelet/kuberuntime/kuberuntime_container_linux.go), pod cgroup quota
// (pkg/kubelet/cm/helpers_linux.go ResourceConfigForPod) with DisableCPUQuotaWithExclusiveCPUs.

import type { CpuSet } from './cpuset.js';
import type { KubeletConfig } from './kubelet-config.js';
import { gate } from './kubelet-config.js';
import type { Container, Pod } from './pod.js';
import type { PodGates } from './qos.js';
import { isEquivalentGuaranteed, isPodLevelPod, usesPodLevelRules } from './qos.js';

export type IsolationLevel = 'container' | 'pod' | 'host';
export type CfsQuotaSource = 'none' | 'container' | 'pod' | 'unlimited';

export interface CfsQuota {
  readonly source: CfsQuotaSource;
  /** quota in milli-CPUs for `container` / `pod`, else null */
  readonly millicores: number | null;
}

function hasIntegerCpuLimit(c: Container): boolean {
  const lim = c.resources.limits.cpu;
  return lim !== undefined && lim > 0 && lim % 1000 === 0;
}

/** `GetResourceIsolationLevel`: host without a CPU entry; pod for pod-level shared containers. */
export function isolationLevel(
  pod: Pod,
  c: Container,
  entry: CpuSet | undefined,
  gates: PodGates,
): IsolationLevel {
  if (entry === undefined) return 'host';
  if (usesPodLevelRules(pod, gates) && !(isEquivalentGuaranteed(c) && hasIntegerCpuLimit(c))) return 'pod';
  return 'container';
}

/** The container cgroup's CPU quota. */
export function containerCfsQuota(
  pod: Pod,
  c: Container,
  level: IsolationLevel,
  config: KubeletConfig,
  gates: PodGates,
): CfsQuota {
  if (!config.cpuCFSQuota) return { source: 'unlimited', millicores: null };
  if (level === 'container' && gate(config, 'DisableCPUQuotaWithExclusiveCPUs'))
    return { source: 'none', millicores: null };
  const own = c.resources.limits.cpu;
  if (own !== undefined && own > 0) return { source: 'container', millicores: own };
  const podLimit = pod.podResources?.limits.cpu;
  if (gates.plr && isPodLevelPod(pod) && podLimit !== undefined && podLimit > 0) {
    return { source: 'pod', millicores: podLimit };
  }
  return { source: 'unlimited', millicores: null };
}

/** The pod cgroup's CPU quota: 'none' when any container is exclusive, else the pod limit. */
export function podCgroupCfsQuota(
  pod: Pod,
  levels: readonly IsolationLevel[],
  config: KubeletConfig,
  gates: PodGates,
): 'none' | 'unlimited' | number {
  if (!config.cpuCFSQuota) return 'unlimited';
  if (gate(config, 'DisableCPUQuotaWithExclusiveCPUs') && levels.includes('container')) return 'none';
  if (gates.plr && isPodLevelPod(pod)) {
    const lim = pod.podResources?.limits.cpu;
    return lim !== undefined && lim > 0 ? lim : 'unlimited';
  }
  const longRunning = [...pod.initContainers.filter((c) => c.type === 'sidecar'), ...pod.containers];
  if (longRunning.some((c) => (c.resources.limits.cpu ?? 0) <= 0)) return 'unlimited';
  let sidecars = 0;
  let initMax = 0;
  for (const c of pod.initContainers) {
    const lim = c.resources.limits.cpu ?? 0;
    if (c.type === 'sidecar') sidecars += lim;
    else initMax = Math.max(initMax, sidecars + lim);
  }
  const apps = pod.containers.reduce((s, c) => s + (c.resources.limits.cpu ?? 0), 0);
  return Math.max(initMax, apps + sidecars);
}
