// The drift knobs' edits of a fixture world (cli.md §7.2, allocator-model §10). Each edit changes
// the managers' state the way a kubelet bug would, keeping the rest of the state consistent
// (CPUs leaving an entry go back to the node shared pool unless a pod pool still holds them, CPUs
// entering one leave it), so every source derived from the state (checkpoints, PodResources,
// cgroups, cAdvisor quota, gauges) shows the same drift and nothing else.

import { CpuSet } from '../../../src/model/cpuset.js';
import type { MemoryBlock, MemoryTable, NumaNodeState } from '../../../src/model/memory/state.js';
import type { PodResourcesEntry } from '../../../src/model/pod-resources.js';
import type { World, WorldContainer, WorldPod } from './world.js';

/** A pod as "namespace/name" (or just "name" in namespace default). */
export type PodRef = string;

export function findPod(w: World, ref: PodRef): WorldPod {
  const [ns, name] = ref.includes('/') ? ref.split('/', 2) : ['default', ref];
  const p = w.pods.find((x) => x.pod.namespace === ns && x.pod.name === name);
  if (p === undefined) {
    const known = w.pods.map((x) => `${x.pod.namespace}/${x.pod.name}`).join(', ');
    throw new RangeError(`node fixture: no pod ${ref} in the scenario (pods: ${known})`);
  }
  return p;
}

export function findContainer(p: WorldPod, name: string): WorldContainer {
  const c = p.containers.find((x) => x.name === name);
  if (c === undefined) {
    throw new RangeError(
      `node fixture: pod ${p.pod.namespace}/${p.pod.name} has no container ${name} (${p.containers.map((x) => x.name).join(', ')})`,
    );
  }
  return c;
}

function who(p: WorldPod, c: string): string {
  return `${p.pod.namespace}/${p.pod.name} ${c}`;
}

function entryOf(w: World, p: WorldPod, c: string): CpuSet {
  const e = w.cpu.entries.get(p.pod.uid)?.get(c);
  if (e === undefined)
    throw new RangeError(`node fixture: ${who(p, c)} has no CPU entry (it runs on the node shared pool)`);
  return e;
}

function setEntry(w: World, uid: string, c: string, cpus: CpuSet): void {
  let m = w.cpu.entries.get(uid);
  if (m === undefined) {
    m = new Map<string, CpuSet>();
    w.cpu.entries.set(uid, m);
  }
  m.set(c, cpus);
}

function deleteEntry(w: World, uid: string, c: string): void {
  const m = w.cpu.entries.get(uid);
  m?.delete(c);
  if (m?.size === 0) w.cpu.entries.delete(uid);
}

/** CPUs some container entry or pod pool holds. */
function heldCpus(w: World): CpuSet {
  let held = CpuSet.empty;
  for (const m of w.cpu.entries.values()) for (const cpus of m.values()) held = held.union(cpus);
  for (const pool of w.cpu.podEntries.values()) held = held.union(pool);
  return held;
}

/** Puts CPUs nothing holds any more back into the node shared pool. */
function releaseCpus(w: World, cpus: CpuSet): void {
  w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.union(cpus.difference(heldCpus(w)));
}

/** CPUs of the node shared pool that are neither reserved nor held by any entry. */
function freeCpus(w: World): CpuSet {
  return w.cpu.defaultCpuSet.difference(w.reserved).difference(heldCpus(w));
}

/**
 * Takes `n` free CPUs out of the node shared pool as a packing allocator would: CPUs passing
 * `prefer` first; within each group whole free cores first (all their threads together, cores in
 * id order), then single CPUs in id order.
 */
function takeFree(w: World, n: number, prefer: (cpu: number) => boolean = () => true): CpuSet {
  const free = freeCpus(w);
  const t = w.topology;
  const packed = (cpus: CpuSet): number[] => {
    const whole = cpus.filter((c) => t.cpusInCore(t.info(c).core).isSubsetOf(cpus));
    const cores = [...new Set(whole.toArray().map((c) => t.info(c).core))].sort((a, b) => a - b);
    return [...cores.flatMap((core) => t.cpusInCore(core).toArray()), ...cpus.difference(whole).toArray()];
  };
  const ordered = [...packed(free.filter(prefer)), ...packed(free.filter((c) => !prefer(c)))];
  if (ordered.length < n) {
    throw new RangeError(
      `node fixture: only ${ordered.length} free CPUs in the node shared pool, ${n} needed`,
    );
  }
  const taken = CpuSet.from(ordered.slice(0, n));
  w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.difference(taken);
  return taken;
}

function numaOf(w: World, cpus: CpuSet): Set<number> {
  return new Set(cpus.toArray().map((c) => w.topology.info(c).numa));
}

/** Replaces CPU `out` of an entry by CPU `into` (taken from the shared pool), releasing `out`. */
function swapCpu(w: World, p: WorldPod, c: string, out: number, into: CpuSet): void {
  const e = entryOf(w, p, c);
  setEntry(w, p.pod.uid, c, e.difference(CpuSet.of(out)).union(into));
  releaseCpus(w, CpuSet.of(out));
}

// ----- CPU placement drifts ---------------------------------------------------------------------

/**
 * D1/D7: the container lost its CPU entry and runs on the node shared pool; its CPUs go back to
 * the shared pool unless its pod pool still holds them. With `memory`, its memory entry goes too
 * (node-path blocks are released from the machine state).
 */
export function moveToNodeSharedPool(w: World, p: WorldPod, c: string, memory: boolean): void {
  findContainer(p, c);
  const e = entryOf(w, p, c);
  deleteEntry(w, p.pod.uid, c);
  releaseCpus(w, e);
  if (!memory) return;
  const m = w.memory?.entries.get(p.pod.uid);
  const blocks = m?.get(c);
  if (w.memory === null || m === undefined || blocks === undefined) {
    throw new RangeError(`node fixture: ${who(p, c)} has no memory entry`);
  }
  m.delete(c);
  if (m.size === 0) w.memory.entries.delete(p.pod.uid);
  if (!w.memory.podEntries.has(p.pod.uid)) for (const b of blocks) chargeBlock(w, b, -1);
}

/**
 * D2: a shared container got an exclusive slice of `count` CPUs (default: its CPU request rounded
 * up, at least 1) — carved from its pod shared pool when the pod has a CPU pool (the other shared
 * containers lose those CPUs), else taken from the node shared pool. The kubelet treats it as
 * exclusive, so its cgroup has no CFS quota.
 */
export function giveExclusiveSlice(w: World, p: WorldPod, c: string, count: number | null): void {
  const container = findContainer(p, c);
  const n = count ?? Math.max(1, Math.ceil((container.spec.resources.requests.cpu ?? 0) / 1000));
  const uid = p.pod.uid;
  const pool = w.cpu.podEntries.get(uid);
  let slice: CpuSet;
  if (pool !== undefined) {
    const shared = w.cpu.entries.get(uid)?.get(c) ?? pool;
    if (shared.size <= n)
      throw new RangeError(`node fixture: the pod shared pool of ${who(p, c)} has only ${shared.size} CPUs`);
    slice = CpuSet.from(shared.toArray().slice(0, n));
    for (const [name, cpus] of w.cpu.entries.get(uid) ?? []) {
      if (name !== c && cpus.equals(shared)) setEntry(w, uid, name, cpus.difference(slice));
    }
  } else {
    slice = takeFree(w, n);
  }
  setEntry(w, uid, c, slice);
  container.quotaOverride = null;
}

/** D3: container B's last `count` CPUs are replaced by container A's first `count` CPUs. */
export function overlapExclusive(
  w: World,
  a: WorldPod,
  ca: string,
  b: WorldPod,
  cb: string,
  count: number,
): void {
  const ea = entryOf(w, a, ca);
  const eb = entryOf(w, b, cb);
  if (ea.size < count || eb.size < count)
    throw new RangeError(
      `node fixture: cannot overlap ${count} CPUs of ${ea.toString()} and ${eb.toString()}`,
    );
  const given = CpuSet.from(ea.toArray().slice(0, count));
  const lost = CpuSet.from(eb.toArray().slice(-count));
  setEntry(w, b.pod.uid, cb, eb.difference(lost).union(given));
  releaseCpus(w, lost);
}

/** D4: the first `count` CPUs of an exclusive entry are also in the node shared pool. */
export function exclusiveInDefaultCpuSet(w: World, p: WorldPod, c: string, count: number): void {
  const e = entryOf(w, p, c);
  w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.union(CpuSet.from(e.toArray().slice(0, count)));
}

/** D4: an exclusive entry holds a reserved CPU (its first CPU goes back to the shared pool). */
export function exclusiveOnReservedCpu(w: World, p: WorldPod, c: string): void {
  const e = entryOf(w, p, c);
  const reserved = w.reserved.difference(e).toArray()[0];
  if (reserved === undefined) throw new RangeError('node fixture: the node has no reserved CPU to misuse');
  const out = e.toArray()[0] as number;
  w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.difference(CpuSet.of(reserved));
  swapCpu(w, p, c, out, CpuSet.of(reserved));
}

/**
 * D5: the container's CPU slice (resource "cpu") moves to free CPUs of another NUMA node, or its
 * memory blocks (resource "memory") are recorded on another NUMA node (node-path blocks move
 * their charge in the machine state).
 */
export function wrongNuma(w: World, p: WorldPod, c: string, resource: 'cpu' | 'memory'): void {
  const others = (used: Set<number>) => w.topology.numaNodes.filter((n) => !used.has(n));
  if (resource === 'cpu') {
    const e = entryOf(w, p, c);
    const target = others(numaOf(w, e))[0];
    if (target === undefined)
      throw new RangeError('node fixture: a single-NUMA machine has no wrong NUMA node');
    const moved = takeFree(w, e.size, (cpu) => w.topology.info(cpu).numa === target);
    setEntry(w, p.pod.uid, c, moved);
    releaseCpus(w, e);
    return;
  }
  const blocks = w.memory?.entries.get(p.pod.uid)?.get(c);
  if (w.memory === null || blocks === undefined || blocks.length === 0) {
    throw new RangeError(`node fixture: ${who(p, c)} has no memory blocks`);
  }
  const used = new Set(blocks.flatMap((b) => b.numaAffinity));
  const target = others(used)[0];
  if (target === undefined)
    throw new RangeError('node fixture: a single-NUMA machine has no wrong NUMA node');
  const nodePath = !w.memory.podEntries.has(p.pod.uid);
  const moved = blocks.map((b) => ({ ...b, numaAffinity: [target] }));
  if (nodePath) {
    for (const b of blocks) chargeBlock(w, b, -1);
    for (const b of moved) chargeBlock(w, b, 1);
  }
  w.memory.entries.get(p.pod.uid)?.set(c, moved);
}

/** Charges (+1) or releases (-1) a node-path memory block in the machine state. */
function chargeBlock(w: World, b: MemoryBlock, sign: 1 | -1): void {
  const numa = b.numaAffinity[0];
  const state = numa === undefined ? undefined : w.memory?.machineState.get(numa);
  const table = state?.memoryMap.get(b.type);
  if (w.memory === null || numa === undefined || state === undefined || table === undefined) return;
  const delta = sign === 1 ? b.size : -b.size;
  const memoryMap = new Map(state.memoryMap);
  memoryMap.set(b.type, { ...table, reserved: table.reserved + delta, free: table.free - delta });
  w.memory.machineState.set(numa, {
    ...state,
    memoryMap,
    numberOfAssignments: Math.max(0, state.numberOfAssignments + sign),
  });
}

/**
 * D6: the pod shared pool (the entry every pod_shared container of the pod holds) is corrupted:
 * `overlap` adds the first CPU of an exclusive slice, `outside` adds a free CPU from outside the
 * pod pool, `shrink` drops its last CPU (so it is no longer pool − slices).
 */
export function corruptPodSharedPool(w: World, p: WorldPod, how: 'overlap' | 'outside' | 'shrink'): void {
  const uid = p.pod.uid;
  const pool = w.cpu.podEntries.get(uid);
  if (pool === undefined)
    throw new RangeError(`node fixture: ${p.pod.namespace}/${p.pod.name} has no CPU pod pool`);
  const entries = w.cpu.entries.get(uid) ?? new Map<string, CpuSet>();
  const sharedNames = p.containers
    .filter((c) => c.running && (p.exclusiveByName.get(c.name) ?? 0) === 0 && entries.has(c.name))
    .map((c) => c.name);
  const sliceNames = p.containers
    .filter((c) => c.running && (p.exclusiveByName.get(c.name) ?? 0) > 0 && entries.has(c.name))
    .map((c) => c.name);
  const shared = entries.get(sharedNames[0] ?? '');
  if (shared === undefined)
    throw new RangeError(`node fixture: ${p.pod.namespace}/${p.pod.name} has no pod_shared container`);
  let next: CpuSet;
  if (how === 'overlap') {
    const slice = entries.get(sliceNames[0] ?? '');
    if (slice === undefined)
      throw new RangeError(`node fixture: ${p.pod.namespace}/${p.pod.name} has no exclusive slice`);
    next = shared.union(CpuSet.from(slice.toArray().slice(0, 1)));
  } else if (how === 'outside') {
    const outside = freeCpus(w).toArray()[0];
    if (outside === undefined) throw new RangeError('node fixture: no free CPU outside the pod pool');
    next = shared.union(CpuSet.of(outside));
  } else {
    if (shared.size < 2) throw new RangeError('node fixture: the pod shared pool has a single CPU');
    next = CpuSet.from(shared.toArray().slice(0, -1));
  }
  for (const name of sharedNames) setEntry(w, uid, name, next);
}

/** D8: the pod's pool entry is gone (CPU, memory or both); container entries stay. */
export function dropPodEntry(w: World, p: WorldPod, resource: 'cpu' | 'memory' | 'both'): void {
  const uid = p.pod.uid;
  if (resource !== 'memory') {
    if (!w.cpu.podEntries.delete(uid))
      throw new RangeError(`node fixture: ${p.pod.namespace}/${p.pod.name} has no CPU pod pool`);
  }
  if (resource !== 'cpu') {
    if (w.memory?.podEntries.delete(uid) !== true)
      throw new RangeError(`node fixture: ${p.pod.namespace}/${p.pod.name} has no memory pod entry`);
  }
}

/**
 * D8: the pod got a CPU pool the model does not give it: `cpus`, else its container entries plus
 * free CPUs up to its pod-level CPU request (at least its entries).
 */
export function addPodEntry(w: World, p: WorldPod, cpus: CpuSet | null): void {
  const uid = p.pod.uid;
  if (w.cpu.podEntries.has(uid))
    throw new RangeError(`node fixture: ${p.pod.namespace}/${p.pod.name} has a pod pool already`);
  let pool = cpus;
  if (pool === null) {
    let held = CpuSet.empty;
    for (const e of w.cpu.entries.get(uid)?.values() ?? []) held = held.union(e);
    const want = Math.ceil((p.pod.podResources?.requests.cpu ?? held.size * 1000) / 1000);
    const numa = numaOf(w, held);
    pool = held.union(
      want > held.size
        ? takeFree(w, want - held.size, (c) => numa.size === 0 || numa.has(w.topology.info(c).numa))
        : CpuSet.empty,
    );
  } else {
    w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.difference(pool);
  }
  w.cpu.podEntries.set(uid, pool);
}

/** D14: one whole core of the slice is split: its second thread is swapped for a free CPU of another core. */
export function partialCore(w: World, p: WorldPod, c: string): void {
  const e = entryOf(w, p, c);
  const t = w.topology;
  const full = e
    .toArray()
    .find((cpu) => t.cpusInCore(t.info(cpu).core).isSubsetOf(e) && t.cpusInCore(t.info(cpu).core).size > 1);
  if (full === undefined)
    throw new RangeError(`node fixture: ${who(p, c)} ${e.toString()} holds no whole core`);
  const siblings = t.cpusInCore(t.info(full).core).toArray();
  const out = siblings[siblings.length - 1] as number;
  const numa = t.info(out).numa;
  const into = takeFree(
    w,
    1,
    (cpu) => t.info(cpu).numa === numa && !t.cpusInCore(t.info(cpu).core).isSubsetOf(freeCpus(w)),
  );
  swapCpu(w, p, c, out, into);
}

/** D15: one CPU of the slice is swapped for a free CPU behind another uncore (L3) cache. */
export function extraUncoreCache(w: World, p: WorldPod, c: string): void {
  const e = entryOf(w, p, c);
  const t = w.topology;
  const uncores = new Set(e.toArray().map((cpu) => t.info(cpu).uncore));
  const out = e.toArray()[e.size - 1] as number;
  const numa = t.info(out).numa;
  const candidates = freeCpus(w).filter((cpu) => !uncores.has(t.info(cpu).uncore));
  if (candidates.isEmpty()) throw new RangeError('node fixture: no free CPU behind another uncore cache');
  const sameNuma = candidates.filter((cpu) => t.info(cpu).numa === numa);
  const pick = (sameNuma.isEmpty() ? candidates : sameNuma).toArray()[0] as number;
  w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.difference(CpuSet.of(pick));
  swapCpu(w, p, c, out, CpuSet.of(pick));
}

// ----- memory accounting ------------------------------------------------------------------------

export interface MachineStatePatch extends Partial<MemoryTable> {
  readonly type?: string;
  readonly numberOfAssignments?: number;
  readonly cells?: readonly number[];
}

/** D16: overwrites parts of one NUMA node's machine state (`type` defaults to "memory"). */
export function patchMachineState(w: World, numa: number, patch: MachineStatePatch): void {
  const state = w.memory?.machineState.get(numa);
  if (w.memory === null || state === undefined)
    throw new RangeError(`node fixture: no memory machine state for NUMA node ${numa}`);
  const { type = 'memory', numberOfAssignments, cells, ...table } = patch;
  const current = state.memoryMap.get(type);
  if (current === undefined) throw new RangeError(`node fixture: NUMA node ${numa} has no ${type}`);
  const memoryMap = new Map(state.memoryMap);
  memoryMap.set(type, { ...current, ...table });
  const next: NumaNodeState = {
    numberOfAssignments: numberOfAssignments ?? state.numberOfAssignments,
    memoryMap,
    cells: cells ?? state.cells,
  };
  w.memory.machineState.set(numa, next);
}

// ----- stale state ------------------------------------------------------------------------------

export interface StaleEntrySpec {
  /** the pod uid of the state (default: a fixed uid no pod has) */
  readonly uid?: string;
  /** container name → CPUs; default: one container "app" with 2 free CPUs */
  readonly containers?: Readonly<Record<string, string>>;
  /** also a CPU pod pool (cpuset list) */
  readonly podPool?: string;
  /** also listed by PodResources under this namespace/name (the API server does not know it) */
  readonly podResources?: { readonly namespace: string; readonly name: string };
}

export const STALE_POD_UID = '0badc0de-5a1e-4e17-9d1e-57a1e0f1d000';

/** D18: state of a pod that is not active on the node (entries taken out of the shared pool). */
export function staleEntry(w: World, spec: StaleEntrySpec, parse: (cpus: string) => CpuSet): void {
  const uid = spec.uid ?? STALE_POD_UID;
  const containers: [string, CpuSet][] =
    spec.containers === undefined
      ? [['app', takeFree(w, 2)]]
      : Object.entries(spec.containers).map(([name, cpus]) => {
          const set = parse(cpus);
          w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.difference(set);
          return [name, set];
        });
  for (const [name, cpus] of containers) setEntry(w, uid, name, cpus);
  if (spec.podPool !== undefined) {
    const pool = parse(spec.podPool);
    w.cpu.defaultCpuSet = w.cpu.defaultCpuSet.difference(pool);
    w.cpu.podEntries.set(uid, pool);
  }
  if (spec.podResources !== undefined) {
    const entry: PodResourcesEntry = {
      name: spec.podResources.name,
      namespace: spec.podResources.namespace,
      cpuIds: [],
      memory: [],
      containers: containers.map(([name, cpus]) => ({
        name,
        cpuIds: cpus.toArray(),
        memory: [],
        devices: [],
        dynamicResources: [],
      })),
    };
    w.extraPodResources.push(entry);
  }
}
