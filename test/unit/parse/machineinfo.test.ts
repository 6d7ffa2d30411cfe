// Tests parseMachineInfo on every real cAdvisor machineinfo.json fixture and on corrupted twins.
import { InputError } from '../../../src/errors.js';
import { parseMachineInfo } from '../../../src/parse/machineinfo.js';
import { toTopology } from '../../../src/parse/machine-description.js';
import { parseSysfsTopology } from '../../../src/parse/sysfs-topology.js';
import { readTarGzFiles } from '../../helpers/tar.js';
import {
  expectFacts,
  expectMessageShape,
  fixturePath,
  fixtureText,
  fixturesEndingWith,
  stride,
  thrown,
  type TopologyFacts,
} from './topology-facts.js';

const read = (file: string) => parseMachineInfo(fixtureText(file), file);

/** The MachineInfo fields the corrupted twins change. */
interface MachineInfoDoc {
  topology?: {
    cores: { thread_ids: unknown; socket_id?: unknown }[];
    memory: unknown;
    hugepages: { page_size: unknown }[];
    distances?: unknown;
  }[];
}

const EVENS_104 = stride(0, 102, 2);
const ODDS_104 = stride(1, 103, 2);
const EVENS_112 = stride(0, 110, 2);
const ODDS_112 = stride(1, 111, 2);
const EVENS_80 = stride(0, 78, 2);
const ODDS_80 = stride(1, 79, 2);
const EVENS_32 = stride(0, 30, 2);
const ODDS_32 = stride(1, 31, 2);

// Facts come from PROVENANCE.md and the files themselves (node cpu lists, socket_id, thread_ids).
const cases: readonly (TopologyFacts & { readonly file: string })[] = [
  {
    // 2x Gold 6230 with sub-NUMA clustering: nodes 0-1 on socket 0, nodes 2-3 on socket 1.
    // v0.39 reports no L3 at all, so the kubelet's uncore is the socket.
    file: 'cpumgrx-2s-xeon-gold-6230-snc2-4numa.cadvisor-v0.39.machineinfo.json',
    cpus: '0-79',
    numa: { 0: '0-9,40-49', 1: '10-19,50-59', 2: '20-29,60-69', 3: '30-39,70-79' },
    sockets: { 0: '0-19,40-59', 1: '20-39,60-79' },
    cores: 40,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: false,
    uncoreCpus: { 0: '0-19,40-59', 1: '20-39,60-79' },
    coreOf: { 0: '0,40', 5: '5,45', 79: '39,79' },
  },
  {
    // uncore_caches null per core, L3 listed per node: the kubelet falls back to the socket.
    file: 'cpumgrx-2s-xeon-gold-6230r.cadvisor-v0.49.machineinfo.json',
    cpus: '0-103',
    numa: { 0: EVENS_104, 1: ODDS_104 },
    sockets: { 0: EVENS_104, 1: ODDS_104 },
    cores: 52,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    uncoreCpus: { 0: EVENS_104, 1: ODDS_104 },
    coreOf: { 0: '0,52', 1: '1,53', 48: '48,100' },
  },
  {
    // Ryzen 5 1600 has 2 CCX, but v0.39 has no uncore info: one uncore (= socket 0).
    file: 'cpumgrx-amd-ryzen5-1600-2ccx.cadvisor-v0.39.machineinfo.json',
    cpus: '0-11',
    numa: { 0: '0-11' },
    sockets: { 0: '0-11' },
    cores: 6,
    cpusPerCore: 2,
    uncores: 1,
    numaFirst: true,
    coreOf: { 0: '0,6', 4: '4,10' },
  },
  {
    // v0.49 fills uncore_caches: L3 ids 0 and 1 over the 16 cores (two CCDs).
    file: 'cpumgrx-amd-ryzen9-5950x-2ccd.cadvisor-v0.49.machineinfo.json',
    cpus: '0-31',
    numa: { 0: '0-31' },
    sockets: { 0: '0-31' },
    cores: 16,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    uncoreCpus: { 0: '0-7,16-23', 1: '8-15,24-31' },
    coreOf: { 0: '0,16', 2: '2,18' },
  },
  {
    // R640, 2x Gold 6230R: node 0 = even CPUs, node 1 = odd CPUs.
    file: 'debugtools-dell-r640-xeon-gold-6230r-2s.machineinfo.json',
    cpus: '0-103',
    numa: { 0: EVENS_104, 1: ODDS_104 },
    sockets: { 0: EVENS_104, 1: ODDS_104 },
    cores: 52,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    coreOf: { 0: '0,52', 53: '1,53' },
  },
  {
    // R750, 2x Gold 6330, 112 CPUs (num_physical_cores reads 28: not used).
    file: 'nto-bm-master-r750-xeon-gold-6330-2s.machineinfo.json',
    cpus: '0-111',
    numa: { 0: EVENS_112, 1: ODDS_112 },
    sockets: { 0: EVENS_112, 1: ODDS_112 },
    cores: 56,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    coreOf: { 0: '0,56', 111: '55,111' },
  },
  {
    file: 'nto-bm-worker1-r740xd-xeon-gold-6230-2s.machineinfo.json',
    cpus: '0-79',
    numa: { 0: EVENS_80, 1: ODDS_80 },
    sockets: { 0: EVENS_80, 1: ODDS_80 },
    cores: 40,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    coreOf: { 0: '0,40', 1: '1,41' },
  },
  {
    // SMT off: 32 CPUs = 32 cores.
    file: 'nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off.machineinfo.json',
    cpus: '0-31',
    numa: { 0: EVENS_32, 1: ODDS_32 },
    sockets: { 0: EVENS_32, 1: ODDS_32 },
    cores: 32,
    cpusPerCore: 1,
    uncores: 2,
    numaFirst: true,
    coreOf: { 0: '0', 1: '1' },
  },
  {
    // GCP n1-standard-4 with CPUs 2-3 offline: cAdvisor reports only the 2 online CPUs.
    file: 'nto-e2e-gcp-worker-2of4-online.machineinfo.json',
    cpus: '0-1',
    numa: { 0: '0-1' },
    sockets: { 0: '0-1' },
    cores: 2,
    cpusPerCore: 1,
    uncores: 1,
    numaFirst: true,
    coreOf: { 0: '0', 1: '1' },
  },
  {
    // KVM single-node OpenShift: 12 vCPUs shown as 12 cores.
    file: 'nto-sno-kvm-xeon-icelake-12vcpu.machineinfo.json',
    cpus: '0-11',
    numa: { 0: '0-11' },
    sockets: { 0: '0-11' },
    cores: 12,
    cpusPerCore: 1,
    uncores: 1,
    numaFirst: true,
  },
];

describe('parseMachineInfo on the real fixtures', () => {
  it('has a case for every machineinfo fixture', () => {
    expect(cases.map((c) => c.file).sort()).toEqual(fixturesEndingWith('.machineinfo.json'));
  });

  it.each(cases)('$file', (c) => {
    const desc = read(c.file);
    expect(desc.source).toBe(c.file);
    expectFacts(toTopology(desc), c);
  });

  it('reads memory per node in bytes and hugepages as total bytes per size', () => {
    const snc = read('cpumgrx-2s-xeon-gold-6230-snc2-4numa.cadvisor-v0.39.machineinfo.json');
    expect(snc.memory).toEqual([
      { numa: 0, memory: 50326683648n, hugepages: { 'hugepages-1Gi': 0n, 'hugepages-2Mi': 0n } },
      { numa: 1, memory: 50729562112n, hugepages: { 'hugepages-1Gi': 0n, 'hugepages-2Mi': 0n } },
      { numa: 2, memory: 50729570304n, hugepages: { 'hugepages-1Gi': 0n, 'hugepages-2Mi': 0n } },
      { numa: 3, memory: 50700451840n, hugepages: { 'hugepages-1Gi': 0n, 'hugepages-2Mi': 0n } },
    ]);
    // hugepages: null in this capture.
    expect(read('nto-bm-master-r750-xeon-gold-6330-2s.machineinfo.json').memory).toEqual([
      { numa: 0, memory: 134640214016n, hugepages: {} },
      { numa: 1, memory: 135227092992n, hugepages: {} },
    ]);
    expect(read('nto-e2e-gcp-worker-2of4-online.machineinfo.json').memory).toEqual([
      { numa: 0, memory: 15742246912n, hugepages: {} },
    ]);
  });

  it('reads distances when every node has them, else null', () => {
    expect(read('cpumgrx-2s-xeon-gold-6230r.cadvisor-v0.49.machineinfo.json').distances).toEqual([
      [10, 21],
      [21, 10],
    ]);
    expect(read('cpumgrx-amd-ryzen9-5950x-2ccd.cadvisor-v0.49.machineinfo.json').distances).toEqual([[10]]);
    // v0.39 has no distances key; the nto captures have "distances": null.
    expect(read('cpumgrx-2s-xeon-gold-6230-snc2-4numa.cadvisor-v0.39.machineinfo.json').distances).toBeNull();
    expect(read('nto-bm-master-r750-xeon-gold-6330-2s.machineinfo.json').distances).toBeNull();
  });

  it('keeps the per-socket core grouping: core keys are the lowest thread id', () => {
    // Gold 6230R: core_id 26 on socket 0 holds threads 100 and 48.
    const desc = read('cpumgrx-2s-xeon-gold-6230r.cadvisor-v0.49.machineinfo.json');
    expect(desc.records.find((r) => r.id === 100)).toEqual({
      id: 100,
      core: 48,
      socket: 0,
      numa: 0,
      uncore: undefined,
    });
  });

  it.each([
    ['debugtools-dell-r640-xeon-gold-6230r-2s', 'machineinfo.json', 'sysfs.tar.gz'],
    ['nto-bm-master-r750-xeon-gold-6330-2s', 'machineinfo.json', 'sysfs.tar.gz'],
    ['nto-bm-worker1-r740xd-xeon-gold-6230-2s', 'machineinfo.json', 'sysfs.tar.gz'],
    ['nto-bm-worker2-r740xd-xeon-gold-6130-2s-smt-off', 'machineinfo.json', 'sysfs.tar.gz'],
  ])('%s: machineinfo and sysfs of the same machine give the same CPUs', (machine, mi, sysfs) => {
    const fromJson = toTopology(read(`${machine}.${mi}`));
    const fromSysfs = toTopology(
      parseSysfsTopology(readTarGzFiles(fixturePath(`${machine}.${sysfs}`)), `${machine}.${sysfs}`),
    );
    expect(fromJson.cpus).toEqual(fromSysfs.cpus);
  });

  it('uses the node id as socket when socket_id is missing (old cAdvisor)', () => {
    const doc = JSON.parse(
      fixtureText('cpumgrx-2s-xeon-gold-6230r.cadvisor-v0.49.machineinfo.json'),
    ) as MachineInfoDoc;
    for (const node of doc.topology!) for (const core of node.cores) delete core.socket_id;
    const t = toTopology(parseMachineInfo(JSON.stringify(doc), 'old.json'));
    expect(t.sockets).toEqual([0, 1]);
    expect(t.cpusInSocket(1).toString()).toBe(ODDS_104);
  });
});

describe('parseMachineInfo on corrupted twins', () => {
  const file = 'cpumgrx-2s-xeon-gold-6230-snc2-4numa.cadvisor-v0.39.machineinfo.json';
  const mutated = (change: (doc: MachineInfoDoc) => void) => {
    const doc = JSON.parse(fixtureText(file)) as MachineInfoDoc;
    change(doc);
    return JSON.stringify(doc, null, 2);
  };
  const failWith = (text: string) => {
    const e = thrown(() => parseMachineInfo(text, file));
    expect(e).toBeInstanceOf(InputError);
    expectMessageShape(e.message, file);
    return e.message;
  };

  it('names the file and the field of a garbled thread list', () => {
    const text = mutated((doc) => {
      doc.topology![1]!.cores[3]!.thread_ids = ['11', 51];
    });
    expect(failWith(text)).toBe(
      `${file} topology[1].cores[3].thread_ids: expected a non-empty array of integers, got an array`,
    );
  });

  it('names the file when the text is cut off', () => {
    const text = fixtureText(file);
    expect(failWith(text.slice(0, text.length / 2))).toMatch(
      new RegExp(`^${file.replace(/\./g, '\\.')}: invalid json: `),
    );
  });

  it('names the field of a cpu listed twice', () => {
    const text = mutated((doc) => {
      doc.topology![2]!.cores[0]!.thread_ids = [20, 0];
    });
    expect(failWith(text)).toBe(
      `${file} topology[2].cores[0].thread_ids: cpu 0 already listed in topology[0].cores[0].thread_ids`,
    );
  });

  it('names the field of a bad socket id, memory and hugepage entry', () => {
    expect(failWith(mutated((doc) => (doc.topology![0]!.cores[1]!.socket_id = -1)))).toBe(
      `${file} topology[0].cores[1].socket_id: expected a non-negative integer, got -1`,
    );
    expect(failWith(mutated((doc) => (doc.topology![3]!.memory = '48Gi')))).toBe(
      `${file} topology[3].memory: expected a non-negative integer, got "48Gi"`,
    );
    expect(failWith(mutated((doc) => (doc.topology![0]!.hugepages[1]!.page_size = 0)))).toBe(
      `${file} topology[0].hugepages[1].page_size: expected an integer >= 1, got 0`,
    );
  });

  it('names the node whose distance row has the wrong length', () => {
    const text = mutated((doc) => {
      doc.topology!.forEach((n, i) => (n.distances = i === 2 ? [21, 21, 10] : [10, 11, 21, 21]));
    });
    expect(failWith(text)).toBe(`${file} topology[2].distances: expected 4 distances (one per node), got 3`);
  });

  it('rejects a document without topology', () => {
    expect(failWith(mutated((doc) => delete doc.topology))).toBe(
      `${file} topology: expected an array, got nothing`,
    );
    expect(failWith('[]')).toBe(`${file}: expected an object, got an array`);
  });
});
