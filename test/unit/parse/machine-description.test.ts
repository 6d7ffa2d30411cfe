// Tests the rules the topology readers share: cAdvisor's node-vs-uncore cache rule, distances, toTopology.
import { InputError } from '../../../src/errors.js';
import {
  distanceMatrix,
  hugepageResourceName,
  recordsFromNodes,
  toTopology,
} from '../../../src/parse/machine-description.js';

describe('recordsFromNodes', () => {
  it('files an L3 shared by the whole node as a node cache (uncore = socket) and a smaller one as uncore', () => {
    // One node, two SMT-2 cores. L3 id 7 shared by all 4 CPUs: node cache. L3 id 9 shared by 2: uncore.
    const records = recordsFromNodes([
      {
        id: 3,
        cores: [
          { threads: [0, 2], socket: 1, outerCaches: [{ id: 7, cpus: 4 }] },
          {
            threads: [3, 1],
            socket: 1,
            outerCaches: [
              { id: 7, cpus: 4 },
              { id: 9, cpus: 2 },
            ],
          },
        ],
      },
    ]);
    expect(records).toEqual([
      { id: 0, core: 0, socket: 1, numa: 3, uncore: undefined },
      { id: 1, core: 1, socket: 1, numa: 3, uncore: 9 },
      { id: 2, core: 0, socket: 1, numa: 3, uncore: undefined },
      { id: 3, core: 1, socket: 1, numa: 3, uncore: 9 },
    ]);
    expect(toTopology({ records, memory: [], distances: null, source: 's' }).uncores).toEqual([1, 9]);
  });

  it('compares with len(node.Cores) * len(core.Threads) of each core, as cAdvisor does', () => {
    // Hybrid node: one SMT-2 core and one single-thread core, L3 shared by all 3 CPUs.
    // 2 cores * 2 threads = 4 != 3 and 2 cores * 1 thread = 2 != 3: both cores get the L3 as uncore.
    const records = recordsFromNodes([
      {
        id: 0,
        cores: [
          { threads: [0, 1], socket: 0, outerCaches: [{ id: 5, cpus: 3 }] },
          { threads: [2], socket: 0, outerCaches: [{ id: 5, cpus: 3 }] },
        ],
      },
    ]);
    expect(records.map((r) => r.uncore)).toEqual([5, 5, 5]);
  });
});

describe('distanceMatrix', () => {
  it('indexes rows by node id; with gaps entry k belongs to the k-th node', () => {
    expect(
      distanceMatrix(
        new Map([
          [0, [10, 21, 31]],
          [2, [21, 10, 32]],
          [3, [31, 32, 10]],
        ]),
      ),
    ).toEqual([
      [10, 0, 21, 31],
      [0, 0, 0, 0],
      [21, 0, 10, 32],
      [31, 0, 32, 10],
    ]);
  });

  it('reports the node of a short row', () => {
    expect(
      distanceMatrix(
        new Map([
          [0, [10, 21]],
          [1, [10]],
        ]),
      ),
    ).toEqual({
      node: 1,
      why: 'expected 2 distances (one per node), got 1',
    });
  });
});

describe('hugepageResourceName', () => {
  it.each([
    [2048, 'hugepages-2Mi'],
    [1048576, 'hugepages-1Gi'],
    [64, 'hugepages-64Ki'],
  ])('%d KiB → %s', (kib, name) => {
    expect(hugepageResourceName(kib)).toBe(name);
  });
});

describe('toTopology', () => {
  it('turns an inconsistent description into an InputError naming the source', () => {
    const records = [
      { id: 1, core: 1, socket: 0, numa: 0 },
      { id: 1, core: 1, socket: 0, numa: 0 },
    ];
    const e = (() => {
      try {
        toTopology({ records, memory: [], distances: null, source: 'm.json' });
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe('m.json: cpu 1 listed twice');
  });
});
