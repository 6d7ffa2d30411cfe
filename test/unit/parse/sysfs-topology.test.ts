// Tests parseSysfsTopology on every real sysfs / ghw snapshot tarball, the tar helper, and corrupted twins.
import { InputError } from '../../../src/errors.js';
import { toTopology } from '../../../src/parse/machine-description.js';
import { parseSysfsTopology } from '../../../src/parse/sysfs-topology.js';
import { readTarGz, readTarGzFiles } from '../../helpers/tar.js';
import {
  expectFacts,
  expectMessageShape,
  fixturePath,
  fixturesEndingWith,
  stride,
  thrown,
  type TopologyFacts,
} from './topology-facts.js';

const filesOf = (file: string) => readTarGzFiles(fixturePath(file));
const read = (file: string) => parseSysfsTopology(filesOf(file), file);

const EVENS_104 = stride(0, 102, 2);
const ODDS_104 = stride(1, 103, 2);
const EVENS_112 = stride(0, 110, 2);
const ODDS_112 = stride(1, 111, 2);
const EVENS_80 = stride(0, 78, 2);
const ODDS_80 = stride(1, 79, 2);
const EVENS_32 = stride(0, 30, 2);
const ODDS_32 = stride(1, 31, 2);
const EVENS_24 = stride(0, 22, 2);
const ODDS_24 = stride(1, 23, 2);

// Facts come from PROVENANCE.md and the files in each tarball: cpu/online, node/nodeN/cpulist or
// cpumap, topology/{core_id,physical_package_id,thread_siblings_list}, cache/index3/{id,shared_cpu_list}.
const cases: readonly (TopologyFacts & { readonly file: string })[] = [
  {
    // cAdvisor test data: no node directories (node id = package id), no caches (uncore = socket),
    // `online` edited to 0-10,12,14,20-23.
    file: 'cadvisor-amd-epyc-7402-1s-smt-off.sysfs-topology.tar.gz',
    cpus: '0-10,12,14,20-23',
    numa: { 0: '0-10,12,14,20-23' },
    sockets: { 0: '0-10,12,14,20-23' },
    cores: 17,
    cpusPerCore: 1,
    uncores: 1,
    numaFirst: true,
  },
  {
    // 24C/48T, online 0-23,27-40,42,44,46-47: the siblings 24-26, 41, 43, 45 are offline, so six
    // cores keep one thread. core_ids are not contiguous (0,1,2,4,5,6,8,…): cpu 3 is core_id 4.
    file: 'cadvisor-amd-epyc-7402-1s-smt-on.sysfs-topology.tar.gz',
    cpus: '0-23,27-40,42,44,46-47',
    numa: { 0: '0-23,27-40,42,44,46-47' },
    sockets: { 0: '0-23,27-40,42,44,46-47' },
    cores: 24,
    cpusPerCore: 1,
    uncores: 1,
    numaFirst: true,
    coreOf: { 0: '0', 3: '3,27', 27: '3,27', 17: '17', 23: '23,47' },
  },
  {
    // 2x Gold 5218, SMT off, no online file (all online), no node directories: one node per package.
    file: 'cadvisor-intel-xeon-gold-5218-2s-smt-off.sysfs-topology.tar.gz',
    cpus: '0-31',
    numa: { 0: EVENS_32, 1: ODDS_32 },
    sockets: { 0: EVENS_32, 1: ODDS_32 },
    cores: 32,
    cpusPerCore: 1,
    uncores: 2,
    numaFirst: true,
    coreOf: { 2: '2' },
  },
  {
    // L3 (index3/id 0 and 1) is shared by the 52 CPUs of its node: a node cache, uncore = socket.
    file: 'debugtools-dell-r640-xeon-gold-6230r-2s.sysfs.tar.gz',
    cpus: '0-103',
    numa: { 0: EVENS_104, 1: ODDS_104 },
    sockets: { 0: EVENS_104, 1: ODDS_104 },
    cores: 52,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    uncoreCpus: { 0: EVENS_104, 1: ODDS_104 },
    coreOf: { 0: '0,52', 53: '1,53' },
  },
  {
    // Ryzen 5 1600: 2 L3 caches (CCX), ids 0 and 1; core_ids 0,1,2,4,5,6.
    file: 'ghw-snapshot-amd-ryzen5-1600-2ccx.tar.gz',
    cpus: '0-11',
    numa: { 0: '0-11' },
    sockets: { 0: '0-11' },
    cores: 6,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    uncoreCpus: { 0: '0-2,6-8', 1: '3-5,9-11' },
    coreOf: { 3: '3,9', 6: '0,6' },
  },
  {
    // Hybrid i7-1270P: 4 P-cores with SMT (core_id 0,4,8,12) + 8 E-cores (16-23) = 12 cores.
    file: 'ghw-snapshot-intel-i7-1270p-hybrid.tar.gz',
    cpus: '0-15',
    numa: { 0: '0-15' },
    sockets: { 0: '0-15' },
    cores: 12,
    cpusPerCore: 1,
    uncores: 1,
    numaFirst: true,
    coreOf: { 0: '0-1', 7: '6-7', 8: '8', 15: '15' },
  },
  {
    // 2x L5640, node 0 = even CPUs on package 1, node 1 = odd CPUs on package 0.
    file: 'ghw-snapshot-intel-xeon-l5640-2s-2numa.tar.gz',
    cpus: '0-23',
    numa: { 0: EVENS_24, 1: ODDS_24 },
    sockets: { 0: ODDS_24, 1: EVENS_24 },
    cores: 12,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    uncoreCpus: { 0: ODDS_24, 1: EVENS_24 },
    coreOf: { 0: '0,12', 13: '1,13' },
  },
  {
    // KVM guest, online 0-1, offline 2-3; each vCPU is its own package with its own L3 (id 0, 1)
    // shared by 1 CPU of a 2-CPU node: uncore caches.
    file: 'ghw-snapshot-kvm-skylake-offline-cpus.tar.gz',
    cpus: '0-1',
    numa: { 0: '0-1' },
    sockets: { 0: '0', 1: '1' },
    cores: 2,
    cpusPerCore: 1,
    uncores: 2,
    numaFirst: true,
    uncoreCpus: { 0: '0', 1: '1' },
  },
  {
    file: 'nto-bm-master-r750-xeon-gold-6330-2s.sysfs.tar.gz',
    cpus: '0-111',
    numa: { 0: EVENS_112, 1: ODDS_112 },
    sockets: { 0: EVENS_112, 1: ODDS_112 },
    cores: 56,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    coreOf: { 0: '0,56', 2: '2,58' },
  },
  {
    file: 'nto-bm-worker1-r740xd-xeon-gold-6230-2s.sysfs.tar.gz',
    cpus: '0-79',
    numa: { 0: EVENS_80, 1: ODDS_80 },
    sockets: { 0: EVENS_80, 1: ODDS_80 },
    cores: 40,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    coreOf: { 40: '0,40' },
  },
  {
    // smt/active 0, thread_siblings_list holds one CPU each.
    file: 'nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off.sysfs.tar.gz',
    cpus: '0-31',
    numa: { 0: EVENS_32, 1: ODDS_32 },
    sockets: { 0: EVENS_32, 1: ODDS_32 },
    cores: 32,
    cpusPerCore: 1,
    uncores: 2,
    numaFirst: true,
    coreOf: { 0: '0', 31: '31' },
  },
  {
    // 2x EPYC 7451: 8 NUMA nodes (4 per socket, only cpumap files), 16 L3 caches of 6 CPUs, each
    // shared by fewer CPUs than its 12-CPU node: uncore caches. NUMA nodes outnumber sockets.
    file: 'utillinux-amd-epyc-7451-2s-8numa.sysfs.tar.gz',
    cpus: '0-95',
    numa: {
      0: '0-5,48-53',
      1: '6-11,54-59',
      2: '12-17,60-65',
      3: '18-23,66-71',
      4: '24-29,72-77',
      5: '30-35,78-83',
      6: '36-41,84-89',
      7: '42-47,90-95',
    },
    sockets: { 0: '0-23,48-71', 1: '24-47,72-95' },
    cores: 48,
    cpusPerCore: 2,
    uncores: 16,
    numaFirst: false,
    uncoreCpus: { 0: '0-2,48-50', 1: '3-5,51-53', 15: '45-47,93-95' },
    coreOf: { 3: '3,51' },
  },
];

describe('parseSysfsTopology on the real fixtures', () => {
  it('has a case for every sysfs and ghw snapshot tarball', () => {
    expect(cases.map((c) => c.file).sort()).toEqual(fixturesEndingWith('.tar.gz'));
  });

  it.each(cases)('$file', (c) => {
    const desc = read(c.file);
    expect(desc.source).toBe(c.file);
    expectFacts(toTopology(desc), c);
  });

  it('reads MemTotal and hugepages per node', () => {
    expect(read('nto-bm-worker1-r740xd-xeon-gold-6230-2s.sysfs.tar.gz').memory).toEqual([
      // 128 free-standing 2 MiB pages on node 0.
      {
        numa: 0,
        memory: 97557100n * 1024n,
        hugepages: { 'hugepages-2Mi': 128n * 2097152n, 'hugepages-1Gi': 0n },
      },
      { numa: 1, memory: 99076588n * 1024n, hugepages: { 'hugepages-2Mi': 0n, 'hugepages-1Gi': 0n } },
    ]);
    expect(read('ghw-snapshot-intel-xeon-l5640-2s-2numa.tar.gz').memory.map((m) => m.memory)).toEqual([
      32980312n * 1024n,
      32940968n * 1024n,
    ]);
    expect(read('ghw-snapshot-kvm-skylake-offline-cpus.tar.gz').memory.map((m) => m.memory)).toEqual([
      7881912n * 1024n,
    ]);
    // No meminfo or hugepages in these captures.
    expect(read('debugtools-dell-r640-xeon-gold-6230r-2s.sysfs.tar.gz').memory).toEqual([]);
    expect(read('cadvisor-intel-xeon-gold-5218-2s-smt-off.sysfs-topology.tar.gz').memory).toEqual([]);
  });

  it('reads the distance matrix from node/nodeN/distance', () => {
    expect(read('nto-bm-master-r750-xeon-gold-6330-2s.sysfs.tar.gz').distances).toEqual([
      [10, 20],
      [20, 10],
    ]);
    expect(read('nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off.sysfs.tar.gz').distances).toEqual([
      [10, 21],
      [21, 10],
    ]);
    expect(read('ghw-snapshot-amd-ryzen5-1600-2ccx.tar.gz').distances).toEqual([[10]]);
    // util-linux kept only cpumap; cAdvisor's test data has no node directory.
    expect(read('utillinux-amd-epyc-7451-2s-8numa.sysfs.tar.gz').distances).toBeNull();
    expect(read('cadvisor-amd-epyc-7402-1s-smt-on.sysfs-topology.tar.gz').distances).toBeNull();
  });

  it('agrees with the memory cAdvisor reported from the same machine', () => {
    const sysfs = read('nto-bm-master-r750-xeon-gold-6330-2s.sysfs.tar.gz').memory.map((m) => m.memory);
    expect(sysfs).toEqual([134640214016n, 135227092992n]);
  });

  it('does not depend on the prefix before devices/system/', () => {
    const files = filesOf('ghw-snapshot-amd-ryzen5-1600-2ccx.tar.gz');
    const moved = new Map([...files].map(([k, v]) => [`/host/${k}`, v]));
    const a = parseSysfsTopology(files, 'a');
    const b = parseSysfsTopology(moved, 'a');
    expect(b.records).toEqual(a.records);
    expect(b.distances).toEqual(a.distances);
  });

  it('excludes CPUs that a per-CPU online file marks offline when the capture lacks cpu/online', () => {
    const files = filesOf('nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off.sysfs.tar.gz');
    files.set('sys/devices/system/cpu/cpu5/online', '0\n');
    expect(toTopology(parseSysfsTopology(files, 'x')).all.toString()).toBe('0-4,6-31');
  });
});

describe('test/helpers/tar', () => {
  it('keeps symlinks with their resolved target and skips pax global headers', () => {
    const files = filesOf('debugtools-dell-r640-xeon-gold-6230r-2s.sysfs.tar.gz');
    expect(files.get('sys/devices/system/node/node1/cpu3')).toBe('sys/devices/system/cpu/cpu3');
    expect(files.get('sys/devices/system/cpu/cpu3/topology/core_id')).toBe('6\n');
    const git = readTarGz(fixturePath('cadvisor-amd-epyc-7402-1s-smt-on.sysfs-topology.tar.gz'));
    expect(git.filter((e) => e.type === 'file')).toHaveLength(625);
    expect(git.some((e) => e.path === 'utils/sysfs/testdata_epyc7402/online')).toBe(true);
  });
});

describe('parseSysfsTopology on corrupted twins', () => {
  const file = 'nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off.sysfs.tar.gz';
  const failWith = (change: (files: Map<string, string>) => void) => {
    const files = filesOf(file);
    change(files);
    const e = thrown(() => parseSysfsTopology(files, file));
    expect(e).toBeInstanceOf(InputError);
    expectMessageShape(e.message, file);
    return e.message;
  };

  it('names the file and path of a garbled core_id', () => {
    expect(failWith((f) => f.set('sys/devices/system/cpu/cpu3/topology/core_id', '7x\n'))).toBe(
      `${file} sys/devices/system/cpu/cpu3/topology/core_id: expected an integer, got "7x"`,
    );
  });

  it('names the path of a garbled node cpulist and cache map', () => {
    expect(failWith((f) => f.set('sys/devices/system/node/node1/cpulist', '1,3-\n'))).toBe(
      `${file} sys/devices/system/node/node1/cpulist: invalid cpu list element "3-"`,
    );
    expect(
      failWith((f) => f.set('sys/devices/system/cpu/cpu4/cache/index3/shared_cpu_map', 'zz,55555555\n')),
    ).toBe(`${file} sys/devices/system/cpu/cpu4/cache/index3/shared_cpu_map: invalid cpu mask word "zz"`);
  });

  it('names the path of a cpu listed in two nodes', () => {
    expect(failWith((f) => f.set('sys/devices/system/node/node1/cpulist', '0-1,3,5\n'))).toMatch(
      new RegExp(
        `^${file.replace(/\./g, '\\.')} sys/devices/system/node/node\\d/\\w+: cpu 0 is also in node \\d`,
      ),
    );
  });

  it('names the path of a truncated meminfo and a short distance row', () => {
    expect(failWith((f) => f.set('sys/devices/system/node/node1/meminfo', 'Node 1 MemTo'))).toBe(
      `${file} sys/devices/system/node/node1/meminfo: no "MemTotal: <n> kB" line`,
    );
    expect(failWith((f) => f.set('sys/devices/system/node/node0/distance', '10\n'))).toBe(
      `${file} sys/devices/system/node/node0/distance: expected 2 distances (one per node), got 1`,
    );
  });

  it('rejects a capture without CPU topology', () => {
    expect(
      failWith((f) => {
        for (const k of [...f.keys()]) if (k.includes('/topology/')) f.delete(k);
      }),
    ).toBe(`${file}: no online cpu with topology/core_id and topology/physical_package_id`);
    expect(
      failWith((f) => {
        f.clear();
      }),
    ).toBe(`${file}: no devices/system/cpu/cpuN entries found`);
  });

  it('rejects files from two sysfs trees', () => {
    expect(failWith((f) => f.set('other/sys/devices/system/cpu/online', '0'))).toBe(
      `${file}: files from more than one sysfs tree (prefixes "sys/", "other/sys/")`,
    );
  });
});
