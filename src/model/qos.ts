// QoS class, pod-level detection, per-container eligibility and pod totals (allocator-model.md §2).
// Re-implements pkg/apis/core/v1/helper/qos/qos.go (ComputePodQOS), pkg/kubelet/cm/qos
// (IsContainerEquivalentQOSGuaranteed) and the guaranteedCPUs / podGuaranteedCPUs helpers of
// pkg/kubelet/cm/cpumanager/policy_static.go.

import type { Container, Pod, QosClass, ResourceAmounts, Resources } from './pod.js';

/** The gates that change how pods are classified. */
export interface PodGates {
  /** PodLevelResources */
  readonly plr: boolean;
  /** PodLevelResourceManagers (only effective with PLR on) */
  readonly plrm: boolean;
}

type Contribution = 'BestEffort' | 'Guaranteed' | 'Burstable';

function hasAny(a: ResourceAmounts): boolean {
  return a.cpu !== undefined || a.memory !== undefined;
}

/** Classifies one resource block over cpu and memory (§2.1). */
function classifyBlock(r: Resources): Contribution {
  if (!hasAny(r.requests) && !hasAny(r.limits)) return 'BestEffort';
  const cpuReq = BigInt(r.requests.cpu ?? 0);
  const cpuLim = BigInt(r.limits.cpu ?? 0);
  const memReq = r.requests.memory ?? 0n;
  const memLim = r.limits.memory ?? 0n;
  if (cpuReq !== cpuLim || memReq !== memLim) return 'Burstable';
  const cpuZero = cpuReq === 0n;
  const memZero = memReq === 0n;
  if (cpuZero && memZero) return 'BestEffort';
  if (!cpuZero && !memZero) return 'Guaranteed';
  return 'Burstable';
}

/** `IsPodLevelResourcesSet`: spec.resources has cpu, memory or hugepages in requests or limits. */
export function isPodLevelPod(pod: Pod): boolean {
  const r = pod.podResources;
  if (r === null) return false;
  const any = (a: ResourceAmounts) => hasAny(a) || Object.keys(a.hugepages).length > 0;
  return any(r.requests) || any(r.limits);
}

/** Pod QoS class: status.qosClass when known, else computed (pod-level aware with PLR on). */
export function podQosClass(pod: Pod, gates: PodGates): QosClass {
  if (pod.statusQosClass !== null) return pod.statusQosClass;
  if (gates.plr && pod.podResources !== null && isPodLevelPod(pod)) {
    return classifyBlock(pod.podResources);
  }
  const all = [...pod.initContainers, ...pod.containers].map((c) => classifyBlock(c.resources));
  if (all.includes('Burstable')) return 'Burstable';
  if (all.every((c) => c === 'BestEffort')) return 'BestEffort';
  if (all.every((c) => c === 'Guaranteed')) return 'Guaranteed';
  return 'Burstable';
}

/** `IsContainerEquivalentQOSGuaranteed`: cpu and memory requests > 0 and equal to the limits. */
export function isEquivalentGuaranteed(c: Container): boolean {
  const { requests, limits } = c.resources;
  return (
    requests.cpu !== undefined &&
    requests.cpu > 0 &&
    requests.cpu === limits.cpu &&
    requests.memory !== undefined &&
    requests.memory > 0n &&
    requests.memory === limits.memory
  );
}

/** Whether the pod-level rules of PLRM apply to this pod (gate on and spec.resources set). */
export function usesPodLevelRules(pod: Pod, gates: PodGates): boolean {
  return gates.plr && gates.plrm && isPodLevelPod(pod);
}

/**
 * The gate asymmetry of §2.3: a pod-level pod on a kubelet with PLR or PLRM off is skipped by
 * the CPU and memory managers entirely (no hints, no allocation).
 */
export function isSkippedByManagers(pod: Pod, gates: PodGates): boolean {
  return isPodLevelPod(pod) && !(gates.plr && gates.plrm);
}

/** `guaranteedCPUs`: the exclusive CPUs a container is entitled to (§2.3), 0 when none. */
export function exclusiveCpus(pod: Pod, c: Container, qos: QosClass, gates: PodGates): number {
  if (qos !== 'Guaranteed') return 0;
  if (usesPodLevelRules(pod, gates) && !isEquivalentGuaranteed(c)) return 0;
  const milli = c.resources.requests.cpu ?? 0;
  if (milli <= 0 || milli % 1000 !== 0) return 0;
  return milli / 1000;
}

/** `podGuaranteedCPUs` (§2.4): CPUs the pod as a whole needs under pod scope. */
export function podCpus(pod: Pod, qos: QosClass, gates: PodGates): number {
  if (usesPodLevelRules(pod, gates)) {
    if (qos !== 'Guaranteed') return 0;
    const milli = pod.podResources?.requests.cpu ?? 0;
    return milli > 0 && milli % 1000 === 0 ? milli / 1000 : 0;
  }
  let sidecarSum = 0;
  let initMax = 0;
  for (const c of pod.initContainers) {
    if (c.resources.requests.cpu === undefined) continue;
    const k = exclusiveCpus(pod, c, qos, gates);
    if (c.type === 'sidecar') sidecarSum += k;
    else initMax = Math.max(initMax, sidecarSum + k);
  }
  const apps = pod.containers.reduce((s, c) => s + exclusiveCpus(pod, c, qos, gates), 0);
  return Math.max(initMax, apps + sidecarSum);
}

/** All containers in admission order: init containers (standard and sidecars), then app containers. */
export function containersInOrder(pod: Pod): readonly Container[] {
  return [...pod.initContainers, ...pod.containers];
}
