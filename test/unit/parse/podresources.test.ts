// Tests the PodResources readers on the real `List` dump (OpenShift 4.11 must-gather), on the same
// response spelled the protojson way, on a 1.37-style response with every field, and on
// corrupted twins of the real dump.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../src/errors.js';
import type { PodResourcesList } from '../../../src/model/pod-resources.js';
import { parseAllocatableResources, parsePodResourcesList } from '../../../src/parse/podresources.js';
import { expectMessageShape, thrown } from './topology-facts.js';

const REAL = 'ocp-4.11-gcp-worker-memmgr.podresources-list.json';
const realText = readFileSync(
  path.resolve(process.cwd(), '../shared/fixtures/real/podresources', REAL),
  'utf8',
);

/** The real dump as a mutable document, for twins. */
interface RealDoc {
  pod_resources: {
    name: string;
    namespace: string;
    containers: {
      name: string;
      cpu_ids?: unknown;
      memory?: { memory_type?: unknown; size?: unknown; topology?: { nodes: Record<string, unknown>[] } }[];
    }[];
  }[];
}
const realDoc = (): RealDoc => JSON.parse(realText) as RealDoc;

function inputError(fn: () => unknown, source: string): string {
  const e = thrown(fn);
  if (!(e instanceof InputError)) throw new Error(`expected an InputError, got ${String(e)}`);
  const line = e.oneLine();
  expectMessageShape(line, source);
  return line;
}

const emptyContainer = (name: string) => ({
  name,
  cpuIds: [],
  memory: [],
  devices: [],
  dynamicResources: [],
});

describe('parsePodResourcesList on the real OpenShift 4.11 dump (Go encoding/json, proto field names)', () => {
  const list = parsePodResourcesList(realText, REAL);

  it('lists the 14 pods with their namespaces and containers in response order', () => {
    expect(list.pods.map((p) => [p.namespace, p.name, p.containers.map((c) => c.name)])).toEqual([
      [
        'openshift-cluster-csi-drivers',
        'gcp-pd-csi-driver-node-4cvk2',
        ['csi-driver', 'csi-node-driver-registrar', 'csi-liveness-probe'],
      ],
      ['openshift-network-diagnostics', 'network-check-target-6fmm2', ['network-check-target-container']],
      ['openshift-sdn', 'sdn-hb6p7', ['sdn', 'kube-rbac-proxy']],
      ['openshift-multus', 'multus-additional-cni-plugins-vk62t', ['kube-multus-additional-cni-plugins']],
      [
        'openshift-machine-config-operator',
        'machine-config-daemon-9t2j5',
        ['machine-config-daemon', 'oauth-proxy'],
      ],
      ['openshift-ingress-canary', 'ingress-canary-ncmr5', ['serve-healthcheck-canary']],
      ['openshift-dns', 'dns-default-sb6qq', ['dns', 'kube-rbac-proxy']],
      ['openshift-cluster-node-tuning-operator', 'tuned-xw8wp', ['tuned']],
      ['openshift-monitoring', 'node-exporter-dx5p8', ['node-exporter', 'kube-rbac-proxy']],
      ['perf-node-gather', 'perf-node-gather-daemonset-g265c', ['node-probe']],
      ['openshift-image-registry', 'node-ca-qsr2b', ['node-ca']],
      ['openshift-multus', 'network-metrics-daemon-88j6s', ['network-metrics-daemon', 'kube-rbac-proxy']],
      ['openshift-multus', 'multus-tz54s', ['kube-multus']],
      ['openshift-dns', 'node-resolver-jt7kg', ['dns-node-resolver']],
    ]);
  });

  it('reads the one memory-manager block: node-probe holds 256 MiB of memory on NUMA 0', () => {
    const probe = list.pods.find((p) => p.name === 'perf-node-gather-daemonset-g265c');
    expect(probe).toEqual({
      name: 'perf-node-gather-daemonset-g265c',
      namespace: 'perf-node-gather',
      cpuIds: [],
      memory: [],
      containers: [
        {
          name: 'node-probe',
          cpuIds: [],
          memory: [{ type: 'memory', size: 268435456n, numa: [0] }],
          devices: [],
          dynamicResources: [],
        },
      ],
    });
  });

  it('has no cpu ids, devices or pod-level fields anywhere (a 1.24 kubelet, no exclusive CPUs)', () => {
    for (const pod of list.pods) {
      expect(pod.cpuIds).toEqual([]);
      expect(pod.memory).toEqual([]);
      for (const c of pod.containers) {
        expect(c.cpuIds).toEqual([]);
        expect(c.devices).toEqual([]);
        expect(c.dynamicResources).toEqual([]);
        if (c.name !== 'node-probe') expect(c).toEqual(emptyContainer(c.name));
      }
    }
  });
});

/** The real response as protojson would print it: lowerCamelCase, 64-bit integers as strings, zeros left out. */
function protojsonTwin(): string {
  const doc = realDoc();
  return JSON.stringify(
    {
      podResources: doc.pod_resources.map((p) => ({
        name: p.name,
        namespace: p.namespace,
        containers: p.containers.map((c) => ({
          name: c.name,
          ...(c.memory === undefined
            ? {}
            : {
                memory: c.memory.map((m) => ({
                  memoryType: m.memory_type,
                  size: String(m.size),
                  topology: { nodes: m.topology?.nodes.map(() => ({})) },
                })),
              }),
        })),
      })),
    },
    null,
    2,
  );
}

describe('parsePodResourcesList: naming styles and number forms', () => {
  const fromReal = parsePodResourcesList(realText, REAL);

  it('reads the protojson spelling of the same response to the same result', () => {
    const text = protojsonTwin();
    expect(text).toContain('"podResources"');
    expect(text).toContain('"memoryType": "memory"');
    expect(text).toContain('"size": "268435456"');
    expect(parsePodResourcesList(text, 'protojson.json')).toEqual(fromReal);
  });

  it('reads NUMA node ids and memory sizes given as strings or numbers, and {} as node 0', () => {
    const doc = (size: unknown, node: unknown) =>
      JSON.stringify({
        pod_resources: [
          {
            name: 'p',
            namespace: 'ns',
            containers: [
              { name: 'c', memory: [{ memory_type: 'memory', size, topology: { nodes: [node] } }] },
            ],
          },
        ],
      });
    const memoryOf = (list: PodResourcesList) => list.pods[0]?.containers[0]?.memory;
    expect(memoryOf(parsePodResourcesList(doc(268435456, { ID: 1 }), 'x'))).toEqual([
      { type: 'memory', size: 268435456n, numa: [1] },
    ]);
    expect(memoryOf(parsePodResourcesList(doc('268435456', { ID: '1' }), 'x'))).toEqual([
      { type: 'memory', size: 268435456n, numa: [1] },
    ]);
    expect(memoryOf(parsePodResourcesList(doc('268435456', {}), 'x'))).toEqual([
      { type: 'memory', size: 268435456n, numa: [0] },
    ]);
    // uint64 beyond 2^53 is exact only as a string
    expect(memoryOf(parsePodResourcesList(doc('18446744073709551615', { id: 0 }), 'x'))).toEqual([
      { type: 'memory', size: 18446744073709551615n, numa: [0] },
    ]);
  });

  it('reads a 1.37 protojson response with pod-level fields, devices and DRA, in canonical order', () => {
    // Written for this test in the shape protojson gives (not captured from a cluster).
    const text = JSON.stringify({
      podResources: [
        {
          name: 'db-0',
          namespace: 'db',
          cpuIds: ['36', '1', '2', '3', '4', '33', '34', '35'],
          memory: [
            { memoryType: 'memory', size: '17179869184', topology: { nodes: [{}] } },
            { memoryType: 'hugepages-1Gi', size: '2147483648', topology: { nodes: [{}] } },
          ],
          containers: [
            { name: 'metrics-exporter' },
            {
              name: 'database',
              cpuIds: ['35', '1', '2', '3', '33', '34'],
              memory: [{ memoryType: 'memory', size: '12884901888', topology: { nodes: [{ ID: '1' }, {}] } }],
              devices: [
                { resourceName: 'vendor.com/nic', deviceIds: ['vf-2'], topology: { nodes: [{}] } },
                { resourceName: 'vendor.com/gpu', deviceIds: ['gpu-1', 'gpu-0'] },
              ],
              dynamicResources: [
                {
                  claimName: 'gpu-claim',
                  claimNamespace: 'db',
                  claimResources: [
                    {
                      cdiDevices: [{ name: 'vendor.com/gpu=gpu-0' }],
                      driverName: 'gpu.vendor.com',
                      poolName: 'worker-1',
                      deviceName: 'gpu-0',
                      shareId: 'share-7',
                    },
                    { driverName: 'gpu.vendor.com', poolName: 'worker-1', deviceName: 'gpu-1' },
                  ],
                },
              ],
              someFutureField: { ignored: true },
            },
          ],
        },
      ],
    });
    expect(parsePodResourcesList(text, 'x')).toEqual({
      pods: [
        {
          name: 'db-0',
          namespace: 'db',
          cpuIds: [1, 2, 3, 4, 33, 34, 35, 36],
          memory: [
            { type: 'hugepages-1Gi', size: 2147483648n, numa: [0] },
            { type: 'memory', size: 17179869184n, numa: [0] },
          ],
          containers: [
            emptyContainer('metrics-exporter'),
            {
              name: 'database',
              cpuIds: [1, 2, 3, 33, 34, 35],
              memory: [{ type: 'memory', size: 12884901888n, numa: [0, 1] }],
              devices: [
                { resourceName: 'vendor.com/gpu', deviceIds: ['gpu-0', 'gpu-1'], numa: [] },
                { resourceName: 'vendor.com/nic', deviceIds: ['vf-2'], numa: [0] },
              ],
              dynamicResources: [
                {
                  claimName: 'gpu-claim',
                  claimNamespace: 'db',
                  claimResources: [
                    {
                      driver: 'gpu.vendor.com',
                      pool: 'worker-1',
                      device: 'gpu-0',
                      cdiDevices: ['vendor.com/gpu=gpu-0'],
                      shareId: 'share-7',
                    },
                    {
                      driver: 'gpu.vendor.com',
                      pool: 'worker-1',
                      device: 'gpu-1',
                      cdiDevices: [],
                      shareId: null,
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('reads the same response with proto field names, null lists and numbers', () => {
    const text = JSON.stringify({
      pod_resources: [
        {
          name: 'db-0',
          namespace: 'db',
          cpu_ids: [4, 3],
          memory: null,
          containers: [
            {
              name: 'database',
              cpu_ids: [3],
              devices: [{ resource_name: 'vendor.com/gpu', device_ids: ['gpu-0'], topology: null }],
              dynamic_resources: [
                {
                  claim_name: 'c',
                  claim_namespace: 'db',
                  claim_resources: [
                    {
                      cdi_devices: [{ name: 'x=y' }],
                      driver_name: 'd',
                      pool_name: 'p',
                      device_name: 'n',
                      share_id: 's',
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const pod = parsePodResourcesList(text, 'x').pods[0];
    expect(pod?.cpuIds).toEqual([3, 4]);
    expect(pod?.memory).toEqual([]);
    expect(pod?.containers[0]).toEqual({
      name: 'database',
      cpuIds: [3],
      memory: [],
      devices: [{ resourceName: 'vendor.com/gpu', deviceIds: ['gpu-0'], numa: [] }],
      dynamicResources: [
        {
          claimName: 'c',
          claimNamespace: 'db',
          claimResources: [{ driver: 'd', pool: 'p', device: 'n', cdiDevices: ['x=y'], shareId: 's' }],
        },
      ],
    });
  });

  it('reads an empty response ({}) as no pods', () => {
    expect(parsePodResourcesList('{}', 'x')).toEqual({ pods: [] });
    expect(parsePodResourcesList('{"pod_resources":null}\n', 'x')).toEqual({ pods: [] });
  });
});

describe('parseAllocatableResources', () => {
  it('reads protojson (strings) and Go JSON (numbers) to the same canonical result', () => {
    const protojson = JSON.stringify({
      cpuIds: ['3', '1', '2', '33', '32', '34', '35'],
      memory: [
        { memoryType: 'memory', size: '68719476736', topology: { nodes: [{ ID: '1' }] } },
        { memoryType: 'memory', size: '67566043136', topology: { nodes: [{}] } },
        { memoryType: 'hugepages-2Mi', size: '1073741824', topology: { nodes: [{ ID: '1' }] } },
      ],
      devices: [{ resourceName: 'vendor.com/nic', deviceIds: ['vf-0'], topology: { nodes: [{ ID: '1' }] } }],
    });
    const goJson = JSON.stringify({
      devices: [{ resource_name: 'vendor.com/nic', device_ids: ['vf-0'], topology: { nodes: [{ ID: 1 }] } }],
      cpu_ids: [1, 2, 3, 32, 33, 34, 35],
      memory: [
        { memory_type: 'hugepages-2Mi', size: 1073741824, topology: { nodes: [{ ID: 1 }] } },
        { memory_type: 'memory', size: 67566043136, topology: { nodes: [{ ID: 0 }] } },
        { memory_type: 'memory', size: 68719476736, topology: { nodes: [{ ID: 1 }] } },
      ],
    });
    const expected = {
      cpuIds: [1, 2, 3, 32, 33, 34, 35],
      memory: [
        { type: 'hugepages-2Mi', size: 1073741824n, numa: [1] },
        { type: 'memory', size: 67566043136n, numa: [0] },
        { type: 'memory', size: 68719476736n, numa: [1] },
      ],
      devices: [{ resourceName: 'vendor.com/nic', deviceIds: ['vf-0'], numa: [1] }],
    };
    expect(parseAllocatableResources(protojson, 'a.json')).toEqual(expected);
    expect(parseAllocatableResources(goJson, 'a.json')).toEqual(expected);
    expect(parseAllocatableResources('{}', 'a.json')).toEqual({ cpuIds: [], memory: [], devices: [] });
  });

  it('names the path of a wrong type', () => {
    expect(inputError(() => parseAllocatableResources('{"cpu_ids":[1,"x"]}', 'a.json'), 'a.json')).toBe(
      'a.json cpu_ids[1]: expected a non-negative integer, got "x"',
    );
  });
});

describe('parsePodResourcesList on corrupted twins of the real dump', () => {
  /** The real dump with one change to the memory block of node-probe (pod 9, container 0). */
  function twin(change: (doc: RealDoc) => void): string {
    const doc = realDoc();
    change(doc);
    return JSON.stringify(doc);
  }
  const probe = (doc: RealDoc) => doc.pod_resources[9]!.containers[0]!;
  const block = (doc: RealDoc) => probe(doc).memory![0]!;

  it.each<[string, (doc: RealDoc) => void, string]>([
    [
      'a boolean size',
      (d) => (block(d).size = true),
      'pod_resources[9].containers[0].memory[0].size: expected an unsigned 64-bit integer, got true',
    ],
    [
      'a fractional size',
      (d) => (block(d).size = 1.5),
      'pod_resources[9].containers[0].memory[0].size: expected an unsigned 64-bit integer, got 1.5',
    ],
    [
      'a negative size string',
      (d) => (block(d).size = '-1'),
      'pod_resources[9].containers[0].memory[0].size: expected an unsigned 64-bit integer, got "-1"',
    ],
    [
      'a size string beyond uint64',
      (d) => (block(d).size = '18446744073709551616'),
      'pod_resources[9].containers[0].memory[0].size: expected an unsigned 64-bit integer, got "18446744073709551616"',
    ],
    [
      'a numeric memory type',
      (d) => (block(d).memory_type = 7),
      'pod_resources[9].containers[0].memory[0].memory_type: expected a string, got 7',
    ],
    [
      'a NUMA id that is not a number',
      (d) => (block(d).topology!.nodes[0]!.ID = 'zero'),
      'pod_resources[9].containers[0].memory[0].topology.nodes[0].ID: expected a non-negative integer, got "zero"',
    ],
    [
      'a cpu list written as a string',
      (d) => (probe(d).cpu_ids = '1-3'),
      'pod_resources[9].containers[0].cpu_ids: expected an array, got "1-3"',
    ],
    [
      'a negative cpu id',
      (d) => (probe(d).cpu_ids = [2, -1]),
      'pod_resources[9].containers[0].cpu_ids[1]: expected a non-negative integer, got -1',
    ],
    [
      'a memory list that is an object',
      (d) => ((probe(d) as { memory: unknown }).memory = { memory_type: 'memory' }),
      'pod_resources[9].containers[0].memory: expected an array, got an object',
    ],
    [
      'a container that is a string',
      (d) => ((d.pod_resources[3] as { containers: unknown }).containers = ['kube-multus']),
      'pod_resources[3].containers[0]: expected an object, got "kube-multus"',
    ],
  ])('%s is an InputError naming the source and the JSON path', (_, change, why) => {
    expect(inputError(() => parsePodResourcesList(twin(change), REAL), REAL)).toBe(`${REAL} ${why}`);
  });

  it('a field under both of its names is an InputError', () => {
    const text = twin((d) => {
      probe(d).cpu_ids = [1];
      (probe(d) as Record<string, unknown>).cpuIds = ['1'];
    });
    expect(inputError(() => parsePodResourcesList(text, REAL), REAL)).toBe(
      `${REAL} pod_resources[9].containers[0]: "cpu_ids" and "cpuIds" name the same field; keep one`,
    );
  });

  it('a size too large for a json number is an InputError that says to write it as a string', () => {
    const text = realText.replace('"size":268435456', '"size":18446744073709551615');
    expect(inputError(() => parsePodResourcesList(text, REAL), REAL)).toBe(
      `${REAL} pod_resources[9].containers[0].memory[0].size: 18446744073709552000 is too large to be read exactly as a json number; write it as a string`,
    );
  });

  it('a top-level array or null is an InputError', () => {
    expect(inputError(() => parsePodResourcesList('[]', REAL), REAL)).toBe(
      `${REAL}: expected an object, got an array`,
    );
    expect(inputError(() => parsePodResourcesList('null', REAL), REAL)).toBe(
      `${REAL}: expected an object, got null`,
    );
  });

  it('the dump cut in half (between two pods) is an InputError at the end of the input', () => {
    const text = realText.slice(0, realText.indexOf('{"name":"tuned-xw8wp"'));
    expect(text.endsWith('},')).toBe(true);
    expect(inputError(() => parsePodResourcesList(text, REAL), REAL)).toBe(
      `${REAL}: line 1 column ${text.length + 1}: invalid json: unexpected end of input; the file looks truncated`,
    );
  });

  it('the dump cut inside a string is an InputError at the end of the input', () => {
    const text = realText.slice(0, realText.indexOf('node-probe') + 4);
    expect(inputError(() => parsePodResourcesList(text, REAL), REAL)).toMatch(
      new RegExp(
        `^${REAL.replace(/\./g, '\\.')}: line 1 column \\d+: invalid json: unterminated string; the file looks truncated$`,
      ),
    );
  });

  it('a syntax error in pretty-printed JSON names its line and column', () => {
    const pretty = JSON.stringify(JSON.parse(realText), null, 2).replace('"node-probe",', '"node-probe"');
    const line = inputError(() => parsePodResourcesList(pretty, REAL), REAL);
    const lines = pretty.split('\n');
    const row = lines.findIndex((l) => l.includes('"node-probe"')) + 2;
    expect(line).toBe(
      `${REAL}: line ${row} column 11: invalid json: expected ',' or '}' after property value`,
    );
  });

  it('an unexpected character where the engine gives no position still makes one line', () => {
    const text = realText.replace('{"name":"tuned"}', '{"name":tuned}');
    const line = inputError(() => parsePodResourcesList(text, REAL), REAL);
    expect(line).toMatch(new RegExp(`^${REAL.replace(/\./g, '\\.')}: (line 1 column \\d+: )?invalid json: `));
  });

  it('an empty file is an InputError', () => {
    expect(inputError(() => parsePodResourcesList('\n', REAL), REAL)).toBe(
      `${REAL}: line 2 column 1: invalid json: empty input`,
    );
  });
});
