// Tests for src/model/cpu/take-by-topology.ts, the re-implementation of the kubelet's
// pkg/kubelet/cm/cpumanager/cpu_assignment.go. The "kubelet:" cases port the scenarios of
// cpu_assignment_test.go (TestTakeByTopologyNUMAPacked incl. its PreferAlignByUncoreCache cases,
// TestTakeByTopologyWithSpreadPhysicalCPUsPreferredOption, TestTakeByTopologyNUMADistributed) on the
// same machines (policy_test.go) with the same inputs and expected CPUs; the "§11" cases are the
// worked examples of allocator-model.md; the rest are our own.

import type { CpuSet } from '../../../../src/model/cpuset.js';
import { parseCpuList } from '../../../../src/model/cpuset.js';
import type { CpuRecord, Topology } from '../../../../src/model/topology.js';
import { buildTopology, generateCpuRecords } from '../../../../src/model/topology.js';
import type { TakeOptions, TakeResult } from '../../../../src/model/cpu/take-by-topology.js';
import {
  takeByTopology,
  takeByTopologyNumaDistributed,
  takeByTopologyNumaPacked,
} from '../../../../src/model/cpu/take-by-topology.js';

// ---------------------------------------------------------------------------------------------
// Machines. The kubelet's fixtures leave UncoreCacheID (and sometimes NUMANodeID) at Go's zero
// value, so ported machines set uncore 0 explicitly where the kubelet's has no uncore field.

const uncoreZero = (records: CpuRecord[]): CpuRecord[] => records.map((r) => ({ ...r, uncore: 0 }));

/** policy_test.go topoSingleSocketHT: 4 cores, siblings c and c+4. */
const topoSingleSocketHT = buildTopology(
  generateCpuRecords({
    sockets: 1,
    numaNodesPerSocket: 1,
    coresPerSocket: 4,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  }),
);

/** policy_test.go topoDualSocketHT: 12 CPUs, sockets interleaved (even CPUs on socket 0), core = cpu mod 6. */
const topoDualSocketHT = buildTopology(
  Array.from({ length: 12 }, (_, id) => ({ id, core: id % 6, socket: id % 2, numa: id % 2, uncore: 0 })),
);

/** policy_test.go topoDualSocketNoHT: CPUs 0-3 socket 0, 4-7 socket 1. */
const topoDualSocketNoHT = buildTopology(
  uncoreZero(
    generateCpuRecords({
      sockets: 2,
      numaNodesPerSocket: 1,
      coresPerSocket: 4,
      threadsPerCore: 1,
      uncoreCachesPerSocket: 1,
    }),
  ),
);

/** policy_test.go topoDualSocketMultiNumaPerSocketHT (dual Xeon Gold 6230, SNC): NUMA n = 10n..10n+9 (+40). */
const topoDualSocketMultiNumaPerSocketHT = buildTopology(
  uncoreZero(
    generateCpuRecords({
      sockets: 2,
      numaNodesPerSocket: 2,
      coresPerSocket: 20,
      threadsPerCore: 2,
      uncoreCachesPerSocket: 1,
    }),
  ),
);

/** policy_test.go topoDualSocketMultiNumaPerSocketHTLarge (dual EPYC 7742, NPS=4): NUMA n = 16n..16n+15 (+128). */
const topoDualSocketMultiNumaPerSocketHTLarge = buildTopology(
  uncoreZero(
    generateCpuRecords({
      sockets: 2,
      numaNodesPerSocket: 4,
      coresPerSocket: 64,
      threadsPerCore: 2,
      uncoreCachesPerSocket: 1,
    }),
  ),
);

/**
 * policy_test.go topoQuadSocketFourWayHT (Xeon Phi KNL SNC4, from hwloc's lstopo image): 4 sockets
 * = 4 NUMA nodes, 18 cores of 4 threads each. Listed per socket as the threads of each core.
 */
const quadSocketCores: readonly (readonly (readonly number[])[])[] = [
  [
    [0, 169, 109, 229],
    [50, 170, 110, 230],
    [1, 25, 13, 38],
    [2, 26, 14, 39],
    [9, 33, 21, 46],
    [10, 34, 22, 47],
    [57, 177, 117, 237],
    [58, 178, 118, 238],
    [71, 191, 131, 251],
    [72, 192, 132, 252],
    [79, 199, 139, 259],
    [80, 200, 140, 260],
    [87, 207, 147, 267],
    [88, 208, 148, 268],
    [95, 215, 155, 275],
    [96, 216, 156, 276],
    [103, 223, 163, 283],
    [104, 224, 164, 284],
  ],
  [
    [3, 27, 15, 40],
    [4, 28, 16, 41],
    [11, 35, 23, 48],
    [12, 36, 24, 49],
    [51, 171, 111, 231],
    [52, 172, 112, 232],
    [59, 179, 119, 239],
    [60, 180, 120, 240],
    [65, 185, 125, 245],
    [66, 186, 126, 246],
    [73, 193, 133, 253],
    [74, 194, 134, 254],
    [81, 201, 141, 261],
    [82, 202, 142, 262],
    [89, 209, 149, 269],
    [90, 210, 150, 270],
    [97, 217, 157, 277],
    [98, 218, 158, 278],
  ],
  [
    [5, 29, 17, 42],
    [6, 30, 18, 43],
    [53, 173, 113, 233],
    [54, 174, 114, 234],
    [61, 181, 121, 241],
    [62, 182, 122, 242],
    [67, 187, 127, 247],
    [68, 188, 128, 248],
    [75, 195, 135, 255],
    [76, 196, 136, 256],
    [83, 203, 143, 263],
    [84, 204, 144, 264],
    [91, 211, 151, 271],
    [92, 212, 152, 272],
    [99, 219, 159, 279],
    [100, 220, 160, 280],
    [105, 225, 165, 285],
    [106, 226, 166, 286],
  ],
  [
    [7, 31, 19, 44],
    [8, 32, 20, 45],
    [37, 168, 108, 228],
    [107, 227, 167, 287],
    [55, 175, 115, 235],
    [56, 176, 116, 236],
    [63, 183, 123, 243],
    [64, 184, 124, 244],
    [69, 189, 129, 249],
    [70, 190, 130, 250],
    [77, 197, 137, 257],
    [78, 198, 138, 258],
    [85, 205, 145, 265],
    [86, 206, 146, 266],
    [93, 213, 153, 273],
    [94, 214, 154, 274],
    [101, 221, 161, 281],
    [102, 222, 162, 282],
  ],
];
const topoQuadSocketFourWayHT = buildTopology(
  quadSocketCores.flatMap((cores, socket) =>
    cores.flatMap((threads, core) => threads.map((id) => ({ id, core, socket, numa: socket, uncore: 0 }))),
  ),
);

/** Reconstructed from its cases: 16 CPUs, 1 socket, 1 NUMA node, 4 uncore caches of 4 CPUs, no SMT. */
const topoUncoreSingleSocketNoSMT = buildTopology(
  Array.from({ length: 16 }, (_, id) => ({ id, core: id, socket: 0, numa: 0, uncore: Math.floor(id / 4) })),
);

/** policy_test.go topoUncoreDualSocketNoSMT: 2 sockets = 2 NUMA nodes of 8 CPUs, 2 uncore caches each. */
const topoUncoreDualSocketNoSMT = buildTopology(
  generateCpuRecords({
    sockets: 2,
    numaNodesPerSocket: 1,
    coresPerSocket: 8,
    threadsPerCore: 1,
    uncoreCachesPerSocket: 2,
  }),
);

/** policy_test.go topoUncoreSingleSocketMultiNuma: 1 socket, NUMA 0 = 0-7, NUMA 1 = 8-15, 4 uncore caches. */
const topoUncoreSingleSocketMultiNuma = buildTopology(
  generateCpuRecords({
    sockets: 1,
    numaNodesPerSocket: 2,
    coresPerSocket: 16,
    threadsPerCore: 1,
    uncoreCachesPerSocket: 4,
  }),
);

/** policy_test.go topoUncoreSingleSocketSMT: 8 cores, siblings c and c+8, uncore 0 = cores 0-3, 1 = cores 4-7. */
const topoUncoreSingleSocketSMT = buildTopology(
  generateCpuRecords({
    sockets: 1,
    numaNodesPerSocket: 1,
    coresPerSocket: 8,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 2,
  }),
);

/** allocator-model §11: 2 sockets × 16 cores × 2 threads, NUMA = socket, one L3 per socket; sibling of c is c+32. */
const dualSocketHT = buildTopology(
  generateCpuRecords({
    sockets: 2,
    numaNodesPerSocket: 1,
    coresPerSocket: 16,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  }),
);

/** Quad socket, NUMA = socket (numaFirst): socket s = 4s..4s+3 and 16+4s..16+4s+3. */
const quadSocketHT = buildTopology(
  generateCpuRecords({
    sockets: 4,
    numaNodesPerSocket: 1,
    coresPerSocket: 4,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  }),
);

/** Sub-NUMA clustering, socketsFirst: 2 sockets × 2 NUMA nodes × 4 cores × 2 threads; NUMA n = 4n..4n+3 (+16). */
const sncDualSocketHT = buildTopology(
  generateCpuRecords({
    sockets: 2,
    numaNodesPerSocket: 2,
    coresPerSocket: 8,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  }),
);

/** AMD-like: 1 socket, 16 cores SMT2, 4 uncore caches (CCX) of 4 cores: uncore u = 4u..4u+3 and 16+4u..16+4u+3. */
const amdSingleSocketSMTUncore = buildTopology(
  generateCpuRecords({
    sockets: 1,
    numaNodesPerSocket: 1,
    coresPerSocket: 16,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 4,
  }),
);

/** No SMT: 8 cores on one socket. */
const singleSocketNoSMT = buildTopology(
  generateCpuRecords({
    sockets: 1,
    numaNodesPerSocket: 1,
    coresPerSocket: 8,
    threadsPerCore: 1,
    uncoreCachesPerSocket: 1,
  }),
);

/** The benchmark machine: 512 CPUs, 2 sockets × 4 NUMA nodes × 32 cores × 2 threads, 8 L3 per socket. */
const bigNode512 = buildTopology(
  generateCpuRecords({
    sockets: 2,
    numaNodesPerSocket: 4,
    coresPerSocket: 128,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 8,
  }),
);

describe('machine fixtures', () => {
  it.each([
    { name: 'topoDualSocketHT', machine: topoDualSocketHT, cpus: '0-11', perCore: 2, numaFirst: true },
    {
      name: 'topoQuadSocketFourWayHT',
      machine: topoQuadSocketFourWayHT,
      cpus: '0-287',
      perCore: 4,
      numaFirst: true,
    },
    {
      name: 'topoDualSocketMultiNumaPerSocketHT',
      machine: topoDualSocketMultiNumaPerSocketHT,
      cpus: '0-79',
      perCore: 2,
      numaFirst: false,
    },
    { name: 'sncDualSocketHT', machine: sncDualSocketHT, cpus: '0-31', perCore: 2, numaFirst: false },
    { name: 'bigNode512', machine: bigNode512, cpus: '0-511', perCore: 2, numaFirst: false },
  ])('$name has the layout its cases assume', ({ machine, cpus, perCore, numaFirst }) => {
    expect(machine.all.toString()).toBe(cpus);
    expect(machine.cpusPerCore).toBe(perCore);
    expect(machine.numaFirst).toBe(numaFirst);
  });
});

// ---------------------------------------------------------------------------------------------
// Case types and checks.

type Expect = string | { readonly error: string };

interface PackedCase {
  readonly name: string;
  readonly machine: Topology;
  readonly available: string;
  readonly n: number;
  readonly spread?: boolean;
  readonly preferUncore?: boolean;
  readonly expect: Expect;
}

interface DistributedCase {
  readonly name: string;
  readonly machine: Topology;
  readonly available: string;
  readonly n: number;
  readonly groupSize: number;
  readonly spread?: boolean;
  readonly expect: Expect;
}

interface DispatchCase {
  readonly name: string;
  readonly machine: Topology;
  readonly available: string;
  readonly n: number;
  readonly opts: TakeOptions;
  readonly expect: Expect;
}

/** Compares with the expected canonical cpuset (or error) and checks result ⊆ available, |result| = n. */
function check(result: TakeResult, available: CpuSet, n: number, expected: Expect): void {
  if (typeof expected !== 'string') {
    expect(result).toEqual({ ok: false, error: expected.error });
    return;
  }
  if (!result.ok) throw new Error(`unexpected error: ${result.error}`);
  expect(result.cpus.toString()).toBe(parseCpuList(expected).toString());
  expect(result.cpus.isSubsetOf(available)).toBe(true);
  expect(result.cpus.size).toBe(n);
}

const packedOptions: TakeOptions = {
  distributeAcrossNuma: false,
  cpuGroupSize: 1,
  spread: false,
  preferUncore: false,
};

// ---------------------------------------------------------------------------------------------
// cpu_assignment_test.go commonTakeByTopologyTestCases: run by both allocators (group size 1).

interface CommonCase {
  readonly name: string;
  readonly machine: Topology;
  readonly available: string;
  readonly n: number;
  readonly expect: Expect;
}

const commonCases: readonly CommonCase[] = [
  {
    name: 'kubelet: take more cpus than are available from single socket with HT',
    machine: topoSingleSocketHT,
    available: '0,2,4,6',
    n: 5,
    expect: { error: 'not enough cpus available to satisfy request: requested=5, available=4' },
  },
  {
    name: 'kubelet: take zero cpus from single socket with HT',
    machine: topoSingleSocketHT,
    available: '0-7',
    n: 0,
    expect: '',
  },
  {
    name: 'kubelet: take one cpu from single socket with HT',
    machine: topoSingleSocketHT,
    available: '0-7',
    n: 1,
    expect: '0',
  },
  {
    name: 'kubelet: take one cpu from single socket with HT, some cpus are taken',
    machine: topoSingleSocketHT,
    available: '1,3,5-7',
    n: 1,
    expect: '6',
  },
  {
    name: 'kubelet: take two cpus from single socket with HT',
    machine: topoSingleSocketHT,
    available: '0-7',
    n: 2,
    expect: '0,4',
  },
  {
    name: 'kubelet: take all cpus from single socket with HT',
    machine: topoSingleSocketHT,
    available: '0-7',
    n: 8,
    expect: '0-7',
  },
  {
    name: 'kubelet: take two cpus from single socket with HT, only one core totally free',
    machine: topoSingleSocketHT,
    available: '0-3,6',
    n: 2,
    expect: '2,6',
  },
  {
    name: 'kubelet: take a socket of cpus from dual socket with HT',
    machine: topoDualSocketHT,
    available: '0-11',
    n: 6,
    expect: '0,2,4,6,8,10',
  },
  {
    name: 'kubelet: take a socket of cpus from dual socket with multi-numa-per-socket with HT',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 40,
    expect: '0-19,40-59',
  },
  {
    name: 'kubelet: take a NUMA node of cpus from dual socket with multi-numa-per-socket with HT',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 20,
    expect: '0-9,40-49',
  },
  {
    name: 'kubelet: take a NUMA node of cpus from dual socket with multi-numa-per-socket with HT, with 1 NUMA node already taken',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '10-39,50-79',
    n: 20,
    expect: '10-19,50-59',
  },
  {
    name: 'kubelet: take a socket and a NUMA node of cpus from dual socket with multi-numa-per-socket with HT',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 60,
    expect: '0-29,40-69',
  },
  {
    name: 'kubelet: take a socket and a NUMA node of cpus from dual socket with multi-numa-per-socket with HT, a core taken',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '1-39,41-79',
    n: 60,
    expect: '10-39,50-79',
  },
];

// ---------------------------------------------------------------------------------------------
// Packed allocator.

const packedCases: readonly PackedCase[] = [
  ...commonCases.map((c) => ({ ...c, name: `packed, ${c.name}` })),
  // TestTakeByTopologyNUMAPacked
  {
    name: 'packed, kubelet: take one cpu from dual socket with HT - core from Socket 0',
    machine: topoDualSocketHT,
    available: '1-5,7-11',
    n: 1,
    expect: '2',
  },
  {
    name: 'packed, kubelet: allocate 4 full cores with 3 coming from the first NUMA node (filling it up) and 1 coming from the second NUMA node',
    machine: topoDualSocketHT,
    available: '0-11',
    n: 8,
    expect: '0,6,2,8,4,10,1,7',
  },
  {
    name: 'packed, kubelet: allocate 32 full cores with 30 coming from the first 3 NUMA nodes (filling them up) and 2 coming from the fourth NUMA node',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 64,
    expect: '0-29,40-69,30,31,70,71',
  },
  // TestTakeByTopologyNUMAPacked, "Test cases for PreferAlignByUncoreCache"
  {
    name: 'packed+uncore, kubelet: take cpus from two full UncoreCaches and partial from a single UncoreCache',
    machine: topoUncoreSingleSocketNoSMT,
    available: '1-15',
    n: 10,
    preferUncore: true,
    expect: '1,2,4-11',
  },
  {
    name: 'packed+uncore, kubelet: take one cpu from dual socket with HT - core from Socket 0 (one uncore spans both sockets, lowest core wins)',
    machine: topoDualSocketHT,
    available: '1-5,7-11',
    n: 1,
    preferUncore: true,
    expect: '1',
  },
  {
    name: 'packed+uncore, kubelet: take first available UncoreCache from first socket',
    machine: topoUncoreDualSocketNoSMT,
    available: '0-15',
    n: 4,
    preferUncore: true,
    expect: '0-3',
  },
  {
    name: 'packed+uncore, kubelet: take all available UncoreCache from first socket',
    machine: topoUncoreDualSocketNoSMT,
    available: '2-15',
    n: 6,
    preferUncore: true,
    expect: '2-7',
  },
  {
    name: 'packed+uncore, kubelet: take first available UncoreCache from second socket',
    machine: topoUncoreDualSocketNoSMT,
    available: '8-15',
    n: 4,
    preferUncore: true,
    expect: '8-11',
  },
  {
    name: 'packed+uncore, kubelet: take first available UncoreCache from available NUMA',
    machine: topoUncoreSingleSocketMultiNuma,
    available: '3,4-8,12',
    n: 2,
    preferUncore: true,
    expect: '4,5',
  },
  {
    name: 'packed+uncore, kubelet: take cpus from best available UncoreCache group of multi uncore cache single socket - SMT enabled',
    machine: topoUncoreSingleSocketSMT,
    available: '2-3,10-11,4-7,12-15',
    n: 6,
    preferUncore: true,
    expect: '4-6,12-14',
  },
  {
    name: 'packed+uncore, kubelet: take cpus from multiple UncoreCache of single socket - SMT enabled',
    machine: topoUncoreSingleSocketSMT,
    available: '1-7,9-15',
    n: 10,
    preferUncore: true,
    expect: '4-7,12-15,1,9',
  },
  // TestTakeByTopologyWithSpreadPhysicalCPUsPreferredOption
  {
    name: 'spread, kubelet: take a socket of cpus from single socket with HT, 3 cpus',
    machine: topoSingleSocketHT,
    available: '0-7',
    n: 3,
    spread: true,
    expect: '0-2',
  },
  {
    name: 'spread, kubelet: take a socket of cpus from dual socket with HT, 2 cpus',
    machine: topoDualSocketHT,
    available: '0-11',
    n: 2,
    spread: true,
    expect: '0,2',
  },
  {
    name: 'spread, kubelet: take a socket of cpus from dual socket with HT, 3 cpus',
    machine: topoDualSocketHT,
    available: '0-11',
    n: 3,
    spread: true,
    expect: '0,2,4',
  },
  {
    name: 'spread, kubelet: take a socket of cpus from dual socket with HT, 6 cpus',
    machine: topoDualSocketHT,
    available: '0-11',
    n: 6,
    spread: true,
    expect: '0,2,4,6,8,10',
  },
  {
    name: 'spread, kubelet: take cpus from dual socket with HT, 8 cpus',
    machine: topoDualSocketHT,
    available: '0-11',
    n: 8,
    spread: true,
    expect: '0,2,4,6,8,10,1,3',
  },
  {
    name: 'spread, kubelet: take a socket of cpus from dual socket without HT, 2 cpus',
    machine: topoDualSocketNoHT,
    available: '0-7',
    n: 2,
    spread: true,
    expect: '0,1',
  },
  {
    name: 'spread, kubelet: take a socket of cpus from dual socket with multi numa per socket and HT, 8 cpus',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 8,
    spread: true,
    expect: '0-7',
  },
  {
    name: 'spread, kubelet: take a socket of cpus from quad socket four way with HT, 12 cpus',
    machine: topoQuadSocketFourWayHT,
    available: '0-287',
    n: 12,
    spread: true,
    expect: '0-2,9-10,13-14,21-22,25-26,33',
  },
  // allocator-model §11
  {
    name: 'packed, §11 seed 1: the 8-cpu pod pool from NUMA 0 minus reserved cpu 0 takes whole cores 1-4',
    machine: dualSocketHT,
    available: '1-15,32-47',
    n: 8,
    expect: '1-4,33-36',
  },
  {
    name: 'packed, §11 seed 1: the 6-cpu database slice of pool 1-4,33-36 takes whole cores 1-3',
    machine: dualSocketHT,
    available: '1-4,33-36',
    n: 6,
    expect: '1-3,33-35',
  },
  {
    name: 'packed, §11 seed 1 variant: a 1-cpu sidecar takes cpu 1 (no whole core fits, core 1 sorts first)',
    machine: dualSocketHT,
    available: '1-4,33-36',
    n: 1,
    expect: '1',
  },
  {
    name: 'packed, §11 seed 1 variant: the next 1-cpu sidecar takes sibling 33 of the half-used core 1',
    machine: dualSocketHT,
    available: '2-4,33-36',
    n: 1,
    expect: '33',
  },
  {
    name: 'packed, §11 seed 2: 3 cpus take whole core 1 then cpu 32 of the half-reserved core 0',
    machine: dualSocketHT,
    available: '1-15,32-47',
    n: 3,
    expect: '1,32,33',
  },
  {
    name: 'spread, §11 seed 2 with distribute-cpus-across-cores: 3 cpus are the 3 lowest of the socket',
    machine: dualSocketHT,
    available: '1-15,32-47',
    n: 3,
    spread: true,
    expect: '1-3',
  },
  {
    name: 'packed, dual socket HT, 4 cpus from a fresh socket take two whole cores 1,33,2,34',
    machine: dualSocketHT,
    available: '1-63',
    n: 4,
    expect: '1,2,33,34',
  },
  {
    name: 'packed, dual socket HT, 40 cpus take the fresh socket 1 whole, then 4 whole cores of socket 0',
    machine: dualSocketHT,
    available: '1-63',
    n: 40,
    expect: '1-4,16-31,33-36,48-63',
  },
  // Our own: quad socket (numaFirst), SNC (socketsFirst), AMD-like uncore caches, no SMT.
  {
    name: 'packed, quad socket HT, 2 cpus take a whole core of the partly used socket 0 (fewest free first)',
    machine: quadSocketHT,
    available: '1-31',
    n: 2,
    expect: '1,17',
  },
  {
    name: 'packed, quad socket HT, 1 cpu fills the half-used core 0 first',
    machine: quadSocketHT,
    available: '1-31',
    n: 1,
    expect: '16',
  },
  {
    name: 'packed, quad socket HT, 16 cpus take two whole free sockets (NUMA nodes), fewest-free order then ids',
    machine: quadSocketHT,
    available: '1-31',
    n: 16,
    expect: '4-11,20-27',
  },
  {
    name: 'spread, quad socket HT, 3 cpus come from the partly used socket 0 in id order',
    machine: quadSocketHT,
    available: '1-31',
    n: 3,
    expect: '1-3',
    spread: true,
  },
  {
    name: 'packed, SNC dual socket (socketsFirst), 16 cpus take the whole socket 0',
    machine: sncDualSocketHT,
    available: '0-31',
    n: 16,
    expect: '0-7,16-23',
  },
  {
    name: 'packed, SNC dual socket (socketsFirst), 8 cpus take NUMA 1 of the partly used socket 0 before the fresh socket 1',
    machine: sncDualSocketHT,
    available: '1-31',
    n: 8,
    expect: '4-7,20-23',
  },
  {
    name: 'packed, SNC dual socket (socketsFirst), 24 cpus take the fresh socket 1 and then NUMA 1 of socket 0',
    machine: sncDualSocketHT,
    available: '1-31',
    n: 24,
    expect: '4-15,20-31',
  },
  {
    name: 'packed+uncore, SNC with one L3 per socket, 4 cpus: the partial fit in socket 0 (cores 0,1 = 3 free cpus) misses, so socket 1 is used',
    machine: sncDualSocketHT,
    available: '1-31',
    n: 4,
    preferUncore: true,
    expect: '8-9,24-25',
  },
  {
    name: 'packed, SNC with one L3 per socket, 4 cpus without the uncore step take whole cores 1,2 of the partly used NUMA 0',
    machine: sncDualSocketHT,
    available: '1-31',
    n: 4,
    expect: '1-2,17-18',
  },
  {
    name: 'packed+uncore, AMD-like 4 uncores, 8 cpus with cpu 0 used take the whole uncore cache 1',
    machine: amdSingleSocketSMTUncore,
    available: '1-31',
    n: 8,
    preferUncore: true,
    expect: '4-7,20-23',
  },
  {
    name: 'packed, AMD-like 4 uncores, 8 cpus with cpu 0 used take whole cores 1-4 across two uncore caches',
    machine: amdSingleSocketSMTUncore,
    available: '1-31',
    n: 8,
    expect: '1-4,17-20',
  },
  {
    name: 'packed+uncore, AMD-like 4 uncores, 6 cpus skip uncore 0 (only 4 free cpus) and fit in 3 cores of uncore 1',
    machine: amdSingleSocketSMTUncore,
    available: '0-1,4-17,20-31',
    n: 6,
    preferUncore: true,
    expect: '4-6,20-22',
  },
  {
    name: 'packed, AMD-like 4 uncores, 6 cpus without the uncore step take whole cores 0,1,4',
    machine: amdSingleSocketSMTUncore,
    available: '0-1,4-17,20-31',
    n: 6,
    expect: '0-1,4,16-17,20',
  },
  {
    name: 'packed+uncore, AMD-like 4 uncores, an odd 3-cpu request drops the last thread of the second core',
    machine: amdSingleSocketSMTUncore,
    available: '0-31',
    n: 3,
    preferUncore: true,
    expect: '0-1,16',
  },
  {
    name: 'packed+uncore, AMD-like 4 uncores, 20 cpus take two whole uncore caches and 2 cores of the third',
    machine: amdSingleSocketSMTUncore,
    available: '0-31',
    n: 20,
    preferUncore: true,
    expect: '0-9,16-25',
  },
  {
    name: 'packed, no SMT, 3 cpus are 3 whole single-thread cores',
    machine: singleSocketNoSMT,
    available: '0-7',
    n: 3,
    expect: '0-2',
  },
  {
    name: 'packed, no SMT, cpus outside the topology are ignored (the kubelet keeps only known CPUs)',
    machine: singleSocketNoSMT,
    available: '5-9',
    n: 3,
    expect: '5-7',
  },
  {
    name: 'packed, no SMT, cpus outside the topology do not count as available but are reported in the error',
    machine: singleSocketNoSMT,
    available: '6-9',
    n: 3,
    expect: { error: 'not enough cpus available to satisfy request: requested=3, available=4' },
  },
];

describe('takeByTopologyNumaPacked', () => {
  it.each(packedCases)('$name', (tc) => {
    const available = parseCpuList(tc.available);
    const result = takeByTopologyNumaPacked(
      tc.machine,
      available,
      tc.n,
      tc.spread ?? false,
      tc.preferUncore ?? false,
    );
    check(result, available, tc.n, tc.expect);
  });
});

// ---------------------------------------------------------------------------------------------
// Distributed allocator.

const distributedCases: readonly DistributedCase[] = [
  ...commonCases.map((c) => ({ ...c, name: `distributed, ${c.name}`, groupSize: 1 })),
  // commonTakeByTopologyExtendedTestCases
  {
    name: 'distributed, kubelet: allocate 4 full cores with 2 distributed across each NUMA node',
    machine: topoDualSocketHT,
    available: '0-11',
    n: 8,
    groupSize: 1,
    expect: '0,6,2,8,1,7,3,9',
  },
  {
    name: 'distributed, kubelet: allocate 32 full cores with 8 distributed across each NUMA node',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 64,
    groupSize: 1,
    expect: '0-7,10-17,20-27,30-37,40-47,50-57,60-67,70-77',
  },
  {
    name: 'distributed, kubelet: allocate 24 full cores with 8 distributed across the first 3 NUMA nodes',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 48,
    groupSize: 1,
    expect: '0-7,10-17,20-27,40-47,50-57,60-67',
  },
  {
    name: 'distributed, kubelet: allocate 24 full cores with 8 distributed across the first 3 NUMA nodes (taking all but 2 from the first NUMA node)',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '1-29,32-39,41-69,72-79',
    n: 48,
    groupSize: 1,
    expect: '1-8,10-17,20-27,41-48,50-57,60-67',
  },
  {
    name: 'distributed, kubelet: allocate 24 full cores with 8 distributed across the last 3 NUMA nodes (even though all 8 could be allocated from the first NUMA node)',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '2-29,31-39,42-69,71-79',
    n: 48,
    groupSize: 1,
    expect: '10-17,20-27,31-38,50-57,60-67,71-78',
  },
  {
    name: 'distributed, kubelet: allocate 8 full cores with 2 distributed across each NUMA node',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-2,10-12,20-22,30-32,40-41,50-51,60-61,70-71',
    n: 16,
    groupSize: 1,
    expect: '0-1,10-11,20-21,30-31,40-41,50-51,60-61,70-71',
  },
  // TestTakeByTopologyNUMADistributed
  {
    name: 'distributed, kubelet: take one cpu from dual socket with HT - core from Socket 0 (the fuller NUMA node 1 balances better)',
    machine: topoDualSocketHT,
    available: '1-5,7-11',
    n: 1,
    groupSize: 1,
    expect: '1',
  },
  {
    name: 'distributed, kubelet: take one cpu from dual socket with HT - core from Socket 0 - cpuGroupSize 2 (odd request: packed)',
    machine: topoDualSocketHT,
    available: '1-5,7-11',
    n: 1,
    groupSize: 2,
    expect: '2',
  },
  {
    name: 'distributed, kubelet: allocate 13 full cores distributed across the first 2 NUMA nodes',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 26,
    groupSize: 1,
    expect: '0-6,10-16,40-45,50-55',
  },
  {
    name: 'distributed, kubelet: allocate 13 full cores distributed across the first 2 NUMA nodes (cpuGroupSize 2)',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 26,
    groupSize: 2,
    expect: '0-6,10-15,40-46,50-55',
  },
  {
    name: 'distributed, kubelet: allocate 31 full cores with 15 CPUs distributed across each NUMA node and 1 CPU spilling over to each of NUMA 0, 1',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 62,
    groupSize: 1,
    expect: '0-7,10-17,20-27,30-37,40-47,50-57,60-66,70-76',
  },
  {
    name: 'distributed, kubelet: allocate 31 full cores with 14 CPUs distributed across each NUMA node and 2 CPUs spilling over to each of NUMA 0, 1, 2 (cpuGroupSize 2)',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 62,
    groupSize: 2,
    expect: '0-7,10-17,20-27,30-36,40-47,50-57,60-67,70-76',
  },
  {
    name: 'distributed, kubelet: allocate 31 full cores with 15 CPUs distributed across each NUMA node and 1 CPU spilling over to each of NUMA 2, 3 (to keep balance)',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-8,10-18,20-39,40-48,50-58,60-79',
    n: 62,
    groupSize: 1,
    expect: '0-7,10-17,20-27,30-37,40-46,50-56,60-67,70-77',
  },
  {
    name: 'distributed, kubelet: allocate 31 full cores with 14 CPUs distributed across each NUMA node and 2 CPUs spilling over to each of NUMA 0, 2, 3 (to keep balance with cpuGroupSize 2)',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-8,10-18,20-39,40-48,50-58,60-79',
    n: 62,
    groupSize: 2,
    expect: '0-7,10-16,20-27,30-37,40-47,50-56,60-67,70-77',
  },
  {
    name: 'distributed, kubelet: ensure bestRemainder chosen with NUMA nodes that have enough CPUs to satisfy the request',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-3,10-13,20-23,30-36,40-43,50-53,60-63,70-76',
    n: 34,
    groupSize: 1,
    expect: '0-3,10-13,20-23,30-34,40-43,50-53,60-63,70-74',
  },
  {
    name: 'distributed, kubelet: ensure previous failure encountered on live machine has been fixed (1/1)',
    machine: topoDualSocketMultiNumaPerSocketHTLarge,
    available:
      '0,128,30,31,158,159,43-47,171-175,62,63,190,191,75-79,203-207,94,96,222,223,101-111,229-239,126,127,254,255',
    n: 28,
    groupSize: 1,
    expect: '43-47,75-79,96,101-105,171-174,203-206,229-232',
  },
  {
    name: 'distributed, kubelet #140730: cpuGroupSize 2 terminates when per-NUMA availability is not a multiple of the group size',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-4,10-14,20-24,30-34',
    n: 14,
    groupSize: 2,
    expect: '0-3,10-13,20-23,30-31',
  },
  // Our own.
  {
    name: 'distributed, no SMT dual socket, 4 cpus fit one NUMA node: the first of two equally balanced nodes',
    machine: topoDualSocketNoHT,
    available: '0-7',
    n: 4,
    groupSize: 1,
    expect: '0-3',
  },
  {
    name: 'distributed, no SMT dual socket, 6 cpus are split 3 + 3',
    machine: topoDualSocketNoHT,
    available: '0-7',
    n: 6,
    groupSize: 1,
    expect: '0-2,4-6',
  },
  {
    name: 'distributed, §11 machine, 8 cpus fit one NUMA node: the fuller NUMA 1 balances the free CPUs better',
    machine: dualSocketHT,
    available: '1-63',
    n: 8,
    groupSize: 2,
    expect: '16-19,48-51',
  },
  {
    name: 'distributed, §11 machine, 40 cpus in whole cores are 20 + 20 across both NUMA nodes',
    machine: dualSocketHT,
    available: '1-63',
    n: 40,
    groupSize: 2,
    expect: '1-10,16-25,33-42,48-57',
  },
  {
    name: 'distributed, 512-cpu 8-NUMA node, 200 cpus over 4 nodes: Go slice aliasing makes the kubelet use NUMA 0,1,2,7 (kubernetes#141237)',
    machine: bigNode512,
    available: '0-511',
    n: 200,
    groupSize: 1,
    expect: '0-24,32-56,64-88,224-248,256-280,288-312,320-344,480-504',
  },
  {
    name: 'distributed, not enough cpus',
    machine: dualSocketHT,
    available: '1-7',
    n: 8,
    groupSize: 2,
    expect: { error: 'not enough cpus available to satisfy request: requested=8, available=7' },
  },
];

describe('takeByTopologyNumaDistributed', () => {
  it.each(distributedCases)('$name', (tc) => {
    const available = parseCpuList(tc.available);
    const result = takeByTopologyNumaDistributed(
      tc.machine,
      available,
      tc.n,
      tc.groupSize,
      tc.spread ?? false,
    );
    check(result, available, tc.n, tc.expect);
  });
});

// ---------------------------------------------------------------------------------------------
// takeByTopology dispatch (policy_static.go).

const dispatchCases: readonly DispatchCase[] = [
  {
    name: 'dispatch: no options is the packed allocator',
    machine: dualSocketHT,
    available: '1-15,32-47',
    n: 3,
    opts: packedOptions,
    expect: '1,32,33',
  },
  {
    name: 'dispatch: distribute-cpus-across-cores is packed with spread sorting',
    machine: dualSocketHT,
    available: '1-15,32-47',
    n: 3,
    opts: { ...packedOptions, spread: true },
    expect: '1-3',
  },
  {
    name: 'dispatch: prefer-align-cpus-by-uncorecache adds the uncore step',
    machine: amdSingleSocketSMTUncore,
    available: '1-31',
    n: 8,
    opts: { ...packedOptions, preferUncore: true },
    expect: '4-7,20-23',
  },
  {
    name: 'dispatch: distribute-cpus-across-numa is the distributed allocator',
    machine: topoDualSocketMultiNumaPerSocketHT,
    available: '0-79',
    n: 26,
    opts: { ...packedOptions, distributeAcrossNuma: true },
    expect: '0-6,10-16,40-45,50-55',
  },
  {
    name: 'dispatch: the distributed allocator ignores prefer-align-cpus-by-uncorecache',
    machine: amdSingleSocketSMTUncore,
    available: '1-31',
    n: 8,
    opts: { distributeAcrossNuma: true, cpuGroupSize: 2, spread: false, preferUncore: true },
    expect: '1-4,17-20',
  },
  {
    name: 'dispatch: full-pcpus-only group size 2 with an odd request falls back to packed',
    machine: topoDualSocketHT,
    available: '1-5,7-11',
    n: 1,
    opts: { ...packedOptions, distributeAcrossNuma: true, cpuGroupSize: 2 },
    expect: '2',
  },
];

describe('takeByTopology', () => {
  it.each(dispatchCases)('$name', (tc) => {
    const available = parseCpuList(tc.available);
    check(takeByTopology(tc.machine, available, tc.n, tc.opts), available, tc.n, tc.expect);
  });

  it('rejects a fractional cpu count and a group size below 1 (programming errors)', () => {
    expect(() => takeByTopologyNumaPacked(dualSocketHT, dualSocketHT.all, 1.5, false, false)).toThrow(
      RangeError,
    );
    expect(() => takeByTopologyNumaDistributed(dualSocketHT, dualSocketHT.all, 2, 0, false)).toThrow(
      RangeError,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Pathology guard: 2,000 mixed calls on the 512-CPU, 8-NUMA benchmark machine. No timing
// assertion; it must complete, and every result must be a fresh subset of the right size.

/** Deterministic LCG (numerical recipes constants). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('mixed workload on a 512-cpu 8-NUMA node', () => {
  it('completes 2,000 mixed calls with valid results', () => {
    const rand = lcg(42);
    const variants: readonly TakeOptions[] = [
      packedOptions,
      { ...packedOptions, spread: true },
      { ...packedOptions, preferUncore: true },
      { ...packedOptions, distributeAcrossNuma: true },
      { ...packedOptions, distributeAcrossNuma: true, cpuGroupSize: 2 },
    ];
    let free = bigNode512.all;
    const held: CpuSet[] = [];
    let failures = 0;
    for (let i = 0; i < 2000; i++) {
      const opts = variants[i % variants.length] as TakeOptions;
      const r = rand();
      const n =
        r < 0.6
          ? 1 + Math.floor(rand() * 8)
          : r < 0.9
            ? 2 * (1 + Math.floor(rand() * 16))
            : 64 + Math.floor(rand() * 128);
      const result = takeByTopology(bigNode512, free, n, opts);
      if (result.ok) {
        expect(result.cpus.size).toBe(n);
        expect(result.cpus.isSubsetOf(free)).toBe(true);
        free = free.difference(result.cpus);
        held.push(result.cpus);
      } else {
        failures++;
        expect(n).toBeGreaterThan(free.size);
      }
      // Release an earlier allocation now and then, so the free set fragments.
      if (held.length > 0 && (rand() < 0.45 || free.size < 64)) {
        const k = Math.floor(rand() * held.length);
        free = free.union(held.splice(k, 1)[0] as CpuSet);
      }
    }
    expect(failures).toBeLessThan(2000);
  });
});
