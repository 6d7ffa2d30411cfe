// Scenario files → SimulationInput (scenario-format.md, the input half): the spec's own example,
// generator numbering, explicit CPU lists, multi-document YAML and JSON, and every class of input
// error with its file, document, field path and line.

import { readFileSync } from 'node:fs';
import { InputError } from '../../../src/errors.js';
import { formatCpuList } from '../../../src/model/cpuset.js';
import { derivedUid } from '../../../src/scenario/v1-pod.js';
import { runSimulation } from '../../../src/model/simulate.js';
import { toSimulationOut } from '../../../src/render/simulation.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';

const Gi = 1n << 30n;

/** The example of scenario-format.md, made runnable: the 2×8×2 generator the spec's output uses
 * instead of the elided `cpus` list. */
function specExample(): string {
  const md = readFileSync('../shared/spec/scenario-format.md', 'utf8');
  const m = /```yaml\n([\s\S]*?)```/.exec(md);
  if (m?.[1] === undefined) throw new Error('no yaml block in scenario-format.md');
  const lines = m[1].split('\n');
  const out: string[] = [];
  let skippingCpus = false;
  for (const line of lines) {
    if (/^ {4}cpus:/.test(line)) {
      out.push(
        '    generate: {sockets: 2, numaNodesPerSocket: 1, coresPerSocket: 8, threadsPerCore: 2, uncoreCachesPerSocket: 1}',
      );
      skippingCpus = true;
      continue;
    }
    if (skippingCpus) {
      if (/^ {4}\S/.test(line) && !line.trimStart().startsWith('#')) skippingCpus = false;
      else continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.oneLine();
    throw e;
  }
  throw new Error('expected an InputError');
}

/** A minimal valid scenario; `node` and `pods` are YAML text indented as in the document. */
function scenario(parts: { node?: string; pods?: string; top?: string } = {}): string {
  return [
    'apiVersion: podres/v1alpha1', // line 1
    'kind: Scenario', // 2
    parts.top ?? 'name: s', // 3
    'node:', // 4
    parts.node ??
      [
        '  name: w1', // 5
        '  topology:', // 6
        '    generate: {sockets: 2, coresPerSocket: 4, threadsPerCore: 2}', // 7
        '  kubelet:', // 8
        '    cpuManagerPolicy: static', // 9
        '    reservedSystemCPUs: "0"', // 10
      ].join('\n'),
    parts.pods ?? 'pods: []',
    '',
  ].join('\n');
}

describe('parseScenarios: the example of scenario-format.md', () => {
  const [s] = parseScenarios(specExample(), 'scenario.yaml');
  it('reads the scenario and node fields', () => {
    expect(s?.name).toBe('tightly-coupled-database');
    expect(s?.fidelity).toBe('source');
    expect(s?.node.name).toBe('worker-1');
    expect(s?.node.config.kubeletVersion).toBe('1.36');
    expect(s?.warnings).toEqual([]);
  });

  it('builds the 2×8×2 machine: NUMA 0 = 0-7,16-23, siblings c and c+16', () => {
    const t = s!.node.topology;
    expect(t.all.size).toBe(32);
    expect(formatCpuList(t.cpusInNuma(0))).toBe('0-7,16-23');
    expect(formatCpuList(t.cpusInNuma(1))).toBe('8-15,24-31');
    expect(formatCpuList(t.cpusInCore(3))).toBe('3,19');
    expect(t.info(19).core).toBe(3);
    expect(t.memory).toEqual([
      { numa: 0, memory: 64n * Gi, hugepages: { 'hugepages-2Mi': 0n, 'hugepages-1Gi': 0n } },
      { numa: 1, memory: 64n * Gi, hugepages: {} },
    ]);
    expect(t.distances).toEqual([
      [10, 21],
      [21, 10],
    ]);
  });

  it('reads the kubelet configuration with gate defaults of 1.36', () => {
    const c = s!.node.config;
    expect(c.featureGates.PodLevelResources).toBe(true);
    expect(c.featureGates.PodLevelResourceManagers).toBe(true);
    expect(c.featureGates.CPUManagerPolicyBetaOptions).toBe(true);
    expect(c.cpuManagerPolicy).toBe('static');
    expect(c.cpuManagerPolicyOptions).toEqual({ 'full-pcpus-only': 'true' });
    expect(formatCpuList(c.reservedSystemCPUs!)).toBe('0,16');
    expect(c.topologyManagerPolicy).toBe('single-numa-node');
    expect(c.topologyManagerScope).toBe('pod');
    expect(c.memoryManagerPolicy).toBe('Static');
    expect(c.reservedMemory).toEqual([{ numaNode: 0, limits: { memory: 1100n << 20n } }]);
  });

  it('reads the starting CPU state and the pod with API defaulting applied', () => {
    expect(formatCpuList(s!.node.cpuState!.defaultCpuSet)).toBe('0-31');
    expect(s!.node.cpuState!.entries.size).toBe(0);
    expect(s!.pods).toEqual([
      {
        namespace: 'default',
        name: 'db',
        uid: derivedUid('default', 'db'),
        statusQosClass: null,
        podResources: {
          requests: { cpu: 8000, memory: 16n * Gi, hugepages: {} },
          limits: { cpu: 8000, memory: 16n * Gi, hugepages: {} },
        },
        initContainers: [],
        containers: [
          {
            name: 'database',
            type: 'app',
            resources: {
              requests: { cpu: 6000, memory: 12n * Gi, hugepages: {} },
              limits: { cpu: 6000, memory: 12n * Gi, hugepages: {} },
            },
          },
        ],
      },
    ]);
  });

  it('replays to the documented output, memory included', () => {
    const [doc] = parseScenarios(specExample(), 'scenario.yaml');
    const outcome = runSimulation(doc!);
    if (!outcome.ok) throw new Error(outcome.error);
    const out = toSimulationOut(outcome.result, { explain: false, warnings: [] });
    const pod = out.pods[0]!;
    expect(pod).toMatchObject({
      admitted: true,
      path: 'pod-level',
      numaAffinity: [0],
      podPool: { cpus: '1-4,17-20', memory: [{ type: 'memory', numa: [0], size: 17179869184 }] },
      podSharedPool: { cpus: '4,20', memory: [{ type: 'memory', numa: [0], size: 4294967296 }] },
      podCgroupCfsQuota: 'none',
    });
    expect(pod.containers[0]).toMatchObject({
      name: 'database',
      assignment: { cpu: 'pod_exclusive', memory: 'pod_exclusive' },
      cpus: '1-3,17-19',
      numaNodes: [0],
      memory: [{ type: 'memory', numa: [0], size: 12884901888 }],
      cfsQuota: 'none',
      cfsQuotaMillicores: null,
    });
    expect(pod.reported).toEqual({
      cpuIds: [],
      memory: [],
      containers: {
        database: {
          cpuIds: [1, 2, 3, 17, 18, 19],
          memory: [{ type: 'memory', numa: [0], size: 12884901888 }],
        },
      },
    });
    expect(out.reservedCpus).toBe('0,16');
    expect(out.nodeSharedPool).toEqual({ cpus: '0,5-16,21-31' });
    expect(out.metrics.resource_manager_allocations_total).toEqual({
      cpu: { pod: 1, node: 0 },
      memory: { pod: 1, node: 0 },
    });
    expect(out.metrics.resource_manager_container_assignments).toEqual({
      cpu: { node_exclusive: 0, pod_exclusive: 1, pod_shared: 0 },
      memory: { node_exclusive: 0, pod_exclusive: 1, pod_shared: 0 },
    });
    expect(out.metrics.kubelet_cpu_manager_pinning_requests_total).toBe(1);
    expect(out.metrics.kubelet_memory_manager_pinning_requests_total).toBe(2);
  });

  it('reads the empty memory manager state as a fresh kubelet', () => {
    const [doc] = parseScenarios(specExample(), 'scenario.yaml');
    expect(doc!.node.memoryState).toBeNull();
    expect(doc!.warnings).toEqual([]);
  });
});

describe('parseScenarios: topology', () => {
  it('generator defaults: one socket, one NUMA node, no SMT, one uncore cache', () => {
    const [s] = parseScenarios(scenario({ node: '  topology: {generate: {coresPerSocket: 4}}' }), 'f');
    const t = s!.node.topology;
    expect([t.all.size, t.sockets, t.numaNodes, t.uncores, t.cpusPerCore]).toEqual([4, [0], [0], [0], 1]);
    expect(s!.node.name).toBe('node');
    expect(s!.node.config.cpuManagerPolicy).toBe('none');
    expect(s!.node.cpuState).toBeNull();
  });

  it('generator: NUMA nodes and uncore caches split a socket evenly, in core order', () => {
    const [s] = parseScenarios(
      scenario({
        node: '  topology: {generate: {sockets: 2, numaNodesPerSocket: 2, coresPerSocket: 8, threadsPerCore: 2, uncoreCachesPerSocket: 4}}',
      }),
      'f',
    );
    const t = s!.node.topology;
    expect(formatCpuList(t.cpusInNuma(0))).toBe('0-3,16-19');
    expect(formatCpuList(t.cpusInNuma(3))).toBe('12-15,28-31');
    expect(formatCpuList(t.cpusInUncore(5))).toBe('10-11,26-27');
    expect(t.socketsOfNuma(2)).toEqual([1]);
  });

  it('explicit cpus: cores are renumbered to their lowest cpu id, uncoreCache defaults to the socket', () => {
    // Two sockets × 2 cores × 2 threads with sysfs-style core ids (0, 1 on each socket).
    const cpus = [
      [0, 0, 0],
      [1, 1, 0],
      [2, 0, 1],
      [3, 1, 1],
      [4, 0, 0],
      [5, 1, 0],
      [6, 0, 1],
      [7, 1, 1],
    ]
      .map(([id, core, socket]) => `      - {id: ${id}, core: ${core}, socket: ${socket}, numa: ${socket}}`)
      .join('\n');
    const [s] = parseScenarios(scenario({ node: `  topology:\n    cpus:\n${cpus}` }), 'f');
    const t = s!.node.topology;
    expect(t.cpus.map((c) => [c.id, c.core, c.uncore])).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [2, 2, 1],
      [3, 3, 1],
      [4, 0, 0],
      [5, 1, 0],
      [6, 2, 1],
      [7, 3, 1],
    ]);
    expect(formatCpuList(t.cpusInCore(2))).toBe('2,6');
  });

  it('memory: quantities or bytes; hugepages as total bytes', () => {
    const [s] = parseScenarios(
      scenario({
        node: [
          '  topology:',
          '    generate: {sockets: 2, coresPerSocket: 2}',
          '    memory:',
          '      - {numa: 1, memory: 1073741824, hugepages-1Gi: 2Gi}',
          '      - {numa: 0, memory: 1Gi, hugepages-2Mi: 4194304}',
        ].join('\n'),
      }),
      'f',
    );
    expect(s!.node.topology.memory).toEqual([
      { numa: 1, memory: Gi, hugepages: { 'hugepages-1Gi': 2n * Gi } },
      { numa: 0, memory: Gi, hugepages: { 'hugepages-2Mi': 4n << 20n } },
    ]);
  });
});

describe('parseScenarios: documents', () => {
  it('reads every document of a stream, skipping empty ones; doc numbers count them all', () => {
    const text = `${scenario({ top: 'name: one' })}---\n---\n${scenario({ top: 'name: two' })}---\n${scenario({ top: 'name: [' })}`;
    expect(errorOf(() => parseScenarios(text, 'multi.yaml'))).toMatch(
      /^multi\.yaml doc 4 line \d+ column \d+: invalid YAML: /,
    );
    const ok = `${scenario({ top: 'name: one' })}---\n---\n${scenario({ top: 'name: two' })}`;
    expect(parseScenarios(ok, 'multi.yaml').map((s) => s.name)).toEqual(['one', 'two']);
  });

  it('reads JSON', () => {
    const json = JSON.stringify({
      apiVersion: 'podres/v1alpha1',
      kind: 'Scenario',
      model: { fidelity: 'documented' },
      node: {
        name: 'j',
        kubeletVersion: '1.37',
        topology: { generate: { coresPerSocket: 2 } },
        kubelet: { featureGates: { PodLevelResourceManagers: true } },
      },
      pods: [
        {
          metadata: { name: 'p', uid: 'u' },
          spec: { containers: [{ name: 'c', resources: { limits: { cpu: 1 } } }] },
        },
      ],
    });
    const [s] = parseScenarios(json, 'scenario.json');
    expect(s?.fidelity).toBe('documented');
    expect(s?.node.config.kubeletVersion).toBe('1.37');
    expect(s?.node.config.featureGates.PodLevelResourceManagers).toBe(true);
    expect(s?.pods[0]?.containers[0]?.resources.requests.cpu).toBe(1000);
  });

  it('accepts an unquoted kubeletVersion 1.37 but not 1.370 or 1.4', () => {
    const v = (version: string) =>
      scenario({ node: `  kubeletVersion: ${version}\n  topology: {generate: {coresPerSocket: 2}}` });
    expect(parseScenarios(v('1.37'), 'f')[0]?.node.config.kubeletVersion).toBe('1.37');
    expect(errorOf(() => parseScenarios(v('1.370'), 'f'))).toBe(
      'f doc 1 node.kubeletVersion: unsupported kubelet version "1.370"; expected "1.36" or "1.37" (line 5)',
    );
    expect(errorOf(() => parseScenarios(v('"1.4"'), 'f'))).toBe(
      'f doc 1 node.kubeletVersion: unsupported kubelet version "1.4"; expected "1.36" or "1.37" (line 5)',
    );
  });

  it('names stdin "<stdin>" and refuses an input without scenarios', () => {
    expect(errorOf(() => parseScenarios('', '-'))).toBe('<stdin>: no scenario documents found');
    expect(errorOf(() => parseScenarios('# nothing\n---\n', 'x.yaml'))).toBe(
      'x.yaml: no scenario documents found',
    );
  });
});

describe('parseScenarios: starting CPU state', () => {
  const withState = (state: string) =>
    scenario({
      node: [
        '  topology: {generate: {sockets: 1, coresPerSocket: 4, threadsPerCore: 2}}',
        '  kubelet: {cpuManagerPolicy: static, reservedSystemCPUs: "0"}',
        `  state: {cpuManager: ${state}}`,
      ].join('\n'),
    });

  it('reads entries and pod entries', () => {
    const [s] = parseScenarios(
      withState(
        '{policyName: static, defaultCpuSet: "0,3-4,7", entries: {u1: {c: "1,5"}}, podEntries: {u2: {cpuSet: "2,6"}}, checksum: 123}',
      ),
      'f',
    );
    const st = s!.node.cpuState!;
    expect(formatCpuList(st.defaultCpuSet)).toBe('0,3-4,7');
    expect(formatCpuList(st.entries.get('u1')!.get('c')!)).toBe('1,5');
    expect(formatCpuList(st.podEntries.get('u2')!)).toBe('2,6');
  });

  it('a V4 checkpoint is read from its data string', () => {
    const data = JSON.stringify({
      policyName: 'static',
      defaultCpuSet: '0-3',
      entries: {},
      podEntries: { u: { cpuSet: '4-7' } },
    });
    const [s] = parseScenarios(
      withState(
        `{policyName: static, defaultCpuSet: "0-3", podEntries: {u: {cpuSet: "4-7"}}, checksum: 0, data: ${JSON.stringify(data)}, dataChecksum: 2026043837}`,
      ),
      'f',
    );
    expect(s?.warnings).toEqual([]);
    expect(formatCpuList(s!.node.cpuState!.podEntries.get('u')!)).toBe('4-7');
  });

  it('an empty default set without entries is a fresh kubelet', () => {
    expect(
      parseScenarios(withState('{policyName: static, defaultCpuSet: ""}'), 'f')[0]?.node.cpuState,
    ).toBeNull();
  });

  /** A JSON scenario on the 192-CPU EKS Outposts node (2 sockets × 48 cores × SMT-2) with its real checkpoint. */
  const eks = (mutate: (cp: Record<string, unknown>) => void = () => undefined): string => {
    const cp = JSON.parse(
      readFileSync(
        '../shared/fixtures/real/checkpoints/eks-outposts-1.30-cpu_manager_state.raw.json',
        'utf8',
      ),
    ) as Record<string, unknown>;
    mutate(cp);
    return JSON.stringify({
      apiVersion: 'podres/v1alpha1',
      kind: 'Scenario',
      node: {
        topology: { generate: { sockets: 2, coresPerSocket: 48, threadsPerCore: 2 } },
        kubelet: { cpuManagerPolicy: 'static', kubeReserved: { cpu: '550m' } },
        state: { cpuManager: cp },
      },
    });
  };

  it('a real checkpoint (EKS Outposts v1.30) with a valid checksum: read, no warning', () => {
    const [s] = parseScenarios(eks(), 'eks.json');
    expect(s?.warnings).toEqual([]);
    const st = s!.node.cpuState!;
    expect(formatCpuList(st.defaultCpuSet)).toBe('0,2-95,97-191');
    expect(
      formatCpuList(st.entries.get('b8292fdc-57b1-4bc4-937b-34cd3dd1bcb8')!.get('ubuntu-netutils')!),
    ).toBe('1');
  });

  it('a V4 data checksum mismatch is a warning', () => {
    const data = JSON.stringify({ policyName: 'static', defaultCpuSet: '0-7' });
    const [s] = parseScenarios(withState(`{data: ${JSON.stringify(data)}, dataChecksum: 1}`), 'f');
    expect(s?.warnings).toEqual([
      'f doc 1 node.state.cpuManager: data checksum mismatch (file 1, computed 3294586087)',
    ]);
  });

  it('a checksum that does not match the content is a warning, and the state is still used', () => {
    const [s] = parseScenarios(
      eks((cp) => {
        cp.defaultCpuSet = '0,2-96,98-191';
        cp.entries = { 'b8292fdc-57b1-4bc4-937b-34cd3dd1bcb8': { 'ubuntu-netutils': '1' }, u: { c: '97' } };
      }),
      'eks.json',
    );
    expect(s?.warnings).toHaveLength(1);
    expect(s?.warnings[0]).toMatch(
      /^eks\.json doc 1 node\.state\.cpuManager: checksum mismatch \(file 4076905443, computed \d+\)$/,
    );
    expect(formatCpuList(s!.node.cpuState!.entries.get('u')!.get('c')!)).toBe('97');
  });

  it('without a checksum nothing is verified', () => {
    const [s] = parseScenarios(
      eks((cp) => delete cp.checksum),
      'eks.json',
    );
    expect(s?.warnings).toEqual([]);
  });

  it.each([
    [
      '{policyName: none, defaultCpuSet: ""}',
      'f doc 1 node.state.cpuManager.policyName: checkpoint policy "none" differs from the configured cpuManagerPolicy "static" (line 7); the kubelet refuses to start with it; drop the state or change the policy',
    ],
    [
      '{policyName: static, defaultCpuSet: "0-9"}',
      'f doc 1 node.state.cpuManager.defaultCpuSet: cpus 8-9 are not in the topology (line 7)',
    ],
    [
      '{policyName: static, defaultCpuSet: "", entries: {u: {c: "1"}}}',
      'f doc 1 node.state.cpuManager.defaultCpuSet: the default cpu set cannot be empty when there are entries (line 7)',
    ],
    [
      '{policyName: static, defaultCpuSet: "0-7", entries: {abc123: "1"}}',
      'f doc 1 node.state.cpuManager.entries.abc123: a V1 checkpoint (entries keyed by container id) is not supported; V2 or later keys them by pod uid (line 7)',
    ],
    [
      '{policyName: static, defaultCpuSet: "0-7", extra: 1}',
      'f doc 1 node.state.cpuManager.extra: unknown field (line 7); known fields: policyName, defaultCpuSet, entries, podEntries, checksum, data, dataChecksum',
    ],
  ])('rejects %s', (state, message) => {
    expect(errorOf(() => parseScenarios(withState(state), 'f'))).toBe(message);
  });
});

describe('parseScenarios: input errors name file, document, path and line', () => {
  it.each<[string, string, string]>([
    [
      'unknown top-level field',
      scenario({ top: 'nmae: s' }),
      'scenario.yaml doc 1 nmae: unknown field (line 3); known fields: apiVersion, kind, name, model, node, pods',
    ],
    [
      'unknown node field',
      scenario({ node: '  topolgy: {generate: {coresPerSocket: 2}}' }),
      'scenario.yaml doc 1 node.topolgy: unknown field (line 5); known fields: name, kubeletVersion, topology, kubelet, state',
    ],
    [
      'bad quantity in a pod',
      scenario({
        pods: [
          'pods:', // 11
          '  - metadata: {name: a}', // 12
          '    spec: {containers: [{name: c}]}', // 13
          '  - metadata: {name: b}', // 14
          '    spec:', // 15
          '      containers:', // 16
          '        - name: c', // 17
          '          resources:', // 18
          '            limits:', // 19
          '              cpu: 2x', // 20
        ].join('\n'),
      }),
      'scenario.yaml doc 1 pods[1].spec.containers[0].resources.limits.cpu: invalid quantity "2x" (line 20)',
    ],
    [
      'container request above the pod-level request',
      scenario({
        pods: [
          'pods:', // 11
          '  - metadata: {name: a}', // 12
          '    spec:', // 13
          '      resources: {requests: {cpu: "2"}, limits: {cpu: "2"}}', // 14
          '      containers: [{name: c, resources: {requests: {cpu: "3"}, limits: {cpu: "3"}}}]', // 15
        ].join('\n'),
      }),
      'scenario.yaml doc 1 pods[0].spec.resources.requests.cpu: must be greater than or equal to the aggregate container requests of 3, got 2 (line 14)',
    ],
    [
      'container limit above the pod-level limit',
      scenario({
        pods: [
          'pods:', // 11
          '  - metadata: {name: a}', // 12
          '    spec:', // 13
          '      resources: {requests: {cpu: "2"}, limits: {cpu: "2"}}', // 14
          '      containers:', // 15
          '        - {name: c, resources: {requests: {cpu: "1"}, limits: {cpu: "3"}}}', // 16
        ].join('\n'),
      }),
      'scenario.yaml doc 1 pods[0].spec.containers[0].resources.limits.cpu: must be less than or equal to the pod-level cpu limit 2, got 3 (line 16)',
    ],
    [
      'aggregated container requests above the pod-level request',
      scenario({
        pods: [
          'pods:', // 11
          '  - metadata: {name: a}', // 12
          '    spec:', // 13
          '      resources: {requests: {cpu: "2"}}', // 14
          '      containers: [{name: c, resources: {requests: {cpu: "1"}}}, {name: d, resources: {requests: {cpu: "1500m"}}}]', // 15
        ].join('\n'),
      }),
      'scenario.yaml doc 1 pods[0].spec.resources.requests.cpu: must be greater than or equal to the aggregate container requests of 2500m, got 2 (line 14)',
    ],
    [
      'wrong enum value',
      scenario({
        node: '  topology: {generate: {coresPerSocket: 2}}\n  kubelet: {topologyManagerScope: Pod}',
      }),
      'scenario.yaml doc 1 node.kubelet.topologyManagerScope: invalid value "Pod": expected one of "container", "pod" (line 6)',
    ],
    [
      'wrong fidelity',
      scenario({ top: 'model: {fidelity: exact}' }),
      'scenario.yaml doc 1 model.fidelity: invalid value "exact": expected one of "source", "documented" (line 3)',
    ],
    [
      'both cpus and generate',
      scenario({
        node: [
          '  topology:',
          '    generate: {coresPerSocket: 2}',
          '    cpus: [{id: 0, core: 0, socket: 0, numa: 0}]',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology: cpus and generate cannot both be given; use exactly one (line 6)',
    ],
    [
      'neither cpus nor generate',
      scenario({ node: '  topology: {}' }),
      'scenario.yaml doc 1 node.topology: one of cpus or generate is required (line 5)',
    ],
    [
      'distances of the wrong size',
      scenario({
        node: [
          '  topology:',
          '    generate: {sockets: 2, coresPerSocket: 2}',
          '    distances: [[10, 21, 21], [21, 10, 21], [21, 21, 10]]',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology.distances: expected a 2x2 matrix (one row per numa node), got 3 rows (line 7)',
    ],
    [
      'a distance row of the wrong size',
      scenario({
        node: [
          '  topology:',
          '    generate: {sockets: 2, coresPerSocket: 2}',
          '    distances: [[10, 21], [21]]',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology.distances[1]: expected 2 distances (one per numa node), got 1 (line 7)',
    ],
    [
      'generator cores not divisible by NUMA nodes',
      scenario({ node: '  topology: {generate: {coresPerSocket: 6, numaNodesPerSocket: 4}}' }),
      'scenario.yaml doc 1 node.topology.generate.numaNodesPerSocket: coresPerSocket 6 does not divide evenly into 4 numaNodesPerSocket (line 5)',
    ],
    [
      'generator count not positive',
      scenario({ node: '  topology: {generate: {coresPerSocket: 0}}' }),
      'scenario.yaml doc 1 node.topology.generate.coresPerSocket: must be at least 1, got 0 (line 5)',
    ],
    [
      'generator without coresPerSocket',
      scenario({ node: '  topology: {generate: {sockets: 2}}' }),
      'scenario.yaml doc 1 node.topology.generate.coresPerSocket: required (line 5)',
    ],
    [
      'duplicate cpu id',
      scenario({
        node: [
          '  topology:',
          '    cpus:',
          '      - {id: 0, core: 0, socket: 0, numa: 0}',
          '      - {id: 0, core: 1, socket: 0, numa: 0}',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology.cpus[1].id: duplicate cpu id 0 (also cpus[0]) (line 8)',
    ],
    [
      'cpu id not an integer',
      scenario({ node: '  topology:\n    cpus:\n      - {id: a, core: 0, socket: 0, numa: 0}' }),
      'scenario.yaml doc 1 node.topology.cpus[0].id: expected integer, got "a" (line 7)',
    ],
    [
      'hyperthreads of one core on two NUMA nodes',
      scenario({
        node: [
          '  topology:',
          '    cpus:',
          '      - {id: 0, core: 0, socket: 0, numa: 0}',
          '      - {id: 1, core: 0, socket: 0, numa: 1}',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology.cpus[1].numa: core 0 of socket 0 is on numa node 0 in cpus[0] (line 8)',
    ],
    [
      'hugepages not a multiple of the page size',
      scenario({
        node: [
          '  topology:',
          '    generate: {coresPerSocket: 2}',
          '    memory: [{numa: 0, memory: 1Gi, hugepages-2Mi: 3Mi}]',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology.memory[0].hugepages-2Mi: 3145728 bytes is not a multiple of the page size 2097152; give total bytes, not a page count (line 7)',
    ],
    [
      'memory for a NUMA node without cpus',
      scenario({
        node: [
          '  topology:',
          '    generate: {coresPerSocket: 2}',
          '    memory: [{numa: 1, memory: 1Gi}]',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology.memory[0].numa: numa node 1 has no cpus in the topology (numa nodes: 0) (line 7)',
    ],
    [
      'unknown field in a memory entry',
      scenario({
        node: [
          '  topology:',
          '    generate: {coresPerSocket: 2}',
          '    memory: [{numa: 0, memory: 1Gi, hugepages: 0}]',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 node.topology.memory[0].hugepages: unknown field (line 7); known fields: numa, memory, hugepages-<size>',
    ],
    [
      'reserved cpus outside the topology',
      scenario({
        node: '  topology: {generate: {coresPerSocket: 4}}\n  kubelet: {cpuManagerPolicy: static, reservedSystemCPUs: "0,8"}',
      }),
      'scenario.yaml doc 1 node.kubelet.reservedSystemCPUs: cpus 8 are not in the topology (cpus 0-3) (line 6)',
    ],
    [
      'wrong apiVersion',
      scenario().replace('podres/v1alpha1', 'podres/v1'),
      'scenario.yaml doc 1 apiVersion: apiVersion "podres/v1" is not "podres/v1alpha1" (line 1)',
    ],
    [
      'wrong kind',
      scenario().replace('kind: Scenario', 'kind: Snapshot'),
      'scenario.yaml doc 1 kind: kind "Snapshot" is not "Scenario" (line 2)',
    ],
    [
      'duplicate pods',
      scenario({
        pods: [
          'pods:',
          '  - {metadata: {name: a}, spec: {containers: [{name: c}]}}',
          '  - {metadata: {name: a}, spec: {containers: [{name: c}]}}',
        ].join('\n'),
      }),
      'scenario.yaml doc 1 pods[1].metadata.name: duplicate pod default/a (also pods[0]) (line 13)',
    ],
    [
      'pods not a list',
      scenario({ pods: 'pods: {a: 1}' }),
      'scenario.yaml doc 1 pods: expected list, got a mapping (line 11)',
    ],
    [
      'YAML syntax error',
      'apiVersion: podres/v1alpha1\nkind: Scenario\nnode:\n  topology: {generate: {coresPerSocket: 2}\n',
      'scenario.yaml doc 1 line 5 column 1: invalid YAML: flow map in block collection must be sufficiently indented and end with a }',
    ],
    [
      'duplicate key',
      'apiVersion: podres/v1alpha1\nkind: Scenario\nkind: Scenario\n',
      'scenario.yaml doc 1 line 3 column 1: invalid YAML: map keys must be unique',
    ],
  ])('%s', (_name, text, message) => {
    expect(errorOf(() => parseScenarios(text, 'scenario.yaml'))).toBe(message);
  });
});
