// Tests parseGhwTopology on both real ghw JSON fixtures and on a corrupted twin.
import { InputError } from '../../../src/errors.js';
import { parseGhwTopology } from '../../../src/parse/ghw-topology.js';
import { toTopology } from '../../../src/parse/machine-description.js';
import { parseMachineInfo } from '../../../src/parse/machineinfo.js';
import {
  expectFacts,
  expectMessageShape,
  fixtureText,
  fixturesEndingWith,
  thrown,
  type TopologyFacts,
} from './topology-facts.js';

const read = (file: string) => parseGhwTopology(fixtureText(file), file);

/** The ghw fields the corrupted twins change. */
interface GhwDoc {
  cpu: { processors: { cores: unknown[] }[] };
  topology: { nodes: { cores: { logical_processors: unknown }[]; caches: { level: unknown }[] }[] };
}

// Facts from PROVENANCE.md and the files (cpu.processors[].cores, topology.nodes[].caches level 3).
const cases: readonly (TopologyFacts & { readonly file: string })[] = [
  {
    // 2x EPYC 9654: 384 threads, 2 NUMA nodes, 12 L3 caches of 16 CPUs per socket = 24 uncores.
    file: 'debugtools-amd-epyc-9654-2s.ghw-topology.json',
    cpus: '0-383',
    numa: { 0: '0-95,192-287', 1: '96-191,288-383' },
    sockets: { 0: '0-95,192-287', 1: '96-191,288-383' },
    cores: 192,
    cpusPerCore: 2,
    uncores: 24,
    numaFirst: true,
    uncoreCpus: { 0: '0-7,192-199', 11: '88-95,280-287', 12: '96-103,288-295', 23: '184-191,376-383' },
    coreOf: { 2: '2,194', 200: '8,200' },
  },
  {
    // Ryzen 9 5950X: 16C/32T, 2 L3 caches (CCDs), 1 NUMA node.
    file: 'debugtools-amd-ryzen9-5950x.ghw-topology.json',
    cpus: '0-31',
    numa: { 0: '0-31' },
    sockets: { 0: '0-31' },
    cores: 16,
    cpusPerCore: 2,
    uncores: 2,
    numaFirst: true,
    uncoreCpus: { 0: '0-7,16-23', 1: '8-15,24-31' },
    coreOf: { 18: '2,18' },
  },
];

describe('parseGhwTopology on the real fixtures', () => {
  it('has a case for every ghw JSON fixture', () => {
    expect(cases.map((c) => c.file).sort()).toEqual(fixturesEndingWith('.ghw-topology.json'));
  });

  it.each(cases)('$file', (c) => {
    const desc = read(c.file);
    expect(desc.source).toBe(c.file);
    expectFacts(toTopology(desc), c);
  });

  it('reads usable memory and distances per node; ghw has no hugepage counts', () => {
    const epyc = read('debugtools-amd-epyc-9654-2s.ghw-topology.json');
    expect(epyc.memory).toEqual([
      { numa: 0, memory: 405255061504n, hugepages: {} },
      { numa: 1, memory: 405726711808n, hugepages: {} },
    ]);
    expect(epyc.distances).toEqual([
      [10, 32],
      [32, 10],
    ]);
  });

  it('numbers the L3 caches as cAdvisor v0.49 did on another 5950X', () => {
    const ghw = toTopology(read('debugtools-amd-ryzen9-5950x.ghw-topology.json'));
    const file = 'cpumgrx-amd-ryzen9-5950x-2ccd.cadvisor-v0.49.machineinfo.json';
    const cadvisor = toTopology(parseMachineInfo(fixtureText(file), file));
    expect(ghw.cpus).toEqual(cadvisor.cpus);
  });
});

describe('parseGhwTopology on corrupted twins', () => {
  const file = 'debugtools-amd-ryzen9-5950x.ghw-topology.json';
  const failWith = (change: (doc: GhwDoc) => void) => {
    const doc = JSON.parse(fixtureText(file)) as GhwDoc;
    change(doc);
    const e = thrown(() => parseGhwTopology(JSON.stringify(doc), file));
    expect(e).toBeInstanceOf(InputError);
    expectMessageShape(e.message, file);
    return e.message;
  };

  it('names the file and the field path', () => {
    expect(failWith((doc) => (doc.topology.nodes[0]!.cores[5]!.logical_processors = 'oops'))).toBe(
      `${file} topology.nodes[0].cores[5].logical_processors: expected a non-empty array of integers, got "oops"`,
    );
    expect(failWith((doc) => (doc.topology.nodes[0]!.caches[3]!.level = 'L3'))).toBe(
      `${file} topology.nodes[0].caches[3].level: expected an integer >= 1, got "L3"`,
    );
    expect(
      failWith((doc) => {
        doc.cpu.processors[0]!.cores.pop();
      }),
    ).toMatch(
      /^debugtools-amd-ryzen9-5950x\.ghw-topology\.json topology\.nodes\[0\]\.cores\[\d+\]\.logical_processors: cpu \d+ is in no cpu\.processors\[\]\.cores\[\]$/,
    );
  });

  it('names the file of cut-off text', () => {
    const text = fixtureText(file);
    const e = thrown(() => parseGhwTopology(text.slice(0, 1000), file));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message.startsWith(`${file}: invalid json: `)).toBe(true);
  });
});
