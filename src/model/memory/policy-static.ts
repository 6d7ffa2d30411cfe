// The memory manager's Static policy (pkg/kubelet/cm/memorymanager/policy_static.go), incl. the
// pod-level path of KEP-5526: machine state, hints, node-path Allocate with init-container reuse,
// pod-level AllocatePod, removal. Pure: every function returns a new state; counters go to a
// CounterTally. Go iterates resource maps in random order; we use memory first, then hugepages
// by name, so block lists are deterministic.

import type { NumaMask } from '../bitmask.js';
import { isNarrowerThan, iterateMasks, maskCount, maskNodes, maskOf } from '../bitmask.js';
import type { KubeletConfig } from '../kubelet-config.js';
import type { CounterTally } from '../metrics.js';
import type { Container, Pod, QosClass } from '../pod.js';
import type { PodGates } from '../qos.js';
import { isEquivalentGuaranteed, isSkippedByManagers, usesPodLevelRules } from '../qos.js';
import { formatBytes, intValue, parseQuantity } from '../quantity.js';
import type { Fidelity } from '../simulation-input.js';
import type { Topology } from '../topology.js';
import type { TopologyHint } from '../topology-manager/hint.js';
import type { MachineState, MemoryBlock, MemoryState, MemoryTable, NumaNodeState } from './state.js';
import { memoryBlocksOf, withMemoryBlocks, withoutMemoryBlocks } from './state.js';

export interface StaticMemoryPolicy {
  readonly topo: Topology;
  readonly gates: PodGates;
  readonly fidelity: Fidelity;
  /** The machine state of a freshly started kubelet. */
  readonly defaultMachineState: MachineState;
}

/** resource type → bytes, memory first, then hugepages by name */
export type MemoryRequests = ReadonlyMap<string, bigint>;

export interface MemoryAllocationError {
  readonly kind: 'EmptyPodSharedPoolError' | 'unexpected';
  readonly message: string;
}

function ordered(entries: Iterable<readonly [string, bigint]>): Map<string, bigint> {
  const list = [...entries].sort(([a], [b]) =>
    a === 'memory' ? -1 : b === 'memory' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return new Map(list);
}

function isMemoryResource(name: string): boolean {
  return name === 'memory' || name.startsWith('hugepages-');
}

// ---------------------------------------------------------------------------------------------
// Start-up: prerequisites and the default machine state (§1.7)

/** Reserved memory of node allocatable: kube + system reserved + hard eviction (memory only). */
function nodeAllocatableReservation(config: KubeletConfig, capacity: bigint): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const add = (name: string, v: bigint) => out.set(name, (out.get(name) ?? 0n) + v);
  for (const reserved of [config.kubeReserved, config.systemReserved]) {
    for (const [name, q] of Object.entries(reserved)) if (isMemoryResource(name)) add(name, intValue(q));
  }
  const available = config.evictionHard['memory.available'];
  if (available !== undefined) {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(available.trim());
    if (pct?.[1] !== undefined) {
      const [whole = '0', frac = ''] = pct[1].split('.');
      const scale = 10n ** BigInt(frac.length);
      add('memory', (capacity * BigInt(whole + frac)) / (100n * scale));
    } else {
      add('memory', intValue(parseQuantity(available)));
    }
  }
  return out;
}

/** A reservedMemory total that differs from what Node Allocatable reserves (§1.7). */
export interface ReservedMemoryMismatch {
  /** `memory` or `hugepages-<size>` */
  readonly type: string;
  /** Σ reservedMemory[*].limits[type] */
  readonly reserved: bigint;
  /** kube + system reserved (+ the hard eviction threshold for memory) */
  readonly allocatableReservation: bigint;
  /** the kubelet's startup error */
  readonly error: string;
}

/**
 * `validateReservedMemory`, the part that needs no NUMA layout: Σ reservedMemory of `memory`
 * must be > 0, and every type's sum must equal what Node Allocatable reserves. `capacity`
 * (machine memory in bytes) resolves a percentage `memory.available`. Null when both hold.
 */
export function checkReservedMemoryTotals(
  config: KubeletConfig,
  capacity: bigint,
): ReservedMemoryMismatch | null {
  const totalByType = new Map<string, bigint>();
  for (const r of config.reservedMemory)
    for (const [name, v] of Object.entries(r.limits))
      totalByType.set(name, (totalByType.get(name) ?? 0n) + v);
  const allocatableReservation = nodeAllocatableReservation(config, capacity);
  const memory = totalByType.get('memory') ?? 0n;
  if (memory <= 0n) {
    return {
      type: 'memory',
      reserved: memory,
      allocatableReservation: allocatableReservation.get('memory') ?? 0n,
      error: '[memorymanager] you should specify the system reserved memory',
    };
  }
  const types = new Set([...totalByType.keys(), ...allocatableReservation.keys()]);
  for (const type of [...types].sort()) {
    const want = allocatableReservation.get(type) ?? 0n;
    const have = totalByType.get(type) ?? 0n;
    if (want !== have) {
      return {
        type,
        reserved: have,
        allocatableReservation: want,
        error: `the total amount "${formatBytes(have)}" of type "${type}" is not equal to the value "${formatBytes(want)}" determined by Node Allocatable feature`,
      };
    }
  }
  return null;
}

export type MemoryPolicyResult =
  | { readonly ok: true; readonly policy: StaticMemoryPolicy }
  | { readonly ok: false; readonly field: string; readonly error: string };

/** `NewPolicyStatic` + `validateReservedMemory`: an error means the kubelet refuses to start. */
export function newStaticMemoryPolicy(
  topo: Topology,
  config: KubeletConfig,
  gates: PodGates,
  fidelity: Fidelity,
): MemoryPolicyResult {
  const memory = new Map(topo.memory.map((m) => [m.numa, m]));
  const missing = topo.numaNodes.filter((n) => !memory.has(n));
  if (missing.length > 0) {
    return {
      ok: false,
      field: 'node.topology.memory',
      error: `the Static memory manager needs the memory of every NUMA node; missing for node ${missing.join(', ')}`,
    };
  }
  const reserved = new Map<number, Map<string, bigint>>();
  for (const r of config.reservedMemory) {
    if (!memory.has(r.numaNode)) {
      return {
        ok: false,
        field: 'node.kubelet.reservedMemory',
        error: `reserved memory for NUMA node ${r.numaNode}, which does not exist`,
      };
    }
    const node = reserved.get(r.numaNode) ?? new Map<string, bigint>();
    for (const [name, v] of Object.entries(r.limits)) node.set(name, (node.get(name) ?? 0n) + v);
    reserved.set(r.numaNode, node);
  }
  const capacity = topo.memory.reduce((s, m) => s + m.memory, 0n);
  const totals = checkReservedMemoryTotals(config, capacity);
  if (totals !== null) return { ok: false, field: 'node.kubelet.reservedMemory', error: totals.error };
  const machine = new Map<number, NumaNodeState>();
  for (const numa of topo.numaNodes) {
    const m = memory.get(numa);
    if (m === undefined) continue;
    const sys = (type: string) => reserved.get(numa)?.get(type) ?? 0n;
    const tables = new Map<string, MemoryTable>();
    let hugepagesTotal = 0n;
    for (const [type, total] of ordered(Object.entries(m.hugepages))) {
      const allocatable = total - sys(type);
      tables.set(type, { total, systemReserved: sys(type), allocatable, reserved: 0n, free: allocatable });
      hugepagesTotal += total;
    }
    const allocatable = m.memory - sys('memory') - hugepagesTotal;
    if (allocatable < 0n) {
      return {
        ok: false,
        field: 'node.kubelet.reservedMemory',
        error: `reserved memory of NUMA node ${numa} exceeds its memory`,
      };
    }
    const all = new Map<string, MemoryTable>([
      [
        'memory',
        { total: m.memory, systemReserved: sys('memory'), allocatable, reserved: 0n, free: allocatable },
      ],
      ...tables,
    ]);
    machine.set(numa, { numberOfAssignments: 0, memoryMap: all, cells: [numa] });
  }
  return { ok: true, policy: { topo, gates, fidelity, defaultMachineState: machine } };
}

/**
 * The machine state the kubelet expects for restored blocks: `base` (a freshly started kubelet's
 * machine state) charged with every block, pod-level pods once through their pod blocks when
 * PLRM is on (`validateState`'s recomputation). An error names a block on a NUMA node or of a
 * resource the machine does not have.
 */
export function recomputeMachineState(
  base: MachineState,
  state: {
    readonly entries: { entries(): Iterable<[string, ReadonlyMap<string, readonly MemoryBlock[]>]> };
    readonly podEntries: { get(podUid: string): readonly MemoryBlock[] | undefined };
  },
  plrm: boolean,
): { readonly ok: true; readonly machine: MachineState } | { readonly ok: false; readonly error: string } {
  let expected = base;
  for (const [podUid, containers] of state.entries.entries()) {
    const podBlocks = plrm ? state.podEntries.get(podUid) : undefined;
    const groups = podBlocks !== undefined && podBlocks.length > 0 ? [podBlocks] : [...containers.values()];
    for (const blocks of groups) {
      for (const b of blocks) {
        if (b.numaAffinity.some((n) => !expected.has(n))) {
          return {
            ok: false,
            error: `[memorymanager] (pod: ${podUid}) the memory assignment uses the NUMA that does not exist`,
          };
        }
        if (b.numaAffinity.some((n) => expected.get(n)?.memoryMap.has(b.type) !== true)) {
          return {
            ok: false,
            error: `[memorymanager] (pod: ${podUid}) the memory assignment uses memory resource that does not exist`,
          };
        }
        expected = charge(expected, b.numaAffinity, b.type, b.size);
      }
    }
  }
  return { ok: true, machine: expected };
}

/**
 * `areMachineStatesEqual` as `validateState` applies it: per node the assignment count, cells and
 * each table's total/systemReserved/allocatable equal; free and reserved compared as sums over
 * the node's cells (a cross-NUMA group may split its blocks differently).
 */
export function machineStatesMatch(expected: MachineState, actual: MachineState): boolean {
  return (
    actual.size === expected.size &&
    [...expected].every(([n, e]) => {
      const a = actual.get(n);
      if (a === undefined || a.numberOfAssignments !== e.numberOfAssignments || !sameGroup(a.cells, e.cells))
        return false;
      if (a.memoryMap.size !== e.memoryMap.size) return false;
      return [...e.memoryMap].every(([type, et]) => {
        const at = a.memoryMap.get(type);
        if (at === undefined) return false;
        if (
          at.total !== et.total ||
          at.systemReserved !== et.systemReserved ||
          at.allocatable !== et.allocatable
        )
          return false;
        const sum = (m: MachineState, f: 'free' | 'reserved') =>
          e.cells.reduce((s, c) => s + (m.get(c)?.memoryMap.get(type)?.[f] ?? 0n), 0n);
        return (
          sum(actual, 'free') === sum(expected, 'free') &&
          sum(actual, 'reserved') === sum(expected, 'reserved')
        );
      });
    })
  );
}

/**
 * `validateState`: a restored state must match the machine state recomputed from its blocks
 * (pod-level pods counted once, through their pod blocks). The kubelet's message, or null.
 */
export function validateMemoryState(policy: StaticMemoryPolicy, state: MemoryState): string | null {
  const recomputed = recomputeMachineState(policy.defaultMachineState, state, policy.gates.plrm);
  if (!recomputed.ok) return recomputed.error;
  return machineStatesMatch(recomputed.machine, state.machineState)
    ? null
    : '[memorymanager] the expected machine state is different from the real one';
}

// ---------------------------------------------------------------------------------------------
// Requests (§2.3, §2.4)

export interface PodFacts {
  readonly pod: Pod;
  readonly qos: QosClass;
}

/** `getContainerRequestedResources`: empty for non-eligible containers of pod-level pods. */
export function containerMemoryRequests(f: PodFacts, c: Container, gates: PodGates): MemoryRequests {
  if (usesPodLevelRules(f.pod, gates) && !isEquivalentGuaranteed(c)) return new Map();
  const req = c.resources.requests;
  const out: [string, bigint][] = [];
  if (req.memory !== undefined) out.push(['memory', req.memory]);
  for (const [name, v] of Object.entries(req.hugepages)) out.push([name, v]);
  return ordered(out);
}

/** `getPodRequestedResources`: the pod-level requests, or the init/sidecar/app formula. */
export function podMemoryRequests(f: PodFacts, gates: PodGates): MemoryRequests {
  if (usesPodLevelRules(f.pod, gates)) {
    const req = f.pod.podResources?.requests;
    const out: [string, bigint][] = [];
    if (req?.memory !== undefined && req.memory > 0n) out.push(['memory', req.memory]);
    for (const [name, v] of Object.entries(req?.hugepages ?? {})) if (v > 0n) out.push([name, v]);
    return ordered(out);
  }
  const initMax = new Map<string, bigint>();
  const sidecars = new Map<string, bigint>();
  for (const c of f.pod.initContainers) {
    for (const [name, q] of containerMemoryRequests(f, c, gates)) {
      if (!initMax.has(name)) initMax.set(name, 0n);
      if (c.type === 'sidecar') sidecars.set(name, (sidecars.get(name) ?? 0n) + q);
      else if ((sidecars.get(name) ?? 0n) + q > (initMax.get(name) ?? 0n))
        initMax.set(name, (sidecars.get(name) ?? 0n) + q);
    }
  }
  const apps = new Map<string, bigint>();
  for (const c of f.pod.containers) {
    for (const [name, q] of containerMemoryRequests(f, c, gates)) apps.set(name, (apps.get(name) ?? 0n) + q);
  }
  const out: [string, bigint][] = [];
  for (const [name, appSum] of apps) {
    const longRunning = appSum + (sidecars.get(name) ?? 0n);
    const init = initMax.get(name) ?? 0n;
    out.push([name, longRunning < init ? init : longRunning]);
  }
  return ordered(out);
}

// ---------------------------------------------------------------------------------------------
// Hints (§5.1)

/** Reusable memory of standard init containers of the pod being admitted: mask → type → bytes. */
export type ReusableMemory = ReadonlyMap<NumaMask, ReadonlyMap<string, bigint>>;
export const NO_REUSABLE_MEMORY: ReusableMemory = new Map();

function table(machine: MachineState, node: number, type: string): MemoryTable | undefined {
  return machine.get(node)?.memoryMap.get(type);
}

function sameGroup(a: readonly number[], b: readonly number[]): boolean {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** `calculateHints`: every mask that can hold the request, preferred = as narrow as possible. */
export function calculateMemoryHints(
  machine: MachineState,
  requests: MemoryRequests,
  reusable: ReusableMemory,
  /** the masks of the machine's NUMA nodes in hint order, when the caller has them at hand */
  allMasks?: readonly NumaMask[],
): Map<string, TopologyHint[]> {
  const nodes = [...machine.keys()].sort((a, b) => a - b);
  const states = nodes.map((n) => machine.get(n) as NumaNodeState);
  const types = [...requests];
  // Per requested type and node position: allocatable and free bytes.
  const allocatable = types.map(([type]) => states.map((st) => st.memoryMap.get(type)?.allocatable ?? 0n));
  const free = types.map(([type]) => states.map((st) => st.memoryMap.get(type)?.free ?? 0n));
  // A node's group as a mask: equal to a hint's mask exactly when the groups are equal.
  const groups = states.map((st) => maskOf(st.cells));
  const sum = (perNode: readonly bigint[], mask: NumaMask) => {
    let total = 0n;
    for (let i = 0; i < nodes.length; i++)
      if ((mask & (1 << (nodes[i] as number))) !== 0) total += perNode[i] as bigint;
    return total;
  };
  let minAffinity = nodes.length;
  const masks: NumaMask[] = [];
  for (const mask of allMasks ?? iterateMasks(nodes)) {
    if (types.some(([, size], t) => sum(allocatable[t] as bigint[], mask) < size)) continue;
    const count = maskCount(mask);
    if (count < minAffinity) minAffinity = count;
    let usable = true;
    for (let i = 0; i < nodes.length && usable; i++) {
      if ((mask & (1 << (nodes[i] as number))) === 0) continue;
      const st = states[i] as NumaNodeState;
      // a node grouped with others cannot take a single-NUMA allocation
      if (count === 1) usable = st.cells.length <= 1;
      // a used node joins a multi-NUMA allocation only within its own group
      else if (st.numberOfAssignments > 0) usable = st.cells.length > 1 && groups[i] === mask;
    }
    if (!usable) continue;
    if (
      types.some(
        ([type, size], t) => sum(free[t] as bigint[], mask) + (reusable.get(mask)?.get(type) ?? 0n) < size,
      )
    )
      continue;
    masks.push(mask);
  }
  const hints = new Map<string, TopologyHint[]>();
  for (const type of requests.keys()) {
    if (masks.length > 0)
      hints.set(
        type,
        masks.map((mask) => ({ mask, preferred: maskCount(mask) === minAffinity })),
      );
  }
  return hints;
}

/** `regenerateHints`: hints from blocks already recorded; null when they no longer match. */
function regenerateHints(
  blocks: readonly MemoryBlock[],
  requests: MemoryRequests,
): Map<string, TopologyHint[]> | null {
  if (blocks.length !== requests.size) return null;
  const hints = new Map<string, TopologyHint[]>([...requests.keys()].map((t) => [t, []]));
  for (const b of blocks) {
    const list = hints.get(b.type);
    if (list === undefined || requests.get(b.type) !== b.size) return null;
    list.push({ mask: maskOf(b.numaAffinity), preferred: true });
  }
  return hints;
}

/** Hints for resource types: null = no preference (nil map). */
export type MemoryHints = ReadonlyMap<string, readonly TopologyHint[]> | null;

/** `GetTopologyHints` (one container). */
export function containerMemoryHints(
  policy: StaticMemoryPolicy,
  state: MemoryState,
  f: PodFacts,
  c: Container,
  reusable: ReusableMemory,
): MemoryHints {
  if (f.qos !== 'Guaranteed' || isSkippedByManagers(f.pod, policy.gates)) return null;
  const requests = containerMemoryRequests(f, c, policy.gates);
  const blocks = memoryBlocksOf(state, f.pod.uid, c.name);
  if (blocks !== undefined && blocks.length > 0) return regenerateHints(blocks, requests);
  return calculateMemoryHints(state.machineState, requests, reusable, policy.topo.numaMasks());
}

/** `GetPodTopologyHints` (pod scope). */
export function podMemoryHints(policy: StaticMemoryPolicy, state: MemoryState, f: PodFacts): MemoryHints {
  if (f.qos !== 'Guaranteed') return null;
  const requests = podMemoryRequests(f, policy.gates);
  if (isSkippedByManagers(f.pod, policy.gates)) return null;
  if (usesPodLevelRules(f.pod, policy.gates) && validatePodScopeMemory(f, policy.gates) !== null) {
    return new Map([...requests.keys()].map((t) => [t, []]));
  }
  if (requests.size === 0) return null;
  for (const c of [...f.pod.initContainers, ...f.pod.containers]) {
    const blocks = memoryBlocksOf(state, f.pod.uid, c.name);
    if (blocks !== undefined && blocks.length > 0) return regenerateHints(blocks, requests);
  }
  return calculateMemoryHints(state.machineState, requests, NO_REUSABLE_MEMORY, policy.topo.numaMasks());
}

/** `validatePodScopeResources` (§6.3), per memory type. The kubelet's message, or null. */
export function validatePodScopeMemory(f: PodFacts, gates: PodGates): string | null {
  const total = podMemoryRequests(f, gates);
  const sum = new Map<string, bigint>();
  let sharedLongRunning = false;
  for (const c of f.pod.initContainers) {
    const reqs = containerMemoryRequests(f, c, gates);
    if (c.type === 'init') {
      if (reqs.size > 0) {
        for (const [type, size] of total) {
          const pool = size - (sum.get(type) ?? 0n);
          const want = reqs.get(type) ?? 0n;
          if (want > pool)
            return `pod rejected, largest exclusive init container requests ${want} of ${type}, but only ${pool} available`;
        }
      } else {
        for (const [type, size] of total) {
          if ((sum.get(type) ?? 0n) >= size)
            return `pod rejected, pod has shared init containers but no ${type} available for them`;
        }
      }
      continue;
    }
    if (reqs.size === 0) sharedLongRunning = true;
    for (const [type, size] of reqs) sum.set(type, (sum.get(type) ?? 0n) + size);
  }
  for (const c of f.pod.containers) {
    const reqs = containerMemoryRequests(f, c, gates);
    if (reqs.size === 0) sharedLongRunning = true;
    for (const [type, size] of reqs) sum.set(type, (sum.get(type) ?? 0n) + size);
  }
  if (sharedLongRunning) {
    for (const [type, size] of total) {
      if ((sum.get(type) ?? 0n) >= size) {
        return `pod rejected, sum of exclusive container ${type} requests equals pod budget, leaving no memory for shared containers`;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Allocation (§5.2, §6.5)

/** `findBestHint`: the first hint, replaced by a preferred one, or an equally preferred narrower one. */
function findBestHint(hints: readonly TopologyHint[]): TopologyHint {
  let best: TopologyHint = { mask: null, preferred: false };
  for (const h of hints) {
    if (best.mask === null) best = h;
    else if (h.preferred && !best.preferred) best = h;
    else if (h.preferred === best.preferred && h.mask !== null && isNarrowerThan(h.mask, best.mask)) best = h;
  }
  return best;
}

function satisfies(machine: MachineState, mask: NumaMask, requests: MemoryRequests): boolean {
  const bits = maskNodes(mask);
  return [...requests].every(
    ([type, size]) => bits.reduce((s, n) => s + (table(machine, n, type)?.free ?? 0n), 0n) >= size,
  );
}

function violatesNumaAllocations(machine: MachineState, mask: NumaMask): boolean {
  const bits = maskNodes(mask);
  if (bits.length === 1) return false;
  return bits.some((n) => {
    const s = machine.get(n);
    if (s === undefined || s.numberOfAssignments === 0) return false;
    return s.cells.length === 1 || !sameGroup(s.cells, bits);
  });
}

type HintChoice =
  /** `why`: set when the mask is not the topology manager's (default hint, extension) */
  | { readonly ok: true; readonly mask: NumaMask; readonly why: string | null }
  | { readonly ok: false; readonly message: string };

function nodesText(mask: NumaMask): string {
  return `{${maskNodes(mask).join(',')}}`;
}

/** Steps 5–7 of §5.2: default hint for nil, extension when too small, the single/cross-NUMA rule. */
function chooseMask(
  machine: MachineState,
  tmHint: TopologyHint,
  requests: MemoryRequests,
  reusable: ReusableMemory,
  masks: readonly NumaMask[],
): HintChoice {
  let best = tmHint;
  let why: string | null = null;
  if (best.mask === null) {
    const hints = calculateMemoryHints(machine, requests, reusable, masks);
    if (hints.size === 0) {
      return {
        ok: false,
        message:
          '[memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough memory is available',
      };
    }
    const def = findBestHint(hints.get('memory') ?? []);
    if (!def.preferred && best.preferred)
      return { ok: false, message: '[memorymanager] failed to find the default preferred hint' };
    best = def;
    if (def.mask !== null) {
      why = `the topology manager gave no NUMA affinity; the memory manager's default hint ${nodesText(def.mask)} was used`;
    }
  }
  if (best.mask === null) {
    // Only hugepages requested: the kubelet looks at the "memory" hints alone and gets none.
    return {
      ok: false,
      message: '[memorymanager] failed to find NUMA nodes to extend the current topology hint',
    };
  }
  if (!satisfies(machine, best.mask, requests)) {
    const current = best.mask;
    const candidates = (calculateMemoryHints(machine, requests, reusable, masks).get('memory') ?? []).filter(
      (h) => h.mask !== null && (h.mask & current) === current,
    );
    if (candidates.length === 0)
      return {
        ok: false,
        message: '[memorymanager] failed to find NUMA nodes to extend the current topology hint',
      };
    const extended = findBestHint(candidates);
    if (!extended.preferred && best.preferred)
      return { ok: false, message: '[memorymanager] failed to find the extended preferred hint' };
    best = extended;
    // The kubelet takes this path also when reused init-container memory makes the same mask
    // enough (calculateHints counts it, isAffinitySatisfyRequest does not): nothing to explain then.
    if (extended.mask !== null && extended.mask !== current) {
      why = `${nodesText(current)} has too little free memory for the request; extended to the group ${nodesText(extended.mask)}`;
    }
  }
  const mask = best.mask as NumaMask;
  if (violatesNumaAllocations(machine, mask))
    return { ok: false, message: '[memorymanager] preferred hint violates NUMA node allocation' };
  return { ok: true, mask, why };
}

/** `updateMachineState`: one assignment per node of the mask, the size taken node by node. */
function charge(machine: MachineState, nodes: readonly number[], type: string, size: bigint): MachineState {
  const next = new Map(machine);
  let left = size;
  for (const n of nodes) {
    const s = next.get(n);
    if (s === undefined) continue;
    const memoryMap = new Map(s.memoryMap);
    const t = memoryMap.get(type);
    if (t !== undefined && left > 0n && t.free > 0n) {
      const take = t.free >= left ? left : t.free;
      memoryMap.set(type, { ...t, reserved: t.reserved + take, free: t.free - take });
      left -= take;
    }
    next.set(n, { numberOfAssignments: s.numberOfAssignments + 1, memoryMap, cells: [...nodes] });
  }
  return next;
}

/** `releaseMemory`: the inverse of `charge`, block by block. */
function release(machine: MachineState, blocks: readonly MemoryBlock[]): MachineState {
  const next = new Map(machine);
  for (const b of blocks) {
    let left = b.size;
    for (const n of b.numaAffinity) {
      const s = next.get(n);
      if (s === undefined) continue;
      const count = s.numberOfAssignments - 1;
      const memoryMap = new Map(s.memoryMap);
      const t = memoryMap.get(b.type);
      if (t !== undefined && left > 0n && t.reserved > 0n) {
        const give = t.reserved < left ? t.reserved : left;
        memoryMap.set(b.type, { ...t, reserved: t.reserved - give, free: t.free + give });
        left -= give;
      }
      next.set(n, { numberOfAssignments: count, memoryMap, cells: count === 0 ? [n] : s.cells });
    }
  }
  return next;
}

function blocksFor(nodes: readonly number[], sizes: Iterable<readonly [string, bigint]>): MemoryBlock[] {
  return [...sizes]
    .filter(([, size]) => size > 0n)
    .map(([type, size]) => ({ numaAffinity: [...nodes], type, size }));
}

export type AllocateMemoryResult =
  | {
      readonly ok: true;
      readonly state: MemoryState;
      readonly reusable: ReusableMemory;
      readonly why?: string | null;
    }
  | { readonly ok: false; readonly error: MemoryAllocationError };

/** Whether fidelity `documented` skips memory Allocate for this container (quirk Q1). */
function skippedAsDocumented(policy: StaticMemoryPolicy, f: PodFacts, c: Container): boolean {
  return (
    policy.fidelity === 'documented' && usesPodLevelRules(f.pod, policy.gates) && !isEquivalentGuaranteed(c)
  );
}

/** `Allocate` (§5.2): the node path for one container, incl. quirk Q1 for empty requests. */
export function allocateContainerMemory(
  policy: StaticMemoryPolicy,
  state: MemoryState,
  tally: CounterTally,
  f: PodFacts,
  c: Container,
  hint: TopologyHint,
  reusable: ReusableMemory,
): AllocateMemoryResult {
  if (
    f.qos !== 'Guaranteed' ||
    isSkippedByManagers(f.pod, policy.gates) ||
    skippedAsDocumented(policy, f, c)
  ) {
    return { ok: true, state, reusable };
  }
  tally.memoryPinningRequest();
  const existing = memoryBlocksOf(state, f.pod.uid, c.name);
  if (existing !== undefined && existing.length > 0) {
    return { ok: true, state, reusable: updateReusable(reusable, c, existing) };
  }
  const requests = containerMemoryRequests(f, c, policy.gates);
  const choice = chooseMask(state.machineState, hint, requests, reusable, policy.topo.numaMasks());
  if (!choice.ok) {
    tally.memoryPinningError();
    tally.allocationError('memory', 'node');
    return { ok: false, error: { kind: 'unexpected', message: choice.message } };
  }
  const nodes = maskNodes(choice.mask);
  let machine = state.machineState;
  const blocks = blocksFor(nodes, requests);
  for (const [type, size] of requests) {
    const reuse = reusable.get(choice.mask)?.get(type) ?? 0n;
    machine = charge(machine, nodes, type, reuse >= size ? 0n : size - reuse);
    tally.allocation('memory', 'node');
  }
  let next: MemoryState = withMemoryBlocks({ ...state, machineState: machine }, f.pod.uid, c.name, blocks);
  next = shrinkInitContainerBlocks(next, f.pod, c, blocks);
  tally.assignment('memory', 'node_exclusive');
  return { ok: true, state: next, reusable: updateReusable(reusable, c, blocks), why: choice.why };
}

/** `updatePodReusableMemory`: standard init containers lend, app containers consume. */
function updateReusable(
  reusable: ReusableMemory,
  c: Container,
  blocks: readonly MemoryBlock[],
): ReusableMemory {
  if (c.type === 'sidecar') return reusable;
  const next = new Map([...reusable].map(([mask, types]) => [mask, new Map(types)]));
  for (const b of blocks) {
    const mask = maskOf(b.numaAffinity);
    const types = next.get(mask) ?? new Map<string, bigint>();
    const cur = types.get(b.type) ?? 0n;
    if (c.type === 'init') {
      if (b.size > cur) types.set(b.type, b.size);
    } else if (cur !== 0n) {
      types.set(b.type, b.size >= cur ? 0n : cur - b.size);
    }
    next.set(mask, types);
  }
  return next;
}

/** `updateInitContainersMemoryBlocks`: earlier init containers' blocks shrink by what was reused. */
function shrinkInitContainerBlocks(
  state: MemoryState,
  pod: Pod,
  c: Container,
  blocks: readonly MemoryBlock[],
): MemoryState {
  let next = state;
  for (const block of blocks) {
    let left = block.size;
    for (const init of pod.initContainers) {
      if (init.name === c.name || left === 0n) break;
      if (init.type === 'sidecar') continue;
      const initBlocks = memoryBlocksOf(next, pod.uid, init.name);
      if (initBlocks === undefined || initBlocks.length === 0) continue;
      const shrunk = initBlocks.map((b) => {
        if (
          b.size === 0n ||
          b.type !== block.type ||
          !sameGroup(b.numaAffinity, block.numaAffinity) ||
          left === 0n
        )
          return b;
        const take = b.size > left ? left : b.size;
        left -= take;
        return { ...b, size: b.size - take };
      });
      next = withMemoryBlocks(next, pod.uid, init.name, shrunk);
    }
  }
  return next;
}

export type AllocatePodMemoryResult =
  | { readonly ok: true; readonly state: MemoryState; readonly why?: string | null }
  | { readonly ok: false; readonly error: MemoryAllocationError };

/** `AllocatePod` (§6.5): one pod-level memory allocation, partitioned into container blocks. */
export function allocatePodMemory(
  policy: StaticMemoryPolicy,
  state: MemoryState,
  tally: CounterTally,
  f: PodFacts,
  hint: TopologyHint,
): AllocatePodMemoryResult {
  if (f.qos !== 'Guaranteed') return { ok: true, state };
  const total = podMemoryRequests(f, policy.gates);
  tally.memoryPinningRequest();
  const fail = (error: MemoryAllocationError): AllocatePodMemoryResult => {
    tally.memoryPinningError();
    tally.allocationError('memory', 'pod');
    return { ok: false, error };
  };
  const invalid = validatePodScopeMemory(f, policy.gates);
  if (invalid !== null) return fail({ kind: 'EmptyPodSharedPoolError', message: invalid });
  const choice = chooseMask(state.machineState, hint, total, NO_REUSABLE_MEMORY, policy.topo.numaMasks());
  if (!choice.ok) return fail({ kind: 'unexpected', message: choice.message });
  const nodes = maskNodes(choice.mask);

  const own = new Map<string, MemoryBlock[]>();
  const sidecarMemory = new Map<string, bigint>();
  const remaining = () =>
    [...total].map(([type, size]) => [type, size - (sidecarMemory.get(type) ?? 0n)] as const);
  for (const c of f.pod.initContainers) {
    const reqs = containerMemoryRequests(f, c, policy.gates);
    tally.memoryPinningRequest();
    if (reqs.size === 0) {
      if (c.type === 'sidecar') continue;
      own.set(c.name, blocksFor(nodes, remaining()));
      tally.assignment('memory', 'pod_shared');
      continue;
    }
    own.set(c.name, blocksFor(nodes, reqs));
    tally.assignment('memory', 'pod_exclusive');
    if (c.type === 'sidecar')
      for (const [type, size] of reqs) sidecarMemory.set(type, (sidecarMemory.get(type) ?? 0n) + size);
  }
  const shared = new Map(remaining());
  for (const c of f.pod.containers) {
    const reqs = containerMemoryRequests(f, c, policy.gates);
    if (reqs.size === 0) continue;
    tally.memoryPinningRequest();
    own.set(c.name, blocksFor(nodes, reqs));
    for (const [type, size] of reqs) shared.set(type, (shared.get(type) ?? 0n) - size);
    tally.assignment('memory', 'pod_exclusive');
  }
  const sharedBlocks = blocksFor(nodes, shared);
  let machine = state.machineState;
  for (const [type, size] of total) machine = charge(machine, nodes, type, size);
  let next: MemoryState = {
    ...state,
    machineState: machine,
    podEntries: state.podEntries.set(f.pod.uid, blocksFor(nodes, total)),
  };
  for (const c of [...f.pod.initContainers, ...f.pod.containers]) {
    const blocks = own.get(c.name);
    if (blocks === undefined) tally.assignment('memory', 'pod_shared');
    next = withMemoryBlocks(next, f.pod.uid, c.name, blocks ?? sharedBlocks);
    tally.allocation('memory', 'pod');
  }
  return { ok: true, state: next, why: choice.why };
}

/** `RemoveContainer`: node path releases the container's blocks; pod-level pods release all at the end. */
export function removeContainerMemory(
  policy: StaticMemoryPolicy,
  state: MemoryState,
  podUid: string,
  container: string,
): MemoryState {
  const podBlocks = state.podEntries.get(podUid);
  if (policy.gates.plrm && podBlocks !== undefined) {
    const next = withoutMemoryBlocks(state, podUid, container);
    if (next.entries.has(podUid)) return next;
    return {
      ...next,
      machineState: release(next.machineState, podBlocks),
      podEntries: next.podEntries.delete(podUid),
    };
  }
  const blocks = memoryBlocksOf(state, podUid, container);
  if (blocks === undefined) return state;
  const next = withoutMemoryBlocks(state, podUid, container);
  return { ...next, machineState: release(next.machineState, blocks) };
}
