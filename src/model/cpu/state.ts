// CPU manager state (pkg/kubelet/cm/cpumanager/state/state.go): the default (node shared) cpuset,
// container entries and, for pod-level pods, pod entries. Immutable: every change returns a new
// state, so an admission that fails leaves the previous state untouched (the kubelet's stale-state
// cleanup releases a rejected pod's partial allocations before the next admission).

import { CpuSet } from '../cpuset.js';
import { PersistentMap } from '../persistent-map.js';

export interface CpuState {
  /** The node shared pool (checkpoint `defaultCpuSet`). */
  readonly defaultCpuSet: CpuSet;
  /** podUID → container name → cpuset */
  readonly entries: PersistentMap<string, ReadonlyMap<string, CpuSet>>;
  /** podUID → pod pool (pod-level pods, PLRM) */
  readonly podEntries: PersistentMap<string, CpuSet>;
}

export function initialCpuState(defaultCpuSet: CpuSet): CpuState {
  return { defaultCpuSet, entries: PersistentMap.empty(), podEntries: PersistentMap.empty() };
}

export function cpuEntry(state: CpuState, podUid: string, container: string): CpuSet | undefined {
  return state.entries.get(podUid)?.get(container);
}

export function withCpuEntry(state: CpuState, podUid: string, container: string, cpus: CpuSet): CpuState {
  const pod = new Map(state.entries.get(podUid) ?? []);
  pod.set(container, cpus);
  return { ...state, entries: state.entries.set(podUid, pod) };
}

export function withPodEntry(state: CpuState, podUid: string, cpus: CpuSet): CpuState {
  return { ...state, podEntries: state.podEntries.set(podUid, cpus) };
}

export function withDefaultCpuSet(state: CpuState, cpus: CpuSet): CpuState {
  return { ...state, defaultCpuSet: cpus };
}

/** Union of every container entry and pod entry. */
export function assignedCpus(state: CpuState): CpuSet {
  let all = CpuSet.empty;
  for (const pod of state.entries.values()) for (const cpus of pod.values()) all = all.union(cpus);
  for (const cpus of state.podEntries.values()) all = all.union(cpus);
  return all;
}
