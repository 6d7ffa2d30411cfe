// Tests parseLscpu on the real lscpu fixtures (-p blocks with stride NUMA lists, -e with offline CPUs).
import { InputError } from '../../../src/errors.js';
import { parseLscpu } from '../../../src/parse/lscpu.js';
import { toTopology } from '../../../src/parse/machine-description.js';
import { parseMachineInfo } from '../../../src/parse/machineinfo.js';
import { parseSysfsTopology } from '../../../src/parse/sysfs-topology.js';
import { readTarGzFiles } from '../../helpers/tar.js';
import {
  expectFacts,
  expectMessageShape,
  fixturePath,
  fixtureText,
  stride,
  thrown,
  type TopologyFacts,
} from './topology-facts.js';

const read = (file: string) => parseLscpu(fixtureText(file), file);

// Facts from PROVENANCE.md and the summaries in the files ("NUMA nodeN CPU(s):", Socket(s), …).
const cases: readonly (TopologyFacts & { readonly file: string })[] = [
  {
    // 4x X7550, 64 CPUs, 3 NUMA nodes with a gap (no node 1), summary lists in stride form:
    // node0 0-62:2, node2 1-61:4, node3 3-63:4. Socket ids are lscpu's logical ones.
    file: 'utillinux-intel-xeon-x7550-4s.lscpu.txt',
    cpus: '0-63',
    numa: { 0: stride(0, 62, 2), 2: stride(1, 61, 4), 3: stride(3, 63, 4) },
    sockets: { 0: stride(0, 60, 4), 1: stride(1, 61, 4), 2: stride(2, 62, 4), 3: stride(3, 63, 4) },
    cores: 32,
    cpusPerCore: 2,
    uncores: 4,
    numaFirst: true,
    coreOf: { 0: '0,32', 61: '29,61' },
  },
  {
    // 2x EPYC 7451: 96 CPUs, 8 NUMA nodes, 16 L3 caches.
    file: 'utillinux-amd-epyc-7451-2s-8numa.lscpu.txt',
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
    uncoreCpus: { 1: '3-5,51-53' },
  },
  {
    // lscpu -e of a GCP worker with CPUs 2-3 offline ("-" columns, ONLINE no).
    file: 'nto-e2e-gcp-worker-2of4-online.lscpu-e.txt',
    cpus: '0-1',
    numa: { 0: '0-1' },
    sockets: { 0: '0-1' },
    cores: 2,
    cpusPerCore: 1,
    uncores: 1,
    numaFirst: true,
  },
];

describe('parseLscpu on the real fixtures', () => {
  it.each(cases)('$file', (c) => {
    const desc = read(c.file);
    expect(desc.memory).toEqual([]);
    expect(desc.distances).toBeNull();
    expectFacts(toTopology(desc), c);
  });

  it('matches the sysfs capture behind the EPYC 7451 output', () => {
    const sysfs = 'utillinux-amd-epyc-7451-2s-8numa.sysfs.tar.gz';
    const fromSysfs = toTopology(parseSysfsTopology(readTarGzFiles(fixturePath(sysfs)), sysfs));
    expect(toTopology(read('utillinux-amd-epyc-7451-2s-8numa.lscpu.txt')).cpus).toEqual(fromSysfs.cpus);
  });

  it('matches cAdvisor on the GCP worker with offline CPUs', () => {
    const mi = 'nto-e2e-gcp-worker-2of4-online.machineinfo.json';
    const fromMachineInfo = toTopology(parseMachineInfo(fixtureText(mi), mi));
    expect(toTopology(read('nto-e2e-gcp-worker-2of4-online.lscpu-e.txt')).cpus).toEqual(fromMachineInfo.cpus);
  });
});

describe('parseLscpu on corrupted twins', () => {
  const file = 'utillinux-intel-xeon-x7550-4s.lscpu.txt';
  const failWith = (text: string) => {
    const e = thrown(() => parseLscpu(text, file));
    expect(e).toBeInstanceOf(InputError);
    expectMessageShape(e.message, file);
    return e.message;
  };
  const lines = fixtureText(file).split('\n');
  const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;

  it('names the file, line and column of a garbled row', () => {
    const n = lineOf('5,5,1,2,');
    const text = lines.map((l, i) => (i === n - 1 ? '5,x,1,2,,5,5,5,1' : l)).join('\n');
    expect(failWith(text)).toBe(`${file} line ${n}: column Core: expected an integer, got "x"`);
  });

  it('names the line of a stride list that disagrees with the table', () => {
    const n = lineOf('NUMA node2 CPU(s):');
    const text = lines.map((l, i) => (i === n - 1 ? 'NUMA node2 CPU(s):   1-61:8' : l)).join('\n');
    expect(failWith(text)).toBe(
      `${file} line ${lineOf('5,5,1,2,')}: cpu 5 is on node 2 here but in no "NUMA nodeN CPU(s):" line`,
    );
    const bad = lines.map((l, i) => (i === n - 1 ? 'NUMA node2 CPU(s):   1-61:0' : l)).join('\n');
    expect(failWith(bad)).toBe(`${file} line ${n}: invalid cpu range "1-61:0": stride must be at least 1`);
  });

  it('rejects text without a cpu table', () => {
    expect(failWith(lines.slice(0, lineOf('NUMA node3')).join('\n'))).toBe(
      `${file}: no lscpu -p or lscpu -e cpu table found`,
    );
  });
});
