// Tests the NodeObservation reader on what `collect` prints (the golden document of the collect
// test, made from the real sysfs of nto-bm-worker1 and real checkpoint files) and on the observation
// fixture of the snapshot tests, in JSON and YAML; the spellings kubelet responses may come in
// (cli.md §8.6); and corrupted twins, each error naming the file, the field path and the line.

import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { InputError } from '../../../src/errors.js';
import { parseObservation } from '../../../src/parse/observation.js';

const GOLDEN = 'test/golden/collect/worker-1.json';
const SNAPSHOT_FIXTURE = 'test/fixtures/snapshot/observation-worker-1.json';
const goldenText = readFileSync(GOLDEN, 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the twins edit any path of a parsed document
type Doc = Record<string, any>;
const goldenDoc = (): Doc => JSON.parse(goldenText) as Doc;
const text = (doc: unknown) => JSON.stringify(doc, null, 2);

function error(input: string, file = 'obs.json'): string {
  try {
    parseObservation(input, file);
  } catch (e) {
    if (e instanceof InputError) return e.oneLine();
    throw e;
  }
  throw new Error('expected an InputError');
}

/** The 1-based line of the first line of `input` containing `needle`. */
function lineOf(input: string, needle: string): number {
  const i = input.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in the input`);
  return i + 1;
}

describe('documents collect prints', () => {
  it('the golden collect output reads back unchanged', () => {
    expect(parseObservation(goldenText, GOLDEN)).toEqual(JSON.parse(goldenText));
  });

  it('the same document as YAML', () => {
    expect(parseObservation(stringify(goldenDoc()), 'obs.yaml')).toEqual(JSON.parse(goldenText));
  });

  it("the snapshot tests' observation fixture", () => {
    const fixture = readFileSync(SNAPSHOT_FIXTURE, 'utf8');
    expect(parseObservation(fixture, SNAPSHOT_FIXTURE)).toEqual(JSON.parse(fixture));
  });

  it('a node where every source failed: nulls, no cgroups, errors', () => {
    const doc = {
      ...goldenDoc(),
      cgroupVersion: null,
      topology: null,
      podResources: {
        socket: '/host/var/lib/kubelet/pod-resources/kubelet.sock',
        list: null,
        allocatable: null,
      },
      checkpoints: { cpuManager: null, memoryManager: null },
      cgroups: [],
      errors: [
        { source: 'topology', path: '/host/sys/devices/system/cpu', message: 'cannot read it' },
        { source: 'cgroup', path: null, message: 'no cgroup' },
      ],
    };
    expect(parseObservation(text(doc), 'obs.json')).toEqual(doc);
  });

  it('nullable fields may be left out', () => {
    const doc = goldenDoc();
    delete doc.kubeletVersion;
    delete doc.topology;
    delete doc.cgroups[0].cpuMax;
    const got = parseObservation(text(doc), 'obs.json');
    expect(got.kubeletVersion).toBeNull();
    expect(got.topology).toBeNull();
    expect(got.cgroups[0]?.cpuMax).toBeNull();
  });

  it('cpusets come back canonical', () => {
    const doc = goldenDoc();
    doc.cgroups[0].cpusetCpus = '3,1-2,0';
    expect(parseObservation(text(doc), 'obs.json').cgroups[0]?.cpusetCpus).toBe('0-3');
  });

  it('kubelet responses in protojson spelling (lowerCamelCase, 64-bit integers as strings), kept as they are', () => {
    const doc = goldenDoc();
    doc.podResources.list = {
      podResources: [
        {
          name: 'db-0',
          namespace: 'db',
          containers: [
            {
              name: 'db',
              cpuIds: ['6', '8'],
              memory: [{ memoryType: 'memory', size: '12884901888', topology: { nodes: [{}] } }],
            },
          ],
        },
      ],
    };
    doc.podResources.allocatable = {
      cpuIds: ['1', '2'],
      memory: [{ memoryType: 'hugepages-1Gi', size: '1073741824' }],
    };
    expect(parseObservation(text(doc), 'obs.json').podResources).toEqual(doc.podResources);
  });
});

describe('corrupted twins', () => {
  it("a CPU's NUMA node as a string (the cli.md example)", () => {
    const doc = goldenDoc();
    doc.topology.cpus[3].numa = 'a';
    const t = text(doc);
    expect(error(t)).toBe(
      `obs.json topology.cpus[3].numa: expected integer, got "a" (line ${lineOf(t, '"numa": "a"')})`,
    );
  });

  it('an unknown envelope field, with the known ones as the hint', () => {
    const t = text({ ...goldenDoc(), nodeName: 'worker-1' });
    expect(error(t)).toBe(
      `obs.json nodeName: unknown field (line ${lineOf(t, '"nodeName"')}); known fields: apiVersion, kind, node, collectedAt, collectorVersion, kubeletVersion, hostRoot, kubeletRootDir, cgroupVersion, topology, podResources, checkpoints, cgroups, errors`,
    );
  });

  it.each([
    [
      'cgroups[2]',
      (d: Doc) => (d.cgroups[2].cpuQuota = 5),
      'obs.json cgroups[2].cpuQuota: unknown field',
      '"cpuQuota"',
    ],
    [
      'cpuStat',
      (d: Doc) => (d.cgroups[1].cpuStat.usageUsec = 5),
      'obs.json cgroups[1].cpuStat.usageUsec: unknown field',
      '"usageUsec"',
    ],
    [
      'podResources',
      (d: Doc) => (d.podResources.get = null),
      'obs.json podResources.get: unknown field',
      '"get"',
    ],
    [
      'checkpoints',
      (d: Doc) => (d.checkpoints.cpuManager.checksum = 1),
      'obs.json checkpoints.cpuManager.checksum: unknown field',
      '"checksum"',
    ],
    [
      'a generated topology',
      (d: Doc) => (d.topology.generate = { coresPerSocket: 2 }),
      'obs.json topology.generate: unknown field',
      '"generate"',
    ],
  ])('an unknown field in %s', (_name, edit, message, needle) => {
    const doc = goldenDoc();
    edit(doc);
    const t = text(doc);
    expect(error(t)).toMatch(
      new RegExp(`^${message.replace(/[.[\]]/g, '\\$&')} \\(line ${lineOf(t, needle)}\\); known fields: `),
    );
  });

  it.each([
    ['node', (d: Doc) => delete d.node, 'obs.json node: required'],
    [
      'collectedAt',
      (d: Doc) => (d.collectedAt = '12 May 2026'),
      'obs.json collectedAt: expected an RFC 3339 time, got "12 May 2026"',
    ],
    [
      'cgroupVersion',
      (d: Doc) => (d.cgroupVersion = 3),
      'obs.json cgroupVersion: expected 1, 2 or null, got 3',
    ],
    [
      'containerId',
      (d: Doc) => (d.cgroups[1].containerId = 'cri-containerd-abc'),
      'obs.json cgroups[1].containerId: expected "" or a 64-digit hex container id, got "cri-containerd-abc"',
    ],
    [
      'cpusetCpus',
      (d: Doc) => (d.cgroups[1].cpusetCpus = '1-'),
      'obs.json cgroups[1].cpusetCpus: invalid cpu list element "1-"',
    ],
    [
      'cpuMax',
      (d: Doc) => (d.cgroups[1].cpuMax = '100000'),
      'obs.json cgroups[1].cpuMax: expected "<quota|max> <period>", got "100000"',
    ],
    [
      'cpuStat',
      (d: Doc) => (d.cgroups[1].cpuStat.nrThrottled = -1),
      'obs.json cgroups[1].cpuStat.nrThrottled: must be non-negative, got -1',
    ],
    [
      'errors',
      (d: Doc) => {
        (d.errors as unknown[]).push({ source: 'metrics', path: null, message: 'x' });
      },
      'obs.json errors[0].source: invalid value "metrics": expected one of "podresources", "checkpoint", "topology", "cgroup"',
    ],
    [
      'checkpoint content',
      (d: Doc) => (d.checkpoints.memoryManager.content = { policyName: 'None' }),
      'obs.json checkpoints.memoryManager.content: expected string, got a mapping',
    ],
    [
      'memory in a quantity',
      (d: Doc) => (d.topology.memory[0].memory = '93Gi'),
      'obs.json topology.memory[0].memory: expected integer, got "93Gi"',
    ],
    [
      'a duplicate CPU',
      (d: Doc) => (d.topology.cpus[5].id = 4),
      'obs.json topology.cpus[5].id: duplicate cpu id 4 (also cpus[4])',
    ],
  ])('%s', (_name, edit, message) => {
    const doc = goldenDoc();
    edit(doc);
    expect(error(text(doc))).toMatch(
      new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(line \\d+\\))?$`),
    );
  });

  it('a bad id inside the PodResources list: its path in the document and its line', () => {
    const doc = goldenDoc();
    doc.podResources.list.pod_resources[1].containers[0].cpu_ids[2] = 'x';
    const t = text(doc);
    const line = t.split('\n').findIndex((l) => /^\s*"x",?$/.test(l)) + 1;
    expect(line).toBeGreaterThan(1);
    expect(error(t)).toBe(
      `obs.json podResources.list.pod_resources[1].containers[0].cpu_ids[2]: expected a non-negative integer, got "x" (line ${line})`,
    );
  });

  it('a list that is no object', () => {
    const doc = goldenDoc();
    doc.podResources.allocatable = [1, 2];
    const t = text(doc);
    expect(error(t)).toBe(
      `obs.json podResources.allocatable: expected mapping, got a list (line ${lineOf(t, '"allocatable"')})`,
    );
  });

  it('another document kind or version', () => {
    expect(error(text({ ...goldenDoc(), kind: 'Scenario' }))).toBe(
      'obs.json: kind "Scenario" is not "NodeObservation"; replay scenarios with kubectl podres simulate -f',
    );
    expect(error(text({ ...goldenDoc(), kind: 'Snapshot' }))).toBe(
      'obs.json: kind "Snapshot" is not "NodeObservation"; read snapshots with --snapshot',
    );
    expect(error(text({ ...goldenDoc(), apiVersion: 'podres/v1' }))).toBe(
      'obs.json: apiVersion "podres/v1" is not "podres/v1alpha1"; collect it again with this version of kubectl podres',
    );
  });

  it('truncated JSON: the line and column', () => {
    const cut = goldenText.slice(0, 2000);
    expect(error(cut)).toMatch(/^obs\.json: invalid YAML at line \d+ column \d+: \S/);
  });

  it('broken YAML, two documents, nothing at all; stdin named <stdin>', () => {
    expect(error('kind: NodeObservation\n  node: [x\n', 'obs.yaml')).toMatch(
      /^obs\.yaml: invalid YAML at line \d+ column \d+: /,
    );
    expect(error(`${stringify(goldenDoc())}---\n${stringify(goldenDoc())}`, 'obs.yaml')).toBe(
      'obs.yaml: expected one NodeObservation document, found 2',
    );
    expect(error('\n# nothing\n', 'obs.yaml')).toBe('obs.yaml: no NodeObservation document found');
    expect(error('[]', '-')).toBe('<stdin>: expected mapping, got a list (line 1)');
  });
});
