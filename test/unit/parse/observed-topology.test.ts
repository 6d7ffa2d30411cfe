// Tests toObservedTopology beyond what the sysfs reader tests cover with every real capture: the
// NUMA nodes without online CPUs (left out of memory and distances, so that a reader accepts the
// topology) and NUMA ids with a gap (no distances), on variants of the real nto-bm-worker2 capture.

import type { MachineDescription } from '../../../src/parse/machine-description.js';
import { toObservedTopology } from '../../../src/parse/observed-topology.js';
import { parseSysfsTopology } from '../../../src/parse/sysfs-topology.js';
import { toTopology } from '../../../src/scenario/topology.js';
import { readTarGzFiles } from '../../helpers/tar.js';
import { fixturePath } from './topology-facts.js';

const WORKER2 = 'nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off.sysfs.tar.gz';
const capture = (): MachineDescription => parseSysfsTopology(readTarGzFiles(fixturePath(WORKER2)), WORKER2);

it('the real capture: 32 CPUs, memory and distances of both nodes', () => {
  const t = toObservedTopology(capture());
  expect(t.cpus).toHaveLength(32);
  expect(t.memory.map((m) => m.numa)).toEqual([0, 1]);
  expect(t.distances).toEqual([
    [10, 21],
    [21, 10],
  ]);
});

it('a memory-only NUMA node (CXL memory) is left out of memory and distances', () => {
  const desc = capture();
  const withCxl: MachineDescription = {
    ...desc,
    memory: [...desc.memory, { numa: 2, memory: 256n * 2n ** 30n, hugepages: {} }],
    distances: [
      [10, 21, 14],
      [21, 10, 24],
      [14, 24, 10],
    ],
  };
  const t = toObservedTopology(withCxl);
  expect(t.memory.map((m) => m.numa)).toEqual([0, 1]);
  expect(t.distances).toEqual([
    [10, 21],
    [21, 10],
  ]);
  // and a reader takes it as it is
  expect(toTopology(JSON.parse(JSON.stringify(t)), 'observation').numaNodes).toEqual([0, 1]);
});

it('NUMA ids with a gap (0 and 2): no distances, which a reader could not index', () => {
  const desc = capture();
  const gap: MachineDescription = {
    ...desc,
    records: desc.records.map((r) => (r.numa === 1 ? { ...r, numa: 2 } : r)),
    memory: desc.memory.map((m) => (m.numa === 1 ? { ...m, numa: 2 } : m)),
    distances: [
      [10, 0, 21],
      [0, 0, 0],
      [21, 0, 10],
    ],
  };
  const t = toObservedTopology(gap);
  expect(t.distances).toBeUndefined();
  expect(t.memory.map((m) => m.numa)).toEqual([0, 2]);
  expect(toTopology(JSON.parse(JSON.stringify(t)), 'observation').numaNodes).toEqual([0, 2]);
});

it('memory beyond 2^53 bytes cannot be written exactly: an error naming the source', () => {
  const desc = capture();
  const huge: MachineDescription = {
    ...desc,
    memory: desc.memory.map((m) => (m.numa === 0 ? { ...m, memory: 2n ** 60n } : m)),
  };
  expect(() => toObservedTopology(huge)).toThrow(
    `${WORKER2}: node 0 memory: 1152921504606846976 bytes is too large to write exactly`,
  );
});
