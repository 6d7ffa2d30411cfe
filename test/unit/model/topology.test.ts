// Topology normalisation (core renumbering, uncore fallback) and the generator's numbering.

import { iterateMasks, isNarrowerThan, maskCount, maskNodes, maskOf } from '../../../src/model/bitmask.js';
import { buildTopology, generateCpuRecords } from '../../../src/model/topology.js';

describe('buildTopology', () => {
  it('renumbers every core to its lowest CPU id and falls back to the socket for a missing uncore', () => {
    const topo = buildTopology([
      { id: 0, core: 7, socket: 0, numa: 0 },
      { id: 4, core: 7, socket: 0, numa: 0 },
      { id: 1, core: 3, socket: 0, numa: 0 },
      { id: 5, core: 3, socket: 0, numa: 0 },
      { id: 2, core: 7, socket: 1, numa: 1 },
      { id: 6, core: 7, socket: 1, numa: 1 },
      { id: 3, core: 3, socket: 1, numa: 1 },
      { id: 7, core: 3, socket: 1, numa: 1 },
    ]);
    expect(topo.cores).toEqual([0, 1, 2, 3]);
    expect(topo.cpusInCore(2).toString()).toBe('2,6');
    expect(topo.info(6)).toEqual({ id: 6, core: 2, socket: 1, numa: 1, uncore: 1 });
    expect(topo.uncores).toEqual([0, 1]);
    expect(topo.cpusPerCore).toBe(2);
    expect(topo.numaFirst).toBe(true);
  });

  it('rejects duplicate CPU ids', () => {
    expect(() =>
      buildTopology([
        { id: 0, core: 0, socket: 0, numa: 0 },
        { id: 0, core: 1, socket: 0, numa: 0 },
      ]),
    ).toThrow('cpu 0 listed twice');
  });
});

describe('generateCpuRecords', () => {
  it('numbers thread 0 of every core first: on 2×8×2 the sibling of c is c+16 and NUMA 0 is 0-7,16-23', () => {
    const topo = buildTopology(
      generateCpuRecords({
        sockets: 2,
        numaNodesPerSocket: 1,
        coresPerSocket: 8,
        threadsPerCore: 2,
        uncoreCachesPerSocket: 1,
      }),
    );
    expect(topo.all.size).toBe(32);
    expect(topo.cpusInNuma(0).toString()).toBe('0-7,16-23');
    expect(topo.cpusInCore(3).toString()).toBe('3,19');
    expect(topo.cpusInSocket(1).toString()).toBe('8-15,24-31');
  });

  it('splits a socket evenly over NUMA nodes and, independently, uncore caches (sub-NUMA clustering is socketsFirst)', () => {
    const topo = buildTopology(
      generateCpuRecords({
        sockets: 2,
        numaNodesPerSocket: 2,
        coresPerSocket: 8,
        threadsPerCore: 2,
        uncoreCachesPerSocket: 4,
      }),
    );
    expect(topo.numaNodes).toEqual([0, 1, 2, 3]);
    expect(topo.cpusInNuma(1).toString()).toBe('4-7,20-23');
    expect(topo.cpusInUncore(5).toString()).toBe('10-11,26-27');
    expect(topo.numaFirst).toBe(false);
    expect(topo.cpusPerUncore).toBe(4);
  });
});

describe('NUMA masks', () => {
  it('iterates masks by size, then lexicographically', () => {
    expect(iterateMasks([0, 1, 2]).map(maskNodes)).toEqual([
      [0],
      [1],
      [2],
      [0, 1],
      [0, 2],
      [1, 2],
      [0, 1, 2],
    ]);
  });

  it('narrower = fewer nodes, then the lower value', () => {
    expect(isNarrowerThan(maskOf([1]), maskOf([0, 1]))).toBe(true);
    expect(isNarrowerThan(maskOf([0, 2]), maskOf([1, 2]))).toBe(true);
    expect(isNarrowerThan(maskOf([1, 2]), maskOf([0, 2]))).toBe(false);
    expect(maskCount(maskOf([0, 3, 5]))).toBe(3);
  });
});
