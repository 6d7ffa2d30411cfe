// Helpers shared by the drift checks: which pods are compared, assignment classes, cpusets from the
// observation, the reconcile grace, and the kubelet facts (reserved CPUs, gates) the rules need.

import { parseGoBool } from '../../model/cpu/options.js';
import { gate } from '../../model/kubelet-config.js';
import { CpuSet, formatCpuList } from '../../model/cpuset.js';
import type { KubeletConfig } from '../../model/kubelet-config.js';
import type { Topology } from '../../model/topology.js';
import type { Assignment, Evidence } from '../../schema/common.js';
import type { DriftContainer, DriftContext, DriftPod } from '../context.js';

export function isExclusive(a: Assignment | null | undefined): boolean {
  return a === 'node_exclusive' || a === 'pod_exclusive';
}

export function isShared(a: Assignment | null | undefined): boolean {
  return a === 'node_shared' || a === 'pod_shared';
}

/** What one source says of a container; null: nothing either way. */
export interface SourceVerdict<V> {
  readonly source: Evidence;
  readonly verdict: V | null;
}

/**
 * The first source with a verdict decides; when it says `wanted`, the deciding source and every
 * source that says `wanted` too (the finding's evidence), else null.
 */
export function decidedAs<V>(
  verdicts: readonly SourceVerdict<V>[],
  wanted: V,
): { deciding: Evidence; evidence: Evidence[] } | null {
  const deciding = verdicts.find((v) => v.verdict !== null);
  if (deciding?.verdict !== wanted) return null;
  return {
    deciding: deciding.source,
    evidence: verdicts.filter((v) => v.verdict === wanted).map((v) => v.source),
  };
}

/** The model's configuration (checks run only when it exists). */
export function modelConfig(ctx: DriftContext): KubeletConfig | null {
  return ctx.config?.model ?? null;
}

/**
 * Pods whose placement is compared: active, admitted by the kubelet (pod status) and by the
 * replay. Rejections on either side are D10's.
 */
export function comparedPods(ctx: DriftContext): DriftPod[] {
  return ctx.pods.filter(
    (p) => p.status.activity === 'active' && p.observed.admitted === true && p.expected?.admitted === true,
  );
}

/** A container's cgroup cpuset, null when not observed or unreadable. */
export function cgroupCpus(c: DriftContainer): CpuSet | null {
  return c.evidence.cgroupCpus;
}

/** A cgroup cpuset.mems as NUMA node ids, null when not observed or unreadable. */
export function cgroupMems(c: DriftContainer): number[] | null {
  return c.evidence.cgroupMems?.toArray() ?? null;
}

/** The checkpoint's defaultCpuSet (the node shared pool), null without a CPU checkpoint. */
export function defaultCpuSet(ctx: DriftContext): CpuSet | null {
  return ctx.observation.cpuCheckpoint?.checkpoint.defaultCpuSet ?? null;
}

/**
 * cli.md §6.3: a cgroup cpuset that is a superset of defaultCpuSet within the reconcile grace is a
 * node shared cpuset not yet rewritten, not evidence of drift.
 */
export function staleSharedCpuset(ctx: DriftContext, cpus: CpuSet): boolean {
  const shared = defaultCpuSet(ctx);
  return ctx.sharedCpusetGrace && shared !== null && shared.isSubsetOf(cpus);
}

/** Exclusive CPUs the replay gives the container (`guaranteedCPUs`), 0 when none. */
export function expectedExclusiveCpus(pod: DriftPod, c: DriftContainer): number {
  return pod.admission?.placements.find((p) => p.container.name === c.name)?.exclusiveCpus ?? 0;
}

/**
 * The reserved CPUs of the static policy: `reservedSystemCPUs` when given, else the policy's own
 * choice on the real machine; null when unknown (count mode without an explicit set) or not static.
 */
export function reservedCpus(ctx: DriftContext): CpuSet | null {
  const config = modelConfig(ctx);
  if (config === null || config.cpuManagerPolicy !== 'static') return null;
  if (config.reservedSystemCPUs !== null) return config.reservedSystemCPUs;
  if (ctx.topology.topology === null || ctx.replay === null || !ctx.replay.ok) return null;
  return ctx.replay.result.node.ctx.cpuPolicy?.reserved ?? null;
}

/** NUMA nodes of a cpuset on the machine; null when a CPU is not on it. */
export function numaOfCpus(topology: Topology, cpus: CpuSet): number[] | null {
  const out = new Set<number>();
  for (const c of cpus) {
    if (!topology.all.has(c)) return null;
    out.add(topology.info(c).numa);
  }
  return [...out].sort((a, b) => a - b);
}

/** The CFS quota rules of model §6.6 hold: quotas are set, exclusive containers get none. */
export function exclusiveHasNoQuota(config: KubeletConfig): boolean {
  return config.cpuCFSQuota && gate(config, 'DisableCPUQuotaWithExclusiveCPUs');
}

/** A CPU option of the static policy is on ("true" as a Go bool). */
export function cpuOption(config: KubeletConfig, name: string): boolean {
  if (config.cpuManagerPolicy !== 'static') return false;
  const v = config.cpuManagerPolicyOptions[name];
  return v !== undefined && parseGoBool(v) === true;
}

/** "1-3,33-35" / "" */
export function cpuSetOfIds(ids: readonly number[]): CpuSet {
  return CpuSet.from(ids);
}

/** A container as messages name it, with its pod when asked: "db/db-0 metrics-exporter". */
export function containerLabel(pod: DriftPod | null, name: string): string {
  return pod === null ? name : `${pod.status.namespace}/${pod.status.name} ${name}`;
}

/** An exclusive CPU set the allocator took in one go: a node-path container slice or a pod pool. */
export interface AllocatedSet {
  readonly pod: DriftPod;
  /** null: the pod pool */
  readonly container: DriftContainer | null;
  readonly cpus: CpuSet;
  readonly source: 'checkpoint' | 'podresources';
}

/**
 * Node-path exclusive container entries and pod pools of the compared pods: from the checkpoint,
 * else from PodResources (1.37: pod cpu_ids and the containers of pods without them; 1.36: the
 * containers of pods the model gives no pool, whose non-empty ids are their slices).
 */
export function allocatedSets(ctx: DriftContext): AllocatedSet[] {
  const out: AllocatedSet[] = [];
  for (const pod of comparedPods(ctx)) {
    const pool = pod.evidence.checkpointPool;
    if (pool !== null) {
      if (pool !== undefined) out.push({ pod, container: null, cpus: pool, source: 'checkpoint' });
      else {
        for (const c of pod.containers) {
          const e = c.evidence.checkpointCpus;
          if (e !== null && e !== undefined) out.push({ pod, container: c, cpus: e, source: 'checkpoint' });
        }
      }
      continue;
    }
    const pr = pod.evidence.podResources;
    if (pr === null || pr === undefined) continue;
    const v137 = ctx.version?.model === '1.37';
    if (v137 && pr.cpuIds.length > 0) {
      out.push({ pod, container: null, cpus: cpuSetOfIds(pr.cpuIds), source: 'podresources' });
      continue;
    }
    if (!v137 && pod.expected?.podPool?.cpus !== undefined) continue;
    for (const c of pod.containers) {
      const ids = c.evidence.podResources?.cpuIds ?? [];
      if (ids.length > 0) out.push({ pod, container: c, cpus: cpuSetOfIds(ids), source: 'podresources' });
    }
  }
  return out;
}

/** "database CPUs 1-3" / "the pod pool 1-4,33-36 of db/db-0" */
export function setLabel(s: AllocatedSet): string {
  return s.container === null
    ? `the pod pool ${formatCpuList(s.cpus)} of ${s.pod.status.namespace}/${s.pod.status.name}`
    : `${s.container.name} CPUs ${formatCpuList(s.cpus)}`;
}
