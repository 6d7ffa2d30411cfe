// Tests the sysfs reader of `collect` on every real sysfs capture: the files it reads give the
// same machine as the whole tarball does (parseSysfsTopology), its explicit NodeObservation form
// makes the same Topology for a reader, it reads only what the parser needs, and failures name
// the path. The captures are served from memory (sysfsHostFs) and, once, from a real directory.

import { readFile } from 'node:fs/promises';
import { InputError } from '../../../../src/errors.js';
import { toTopology as descriptionTopology } from '../../../../src/parse/machine-description.js';
import { toObservedTopology } from '../../../../src/parse/observed-topology.js';
import { parseSysfsTopology } from '../../../../src/parse/sysfs-topology.js';
import { toTopology as scenarioTopology } from '../../../../src/scenario/topology.js';
import { liveHostFs, type HostFs } from '../../../../src/sources/host/host-fs.js';
import { readObservedTopology } from '../../../../src/sources/host/sysfs.js';
import {
  failingFs,
  fsError,
  isReadBySysfsReader,
  makeTempDir,
  removeDir,
  sysfsHostFs,
  TOPOLOGY_TARBALLS,
  unpackSysfs,
  writeHostFile,
} from '../../../helpers/fake-host.js';
import { readTarGzFiles } from '../../../helpers/tar.js';
import { fixturesEndingWith } from '../../parse/topology-facts.js';

const HOST = '/host';
const WORKER1 = 'nto-bm-worker1-r740xd-xeon-gold-6230-2s.sysfs.tar.gz';
const WORKER2 = 'nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off.sysfs.tar.gz';

const whole = (tarball: string) =>
  parseSysfsTopology(readTarGzFiles(`${TOPOLOGY_TARBALLS}/${tarball}`), tarball);

/** A HostFs that replaces the text of some files. */
function editedFs(base: HostFs, edits: Readonly<Record<string, string>>): HostFs {
  return { ...base, readFile: (p) => (p in edits ? Promise.resolve(edits[p] as string) : base.readFile(p)) };
}

describe.each(fixturesEndingWith('.tar.gz'))('%s as the host sysfs', (tarball) => {
  it('reads the same machine as the whole capture, and a reader rebuilds the same topology', async () => {
    const observed = await readObservedTopology(sysfsHostFs(tarball, HOST), HOST);
    const capture = whole(tarball);
    expect(observed).toEqual(toObservedTopology(capture));

    const fromObservation = scenarioTopology(JSON.parse(JSON.stringify(observed)), 'observation topology');
    const fromCapture = descriptionTopology(capture);
    expect(fromObservation.cpus).toEqual(fromCapture.cpus);
    expect(fromObservation.memory).toEqual(fromCapture.memory);
    expect(fromObservation.distances).toEqual(fromCapture.distances);
  });
});

describe('facts of one machine (nto-bm-worker1: 2x Xeon Gold 6230, 80 CPUs, SMT on, 2 NUMA nodes)', () => {
  it('cores are keyed by their lowest thread, memory in bytes, distances 10/21', async () => {
    const t = await readObservedTopology(sysfsHostFs(WORKER1, HOST), HOST);
    expect(t.cpus).toHaveLength(80);
    // cpu 40 is the hyperthread sibling of cpu 0 (thread_siblings_list "0,40")
    expect(t.cpus.find((c) => c.id === 40)).toMatchObject({ core: 0, socket: 0, numa: 0 });
    expect(t.cpus.find((c) => c.id === 1)).toMatchObject({ core: 1, socket: 1, numa: 1 });
    // the L3 of each socket is shared by all its CPUs: a node cache, so the socket is the uncore
    expect(t.cpus.every((c) => c.uncoreCache === undefined)).toBe(true);
    expect(t.distances).toEqual([
      [10, 21],
      [21, 10],
    ]);
    expect(t.memory.map((m) => m.numa)).toEqual([0, 1]);
    for (const m of t.memory) {
      expect(Number.isSafeInteger(m.memory) && m.memory > 64 * 2 ** 30).toBe(true);
      expect(Object.keys(m).sort()).toEqual(['hugepages-1Gi', 'hugepages-2Mi', 'memory', 'numa']);
    }
  });

  it('reads only the files the parser uses', async () => {
    const base = sysfsHostFs(WORKER1, HOST);
    const read: string[] = [];
    await readObservedTopology(
      {
        ...base,
        readFile: (p) => {
          read.push(p);
          return base.readFile(p);
        },
      },
      HOST,
    );
    const rel = read.map((p) => p.slice(HOST.length + 1));
    expect(rel.filter((p) => !isReadBySysfsReader(p))).toEqual([]);
    expect(rel).toContain('sys/devices/system/cpu/cpu79/topology/core_id');
    expect(rel).toContain('sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages');
  });

  it('uncore caches: the AMD EPYC 7451 has 16 L3 caches over 8 NUMA nodes, named by cache/index3/id', async () => {
    const t = await readObservedTopology(
      sysfsHostFs('utillinux-amd-epyc-7451-2s-8numa.sysfs.tar.gz', HOST),
      HOST,
    );
    expect(new Set(t.cpus.map((c) => c.uncoreCache)).size).toBe(16);
    expect(new Set(t.cpus.map((c) => c.numa)).size).toBe(8);
  });
});

describe('a real directory', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTempDir('podres-sysfs-');
    await unpackSysfs(root, WORKER2, isReadBySysfsReader);
  });
  afterAll(async () => {
    await removeDir(root);
  });

  it('the live file system gives the same machine as the capture (and the unpacked files suffice)', async () => {
    expect(await readObservedTopology(liveHostFs, root)).toEqual(toObservedTopology(whole(WORKER2)));
  });

  it('a corrupted core_id (twin of the real file): an InputError naming the file', async () => {
    const coreId = 'sys/devices/system/cpu/cpu7/topology/core_id';
    const real = await readFile(`${root}/${coreId}`, 'utf8');
    await writeHostFile(root, coreId, 'seven\n');
    const e: unknown = await readObservedTopology(liveHostFs, root).catch((x: unknown) => x);
    await writeHostFile(root, coreId, real);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe(
      `sysfs ${root}/sys/devices/system/cpu/cpu7/topology/core_id: expected an integer, got "seven"`,
    );
  });

  it('an unreadable core_id: the file system error of that file', async () => {
    const fs = failingFs((p) => p.endsWith('/cpu7/topology/core_id'));
    await expect(readObservedTopology(fs, root)).rejects.toMatchObject({
      code: 'EACCES',
      path: `${root}/sys/devices/system/cpu/cpu7/topology/core_id`,
    });
  });
});

describe('failures', () => {
  it('no sysfs at all: the error names the cpu directory', async () => {
    const empty: HostFs = {
      readFile: (p) => Promise.reject(fsError('ENOENT', 'open', p)),
      readDir: (p) => Promise.reject(fsError('ENOENT', 'scandir', p)),
      kindOf: (p) => Promise.reject(fsError('ENOENT', 'stat', p)),
    };
    await expect(readObservedTopology(empty, HOST)).rejects.toMatchObject({
      code: 'ENOENT',
      path: '/host/sys/devices/system/cpu',
    });
  });

  it('a truncated meminfo (twin): an InputError naming the file', async () => {
    const fs = editedFs(sysfsHostFs(WORKER2, HOST), {
      '/host/sys/devices/system/node/node1/meminfo': 'Node 1 MemFree: 1 kB\n',
    });
    await expect(readObservedTopology(fs, HOST)).rejects.toThrow(
      'sysfs /host/sys/devices/system/node/node1/meminfo: no "MemTotal: <n> kB" line',
    );
  });

  it('a distance row of the wrong length (twin): an InputError naming the file', async () => {
    const fs = editedFs(sysfsHostFs(WORKER2, HOST), {
      '/host/sys/devices/system/node/node0/distance': '10\n',
    });
    await expect(readObservedTopology(fs, HOST)).rejects.toThrow(
      'sysfs /host/sys/devices/system/node/node0/distance: expected 2 distances (one per node), got 1',
    );
  });
});
