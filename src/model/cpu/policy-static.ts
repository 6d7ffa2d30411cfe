// The CPU manager's static policy (pkg/kubelet/cm/cpumanager/policy_static.go), incl. the
// pod-level path of KEP-5526: reserved CPUs, hints, node-path Allocate, pod-level AllocatePod.
// Pools (the kubelet's glossary): SHARED = defaultCpuSet (the node shared pool); RESERVED = CPUs
// never handed out exclusively; ASSIGNABLE = SHARED − RESERVED, where exclusive CPUs come from.
// Functions are pure: they take a state and return the next one; counters go to a CounterTally.

import { CpuSet } from '../cpuset.js';
import type { NumaMask } from '../bitmask.js';
import { maskNodes } from '../bitmask.js';
import type { KubeletConfig } from '../kubelet-config.js';
import type { CounterTally } from '../metrics.js';
import type { Container, Pod, QosClass } from '../pod.js';
import { isSkippedByManagers, exclusiveCpus, podCpus, usesPodLevelRules } from '../qos.js';
import type { PodGates } from '../qos.js';
import { intValue, milliValue } from '../quantity.js';
import type { Topology } from '../topology.js';
import type { TopologyHint } from '../topology-manager/hint.js';
import { generateCpuTopologyHints } from './hints.js';
import type { StaticPolicyOptions } from './options.js';
import { parseStaticPolicyOptions } from './options.js';
import type { CpuState } from './state.js';
import { cpuEntry, withCpuEntry, withDefaultCpuSet, withPodEntry } from './state.js';
import type { TakeOptions } from './take-by-topology.js';
import { takeByTopology } from './take-by-topology.js';

export interface StaticCpuPolicy {
  readonly topo: Topology;
  readonly options: StaticPolicyOptions;
  readonly reserved: CpuSet;
  /** All hyperthreads of every core holding a reserved CPU (full-pcpus-only availability). */
  readonly reservedPhysical: CpuSet;
  readonly take: TakeOptions;
  readonly gates: PodGates;
}

/** Why an allocation failed; the admission layer maps it to the kubelet's reason and message. */
export interface CpuAllocationError {
  readonly kind: 'SMTAlignmentError' | 'EmptyPodSharedPoolError' | 'unexpected';
  readonly message: string;
}

export type PolicyResult =
  | { readonly ok: true; readonly policy: StaticCpuPolicy }
  /** `field`: the KubeletConfiguration field to blame */
  | {
      readonly ok: false;
      readonly field: 'cpuManagerPolicyOptions' | 'reservedSystemCPUs';
      readonly error: string;
    };

/** Number of CPUs to reserve (§1.5): |reservedSystemCPUs|, else ceil(kube + system reserved cpu). */
export function reservedCpuCount(config: KubeletConfig): number {
  if (config.reservedSystemCPUs !== null && config.reservedSystemCPUs.size > 0)
    return config.reservedSystemCPUs.size;
  const milli = (q: KubeletConfig['kubeReserved'][string] | undefined) =>
    q === undefined ? 0n : milliValue(q);
  const total = milli(config.kubeReserved.cpu) + milli(config.systemReserved.cpu);
  return Number(intValue({ num: total, den: 1000n, text: '' }));
}

/** `NewStaticPolicy`: options, reserved CPUs; an error means the kubelet refuses to start. */
export function newStaticPolicy(topo: Topology, config: KubeletConfig, gates: PodGates): PolicyResult {
  const parsed = parseStaticPolicyOptions(
    config.cpuManagerPolicyOptions,
    config.featureGates,
    topo,
    config.topologyManagerPolicy,
  );
  if (!parsed.ok) return { ok: false, field: 'cpuManagerPolicyOptions', error: parsed.error };
  const options = parsed.options;
  const take: TakeOptions = {
    distributeAcrossNuma: options.distributeCpusAcrossNuma,
    cpuGroupSize: options.fullPhysicalCpusOnly ? topo.cpusPerCore : 1,
    spread: options.distributeCpusAcrossCores,
    preferUncore: options.preferAlignByUncoreCache,
  };
  const n = reservedCpuCount(config);
  if (n <= 0) {
    return {
      ok: false,
      field: 'reservedSystemCPUs',
      error: 'the static policy requires systemreserved.cpu + kubereserved.cpu to be greater than zero',
    };
  }
  let reserved: CpuSet;
  if (config.reservedSystemCPUs !== null && config.reservedSystemCPUs.size > 0) {
    reserved = config.reservedSystemCPUs;
    const unknown = reserved.difference(topo.all);
    if (!unknown.isEmpty()) {
      return {
        ok: false,
        field: 'reservedSystemCPUs',
        error: `reservedSystemCPUs ${unknown.toString()} are not CPUs of this machine`,
      };
    }
  } else {
    const taken = takeByTopology(topo, topo.all, n, take);
    reserved = taken.ok ? taken.cpus : CpuSet.empty;
  }
  if (reserved.size !== n) {
    return {
      ok: false,
      field: 'reservedSystemCPUs',
      error: `[cpumanager] unable to reserve the required amount of CPUs (size of ${reserved.toString()} did not equal ${n})`,
    };
  }
  let reservedPhysical = CpuSet.empty;
  for (const cpu of reserved) reservedPhysical = reservedPhysical.union(topo.cpusInCore(topo.info(cpu).core));
  return { ok: true, policy: { topo, options, reserved, reservedPhysical, take, gates } };
}

/** The node shared pool of a freshly started kubelet. */
export function initialDefaultCpuSet(policy: StaticCpuPolicy): CpuSet {
  return policy.options.strictCpuReservation ? policy.topo.all.difference(policy.reserved) : policy.topo.all;
}

/** `validateState`: a restored checkpoint the kubelet would refuse (null when valid). */
export function validateCpuState(policy: StaticCpuPolicy, state: CpuState): string | null {
  const all = initialDefaultCpuSet(policy);
  const def = state.defaultCpuSet;
  if (def.isEmpty()) return state.entries.size === 0 ? null : 'default cpuset cannot be empty';
  if (policy.options.strictCpuReservation) {
    const both = policy.reserved.intersection(def);
    if (!both.isEmpty()) {
      return `some of strictly reserved cpus: "${both.toString()}" are present in defaultCpuSet: "${def.toString()}"`;
    }
  } else if (!policy.reserved.isSubsetOf(def)) {
    return `not all reserved cpus: "${policy.reserved.toString()}" are present in defaultCpuSet: "${def.toString()}"`;
  }
  let known = def;
  for (const [pod, containers] of state.entries.entries()) {
    for (const [name, cpus] of containers) {
      if (cpus.intersects(def)) {
        return `pod: ${pod}, container: ${name} cpuset: "${cpus.toString()}" overlaps with default cpuset "${def.toString()}"`;
      }
      known = known.union(cpus);
    }
  }
  if (policy.gates.plr && policy.gates.plrm)
    for (const cpus of state.podEntries.values()) known = known.union(cpus);
  if (!known.equals(all)) {
    return `current set of available CPUs "${all.toString()}" doesn't match with CPUs in state "${known.toString()}"`;
  }
  return null;
}

/** `GetAvailableCPUs`: SHARED − RESERVED. */
export function availableCpus(policy: StaticCpuPolicy, state: CpuState): CpuSet {
  return state.defaultCpuSet.difference(policy.reserved);
}

/** `GetAllocatableCPUs`: all CPUs − RESERVED. */
export function allocatableCpus(policy: StaticCpuPolicy): CpuSet {
  return policy.topo.all.difference(policy.reserved);
}

/** Per-admission facts the policy needs about a pod. */
export interface PodFacts {
  readonly pod: Pod;
  readonly qos: QosClass;
}

function exclusive(policy: StaticCpuPolicy, f: PodFacts, c: Container): number {
  return exclusiveCpus(f.pod, c, f.qos, policy.gates);
}

function smtAlignmentError(policy: StaticCpuPolicy, state: CpuState, n: number): CpuAllocationError | null {
  if (!policy.options.fullPhysicalCpusOnly) return null;
  const perCore = policy.topo.cpusPerCore;
  if (n % perCore !== 0) {
    return {
      kind: 'SMTAlignmentError',
      message: `SMT Alignment Error: requested ${n} cpus not multiple cpus per core = ${perCore}`,
    };
  }
  const availablePhysical = state.defaultCpuSet.difference(policy.reservedPhysical).size;
  if (n > availablePhysical) {
    return {
      kind: 'SMTAlignmentError',
      message: `SMT Alignment Error: not enough free physical CPUs: available physical CPUs = ${availablePhysical}, requested CPUs = ${n}, CPUs per core = ${perCore}`,
    };
  }
  return null;
}

/** `generateCPUTopologyHints` as the policy calls it: its machine and its align-by-socket option. */
function cpuTopologyHints(policy: StaticCpuPolicy, available: CpuSet, reusable: CpuSet, request: number) {
  return generateCpuTopologyHints(policy.topo, available, reusable, request, policy.options.alignBySocket);
}

/** The hint list for resource `cpu`: null = no preference (nil), [] = cannot be satisfied. */
export type CpuHints = readonly TopologyHint[] | null;

/** `GetTopologyHints` (node path, one container). */
export function containerCpuHints(
  policy: StaticCpuPolicy,
  state: CpuState,
  f: PodFacts,
  c: Container,
  reusable: CpuSet,
): CpuHints {
  const requested = exclusive(policy, f, c);
  if (requested === 0) return null;
  if (isSkippedByManagers(f.pod, policy.gates)) return null;
  const allocated = cpuEntry(state, f.pod.uid, c.name);
  if (allocated !== undefined) {
    if (allocated.size !== requested) return [];
    return cpuTopologyHints(policy, allocated, CpuSet.empty, requested);
  }
  return cpuTopologyHints(policy, availableCpus(policy, state), reusable, requested);
}

/** `GetPodTopologyHints` (pod scope, classic and pod-level pods). */
export function podCpuHints(
  policy: StaticCpuPolicy,
  state: CpuState,
  f: PodFacts,
  reusable: CpuSet,
): CpuHints {
  const requested = podCpus(f.pod, f.qos, policy.gates);
  if (requested === 0) return null;
  if (isSkippedByManagers(f.pod, policy.gates)) return null;
  if (usesPodLevelRules(f.pod, policy.gates) && validatePodScopeCpus(policy, f) !== null) return [];
  let assigned = CpuSet.empty;
  for (const c of [...f.pod.initContainers, ...f.pod.containers]) {
    const allocated = cpuEntry(state, f.pod.uid, c.name);
    if (allocated === undefined) continue;
    if (allocated.size !== exclusive(policy, f, c)) return [];
    assigned = assigned.union(allocated);
  }
  if (assigned.size === requested) {
    return cpuTopologyHints(policy, assigned, CpuSet.empty, requested);
  }
  return cpuTopologyHints(policy, availableCpus(policy, state), reusable.union(assigned), requested);
}

/**
 * `validatePodScopeResources` (§6.3): the pod shared pool must not be empty when some container
 * needs it. Returns the kubelet's message, or null when the pod is valid.
 */
export function validatePodScopeCpus(policy: StaticCpuPolicy, f: PodFacts): string | null {
  const total = podCpus(f.pod, f.qos, policy.gates);
  let sharedLongRunning = false;
  let sum = 0;
  for (const c of f.pod.initContainers) {
    const k = exclusive(policy, f, c);
    if (c.type === 'init') {
      if (k > 0) {
        const pool = total - sum;
        if (k > pool)
          return `pod rejected, largest exclusive init container requests ${k} cpus, but only ${pool} available`;
      } else if (sum >= total) {
        return 'pod rejected, pod has shared init containers but no cpus available for them';
      }
      continue;
    }
    if (k === 0) sharedLongRunning = true;
    else sum += k;
  }
  for (const c of f.pod.containers) {
    const k = exclusive(policy, f, c);
    if (k === 0) sharedLongRunning = true;
    else sum += k;
  }
  if (sharedLongRunning && sum >= total) {
    return 'pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no cpus for shared containers';
  }
  return null;
}

/** Whether every CPU of `cpus` shares one uncore cache (`CheckAlignment`, quirk Q10). */
export function isUncoreAligned(topo: Topology, cpus: CpuSet): boolean {
  let uncore: number | null = null;
  for (const cpu of cpus) {
    const u = topo.info(cpu).uncore;
    if (uncore === null) uncore = u;
    else if (u !== uncore) return false;
  }
  return uncore !== null;
}

type Allocation =
  | { readonly ok: true; readonly cpus: CpuSet; readonly state: CpuState }
  | { readonly ok: false; readonly error: CpuAllocationError };

/** `allocateCPUs` (§3.3): aligned CPUs of the hint first, the rest from anywhere; updates SHARED. */
export function allocateCpus(
  policy: StaticCpuPolicy,
  state: CpuState,
  n: number,
  mask: NumaMask | null,
  reusable: CpuSet,
): Allocation {
  const pool = availableCpus(policy, state).union(reusable);
  let result = CpuSet.empty;
  if (mask !== null) {
    const nodes = maskNodes(mask);
    const region = policy.options.alignBySocket
      ? [...new Set(nodes.flatMap((x) => policy.topo.socketsOfNuma(x)))].reduce(
          (acc, s) => acc.union(policy.topo.cpusInSocket(s)),
          CpuSet.empty,
        )
      : policy.topo.cpusInNumaMask(nodes);
    const aligned = pool.intersection(region);
    const taken = takeByTopology(policy.topo, aligned, Math.min(n, aligned.size), policy.take);
    if (!taken.ok) return { ok: false, error: { kind: 'unexpected', message: taken.error } };
    result = taken.cpus;
  }
  const rest = takeByTopology(policy.topo, pool.difference(result), n - result.size, policy.take);
  if (!rest.ok) return { ok: false, error: { kind: 'unexpected', message: rest.error } };
  result = result.union(rest.cpus);
  return { ok: true, cpus: result, state: withDefaultCpuSet(state, state.defaultCpuSet.difference(result)) };
}

/** The pod's reusable CPUs (`cpusToReuse`), threaded through one pod's admission. */
export function updateCpusToReuse(reusable: CpuSet, c: Container, cpus: CpuSet): CpuSet {
  if (c.type === 'init') return reusable.union(cpus);
  if (c.type === 'sidecar') return reusable;
  return reusable.difference(cpus);
}

export type AllocateResult =
  | { readonly ok: true; readonly state: CpuState; readonly reusable: CpuSet }
  | { readonly ok: false; readonly error: CpuAllocationError };

/** `Allocate` (§3.3): the node path for one container. */
export function allocateContainer(
  policy: StaticCpuPolicy,
  state: CpuState,
  tally: CounterTally,
  f: PodFacts,
  c: Container,
  hint: TopologyHint,
  reusable: CpuSet,
): AllocateResult {
  const n = exclusive(policy, f, c);
  if (n === 0 || isSkippedByManagers(f.pod, policy.gates)) return { ok: true, state, reusable };
  tally.cpuPinningRequest();
  const fail = (error: CpuAllocationError): AllocateResult => {
    tally.cpuPinningError();
    tally.allocationError('cpu', 'node');
    if (policy.options.fullPhysicalCpusOnly) tally.alignedFailure('container', 'physical_cpu');
    return { ok: false, error };
  };
  const smt = smtAlignmentError(policy, state, n);
  if (smt !== null) return fail(smt);
  const existing = cpuEntry(state, f.pod.uid, c.name);
  if (existing !== undefined) {
    if (policy.options.fullPhysicalCpusOnly) tally.aligned('container', 'physical_cpu');
    return { ok: true, state, reusable: updateCpusToReuse(reusable, c, existing) };
  }
  const alloc = allocateCpus(policy, state, n, hint.mask, reusable);
  if (!alloc.ok) return fail(alloc.error);
  const next = withCpuEntry(alloc.state, f.pod.uid, c.name, alloc.cpus);
  if (isUncoreAligned(policy.topo, alloc.cpus)) tally.aligned('container', 'uncore_cache');
  tally.allocation('cpu', 'node');
  tally.assignment('cpu', 'node_exclusive');
  if (policy.options.fullPhysicalCpusOnly) tally.aligned('container', 'physical_cpu');
  return { ok: true, state: next, reusable: updateCpusToReuse(reusable, c, alloc.cpus) };
}

export type AllocatePodResult =
  | { readonly ok: true; readonly state: CpuState }
  | { readonly ok: false; readonly error: CpuAllocationError };

/** `AllocatePod` (§6.4): one pod pool, partitioned into exclusive slices and the pod shared pool. */
export function allocatePod(
  policy: StaticCpuPolicy,
  state: CpuState,
  tally: CounterTally,
  f: PodFacts,
  hint: TopologyHint,
): AllocatePodResult {
  const total = podCpus(f.pod, f.qos, policy.gates);
  if (total === 0) return { ok: true, state };
  const fail = (error: CpuAllocationError): AllocatePodResult => {
    tally.cpuPinningError();
    tally.allocationError('cpu', 'pod');
    return { ok: false, error };
  };
  const invalid = validatePodScopeCpus(policy, f);
  if (invalid !== null) return fail({ kind: 'EmptyPodSharedPoolError', message: invalid });
  const smt = smtAlignmentError(policy, state, total);
  if (smt !== null) return fail(smt);

  const alloc = allocateCpus(policy, state, total, hint.mask, CpuSet.empty);
  if (!alloc.ok) return fail(alloc.error);
  if (isUncoreAligned(policy.topo, alloc.cpus)) tally.aligned('container', 'uncore_cache');
  const pool = alloc.cpus;
  let next = withPodEntry(alloc.state, f.pod.uid, pool);

  const slices = new Map<string, CpuSet>();
  let sidecarCpus = CpuSet.empty;
  const take = (from: CpuSet, k: number) => takeByTopology(policy.topo, from, k, policy.take);
  for (const c of f.pod.initContainers) {
    const k = exclusive(policy, f, c);
    if (k > 0) {
      tally.cpuPinningRequest();
      const slice = take(pool.difference(sidecarCpus), k);
      if (!slice.ok) return fail({ kind: 'unexpected', message: slice.error });
      tally.assignment('cpu', 'pod_exclusive');
      slices.set(c.name, slice.cpus);
      if (c.type === 'sidecar') sidecarCpus = sidecarCpus.union(slice.cpus);
    } else if (c.type === 'init') {
      tally.assignment('cpu', 'pod_shared');
      slices.set(c.name, pool.difference(sidecarCpus));
    }
  }
  let shared = pool.difference(sidecarCpus);
  for (const c of f.pod.containers) {
    const k = exclusive(policy, f, c);
    if (k === 0) continue;
    tally.cpuPinningRequest();
    const slice = take(shared, k);
    if (!slice.ok) return fail({ kind: 'unexpected', message: slice.error });
    tally.assignment('cpu', 'pod_exclusive');
    slices.set(c.name, slice.cpus);
    shared = shared.difference(slice.cpus);
  }
  for (const c of [...f.pod.initContainers, ...f.pod.containers]) {
    const own = slices.get(c.name);
    if (own === undefined) tally.assignment('cpu', 'pod_shared');
    next = withCpuEntry(next, f.pod.uid, c.name, own ?? shared);
    tally.allocation('cpu', 'pod');
  }
  return { ok: true, state: next };
}

/**
 * `RemoveContainer` (§3.7, §6.7): deletes the container's entry. Node path: its CPUs that no
 * other container of the pod still uses go back to SHARED. Pod-level pods (a pod entry exists and
 * PLRM is on): nothing is released until the pod's last container goes; then the whole pod pool
 * returns to SHARED and the pod entry is deleted.
 */
export function removeContainer(
  policy: StaticCpuPolicy,
  state: CpuState,
  podUid: string,
  container: string,
): CpuState {
  const podEntries = state.entries.get(podUid);
  const toRelease = podEntries?.get(container);
  if (podEntries === undefined || toRelease === undefined) return state;
  const remaining = new Map(podEntries);
  remaining.delete(container);
  const entries = remaining.size === 0 ? state.entries.delete(podUid) : state.entries.set(podUid, remaining);
  const pool = state.podEntries.get(podUid);
  if (policy.gates.plrm && pool !== undefined) {
    if (remaining.size > 0) return { ...state, entries };
    return {
      defaultCpuSet: state.defaultCpuSet.union(pool),
      entries,
      podEntries: state.podEntries.delete(podUid),
    };
  }
  let inUse = CpuSet.empty;
  for (const cpus of remaining.values()) inUse = inUse.union(cpus);
  return { ...state, entries, defaultCpuSet: state.defaultCpuSet.union(toRelease.difference(inUse)) };
}
