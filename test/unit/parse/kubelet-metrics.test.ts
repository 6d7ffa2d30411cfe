// Tests the /metrics and /metrics/cadvisor extractions on the real scrapes (kubelet 1.13.4, cAdvisor
// of a cgroup v2 kind 1.35 node and of a cgroup v1 minikube 1.15 node), on corrupted twins, on a
// 1.36 /metrics written from the families of allocator-model §8.2, and on the metrics the model
// predicts for the examples, exposed as the kubelet would and read back.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../src/errors.js';
import { runSimulation } from '../../../src/model/simulate.js';
import {
  parseCadvisorCpu,
  parseKubeletMetrics,
  RESOURCE_MANAGER_FAMILIES,
  type CadvisorCpuSeries,
} from '../../../src/parse/kubelet-metrics.js';
import type { MetricsOut } from '../../../src/render/schema.js';
import { toSimulationOut } from '../../../src/render/simulation.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';

const REAL = path.resolve(process.cwd(), '../shared/fixtures/real');
const KUBELET_113 = 'metrics/netdata-kubelet-1.13.4.metrics.txt';
const CADVISOR_V2 = 'cadvisor/nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt';
const CADVISOR_V1 = 'cadvisor/nri-k8s-minikube-1.15-cgroupv1.metrics-cadvisor.cpu-families.txt';

const real = (file: string) => readFileSync(path.join(REAL, file), 'utf8');

function withLine(text: string, n: number, replace: (line: string) => string): string {
  const ls = text.split('\n');
  ls[n - 1] = replace(ls[n - 1] ?? '');
  return ls.join('\n');
}

describe('parseKubeletMetrics on the real kubelet 1.13.4 /metrics', () => {
  it('finds no resource-manager family (they did not exist yet), the start time and the version', () => {
    const m = parseKubeletMetrics(real(KUBELET_113), KUBELET_113);
    expect(m).toEqual({
      values: {},
      families: [],
      processStartTimeSeconds: 1552937586.54,
      buildVersion: 'v1.13.4', // the pre-1.16 label gitVersion
      issues: [],
    });
  });

  it('reports a corrupted line and still reads the rest', () => {
    const text = withLine(real(KUBELET_113), 418, (l) =>
      l.replace('gitVersion="v1.13.4"', 'gitVersion=v1.13.4'),
    );
    const m = parseKubeletMetrics(text, KUBELET_113);
    expect(m.issues).toEqual([
      { line: 418, message: `expected '"' to open the value of label "gitVersion", found 'v'` },
    ]);
    expect(m.buildVersion).toBeNull();
    expect(m.processStartTimeSeconds).toBe(1552937586.54);
  });

  it('rejects a body that is not text', () => {
    const protobuf = '\u0012\u0005abc\n\u0000\u0001';
    expect(() => parseKubeletMetrics(protobuf, 'worker-1 /metrics')).toThrow(InputError);
    expect(() => parseKubeletMetrics(protobuf, 'worker-1 /metrics')).toThrow(
      'worker-1 /metrics: not the Prometheus text format: binary data on line 2',
    );
  });
});

// ----- a kubelet 1.36 /metrics -------------------------------------------------------------------

interface FamilyText {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly series: readonly (readonly [labels: string, value: string])[];
}

/** The exposition client_golang writes: HELP, TYPE, samples with label names sorted. */
function exposition(families: readonly FamilyText[]): string {
  return families
    .map((f) =>
      [
        `# HELP ${f.name} ${f.help}`,
        `# TYPE ${f.name} ${f.type}`,
        ...f.series.map(([labels, value]) =>
          f.type === 'histogram'
            ? `${f.name}${labels} ${value}`
            : `${f.name}${labels === '' ? '' : `{${labels}}`} ${value}`,
        ),
      ].join('\n'),
    )
    .join('\n')
    .concat('\n');
}

// The §8.2 families of a 1.36 kubelet with PodLevelResourceManagers after a few admissions, among
// families the resource managers do not own. Labelled counters hold only incremented series,
// plus the series the static policy creates with Add(0) at start (physical_cpu, uncore_cache).
const KUBELET_136: readonly FamilyText[] = [
  {
    name: 'go_goroutines',
    type: 'gauge',
    help: 'Number of goroutines that currently exist.',
    series: [['', '412']],
  },
  {
    name: 'kubelet_admission_rejections_total',
    type: 'counter',
    help: '[ALPHA] Cumulative number pod admission rejections by the Kubelet.',
    series: [
      ['reason="TopologyAffinityError"', '2'],
      ['reason="UnexpectedAdmissionError"', '1'],
    ],
  },
  {
    name: 'kubelet_container_aligned_compute_resources_count',
    type: 'counter',
    help: '[BETA] Cumulative number of aligned compute resources allocated to containers by alignment type.',
    series: [
      ['boundary="numa_node",scope="pod"', '3'],
      ['boundary="physical_cpu",scope="container"', '0'],
      ['boundary="uncore_cache",scope="container"', '4'],
    ],
  },
  {
    name: 'kubelet_container_aligned_compute_resources_failure_count',
    type: 'counter',
    help: '[BETA] Cumulative number of failures to allocate aligned compute resources to containers by alignment type.',
    series: [
      ['boundary="numa_node",scope="pod"', '2'],
      ['boundary="physical_cpu",scope="container"', '0'],
    ],
  },
  {
    name: 'kubelet_cpu_manager_allocation_per_numa',
    type: 'gauge',
    help: '[ALPHA] Number of CPUs allocated per NUMA node',
    series: [
      ['numa_node="0"', '4'],
      ['numa_node="1"', '6'],
    ],
  },
  {
    name: 'kubelet_cpu_manager_exclusive_cpu_allocation_count',
    type: 'gauge',
    help: '[ALPHA] The total number of CPUs exclusively allocated to containers running on this node',
    series: [['', '10']],
  },
  {
    name: 'kubelet_cpu_manager_pinning_errors_total',
    type: 'counter',
    help: '[ALPHA] The number of cpu core allocations which required pinning failed.',
    series: [['', '1']],
  },
  {
    name: 'kubelet_cpu_manager_pinning_requests_total',
    type: 'counter',
    help: '[ALPHA] The number of cpu core allocations which required pinning.',
    series: [['', '7']],
  },
  {
    name: 'kubelet_cpu_manager_shared_pool_size_millicores',
    type: 'gauge',
    help: '[ALPHA] The size of the shared CPU pool for non-guaranteed QoS pods, in millicores.',
    series: [['', '52000']],
  },
  {
    name: 'kubelet_memory_manager_pinning_errors_total',
    type: 'counter',
    help: '[ALPHA] The number of memory pages allocations which required pinning that failed.',
    series: [['', '0']],
  },
  {
    name: 'kubelet_memory_manager_pinning_requests_total',
    type: 'counter',
    help: '[ALPHA] The number of memory pages allocations which required pinning.',
    series: [['', '5']],
  },
  {
    name: 'kubelet_pod_resources_endpoint_requests_list',
    type: 'counter',
    help: '[ALPHA] Number of requests to the PodResource List endpoint. Broken down by server api version.',
    series: [['server_api_version="v1"', '31']],
  },
  {
    name: 'kubelet_pod_resources_endpoint_requests_total',
    type: 'counter',
    help: '[ALPHA] Cumulative number of requests to the PodResource endpoint. Broken down by server api version.',
    series: [['server_api_version="v1"', '62']],
  },
  {
    name: 'kubelet_running_pods',
    type: 'gauge',
    help: '[ALPHA] Number of pods that have a running pod sandbox',
    series: [['', '23']],
  },
  {
    name: 'kubelet_topology_manager_admission_duration_ms',
    type: 'histogram',
    help: '[ALPHA] Duration in milliseconds to serve a pod admission request.',
    series: [
      ['_bucket{le="0.05"}', '9'],
      ['_bucket{le="0.1"}', '11'],
      ['_bucket{le="+Inf"}', '12'],
      ['_sum', '0.642'],
      ['_count', '12'],
    ],
  },
  {
    name: 'kubelet_topology_manager_admission_errors_total',
    type: 'counter',
    help: '[ALPHA] The number of admission request failures where resources could not be aligned.',
    series: [['', '2']],
  },
  {
    name: 'kubelet_topology_manager_admission_requests_total',
    type: 'counter',
    help: '[ALPHA] The number of admission requests where resources have to be aligned.',
    series: [['', '12']],
  },
  {
    name: 'kubernetes_build_info',
    type: 'gauge',
    help: "[ALPHA] A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.",
    series: [
      [
        'build_date="2026-04-22T10:11:12Z",compiler="gc",git_commit="0123456789abcdef0123456789abcdef01234567",git_tree_state="clean",git_version="v1.36.0",go_version="go1.26.2",major="1",minor="36",platform="linux/amd64"',
        '1',
      ],
    ],
  },
  {
    name: 'process_start_time_seconds',
    type: 'gauge',
    help: 'Start time of the process since unix epoch in seconds.',
    series: [['', '1.77749128763e+09']],
  },
  {
    name: 'resource_manager_allocation_errors_total',
    type: 'counter',
    help: '[ALPHA] The number of failed exclusive resource allocations.',
    series: [['resource_name="cpu",source="pod"', '1']],
  },
  {
    name: 'resource_manager_allocations_total',
    type: 'counter',
    help: '[ALPHA] The number of exclusive resource allocations.',
    series: [
      ['resource_name="cpu",source="node"', '4'],
      ['resource_name="cpu",source="pod"', '3'],
      ['resource_name="memory",source="node"', '2'],
      ['resource_name="memory",source="pod"', '3'],
    ],
  },
  {
    name: 'resource_manager_container_assignments',
    type: 'counter',
    help: '[ALPHA] The cumulative number of containers by resource assignment type.',
    series: [
      ['assignment_type="node_exclusive",resource_name="cpu"', '4'],
      ['assignment_type="pod_exclusive",resource_name="cpu"', '1'],
      ['assignment_type="pod_shared",resource_name="cpu"', '2'],
      ['assignment_type="pod_exclusive",resource_name="memory"', '3'],
    ],
  },
];

describe('parseKubeletMetrics on a kubelet 1.36 /metrics', () => {
  const text = exposition(KUBELET_136);

  it('extracts every §8.2 family in the scenario-format shape', () => {
    const m = parseKubeletMetrics(text, 'worker-1 /metrics');
    expect(m.issues).toEqual([]);
    expect(m.processStartTimeSeconds).toBe(1777491287.63);
    expect(m.buildVersion).toBe('v1.36.0');
    expect(m.values).toEqual({
      kubelet_cpu_manager_pinning_requests_total: 7,
      kubelet_cpu_manager_pinning_errors_total: 1,
      kubelet_memory_manager_pinning_requests_total: 5,
      kubelet_memory_manager_pinning_errors_total: 0,
      kubelet_cpu_manager_shared_pool_size_millicores: 52000,
      kubelet_cpu_manager_exclusive_cpu_allocation_count: 10,
      kubelet_topology_manager_admission_requests_total: 12,
      kubelet_topology_manager_admission_errors_total: 2,
      resource_manager_allocations_total: { cpu: { pod: 3, node: 4 }, memory: { pod: 3, node: 2 } },
      resource_manager_allocation_errors_total: { cpu: { pod: 1, node: 0 }, memory: { pod: 0, node: 0 } },
      resource_manager_container_assignments: {
        cpu: { node_exclusive: 4, pod_exclusive: 1, pod_shared: 2 },
        memory: { node_exclusive: 0, pod_exclusive: 3, pod_shared: 0 },
      },
      kubelet_container_aligned_compute_resources_count: {
        container: { physical_cpu: 0, uncore_cache: 4, numa_node: 0 },
        pod: { physical_cpu: 0, uncore_cache: 0, numa_node: 3 },
      },
      kubelet_container_aligned_compute_resources_failure_count: {
        container: { physical_cpu: 0, uncore_cache: 0, numa_node: 0 },
        pod: { physical_cpu: 0, uncore_cache: 0, numa_node: 2 },
      },
      kubelet_cpu_manager_allocation_per_numa: { '0': 4, '1': 6 },
      kubelet_admission_rejections_total: { TopologyAffinityError: 2, UnexpectedAdmissionError: 1 },
    });
    // key order as the simulate document writes it
    expect(Object.keys(m.values.resource_manager_allocations_total ?? {})).toEqual(['cpu', 'memory']);
    expect(Object.keys(m.values.resource_manager_allocations_total?.cpu ?? {})).toEqual(['pod', 'node']);
    expect(Object.keys(m.values.kubelet_container_aligned_compute_resources_count?.pod ?? {})).toEqual([
      'physical_cpu',
      'uncore_cache',
      'numa_node',
    ]);
  });

  it('lists the §8.2 families present, histogram and PodResources counters included', () => {
    const m = parseKubeletMetrics(text, 'worker-1 /metrics');
    expect([...m.families].sort()).toEqual(
      KUBELET_136.map((f) => f.name)
        .filter((n) => RESOURCE_MANAGER_FAMILIES.includes(n))
        .sort(),
    );
    expect(m.families).toContain('kubelet_topology_manager_admission_duration_ms');
    expect(m.families).toContain('kubelet_pod_resources_endpoint_requests_list');
    expect(m.families).not.toContain('kubelet_running_pods');
    expect(RESOURCE_MANAGER_FAMILIES).toHaveLength(8 + 5 + 2 + 8);
  });

  it('leaves out the families a scrape does not have (a kubelet without the PLRM series)', () => {
    const older = exposition(KUBELET_136.filter((f) => !f.name.startsWith('resource_manager_')));
    const m = parseKubeletMetrics(older, 'worker-1 /metrics');
    expect(Object.keys(m.values).filter((k) => k.startsWith('resource_manager_'))).toEqual([]);
    expect(m.values.kubelet_cpu_manager_pinning_requests_total).toBe(7);
  });

  it('reads a labelled family declared without series as all zeros, and keeps unknown label values', () => {
    const m = parseKubeletMetrics(
      [
        '# TYPE resource_manager_allocations_total counter',
        '# TYPE resource_manager_container_assignments counter',
        'resource_manager_container_assignments{assignment_type="shared_from_pod",resource_name="cpu"} 2',
        'resource_manager_container_assignments{assignment_type="pod_shared",resource_name="hugepages-2Mi"} 1',
      ].join('\n'),
      'm.txt',
    );
    expect(m.values).toEqual({
      resource_manager_allocations_total: { cpu: { pod: 0, node: 0 }, memory: { pod: 0, node: 0 } },
      resource_manager_container_assignments: {
        cpu: { node_exclusive: 0, pod_exclusive: 0, pod_shared: 0, shared_from_pod: 2 },
        memory: { node_exclusive: 0, pod_exclusive: 0, pod_shared: 0 },
        'hugepages-2Mi': { node_exclusive: 0, pod_exclusive: 0, pod_shared: 1 },
      },
    });
  });

  it('reports samples without the labels the extraction needs, and extra scalar series', () => {
    const m = parseKubeletMetrics(
      [
        'kubelet_cpu_manager_allocation_per_numa{node="0"} 4',
        'resource_manager_allocations_total{resource_name="cpu"} 1',
        'kubelet_cpu_manager_pinning_requests_total 3',
        'kubelet_cpu_manager_pinning_requests_total{instance="x"} 4',
      ].join('\n'),
      'm.txt',
    );
    expect(m.issues).toEqual([
      { line: 1, message: 'kubelet_cpu_manager_allocation_per_numa sample has no numa_node label' },
      { line: 2, message: 'resource_manager_allocations_total sample has no source label' },
      {
        line: 4,
        message: 'kubelet_cpu_manager_pinning_requests_total has more than one series; the first is used',
      },
    ]);
    expect(m.values.kubelet_cpu_manager_pinning_requests_total).toBe(3);
    expect(m.values.kubelet_cpu_manager_allocation_per_numa).toEqual({});
  });

  it('names the broken lines of a corrupted 1.36 scrape and extracts the rest', () => {
    let broken = text;
    const lineOf = (needle: string) => broken.split('\n').findIndex((l) => l.startsWith(needle)) + 1;
    const a = lineOf('kubelet_cpu_manager_pinning_requests_total ');
    broken = withLine(broken, a, (l) => l.replace(' 7', ' 7x'));
    const b = lineOf('resource_manager_allocations_total{resource_name="cpu",source="node"}');
    broken = withLine(broken, b, (l) => l.slice(0, 50));
    const c = lineOf('kubelet_cpu_manager_allocation_per_numa{numa_node="1"}');
    broken = withLine(broken, c, (l) => l.replace('numa_node="1"', 'numa_node="\\1"'));
    const m = parseKubeletMetrics(broken, 'worker-1 /metrics');
    expect(m.issues).toEqual([
      { line: c, message: 'invalid escape sequence "\\1" in the value of label "numa_node"' },
      { line: a, message: 'invalid value "7x"' },
      { line: b, message: 'unterminated value of label "resource_name"' },
    ]);
    expect(m.values.kubelet_cpu_manager_pinning_requests_total).toBeUndefined();
    expect(m.values.kubelet_cpu_manager_allocation_per_numa).toEqual({ '0': 4 });
    expect(m.values.resource_manager_allocations_total).toEqual({
      cpu: { pod: 3, node: 0 },
      memory: { pod: 3, node: 2 },
    });
    expect(m.values.kubelet_memory_manager_pinning_requests_total).toBe(5);
  });
});

// ----- the model's prediction, exposed and read back ---------------------------------------------

/** Exposes the model's metrics as the kubelet does: labelled series only once incremented. */
function exposeModel(metrics: MetricsOut): string {
  const out: string[] = [];
  const labelNames: Record<string, readonly [string, string]> = {
    resource_manager_allocations_total: ['resource_name', 'source'],
    resource_manager_allocation_errors_total: ['resource_name', 'source'],
    resource_manager_container_assignments: ['resource_name', 'assignment_type'],
    kubelet_container_aligned_compute_resources_count: ['scope', 'boundary'],
    kubelet_container_aligned_compute_resources_failure_count: ['scope', 'boundary'],
  };
  const single: Record<string, string> = {
    kubelet_cpu_manager_allocation_per_numa: 'numa_node',
    kubelet_admission_rejections_total: 'reason',
  };
  for (const [name, value] of Object.entries(metrics) as [string, unknown][]) {
    out.push(`# TYPE ${name} counter`);
    if (typeof value === 'number') out.push(`${name} ${value}`);
    else if (name in single)
      for (const [k, v] of Object.entries(value as Record<string, number>))
        out.push(`${name}{${single[name]}="${k}"} ${v}`);
    else {
      const [outer, inner] = labelNames[name]!;
      for (const [o, row] of Object.entries(value as Record<string, Record<string, number>>))
        for (const [i, v] of Object.entries(row))
          if (v > 0) out.push(`${name}{${[`${inner}="${i}"`, `${outer}="${o}"`].sort().join(',')}} ${v}`);
    }
  }
  return out.join('\n') + '\n';
}

describe('parseKubeletMetrics reads back what the model predicts', () => {
  it.each([
    'tightly-coupled-database.yaml',
    'single-numa-node-rejection.yaml',
    'ml-workload-static-memory.yaml',
  ])('%s', (file) => {
    const text = readFileSync(path.resolve(process.cwd(), 'examples', file), 'utf8');
    for (const input of parseScenarios(text, file)) {
      const outcome = runSimulation(input);
      if (!outcome.ok) throw new Error(outcome.error);
      const predicted = toSimulationOut(outcome.result, { explain: false, warnings: [] }).metrics;
      const m = parseKubeletMetrics(exposeModel(predicted), file);
      expect(m.issues).toEqual([]);
      expect(m.values).toEqual(predicted);
      expect(JSON.stringify(m.values)).toBe(JSON.stringify(predicted));
    }
  });
});

// ----- cAdvisor ----------------------------------------------------------------------------------

function seriesOf(all: readonly CadvisorCpuSeries[], id: string): CadvisorCpuSeries {
  const s = all.filter((x) => x.id === id);
  if (s.length !== 1) throw new Error(`${s.length} series for ${id}`);
  return s[0]!;
}

describe('parseCadvisorCpu on the real cgroup v2 scrape (kind 1.35)', () => {
  const pod = '/kubepods/burstable/pod45b528af-fb82-4e96-8103-b9da1194dd36';
  const { series, issues } = parseCadvisorCpu(real(CADVISOR_V2), CADVISOR_V2);

  it('has one entry per cgroup and no issues', () => {
    expect(issues).toEqual([]);
    expect(series).toHaveLength(58);
    expect(series[0]).toMatchObject({
      id: '/',
      cfsPeriods: 1542,
      cfsThrottledPeriods: 19,
      usageSeconds: 62.148052,
    });
  });

  it('reads a throttled pod cgroup, its pause sandbox and its container', () => {
    expect(seriesOf(series, pod)).toEqual({
      namespace: 'scraper',
      pod: 'e2e-daemonset-kb65b',
      container: '',
      id: pod,
      image: '',
      name: '',
      cfsPeriods: 401,
      cfsThrottledPeriods: 391,
      cfsThrottledSeconds: 5.334236,
      specQuota: 8000,
      specPeriod: 100000,
      specShares: 28,
      usageSeconds: 3.170149,
      usageTimestampMs: 1782468873981,
    });
    // the sandbox has no quota: no CFS counters, no container_spec_cpu_quota
    expect(
      seriesOf(series, `${pod}/a5fbda005ab8218a44f2335225caeba6b8f8cea638e0ba70604923d30813fef1`),
    ).toEqual({
      namespace: 'scraper',
      pod: 'e2e-daemonset-kb65b',
      container: '',
      id: `${pod}/a5fbda005ab8218a44f2335225caeba6b8f8cea638e0ba70604923d30813fef1`,
      image: 'registry.k8s.io/pause:3.10.1',
      name: 'a5fbda005ab8218a44f2335225caeba6b8f8cea638e0ba70604923d30813fef1',
      cfsPeriods: null,
      cfsThrottledPeriods: null,
      cfsThrottledSeconds: null,
      specQuota: null,
      specPeriod: 100000,
      specShares: 2,
      usageSeconds: 0.008779,
      // cAdvisor read the sandbox's cgroup 9 s before the pod's
      usageTimestampMs: 1782468864655,
    });
    expect(
      seriesOf(series, `${pod}/ff102f3ad315dd9b977f8e654f8dfc8c21daff8744724a835267e0d91374fc54`),
    ).toMatchObject({
      container: 'compute-pi-digits',
      image: 'docker.io/library/perl:5.34.0',
      cfsPeriods: 423,
      cfsThrottledPeriods: 423,
      cfsThrottledSeconds: 33.887945,
      specQuota: 8000,
      specShares: 211,
      usageSeconds: 3.386871,
    });
  });
});

describe('parseCadvisorCpu on the real cgroup v1 scrape (minikube 1.15, legacy labels)', () => {
  const { series, issues } = parseCadvisorCpu(real(CADVISOR_V1), CADVISOR_V1);
  const pod = '/kubepods/podf89b6c09-11a3-11e8-a084-080027352a02';
  const ksm = `${pod}/c452821fcf6c5f594d4f98a1426e7a2c51febb65d5d50d92903f9dfb367bfba7`;

  it('maps pod_name/container_name and sums usage over cpu00 and cpu01', () => {
    expect(issues).toEqual([]);
    expect(series).toHaveLength(72);
    const s = seriesOf(series, ksm);
    expect(s).toMatchObject({
      namespace: 'kube-system',
      pod: 'kube-state-metrics-57f4659995-6n2qq',
      container: 'kube-state-metrics',
      cfsPeriods: 13781,
      cfsThrottledPeriods: 3964,
      cfsThrottledSeconds: 271.443742526,
      specQuota: 10100,
      specPeriod: 100000,
      specShares: 103,
    });
    expect(s.name.startsWith('k8s_kube-state-metrics_kube-state-metrics-57f4659995-6n2qq_kube-system_')).toBe(
      true,
    );
    expect(s.usageSeconds).toBeCloseTo(8.607463261 + 8.11436662, 9);
    // cAdvisor of 1.15 wrote no sample timestamps
    expect(s.usageTimestampMs).toBeNull();
  });

  it('reads the pod cgroup, which old cAdvisor left without namespace and pod', () => {
    expect(seriesOf(series, pod)).toMatchObject({
      namespace: '',
      pod: '',
      container: '',
      cfsPeriods: 19649,
      specQuota: 20100,
    });
  });

  it('reports a corrupted twin line by line and keeps the other cgroups', () => {
    let text = real(CADVISOR_V1);
    text = withLine(text, 8, (l) => l.replace(/ 13781$/, ' 13781.5.'));
    text = withLine(text, 13, (l) => l.slice(0, 120));
    const broken = parseCadvisorCpu(text, CADVISOR_V1);
    expect(broken.issues).toEqual([
      { line: 8, message: 'invalid value "13781.5."' },
      { line: 13, message: 'unterminated value of label "id"' },
    ]);
    expect(seriesOf(broken.series, ksm)).toMatchObject({
      cfsPeriods: null,
      cfsThrottledPeriods: null,
      cfsThrottledSeconds: 271.443742526,
    });
    expect(seriesOf(broken.series, pod).cfsPeriods).toBe(19649);
  });
});

describe('parseCadvisorCpu: label forms', () => {
  it('prefers cpu="total" over per-CPU series, and container/pod over the legacy labels', () => {
    const { series } = parseCadvisorCpu(
      [
        'container_cpu_usage_seconds_total{container="app",container_name="app",cpu="cpu00",id="/a",namespace="n",pod="p",pod_name="p"} 1',
        'container_cpu_usage_seconds_total{container="app",container_name="app",cpu="total",id="/a",namespace="n",pod="p",pod_name="p"} 5',
        'container_cpu_usage_seconds_total{container="app",container_name="app",cpu="cpu01",id="/a",namespace="n",pod="p",pod_name="p"} 2',
        'container_cpu_usage_seconds_total{id="/b"} 7',
      ].join('\n'),
      'c.txt',
    );
    expect(series.map((s) => [s.id, s.pod, s.container, s.usageSeconds])).toEqual([
      ['/a', 'p', 'app', 5],
      ['/b', '', '', 7],
    ]);
  });

  it('reports a cgroup given twice under label sets that differ only in labels it ignores', () => {
    const { series, issues } = parseCadvisorCpu(
      ['container_spec_cpu_quota{id="/a",image="x"} 1', 'container_spec_cpu_quota{id="/a",image="y"} 2'].join(
        '\n',
      ),
      'c.txt',
    );
    expect(issues).toEqual([
      { line: 2, message: 'container_spec_cpu_quota for cgroup "/a" given twice (first on line 1; kept)' },
    ]);
    expect(series[0]?.specQuota).toBe(1);
  });
});

describe('parseCadvisorCpu: the usage sample timestamp', () => {
  const usage = (lines: string[]) =>
    parseCadvisorCpu(
      ['# TYPE container_cpu_usage_seconds_total counter', ...lines].join('\n') + '\n',
      'test',
    ).series.map((s) => [s.id, s.usageSeconds, s.usageTimestampMs]);

  it('the total’s own, or the per-CPU samples’ when they agree', () => {
    expect(
      usage([
        'container_cpu_usage_seconds_total{cpu="total",id="/a"} 3 1700000000100',
        'container_cpu_usage_seconds_total{cpu="cpu00",id="/a"} 1 1700000000000',
        'container_cpu_usage_seconds_total{cpu="cpu00",id="/b"} 1 1700000000200',
        'container_cpu_usage_seconds_total{cpu="cpu01",id="/b"} 2 1700000000200',
        'container_cpu_usage_seconds_total{cpu="cpu00",id="/c"} 1 1700000000200',
        'container_cpu_usage_seconds_total{cpu="cpu01",id="/c"} 2 1700000000300',
        'container_cpu_usage_seconds_total{cpu="cpu00",id="/d"} 1 1700000000200',
        'container_cpu_usage_seconds_total{cpu="cpu01",id="/d"} 2',
      ]),
    ).toEqual([
      ['/a', 3, 1700000000100],
      ['/b', 3, 1700000000200],
      ['/c', 3, null],
      ['/d', 3, null],
    ]);
  });
});
