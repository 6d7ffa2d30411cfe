// The cgroups of a fixture node (cgroup v2) as the kubelet and containerd lay them out, with the
// values model §6.6 gives them: container cpuset = its CPU entry, else the node shared pool
// (defaultCpuSet); cpuset.mems = the NUMA nodes of its memory blocks, else all nodes; cpu.max =
// the container's CFS quota (own limit, else the pod-level limit), "max" for exclusive containers;
// pod cgroup quota disabled as soon as one container is exclusive. Usage and CFS counters grow at
// the constant rate of each cgroup's usage profile from the pod's start.

import { containerCfsQuota, isolationLevel, podCgroupCfsQuota } from '../../../src/model/cfs.js';
import type { IsolationLevel } from '../../../src/model/cfs.js';
import type { CpuSet } from '../../../src/model/cpuset.js';
import type { UsageProfile, World, WorldContainer, WorldPod } from './world.js';

export interface CgroupView {
  readonly pod: WorldPod;
  readonly kind: 'pod' | 'sandbox' | 'container';
  /** null for the pod cgroup and the sandbox */
  readonly container: WorldContainer | null;
  /** bare 64-hex id of the container or sandbox, "" for the pod cgroup */
  readonly containerId: string;
  /** cgroup path below the cgroup root, as cAdvisor's `id` label ("/kubepods.slice/…") */
  readonly path: string;
  readonly cpus: CpuSet;
  readonly mems: readonly number[];
  /** CFS quota in millicores; null = no quota ("max") */
  readonly quotaMillicores: number | null;
  readonly shares: number;
  readonly usage: UsageProfile;
}

/** The kubelet's pod cgroup name for a QoS class and driver. */
function podCgroupPath(w: World, p: WorldPod): string {
  const uid = p.pod.uid;
  if (w.cgroupDriver === 'cgroupfs') {
    const qos = p.qos === 'Guaranteed' ? '' : `/${p.qos.toLowerCase()}`;
    return `/kubepods${qos}/pod${uid}`;
  }
  const u = uid.replace(/-/g, '_');
  if (p.qos === 'Guaranteed') return `/kubepods.slice/kubepods-pod${u}.slice`;
  const q = p.qos.toLowerCase();
  return `/kubepods.slice/kubepods-${q}.slice/kubepods-${q}-pod${u}.slice`;
}

function containerCgroupPath(w: World, podPath: string, id: string): string {
  return w.cgroupDriver === 'cgroupfs' ? `${podPath}/${id}` : `${podPath}/cri-containerd-${id}.scope`;
}

/** The cgroups above the pods that cAdvisor also reports (root, kubepods, QoS slices). */
export function nodeCgroupPaths(w: World): string[] {
  return w.cgroupDriver === 'cgroupfs'
    ? ['/', '/kubepods', '/kubepods/besteffort', '/kubepods/burstable']
    : [
        '/',
        '/kubepods.slice',
        '/kubepods.slice/kubepods-besteffort.slice',
        '/kubepods.slice/kubepods-burstable.slice',
      ];
}

function sharesOf(milli: number | undefined): number {
  return Math.max(2, Math.floor(((milli ?? 0) * 1024) / 1000));
}

function allNuma(w: World): number[] {
  return [...w.topology.numaNodes];
}

/** CPUs of the container's entry, else the node shared pool. */
export function containerCpus(w: World, p: WorldPod, c: WorldContainer): CpuSet {
  return w.cpu.entries.get(p.pod.uid)?.get(c.name) ?? w.cpu.defaultCpuSet;
}

function levelOf(w: World, p: WorldPod, c: WorldContainer): IsolationLevel {
  const entry = w.cpu.entries.get(p.pod.uid)?.get(c.name);
  return isolationLevel(p.pod, c.spec, entry, w.result.node.ctx.gates);
}

export function containerQuota(w: World, p: WorldPod, c: WorldContainer): number | null {
  if (c.quotaOverride !== undefined) return c.quotaOverride;
  const q = containerCfsQuota(p.pod, c.spec, levelOf(w, p, c), w.config, w.result.node.ctx.gates);
  return q.source === 'container' || q.source === 'pod' ? q.millicores : null;
}

export function podQuota(w: World, p: WorldPod): number | null {
  if (p.podQuotaOverride !== undefined) return p.podQuotaOverride;
  const levels = p.containers.map((c) => levelOf(w, p, c));
  const q = podCgroupCfsQuota(p.pod, levels, w.config, w.result.node.ctx.gates);
  return typeof q === 'number' ? q : null;
}

function memsOf(w: World, p: WorldPod, c: WorldContainer): number[] {
  const blocks = w.memory?.entries.get(p.pod.uid)?.get(c.name) ?? [];
  if (blocks.length === 0) return allNuma(w);
  return [...new Set(blocks.flatMap((b) => b.numaAffinity))].sort((a, b) => a - b);
}

/** Every cgroup of the node's running pods: pod cgroup, sandbox, running containers (in spec order). */
export function podCgroups(w: World): CgroupView[] {
  const out: CgroupView[] = [];
  for (const p of w.pods) {
    if (!p.admitted) continue;
    const path = podCgroupPath(w, p);
    const running = p.containers.filter((c) => c.running);
    const podCores = running.reduce((s, c) => s + c.usage.cores, 0);
    const podRequest = p.pod.podResources?.requests.cpu;
    out.push({
      pod: p,
      kind: 'pod',
      container: null,
      containerId: '',
      path,
      cpus: w.topology.all,
      mems: allNuma(w),
      quotaMillicores: podQuota(w, p),
      shares: sharesOf(podRequest ?? running.reduce((s, c) => s + (c.spec.resources.requests.cpu ?? 0), 0)),
      usage: { cores: podCores, throttledRatio: p.podThrottledRatio },
    });
    out.push({
      pod: p,
      kind: 'sandbox',
      container: null,
      containerId: p.sandboxId,
      path: containerCgroupPath(w, path, p.sandboxId),
      cpus: w.topology.all,
      mems: allNuma(w),
      quotaMillicores: null,
      shares: 2,
      usage: { cores: 0.0005, throttledRatio: 0 },
    });
    for (const c of running) {
      out.push({
        pod: p,
        kind: 'container',
        container: c,
        containerId: c.id,
        path: containerCgroupPath(w, path, c.id),
        cpus: containerCpus(w, p, c),
        mems: memsOf(w, p, c),
        quotaMillicores: containerQuota(w, p, c),
        shares: sharesOf(c.spec.resources.requests.cpu),
        usage: c.usage,
      });
    }
  }
  return out;
}

export interface CfsCounters {
  readonly usageSeconds: number;
  readonly periods: number;
  readonly throttledPeriods: number;
  readonly throttledSeconds: number;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * The cumulative counters of a cgroup at `atMs`: usage = cores × seconds since `sinceMs`; with a
 * quota every period of that time is an enforcement period and `throttledRatio` of them were
 * throttled, each for 40% of a period (without a quota all CFS counters are 0).
 */
export function countersAt(
  usage: UsageProfile,
  quota: number | null,
  periodUs: number,
  sinceMs: number,
  atMs: number,
): CfsCounters {
  const seconds = Math.max(0, (atMs - sinceMs) / 1000);
  const usageSeconds = round6(usage.cores * seconds);
  if (quota === null) return { usageSeconds, periods: 0, throttledPeriods: 0, throttledSeconds: 0 };
  const periods = Math.floor((seconds * 1e6) / periodUs);
  const throttledPeriods = Math.round(periods * usage.throttledRatio);
  return {
    usageSeconds,
    periods,
    throttledPeriods,
    throttledSeconds: round6((throttledPeriods * periodUs * 0.4) / 1e6),
  };
}

/** Throws when a usage profile is impossible for its cgroup (more than the quota or the cpuset). */
export function checkUsage(w: World, views: readonly CgroupView[]): void {
  for (const v of views) {
    if (v.kind !== 'container' || v.container === null) continue;
    const who = `${v.pod.pod.namespace}/${v.pod.pod.name} ${v.container.name}`;
    if (v.quotaMillicores !== null && v.usage.cores * 1000 > v.quotaMillicores + 1e-6) {
      throw new RangeError(
        `node fixture: usage ${v.usage.cores} cores of ${who} exceeds its CFS quota ${v.quotaMillicores}m`,
      );
    }
    if (v.usage.cores > v.cpus.size) {
      throw new RangeError(
        `node fixture: usage ${v.usage.cores} cores of ${who} exceeds its ${v.cpus.size} CPUs`,
      );
    }
  }
  if (w.cpu.defaultCpuSet.isEmpty() && w.config.cpuManagerPolicy === 'static') {
    throw new RangeError('node fixture: the node shared pool is empty');
  }
}
