// Re-implements the kubelet's CPU allocators from pkg/kubelet/cm/cpumanager/cpu_assignment.go
// (the cpuAccumulator, takeByTopologyNUMAPacked with its optional uncore-cache step, and
// takeByTopologyNUMADistributed of KEP-2902) plus the dispatch of staticPolicy.takeByTopology in
// pkg/kubelet/cm/cpumanager/policy_static.go. Written from the Go code (v1.36/v1.37), not copied.
//
// Sort-order contract (cpu_assignment.go `sort` and `sortAvailable*`): ids are ordered by the number
// of still-free CPUs they contain, fewest first, ties by ascending id. Only ids with a free CPU
// appear. numaFirst (NumSockets >= NumNUMANodes): NUMA nodes; sockets = per NUMA node in that
// order, its sockets (those with a free CPU in the node); cores = per socket, its cores.
// socketsFirst: sockets; NUMA nodes = per socket its nodes; cores = per NUMA node its cores.
// Uncore caches = per NUMA node (in NUMA order) its uncore caches. "Packed" CPU order = per core
// its free CPUs ascending; "spread" CPU order = per socket its free CPUs ascending.
//
// Each step of the kubelet computes its order once, from the free set at the start of the step,
// and then walks it. Because the unit being taken from always sorts first at every level, walking
// a list fixed at the start of the step gives the same CPUs as re-sorting after every single CPU;
// this is what keeps one call at O(cpus · log) instead of O(cpus²).
//
// Go quirk reproduced on purpose: `iterateCombinations` builds each combination with
// `append(accum, n[i])`, so combinations of length 4 and 6-8 share their backing array with the
// combinations that follow them under the same prefix. `bestCombo = combo` and
// `bestLocalRemainder = subset` keep such a slice, so what the kubelet finally allocates from is
// the *last* combination enumerated under the best one's prefix (kubernetes/kubernetes#141237, fix
// #141238 still open). `GoSlice` below models Go's slice header and growth so the NUMA nodes picked
// match the kubelet's byte for byte.

import { CpuSet } from '../cpuset.js';
import type { Topology } from '../topology.js';

export interface TakeOptions {
  readonly distributeAcrossNuma: boolean; // distribute-cpus-across-numa → distributed allocator
  readonly cpuGroupSize: number; // CPUsPerCore with full-pcpus-only, else 1 (distributed only)
  readonly spread: boolean; // distribute-cpus-across-cores → "spread" CPU sorting, no whole-core step
  readonly preferUncore: boolean; // prefer-align-cpus-by-uncorecache → uncore step (packed only)
}

export type TakeResult =
  { readonly ok: true; readonly cpus: CpuSet } | { readonly ok: false; readonly error: string };

/**
 * `staticPolicy.takeByTopology`: the distributed allocator with distribute-cpus-across-numa (CPU
 * groups of `cpuGroupSize`), otherwise the packed allocator ("spread" sorting with
 * distribute-cpus-across-cores, the uncore step with prefer-align-cpus-by-uncorecache).
 */
export function takeByTopology(topo: Topology, available: CpuSet, n: number, opts: TakeOptions): TakeResult {
  if (opts.distributeAcrossNuma) {
    return takeByTopologyNumaDistributed(topo, available, n, opts.cpuGroupSize, opts.spread);
  }
  return takeByTopologyNumaPacked(topo, available, n, opts.spread, opts.preferUncore);
}

/**
 * `takeByTopologyNUMAPacked`: best fit. Whole first-level units (NUMA nodes if numaFirst, else
 * sockets), whole second-level units, [uncore caches], [whole cores unless spread], then single
 * CPUs in packed (or spread) order.
 */
export function takeByTopologyNumaPacked(
  topo: Topology,
  available: CpuSet,
  n: number,
  spread: boolean,
  preferUncore: boolean,
): TakeResult {
  checkCount(n);
  return toResult(packed(indexOf(topo), available.toArray(), available.size, n, spread, preferUncore));
}

/**
 * `takeByTopologyNUMADistributed` (KEP-2902): spread `n` CPUs evenly, in groups of `cpuGroupSize`,
 * over the smallest number of NUMA nodes that can hold them, choosing the combination (and the
 * nodes that get the remainder) that leaves free CPUs most balanced across NUMA nodes. Falls back
 * to the packed allocator (never with the uncore step).
 */
export function takeByTopologyNumaDistributed(
  topo: Topology,
  available: CpuSet,
  n: number,
  cpuGroupSize: number,
  spread: boolean,
): TakeResult {
  checkCount(n);
  if (!Number.isInteger(cpuGroupSize) || cpuGroupSize < 1) {
    throw new RangeError(`invalid cpu group size ${String(cpuGroupSize)}`);
  }
  return toResult(distributed(indexOf(topo), available.toArray(), available.size, n, cpuGroupSize, spread));
}

// ---------------------------------------------------------------------------------------------
// Topology index: dense unit numbers (ascending real id, so comparing dense numbers compares ids),
// CPU lists and parent/child nestings. Built once per Topology and cached.

type Outcome =
  { readonly ok: true; readonly cpus: number[] } | { readonly ok: false; readonly error: string };

interface Level {
  readonly count: number;
  /** Real id of each dense unit, ascending. */
  readonly ids: readonly number[];
  /** CPUs of each unit in the whole machine (the kubelet's topo.CPUDetails.CPUsInX(id).Size()). */
  readonly size: readonly number[];
  /** CPUs of each unit, ascending. */
  readonly cpus: readonly (readonly number[])[];
  /** Dense unit of each CPU id (-1: not in the topology). */
  readonly of: Int32Array;
}

/**
 * Children of each parent unit, each with the "pair" counting free CPUs in parent ∩ child. When
 * every child lies in a single parent (`simple`: cores in sockets, NUMA nodes in sockets, …) the
 * pair of a child is the child itself and its count is the child's own free count.
 */
interface Nesting {
  readonly children: readonly (readonly number[])[];
  readonly pairs: readonly (readonly number[])[];
  /** Pair of each CPU id (-1: not in the topology). */
  readonly pairOf: Int32Array;
  readonly pairCount: number;
  readonly simple: boolean;
}

interface Index {
  readonly slots: number;
  /** Zeroed accumulator buffers for reuse (calls are synchronous; nested calls take another). */
  readonly pool: Buffers[];
  readonly numCpus: number;
  readonly cpusPerCore: number;
  readonly cpusPerSocket: number;
  readonly cpusPerUncore: number;
  readonly numaFirst: boolean;
  readonly numa: Level;
  readonly socket: Level;
  readonly core: Level;
  readonly uncore: Level;
  readonly numaSockets: Nesting;
  readonly socketNumas: Nesting;
  readonly socketCores: Nesting;
  readonly numaCores: Nesting;
  readonly numaUncores: Nesting;
}

const indexCache = new WeakMap<Topology, Index>();

function indexOf(topo: Topology): Index {
  let ix = indexCache.get(topo);
  if (ix === undefined) {
    ix = buildIndex(topo);
    indexCache.set(topo, ix);
  }
  return ix;
}

function buildIndex(topo: Topology): Index {
  let maxCpu = 0;
  for (const c of topo.cpus) maxCpu = Math.max(maxCpu, c.id);
  const slots = maxCpu + 1;
  const level = (key: (c: Topology['cpus'][number]) => number): Level => {
    const ids = [...new Set(topo.cpus.map(key))].sort((a, b) => a - b);
    const dense = new Map(ids.map((id, i) => [id, i]));
    const cpus: number[][] = ids.map(() => []);
    const of = new Int32Array(slots).fill(-1);
    for (const c of topo.cpus) {
      const u = dense.get(key(c)) as number;
      of[c.id] = u;
      (cpus[u] as number[]).push(c.id);
    }
    for (const list of cpus) list.sort((a, b) => a - b);
    return { count: ids.length, ids, size: cpus.map((l) => l.length), cpus, of };
  };
  const numa = level((c) => c.numa);
  const socket = level((c) => c.socket);
  const core = level((c) => c.core);
  const uncore = level((c) => c.uncore);
  const nest = (parent: Level, child: Level): Nesting => {
    const pairKey = new Map<number, number>();
    const children: number[][] = parent.ids.map(() => []);
    const pairs: number[][] = parent.ids.map(() => []);
    const pairOf = new Int32Array(slots).fill(-1);
    const found: [number, number, number][] = [];
    for (const c of topo.cpus) {
      const p = parent.of[c.id] as number;
      const ch = child.of[c.id] as number;
      const key = p * child.count + ch;
      let pair = pairKey.get(key);
      if (pair === undefined) {
        pair = pairKey.size;
        pairKey.set(key, pair);
        found.push([p, ch, pair]);
      }
      pairOf[c.id] = pair;
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const simple = found.length === child.count;
    for (const [p, ch, pair] of found) {
      (children[p] as number[]).push(ch);
      (pairs[p] as number[]).push(simple ? ch : pair);
    }
    return { children, pairs, pairOf: simple ? child.of : pairOf, pairCount: pairKey.size, simple };
  };
  return {
    slots,
    pool: [],
    numCpus: topo.cpus.length,
    cpusPerCore: topo.cpusPerCore,
    cpusPerSocket: topo.cpusPerSocket,
    cpusPerUncore: topo.cpusPerUncore,
    numaFirst: topo.numaFirst,
    numa,
    socket,
    core,
    uncore,
    numaSockets: nest(numa, socket),
    socketNumas: nest(socket, numa),
    socketCores: nest(socket, core),
    numaCores: nest(numa, core),
    numaUncores: nest(numa, uncore),
  };
}

// ---------------------------------------------------------------------------------------------
// cpuAccumulator: the free set ("details") as counters per unit and per parent/child pair.

function at(a: ArrayLike<number>, i: number): number {
  return a[i] as number;
}

function bump(a: Int32Array, i: number, d: number): void {
  a[i] = at(a, i) + d;
}

/** The kubelet's `sort`: fewest free CPUs first, ties by ascending id (= dense number). */
function byFree(units: number[], free: Int32Array): number[] {
  return units.sort((a, b) => at(free, a) - at(free, b) || a - b);
}

/** Per-call counters: free flag per CPU id, free CPUs per unit and per non-simple pair. */
interface Buffers {
  readonly free: Uint8Array;
  readonly numa: Int32Array;
  readonly socket: Int32Array;
  readonly core: Int32Array;
  readonly uncore: Int32Array;
  readonly numaSocket: Int32Array;
  readonly socketNuma: Int32Array;
  readonly socketCore: Int32Array;
  readonly numaCore: Int32Array;
  readonly numaUncore: Int32Array;
  /** Pair counters that must be maintained besides the unit counters. */
  readonly extra: readonly (readonly [Int32Array, Int32Array])[];
}

function newBuffers(ix: Index): Buffers {
  const numa = new Int32Array(ix.numa.count);
  const socket = new Int32Array(ix.socket.count);
  const core = new Int32Array(ix.core.count);
  const uncore = new Int32Array(ix.uncore.count);
  const extra: [Int32Array, Int32Array][] = [];
  const pairs = (nest: Nesting, child: Int32Array): Int32Array => {
    if (nest.simple) return child;
    const counts = new Int32Array(nest.pairCount);
    extra.push([counts, nest.pairOf]);
    return counts;
  };
  return {
    free: new Uint8Array(ix.slots),
    numa,
    socket,
    core,
    uncore,
    numaSocket: pairs(ix.numaSockets, socket),
    socketNuma: pairs(ix.socketNumas, numa),
    socketCore: pairs(ix.socketCores, core),
    numaCore: pairs(ix.numaCores, core),
    numaUncore: pairs(ix.numaUncores, uncore),
    extra,
  };
}

/** Runs `body` with a fresh accumulator over `available`, then recycles its buffers. */
function withAccumulator<T>(
  ix: Index,
  available: Iterable<number>,
  n: number,
  body: (acc: Accumulator) => T,
): T {
  const acc = new Accumulator(ix, available, n);
  try {
    return body(acc);
  } finally {
    acc.release();
  }
}

class Accumulator {
  freeCount = 0;
  need: number;
  readonly result: number[] = [];
  readonly b: Buffers;

  constructor(
    readonly ix: Index,
    available: Iterable<number>,
    n: number,
  ) {
    this.b = ix.pool.pop() ?? newBuffers(ix);
    this.need = n;
    // topo.CPUDetails.KeepOnly(available): CPUs unknown to the topology are dropped.
    for (const c of available) {
      if (c >= ix.slots || at(ix.numa.of, c) < 0 || at(this.b.free, c) === 1) continue;
      this.count(c, 1);
    }
  }

  /** Zeroes the buffers and hands them back to the pool; the accumulator is unusable afterwards. */
  release(): void {
    const b = this.b;
    b.free.fill(0);
    b.numa.fill(0);
    b.socket.fill(0);
    b.core.fill(0);
    b.uncore.fill(0);
    for (const [counts] of b.extra) counts.fill(0);
    this.ix.pool.push(b);
  }

  private count(c: number, d: 1 | -1): void {
    const ix = this.ix;
    const b = this.b;
    b.free[c] = d === 1 ? 1 : 0;
    this.freeCount += d;
    bump(b.numa, at(ix.numa.of, c), d);
    bump(b.socket, at(ix.socket.of, c), d);
    bump(b.core, at(ix.core.of, c), d);
    bump(b.uncore, at(ix.uncore.of, c), d);
    for (const [counts, pairOf] of b.extra) bump(counts, at(pairOf, c), d);
  }

  isFree(c: number): boolean {
    return at(this.b.free, c) === 1;
  }

  take(c: number): void {
    this.count(c, -1);
    this.result.push(c);
    this.need--;
  }

  /** Takes the free CPUs among `cpus` (a whole unit). */
  takeAll(cpus: readonly number[]): void {
    for (const c of cpus) if (this.isFree(c)) this.take(c);
  }

  /** Free CPUs among `cpus`, ascending when `cpus` is. */
  freeOf(cpus: readonly number[]): number[] {
    const out: number[] = [];
    for (const c of cpus) if (this.isFree(c)) out.push(c);
    return out;
  }

  isSatisfied(): boolean {
    return this.need < 1;
  }

  isFailed(): boolean {
    return this.need > this.freeCount;
  }

  /** All units of a level that still have a free CPU, sorted. */
  private sortedAll(count: number, free: Int32Array): number[] {
    const out: number[] = [];
    for (let u = 0; u < count; u++) if (at(free, u) > 0) out.push(u);
    return byFree(out, free);
  }

  /**
   * Per parent (in the given order) its children with a free CPU inside that parent, each group
   * sorted by the child's own free count. A child listed under two parents keeps its first place
   * (the kubelet would list it twice; only pathological topologies nest that way).
   */
  private nested(
    parents: readonly number[],
    nest: Nesting,
    pairFree: Int32Array,
    free: Int32Array,
  ): number[] {
    const out: number[] = [];
    const seen = nest.simple ? null : new Uint8Array(free.length);
    for (const p of parents) {
      const children = nest.children[p] as readonly number[];
      const pairs = nest.pairs[p] as readonly number[];
      const group: number[] = [];
      for (let i = 0; i < children.length; i++) {
        const ch = at(children, i);
        if (at(pairFree, at(pairs, i)) <= 0) continue;
        if (seen !== null) {
          if (at(seen, ch) === 1) continue;
          seen[ch] = 1;
        }
        group.push(ch);
      }
      for (const ch of byFree(group, free)) out.push(ch);
    }
    return out;
  }

  sortedNumas(): number[] {
    if (this.ix.numaFirst) return this.sortedAll(this.ix.numa.count, this.b.numa);
    return this.nested(this.sortedSockets(), this.ix.socketNumas, this.b.socketNuma, this.b.numa);
  }

  sortedSockets(): number[] {
    if (this.ix.numaFirst)
      return this.nested(this.sortedNumas(), this.ix.numaSockets, this.b.numaSocket, this.b.socket);
    return this.sortedAll(this.ix.socket.count, this.b.socket);
  }

  sortedCores(): number[] {
    if (this.ix.numaFirst)
      return this.nested(this.sortedSockets(), this.ix.socketCores, this.b.socketCore, this.b.core);
    return this.nested(this.sortedNumas(), this.ix.numaCores, this.b.numaCore, this.b.core);
  }

  sortedUncores(): number[] {
    return this.nested(this.sortedNumas(), this.ix.numaUncores, this.b.numaUncore, this.b.uncore);
  }
}

// ---------------------------------------------------------------------------------------------
// takeByTopologyNUMAPacked

function notEnough(n: number, availableSize: number): Outcome {
  return {
    ok: false,
    error: `not enough cpus available to satisfy request: requested=${n}, available=${availableSize}`,
  };
}

function packed(
  ix: Index,
  available: Iterable<number>,
  availableSize: number,
  n: number,
  spread: boolean,
  preferUncore: boolean,
): Outcome {
  return withAccumulator(ix, available, n, (acc) => packedSteps(acc, availableSize, spread, preferUncore));
}

function packedSteps(
  acc: Accumulator,
  availableSize: number,
  spread: boolean,
  preferUncore: boolean,
): Outcome {
  const ix = acc.ix;
  const n = acc.need;
  if (acc.isSatisfied()) return { ok: true, cpus: acc.result };
  if (acc.isFailed()) return notEnough(n, availableSize);

  // 1. Whole NUMA nodes and sockets, the higher level of the memory hierarchy first.
  if (ix.numaFirst) {
    takeFullNumas(acc);
    if (!acc.isSatisfied()) takeFullSockets(acc);
  } else {
    takeFullSockets(acc);
    if (!acc.isSatisfied()) takeFullNumas(acc);
  }
  if (acc.isSatisfied()) return { ok: true, cpus: acc.result };

  // 2. Whole uncore caches, else the fewest cores that fit in one uncore cache.
  if (preferUncore) {
    takeUncoreCache(acc);
    if (acc.isSatisfied()) return { ok: true, cpus: acc.result };
  }

  // 3. Whole cores (not with the "spread" strategy).
  if (!spread) {
    takeFullCores(acc);
    if (acc.isSatisfied()) return { ok: true, cpus: acc.result };
  }

  // 4. Single CPUs: partially used cores (packed) or sockets (spread) sort first.
  takeRemainingCpus(acc, spread);
  if (acc.isSatisfied()) return { ok: true, cpus: acc.result };
  return { ok: false, error: 'failed to allocate cpus' };
}

/** takeFullNUMANodes: free = all of the node's CPUs free; taken while need >= its size. */
function takeFullNumas(acc: Accumulator): void {
  const { numa } = acc.ix;
  const free = acc.sortedNumas().filter((u) => at(acc.b.numa, u) === at(numa.size, u));
  for (const u of free) {
    if (acc.need >= at(numa.size, u)) acc.takeAll(numa.cpus[u] as readonly number[]);
  }
}

/** takeFullSockets: free = CPUsPerSocket (NumCPUs / NumSockets) CPUs free. */
function takeFullSockets(acc: Accumulator): void {
  const { socket, cpusPerSocket } = acc.ix;
  const free = acc.sortedSockets().filter((u) => at(acc.b.socket, u) === cpusPerSocket);
  for (const u of free) {
    if (acc.need >= at(socket.size, u)) acc.takeAll(socket.cpus[u] as readonly number[]);
  }
}

/** takeFullUncore: every fully free uncore cache, in uncore order, while it fits. */
function takeFullUncores(acc: Accumulator): void {
  const { uncore } = acc.ix;
  const free = acc.sortedUncores().filter((u) => at(acc.b.uncore, u) === at(uncore.size, u));
  for (const u of free) {
    if (acc.need >= at(uncore.size, u)) acc.takeAll(uncore.cpus[u] as readonly number[]);
  }
}

/**
 * takePartialUncore: the lowest-numbered cores of the uncore cache that still have a free CPU,
 * ceil(need / CPUsPerCore) of them; with an odd need on SMT the highest CPU is dropped; taken only
 * if exactly `need` CPUs remain.
 */
function takePartialUncore(acc: Accumulator, u: number): void {
  const { core, uncore, cpusPerCore } = acc.ix;
  const coresNeeded = Math.floor((acc.need + cpusPerCore - 1) / cpusPerCore);
  const cores: number[] = [];
  for (const c of uncore.cpus[u] as readonly number[]) {
    if (acc.isFree(c)) cores.push(at(core.of, c));
  }
  const picked = [...new Set(cores)].sort((a, b) => a - b).slice(0, coresNeeded);
  let cpus: number[] = [];
  for (const k of picked) cpus.push(...acc.freeOf(core.cpus[k] as readonly number[]));
  cpus.sort((a, b) => a - b);
  if (acc.need % 2 !== 0 && cpusPerCore > 1 && cpus.length > acc.need) cpus = cpus.slice(0, -1);
  if (cpus.length !== acc.need) return;
  for (const c of cpus) acc.take(c);
}

/** takeUncoreCache: per uncore cache of the order fixed at the start: full caches, then a partial fit. */
function takeUncoreCache(acc: Accumulator): void {
  const order = acc.sortedUncores();
  for (const u of order) {
    if (acc.need >= acc.ix.cpusPerUncore) takeFullUncores(acc);
    if (acc.isSatisfied()) return;
    takePartialUncore(acc, u);
    if (acc.isSatisfied()) return;
  }
}

/** takeFullCores: free = CPUsPerCore (NumCPUs / NumCores) CPUs free. */
function takeFullCores(acc: Accumulator): void {
  const { core, cpusPerCore } = acc.ix;
  const free = acc.sortedCores().filter((k) => at(acc.b.core, k) === cpusPerCore);
  for (const k of free) {
    if (acc.need >= at(core.size, k)) acc.takeAll(core.cpus[k] as readonly number[]);
  }
}

/** takeRemainingCPUs: the first `need` CPUs of the packed (per core) or spread (per socket) order. */
function takeRemainingCpus(acc: Accumulator, spread: boolean): void {
  const level = spread ? acc.ix.socket : acc.ix.core;
  const order = spread ? acc.sortedSockets() : acc.sortedCores();
  for (const u of order) {
    for (const c of level.cpus[u] as readonly number[]) {
      if (!acc.isFree(c)) continue;
      acc.take(c);
      if (acc.isSatisfied()) return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// takeByTopologyNUMADistributed

/**
 * A Go slice header over a shared backing array: `append` writes in place while len < cap and
 * otherwise copies into a new array of double capacity (growslice for []int below 256 elements;
 * NUMA node lists are at most 64 long). Readers see the array as it is *now*.
 */
interface GoSlice {
  readonly buf: number[];
  readonly cap: number;
  readonly len: number;
}

function goAppend(s: GoSlice, v: number): GoSlice {
  if (s.len < s.cap) {
    s.buf[s.len] = v;
    return { buf: s.buf, cap: s.cap, len: s.len + 1 };
  }
  const buf = s.buf.slice(0, s.len);
  buf.push(v);
  return { buf, cap: s.cap === 0 ? 1 : s.cap * 2, len: s.len + 1 };
}

function goView(s: GoSlice): number[] {
  return s.buf.slice(0, s.len);
}

/** iterateCombinations: all k-subsets of `items` in lexicographic order of positions; f → true breaks. */
function iterateCombinations(items: readonly number[], k: number, f: (combo: GoSlice) => boolean): void {
  if (k < 1) return;
  const helper = (left: number, start: number, accum: GoSlice): boolean => {
    if (left === 0) return f(accum);
    for (let i = start; i <= items.length - left; i++) {
      if (helper(left - 1, i + 1, goAppend(accum, at(items, i)))) return true;
    }
    return false;
  };
  helper(k, 0, { buf: [], cap: 0, len: 0 });
}

/** Population standard deviation; the mean and the result rounded to 3 decimals as in the kubelet. */
function standardDeviation(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = Math.round((sum / xs.length) * 1000) / 1000;
  let sq = 0;
  for (const x of xs) sq += (x - mean) * (x - mean);
  return Math.round(Math.sqrt(sq / xs.length) * 1000) / 1000;
}

function distributed(
  ix: Index,
  available: readonly number[],
  availableSize: number,
  n: number,
  g: number,
  spread: boolean,
): Outcome {
  // Requests that cannot be handed out in whole groups are packed (never with the uncore step).
  if (n % g !== 0) return packed(ix, available, availableSize, n, spread, false);
  const balanced = withAccumulator(ix, available, n, (acc) =>
    distributedSteps(acc, availableSize, g, spread),
  );
  // No combination of NUMA nodes could balance the request: pack over everything.
  return balanced ?? packed(ix, available, availableSize, n, spread, false);
}

/** The NUMA-combination search; null when no combination fits (the caller packs instead). */
function distributedSteps(
  acc: Accumulator,
  availableSize: number,
  g: number,
  spread: boolean,
): Outcome | null {
  const ix = acc.ix;
  const n = acc.need;
  if (acc.isSatisfied()) return { ok: true, cpus: acc.result };
  if (acc.isFailed()) return notEnough(n, availableSize);

  const numas = acc.sortedNumas();
  const position = new Int32Array(ix.numa.count).fill(-1);
  numas.forEach((u, i) => (position[u] = i));
  const freeIn = (u: number) => at(acc.b.numa, u);

  // rangeNUMANodesNeededToSatisfy
  const groups = Math.floor((ix.numCpus - 1) / g) + 1;
  const groupsPerNode = Math.floor((groups - 1) / ix.numa.count) + 1;
  const groupsNeeded = Math.floor((n - 1) / g) + 1;
  const minNumas = Math.floor((groupsNeeded - 1) / groupsPerNode) + 1;
  const maxNumas = Math.min(groupsNeeded, numas.length);

  for (let k = minNumas; k <= maxNumas; k++) {
    // Mutated inside the iteration callbacks (a holder, so TypeScript does not narrow it away).
    const best: { balance: number; remainder: GoSlice | null; combo: GoSlice | null } = {
      balance: Number.MAX_VALUE,
      remainder: null,
      combo: null,
    };
    iterateCombinations(numas, k, (comboSlice) => {
      if (best.balance === 0) return true;
      const combo = goView(comboSlice);
      let cpus = 0;
      let groupCpus = 0;
      for (const u of combo) {
        cpus += freeIn(u);
        groupCpus += Math.floor(freeIn(u) / g) * g;
      }
      if (cpus < n || groupCpus < n) return false;
      const distribution = Math.floor(Math.floor(n / combo.length) / g) * g;
      if (combo.some((u) => freeIn(u) < distribution)) return false;

      // Free CPUs per NUMA node (all nodes with free CPUs) after the even distribution.
      const after = numas.map(freeIn);
      for (const u of combo) after[at(position, u)] = at(after, at(position, u)) - distribution;
      const remainder = n - distribution * combo.length;
      const remainderCombo = combo.filter((u) => at(after, at(position, u)) >= g);

      const local: { balance: number; remainder: GoSlice | null } = {
        balance: Number.MAX_VALUE,
        remainder: null,
      };
      if (remainder === 0) local.balance = standardDeviation(after);
      for (let kk = remainderCombo.length; remainder > 0 && kk >= 1; kk--) {
        iterateCombinations(remainderCombo, kk, (subsetSlice) => {
          const subset = goView(subsetSlice);
          // Whole groups only (v1.37, kubernetes/kubernetes#140730: a raw CPU sum could hang here).
          let groupsFree = 0;
          for (const u of subset) groupsFree += Math.floor(at(after, at(position, u)) / g);
          if (groupsFree * g < remainder) return false;
          const left = after.slice();
          let rest = remainder;
          while (rest > 0) {
            for (const u of subset) {
              if (rest === 0) break;
              const p = at(position, u);
              if (at(left, p) < g) continue;
              left[p] = at(left, p) - g;
              rest -= g;
            }
          }
          const balance = standardDeviation(left);
          if (balance < local.balance) {
            local.balance = balance;
            local.remainder = subsetSlice;
          }
          return false;
        });
      }
      if (local.balance < best.balance) {
        best.balance = local.balance;
        best.remainder = local.remainder;
        best.combo = comboSlice;
      }
      return false;
    });
    if (best.combo === null) continue;

    // The slices are read only now, after the iteration: see the file comment.
    const combo = goView(best.combo);
    const remainderNodes = best.remainder === null ? [] : goView(best.remainder);
    let distribution = Math.floor(Math.floor(n / combo.length) / g) * g;
    // v1.37 (#139778) caps the share at what each node can give; without align-by-socket every node
    // of the chosen combination (aliased or not, it only ever moves to fuller nodes) has enough.
    for (const u of combo) distribution = Math.min(distribution, Math.floor(freeIn(u) / g) * g);
    for (const u of combo) {
      const got = packed(
        ix,
        acc.freeOf(ix.numa.cpus[u] as readonly number[]),
        freeIn(u),
        distribution,
        spread,
        false,
      );
      if (got.ok) for (const c of got.cpus) acc.take(c);
    }
    let remainder = n - distribution * combo.length;
    while (remainder > 0) {
      let progressed = false;
      for (const u of remainderNodes) {
        if (remainder === 0) break;
        if (freeIn(u) < g) continue;
        const got = packed(ix, acc.freeOf(ix.numa.cpus[u] as readonly number[]), freeIn(u), g, spread, false);
        if (got.ok) for (const c of got.cpus) acc.take(c);
        remainder -= g;
        progressed = true;
      }
      // The kubelet would spin here forever; its accounting check below reports the shortfall.
      if (!progressed) break;
    }
    if (acc.need > 0) {
      return { ok: false, error: `accounting error, not enough CPUs allocated, remaining: ${acc.need}` };
    }
    if (acc.need < 0) {
      return { ok: false, error: `accounting error, too many CPUs allocated, remaining: ${acc.need}` };
    }
    return { ok: true, cpus: acc.result };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

function checkCount(n: number): void {
  if (!Number.isInteger(n)) throw new RangeError(`invalid cpu count ${String(n)}`);
}

function toResult(outcome: Outcome): TakeResult {
  return outcome.ok ? { ok: true, cpus: CpuSet.from(outcome.cpus) } : { ok: false, error: outcome.error };
}
