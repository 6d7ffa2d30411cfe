// Tests the `throttle` analysis (src/drift/throttle.ts) and the cAdvisor joining it uses
// (src/drift/cadvisor-join.ts): cli.md §10 example 4 from Prometheus text as the kubelet serves it,
// every cause of cli.md §7.3, windows (interval, counter reset, cumulative), series selection
// (current container ID, foreign pod UID, legacy labels, sandboxes), threshold edges, T1 vs D12,
// and the two real cAdvisor scrapes of fixtures/real/cadvisor.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, UsageError } from '../../../src/errors.js';
import {
  bareContainerId,
  cgroupPathMatchesContainer,
  isPodCgroupPath,
  podSeries,
  podUidInCgroupPath,
  selectContainerSeries,
  selectPodCgroupSeries,
} from '../../../src/drift/cadvisor-join.js';
import {
  buildThrottle,
  throttleNodeStatus,
  type CadvisorScrape,
  type ThrottleContainerReport,
  type ThrottleNodeInput,
  type ThrottleOptions,
  type ThrottlePodInput,
} from '../../../src/drift/throttle.js';
import {
  parseCadvisorCpu,
  type CadvisorCpu,
  type CadvisorCpuSeries,
} from '../../../src/parse/kubelet-metrics.js';
import type { Assignment, SourceStatus } from '../../../src/schema/common.js';
import type { ThrottleReport, ThrottleRow } from '../../../src/schema/reports.js';
import { healthyDbPod } from '../../helpers/report-builders.js';

// ----- builders ---------------------------------------------------------------------------------

const T0 = '2026-05-12T10:00:00Z';
const T30 = '2026-05-12T10:00:30Z';

const ok: SourceStatus = { status: 'ok', from: 'live', httpStatus: null, message: null };
const SOURCES = { node: ok, configz: ok, cadvisor: ok };

interface RawContainer {
  name: string;
  cpuLimit?: string;
  cpuRequest?: string;
  memory?: string;
}

/** A v1 Pod as the API server returns it (the fields the analysis reads and some it ignores). */
function rawPod(
  namespace: string,
  name: string,
  uid: string,
  spec: {
    sidecars?: RawContainer[];
    apps: RawContainer[];
    podCpu?: string;
    podMemory?: string;
    mirror?: string;
  },
): object {
  const container = (c: RawContainer, sidecar: boolean) => {
    const limits: Record<string, string> = {};
    const requests: Record<string, string> = {};
    if (c.cpuLimit !== undefined) limits.cpu = c.cpuLimit;
    if (c.cpuRequest !== undefined) requests.cpu = c.cpuRequest;
    if (c.memory !== undefined) {
      limits.memory = c.memory;
      requests.memory = c.memory;
    }
    return {
      name: c.name,
      image: `registry.example.com/${c.name}:1.0`,
      ...(sidecar ? { restartPolicy: 'Always' } : {}),
      resources: { limits, requests },
    };
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid,
      annotations: spec.mirror === undefined ? {} : { 'kubernetes.io/config.mirror': spec.mirror },
    },
    spec: {
      nodeName: 'worker-1',
      ...(spec.podCpu === undefined
        ? {}
        : {
            resources: {
              limits: { cpu: spec.podCpu, memory: spec.podMemory ?? '8Gi' },
              requests: { cpu: spec.podCpu, memory: spec.podMemory ?? '8Gi' },
            },
          }),
      initContainers: (spec.sidecars ?? []).map((c) => container(c, true)),
      containers: spec.apps.map((c) => container(c, false)),
    },
    status: { phase: 'Running' },
  };
}

function expectedContainer(
  name: string,
  containerId: string | null,
  assignment: Assignment,
  cpus: string | null,
  cfsQuota: 'none' | 'container' | 'pod' | 'unlimited',
  cfsQuotaMillicores: number | null = null,
): ThrottleContainerReport {
  return {
    name,
    containerId: containerId === null ? null : `containerd://${containerId}`,
    expected: { assignment: { cpu: assignment, memory: assignment }, cpus, cfsQuota, cfsQuotaMillicores },
  };
}

function series(s: Partial<CadvisorCpuSeries> & Pick<CadvisorCpuSeries, 'id'>): CadvisorCpuSeries {
  return {
    namespace: '',
    pod: '',
    container: '',
    image: '',
    name: '',
    cfsPeriods: null,
    cfsThrottledPeriods: null,
    cfsThrottledSeconds: null,
    specQuota: null,
    specPeriod: null,
    specShares: null,
    usageSeconds: null,
    usageTimestampMs: null,
    ...s,
  };
}

/** A container series with a CFS quota of `quotaMilli`. */
function quotaSeries(
  ns: string,
  pod: string,
  container: string,
  id: string,
  quotaMilli: number,
  periods: number,
  throttled: number,
  usage: number,
): CadvisorCpuSeries {
  return series({
    namespace: ns,
    pod,
    container,
    id,
    cfsPeriods: periods,
    cfsThrottledPeriods: throttled,
    cfsThrottledSeconds: throttled * 0.02,
    specQuota: quotaMilli * 100,
    specPeriod: 100000,
    usageSeconds: usage,
  });
}

function scrape(at: string, list: CadvisorCpuSeries[]): CadvisorScrape {
  return { scrapedAt: at, cpu: { series: list, issues: [] } };
}

function node(name: string, cadvisor: CadvisorScrape[], pods: ThrottlePodInput[]): ThrottleNodeInput {
  return { name, sources: SOURCES, cadvisor, pods };
}

const INTERVAL: ThrottleOptions = {
  mode: 'interval',
  threshold: 0.25,
  all: false,
  now: '2026-05-12T10:01:00Z',
};
const ALL: ThrottleOptions = { ...INTERVAL, all: true };

function row(report: ThrottleReport, pod: string, container: string): ThrottleRow {
  const r = report.rows.find((x) => x.pod === pod && x.container === container);
  if (r === undefined)
    throw new Error(`no row ${pod}/${container} in ${report.rows.map((x) => x.container).join(',')}`);
  return r;
}

// ----- cli.md §10 example 4, from the kubelet's Prometheus text -----------------------------------

const DB_UID = '5d0e8a31-8f1c-4c1e-9a57-2f0c8a7b1d42';
const ML_UID = '7a41c2d9-3e5b-4f60-8a1d-9c2b3e4f5a61';
const EXPORTER_ID = '9f3a6c1e2b7d4a5f8e9c0b1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e';
const BACKUP_ID = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';
const DATABASE_ID = '7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a291807f6e5d4c3b2a1908';
const MESH_ID = 'c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc';
const TRAINING_ID = 'deadbeef00112233445566778899aabbccddeeff00112233445566778899aabb';

interface TextSeries {
  labels: { container: string; id: string; image: string; name: string; namespace: string; pod: string };
  periods?: number;
  throttledPeriods?: number;
  throttledSeconds?: number;
  quota?: number;
  usage: number;
}

/** /metrics/cadvisor text in the kubelet's format: families with HELP/TYPE, labels sorted, ms timestamps. */
function cadvisorText(list: TextSeries[], timestampMs: number): string {
  const families: [string, string, string, (s: TextSeries) => number | undefined, boolean][] = [
    [
      'container_cpu_cfs_periods_total',
      'counter',
      'Number of elapsed enforcement period intervals.',
      (s) => s.periods,
      false,
    ],
    [
      'container_cpu_cfs_throttled_periods_total',
      'counter',
      'Number of throttled period intervals.',
      (s) => s.throttledPeriods,
      false,
    ],
    [
      'container_cpu_cfs_throttled_seconds_total',
      'counter',
      'Total time duration the container has been throttled.',
      (s) => s.throttledSeconds,
      false,
    ],
    [
      'container_cpu_usage_seconds_total',
      'counter',
      'Cumulative cpu time consumed in seconds.',
      (s) => s.usage,
      true,
    ],
    ['container_spec_cpu_period', 'gauge', 'CPU period of the container.', () => 100000, false],
    ['container_spec_cpu_quota', 'gauge', 'CPU quota of the container.', (s) => s.quota, false],
  ];
  const lines: string[] = [];
  for (const [family, type, help, value, perCpu] of families) {
    lines.push(`# HELP ${family} ${help}`, `# TYPE ${family} ${type}`);
    for (const s of list) {
      const v = value(s);
      if (v === undefined) continue;
      const l = s.labels;
      const cpu = perCpu ? 'cpu="total",' : '';
      lines.push(
        `${family}{container="${l.container}",${cpu}id="${l.id}",image="${l.image}",name="${l.name}",namespace="${l.namespace}",pod="${l.pod}"} ${v} ${timestampMs}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** worker-1 (systemd cgroup driver): seed 1's db/db-0; Guaranteed pods sit in kubepods-pod<uid>.slice. */
function worker1Text(second: boolean): string {
  const slice = `/kubepods.slice/kubepods-pod${DB_UID.replaceAll('-', '_')}.slice`;
  const c = (container: string, id: string, image: string) => ({
    container,
    id: `${slice}/cri-containerd-${id}.scope`,
    image,
    name: id,
    namespace: 'db',
    pod: 'db-0',
  });
  return cadvisorText(
    [
      // the pod cgroup: no quota (database is exclusive, model §6.6)
      {
        labels: { container: '', id: slice, image: '', name: '', namespace: 'db', pod: 'db-0' },
        usage: second ? 1381.97 : 1300,
      },
      // the sandbox: container="" one level deeper
      {
        labels: { ...c('', 'aa'.repeat(32), 'registry.k8s.io/pause:3.10'), container: '' },
        usage: second ? 0.51 : 0.5,
      },
      {
        labels: c('metrics-exporter', EXPORTER_ID, 'registry.example.com/exporter:2.1'),
        periods: second ? 12300 : 12000,
        throttledPeriods: 4,
        throttledSeconds: 0.1,
        quota: 800000,
        usage: second ? 112.6 : 100,
      },
      {
        labels: c('backup-agent', BACKUP_ID, 'registry.example.com/backup:5.0'),
        periods: second ? 20300 : 20000,
        throttledPeriods: 0,
        throttledSeconds: 0,
        quota: 800000,
        usage: second ? 446.5 : 400,
      },
      {
        labels: c('database', DATABASE_ID, 'registry.example.com/postgres:17'),
        usage: second ? 954.86 : 800,
      },
    ],
    Date.parse(second ? T30 : T0),
  );
}

/** worker-2 (cgroupfs driver): seed 2's ml/ml-0. */
function worker2Text(second: boolean): string {
  const pod = `/kubepods/pod${ML_UID}`;
  const c = (container: string, id: string) => ({
    container,
    id: `${pod}/${id}`,
    image: `registry.example.com/${container}:1`,
    name: id,
    namespace: 'ml',
    pod: 'ml-0',
  });
  return cadvisorText(
    [
      {
        labels: { container: '', id: pod, image: '', name: '', namespace: 'ml', pod: 'ml-0' },
        usage: second ? 3000 : 2800,
      },
      {
        labels: c('service-mesh-sidecar', MESH_ID),
        periods: second ? 5300 : 5000,
        throttledPeriods: second ? 1093 : 1000,
        throttledSeconds: second ? 60.2 : 55.1,
        quota: 400000,
        usage: second ? 619.1 : 500,
      },
      { labels: c('ml-training', TRAINING_ID), usage: second ? 2290 : 2200 },
    ],
    Date.parse(second ? T30 : T0),
  );
}

function parsed(at: string, text: string, source: string): CadvisorScrape {
  return { scrapedAt: at, cpu: parseCadvisorCpu(text, source) };
}

function dbPodInput(): ThrottlePodInput {
  return {
    report: healthyDbPod(),
    pod: rawPod('db', 'db-0', DB_UID, {
      sidecars: [{ name: 'metrics-exporter' }, { name: 'backup-agent' }],
      apps: [{ name: 'database', cpuLimit: '6', cpuRequest: '6', memory: '12Gi' }],
      podCpu: '8',
      podMemory: '16Gi',
    }),
  };
}

function mlPodInput(): ThrottlePodInput {
  return {
    report: {
      namespace: 'ml',
      name: 'ml-0',
      uid: ML_UID,
      expected: { podSharedPool: null },
      containers: [
        expectedContainer('service-mesh-sidecar', MESH_ID, 'node_shared', '0,2-31,34-63', 'pod', 4000),
        expectedContainer('ml-training', TRAINING_ID, 'node_exclusive', '1,32,33', 'none'),
      ],
    },
    pod: rawPod('ml', 'ml-0', ML_UID, {
      sidecars: [{ name: 'service-mesh-sidecar' }],
      apps: [{ name: 'ml-training', cpuLimit: '3', cpuRequest: '3', memory: '6Gi' }],
      podCpu: '4',
      podMemory: '8Gi',
    }),
  };
}

function example4(options: ThrottleOptions = INTERVAL): ThrottleReport {
  return buildThrottle(
    [
      // deliberately out of order: nodes are sorted by name
      node(
        'worker-2',
        [
          parsed(T0, worker2Text(false), 'worker-2 scrape 1'),
          parsed(T30, worker2Text(true), 'worker-2 scrape 2'),
        ],
        [mlPodInput()],
      ),
      node(
        'worker-1',
        [
          parsed(T0, worker1Text(false), 'worker-1 scrape 1'),
          parsed(T30, worker1Text(true), 'worker-1 scrape 2'),
        ],
        [dbPodInput()],
      ),
    ],
    options,
  );
}

describe('cli.md §10 example 4: why are my sidecars slow?', () => {
  const report = example4();

  it('shows the two db sidecars and the ml sidecar, in namespace/pod/spec order', () => {
    expect(report.apiVersion).toBe('podres/v1alpha1');
    expect(report.kind).toBe('ThrottleReport');
    expect(report.rows.map((r) => [r.namespace, r.pod, r.container, r.type])).toEqual([
      ['db', 'db-0', 'metrics-exporter', 'sidecar'],
      ['db', 'db-0', 'backup-agent', 'sidecar'],
      ['ml', 'ml-0', 'service-mesh-sidecar', 'sidecar'],
    ]);
  });

  it('finds the db sidecars not throttled but filling the 2-CPU pod shared pool', () => {
    for (const [name, usage] of [
      ['metrics-exporter', 0.42],
      ['backup-agent', 1.55],
    ] as const) {
      const r = row(report, 'db-0', name);
      expect(r).toMatchObject({
        node: 'worker-1',
        assignment: 'pod_shared',
        cpus: '4,36',
        cpuCount: 2,
        cfsQuota: 'pod',
        podCgroup: null,
        usageCores: usage,
        cause: 'pod-shared-pool-saturated',
      });
      expect(r.containerCfs).toEqual({
        quotaMillicores: 8000,
        periods: 300,
        throttledPeriods: 0,
        throttledRatio: 0,
        throttledSeconds: 0,
        counterReset: false,
      });
    }
    expect(row(report, 'db-0', 'metrics-exporter').message).toBe(
      'metrics-exporter shares the pod shared pool 4,36 with backup-agent under a pod-level CFS quota of 8 CPUs; ' +
        'together they use 1.97 of its 2 CPUs (metrics-exporter 0.42), so the pool, not CFS, limits them: ' +
        'raise the pod-level CPU request and limit (now 8 CPUs) to grow the pool, or give metrics-exporter equal ' +
        'integer CPU and memory requests and limits to make it pod_exclusive',
    );
  });

  it('finds the ml sidecar throttled by the pod-level limit it uses as its own quota', () => {
    const r = row(report, 'ml-0', 'service-mesh-sidecar');
    expect(r).toMatchObject({
      node: 'worker-2',
      assignment: 'node_shared',
      cpus: '0,2-31,34-63',
      cpuCount: 61,
      cfsQuota: 'pod',
      podCgroup: null,
      usageCores: 3.97,
      cause: 'pod-limit-as-container-quota',
    });
    expect(r.containerCfs).toEqual({
      quotaMillicores: 4000,
      periods: 300,
      throttledPeriods: 93,
      throttledRatio: 0.31,
      throttledSeconds: 5.1,
      counterReset: false,
    });
    expect(r.message).toBe(
      'service-mesh-sidecar has no CPU limit of its own, so the pod-level limit 4 CPUs is its CFS quota; ' +
        'on the 61-CPU node shared pool it bursts past it (throttled in 31.0% of periods, usage 3.97 cores): ' +
        'give it its own CPU limit sized for its load, or raise the pod-level limit if it needs more than 4 CPUs',
    );
  });

  it('raises exactly one finding: T1 on the ml sidecar', () => {
    expect(report.findings).toEqual([
      {
        code: 'T1',
        severity: 'warning',
        node: 'worker-2',
        namespace: 'ml',
        pod: 'ml-0',
        podUid: ML_UID,
        container: 'service-mesh-sidecar',
        resource: 'cpu',
        evidence: ['cadvisor'],
        expected: 0.25,
        observed: 0.31,
        message:
          'service-mesh-sidecar in ml/ml-0 was throttled in 31.0% of CFS periods (threshold 25.0%) by the pod-level limit 4 CPUs',
      },
    ]);
  });

  it('describes the window and the nodes', () => {
    expect(report.window).toEqual({ mode: 'interval', seconds: 30, from: T0, to: T30 });
    expect(report.threshold).toBe(0.25);
    expect(report.nodes).toEqual([
      { name: 'worker-1', status: 'ok', sources: SOURCES },
      { name: 'worker-2', status: 'ok', sources: SOURCES },
    ]);
  });

  it('with --all also lists the exclusive containers, unthrottled and without a quota', () => {
    const all = example4(ALL);
    expect(all.rows.map((r) => r.container)).toEqual([
      'metrics-exporter',
      'backup-agent',
      'database',
      'service-mesh-sidecar',
      'ml-training',
    ]);
    expect(row(all, 'db-0', 'database')).toMatchObject({
      assignment: 'pod_exclusive',
      cpuCount: 6,
      containerCfs: null,
      usageCores: 5.162,
      cause: 'none',
      message: 'database runs on exclusive CPUs 1-3,33-35 without a CFS quota, as expected, usage 5.16 cores',
    });
    expect(all.findings.map((f) => f.code)).toEqual(['T1']);
  });

  it('with a threshold above 31% the ml sidecar is no longer shown or warned about', () => {
    const high = example4({ ...INTERVAL, threshold: 0.32 });
    expect(high.rows.map((r) => r.container)).toEqual(['metrics-exporter', 'backup-agent']);
    expect(high.findings).toEqual([]);
  });
});

// ----- causes -------------------------------------------------------------------------------------

const API_UID = '11111111-2222-4333-8444-555555555555';
const API_ID = 'a1'.repeat(32);
const WORKER_ID = 'b2'.repeat(32);
const apiPod = `/kubepods/burstable/pod${API_UID}`;

/** A classic Burstable pod web/api with containers api (limit 500m) and worker (limit 1500m). */
function apiPodInput(): ThrottlePodInput {
  return {
    report: {
      namespace: 'web',
      name: 'api',
      uid: API_UID,
      expected: { podSharedPool: null },
      containers: [
        expectedContainer('api', API_ID, 'node_shared', '0,5-63', 'container', 500),
        expectedContainer('worker', WORKER_ID, 'node_shared', '0,5-63', 'container', 1500),
      ],
    },
    pod: rawPod('web', 'api', API_UID, {
      apps: [
        { name: 'api', cpuLimit: '500m', cpuRequest: '250m' },
        { name: 'worker', cpuLimit: '1500m', cpuRequest: '250m' },
      ],
    }),
  };
}

/**
 * Two scrapes of web/api 30 s apart: [periods, throttled periods] of api and worker in the first and
 * the second scrape; the pod cgroup's throttled periods (quota 2 CPUs, 300 periods) or no pod quota.
 */
function apiScrapes(
  api: readonly [number, number, number, number],
  worker: readonly [number, number, number, number],
  podCgroup: readonly [number, number] | null,
): CadvisorScrape[] {
  const make = (second: boolean) => {
    const [apiPeriods, apiThrottled] = second ? [api[2], api[3]] : [api[0], api[1]];
    const [workerPeriods, workerThrottled] = second ? [worker[2], worker[3]] : [worker[0], worker[1]];
    const podUsage = second ? 104.7 : 60;
    return scrape(second ? T30 : T0, [
      quotaSeries(
        'web',
        'api',
        'api',
        `${apiPod}/${API_ID}`,
        500,
        apiPeriods,
        apiThrottled,
        second ? 24.7 : 10,
      ),
      quotaSeries(
        'web',
        'api',
        'worker',
        `${apiPod}/${WORKER_ID}`,
        1500,
        workerPeriods,
        workerThrottled,
        second ? 80 : 50,
      ),
      podCgroup === null
        ? series({ namespace: 'web', pod: 'api', id: apiPod, usageSeconds: podUsage })
        : quotaSeries(
            'web',
            'api',
            '',
            apiPod,
            2000,
            second ? 1300 : 1000,
            second ? podCgroup[1] : podCgroup[0],
            podUsage,
          ),
    ]);
  };
  return [make(false), make(true)];
}

describe('causes (cli.md §7.3)', () => {
  it('own-limit: throttled by its own CPU limit', () => {
    const report = buildThrottle(
      [node('worker-3', apiScrapes([1000, 10, 1300, 136], [1000, 0, 1300, 3], null), [apiPodInput()])],
      INTERVAL,
    );
    expect(report.rows.map((r) => r.container)).toEqual(['api']);
    const r = row(report, 'api', 'api');
    expect(r.cause).toBe('own-limit');
    expect(r.containerCfs?.throttledRatio).toBe(0.42);
    expect(r.usageCores).toBe(0.49);
    expect(r.message).toBe(
      'api is throttled in 42.0% of periods by its own CPU limit 500m on the 60-CPU node shared pool, usage 0.49 cores; ' +
        'raise its CPU limit to what it needs, or remove it',
    );
    expect(report.findings.map((f) => [f.code, f.severity, f.container, f.expected, f.observed])).toEqual([
      ['T1', 'warning', 'api', 0.25, 0.42],
    ]);
  });

  it('pod-quota-shared: the pod cgroup quota (Σ container limits) throttles all containers', () => {
    const report = buildThrottle(
      [node('worker-3', apiScrapes([1000, 10, 1300, 40], [1000, 0, 1300, 15], [100, 220]), [apiPodInput()])],
      INTERVAL,
    );
    expect(report.rows.map((r) => [r.container, r.cause])).toEqual([
      ['api', 'pod-quota-shared'],
      ['worker', 'pod-quota-shared'],
    ]);
    const r = row(report, 'api', 'worker');
    expect(r.podCgroup).toEqual({
      quotaMillicores: 2000,
      periods: 300,
      throttledPeriods: 120,
      throttledRatio: 0.4,
      throttledSeconds: 2.4,
      counterReset: false,
    });
    expect(r.message).toBe(
      'worker is held back by the pod cgroup quota 2 CPUs shared by all containers of web/api: the pod cgroup was ' +
        'throttled in 40.0% of periods (worker itself 5.0%, usage 1.00 cores); raise the CPU limits of its containers ' +
        '(the pod quota is their sum), or remove the limit of one of them',
    );
    expect(report.findings.map((f) => [f.code, f.container, f.observed, f.message])).toEqual([
      [
        'T1',
        'api',
        0.4,
        'api in web/api was throttled in 40.0% of CFS periods (threshold 25.0%) by the pod cgroup quota 2 CPUs',
      ],
      [
        'T1',
        'worker',
        0.4,
        'worker in web/api was throttled in 40.0% of CFS periods (threshold 25.0%) by the pod cgroup quota 2 CPUs',
      ],
    ]);
  });

  it('own ratio wins over the pod cgroup: own-limit before pod-quota-shared', () => {
    const report = buildThrottle(
      [node('worker-3', apiScrapes([1000, 10, 1300, 136], [1000, 0, 1300, 15], [100, 220]), [apiPodInput()])],
      INTERVAL,
    );
    expect(report.rows.map((r) => [r.container, r.cause])).toEqual([
      ['api', 'own-limit'],
      ['worker', 'pod-quota-shared'],
    ]);
  });

  it('pod-limit-as-container-quota needs no own limit; own-limit needs one (judged from the pod spec)', () => {
    // the same throttled series for a container with and without a limit of its own
    const uid = '22222222-3333-4444-8555-666666666666';
    const base = `/kubepods/burstable/pod${uid}`;
    const input = (ownLimit: boolean): ThrottlePodInput => ({
      report: {
        namespace: 'ml',
        name: 'ml-1',
        uid,
        expected: null, // no configz: the expected columns are blank
        containers: [
          { name: 'proxy', containerId: null, expected: null },
          { name: 'train', containerId: null, expected: null },
        ],
      },
      pod: rawPod('ml', 'ml-1', uid, {
        sidecars: [{ name: 'proxy', ...(ownLimit ? { cpuLimit: '2' } : {}) }],
        apps: [{ name: 'train', cpuLimit: '2', cpuRequest: '2', memory: '1Gi' }],
        podCpu: '4',
      }),
    });
    const scrapes = [
      scrape(T0, [quotaSeries('ml', 'ml-1', 'proxy', `${base}/${'c3'.repeat(32)}`, 2000, 100, 10, 5)]),
      scrape(T30, [quotaSeries('ml', 'ml-1', 'proxy', `${base}/${'c3'.repeat(32)}`, 2000, 400, 160, 65)]),
    ];
    const without = row(buildThrottle([node('w', scrapes, [input(false)])], INTERVAL), 'ml-1', 'proxy');
    expect(without).toMatchObject({
      assignment: null,
      cpus: null,
      cpuCount: null,
      cfsQuota: null,
      cause: 'pod-limit-as-container-quota',
    });
    expect(without.message).toBe(
      'proxy has no CPU limit of its own, so the pod-level limit 4 CPUs is its CFS quota; on its cpuset it uses up that ' +
        'quota (throttled in 50.0% of periods, usage 2.00 cores): give it its own CPU limit sized for its load, or raise ' +
        'the pod-level limit if it needs more than 4 CPUs',
    );
    const own = buildThrottle([node('w', scrapes, [input(true)])], INTERVAL);
    expect(row(own, 'ml-1', 'proxy').cause).toBe('own-limit');
    expect(row(own, 'ml-1', 'proxy').message).toContain(
      'remove it so the pod-level limit 4 CPUs becomes its quota',
    );
    expect(own.findings.map((f) => [f.code, f.message])).toEqual([
      [
        'T1',
        'proxy in ml/ml-1 was throttled in 50.0% of CFS periods (threshold 25.0%) by a CFS quota of 2 CPUs',
      ],
    ]);
  });

  it('pod-shared-pool-saturated needs Σ usage ≥ 90% of the pool', () => {
    const withBackupUsage = (second: string, options: ThrottleOptions) =>
      buildThrottle(
        [
          node(
            'worker-1',
            [
              parsed(T0, worker1Text(false), 's1'),
              parsed(T30, worker1Text(true).replace(' 446.5 ', ` ${second} `), 's2'),
            ],
            [dbPodInput()],
          ),
        ],
        options,
      );
    // 0.42 + 1.38 = 1.8 = 90% of 2 CPUs: saturated
    const edge = withBackupUsage('441.4', INTERVAL);
    expect(row(edge, 'db-0', 'backup-agent').usageCores).toBe(1.38);
    expect(edge.rows.map((r) => r.cause)).toEqual(['pod-shared-pool-saturated', 'pod-shared-pool-saturated']);
    // 0.42 + 1.376667 just under: none, and the rows are hidden without --all
    expect(withBackupUsage('441.3', INTERVAL).rows).toEqual([]);
    const under = withBackupUsage('441.3', ALL);
    expect(under.rows.map((r) => r.cause)).toEqual(['none', 'none', 'none']);
    expect(row(under, 'db-0', 'backup-agent').message).toBe(
      'backup-agent was throttled in 0.0% of periods by the pod-level limit 8 CPUs, below the 25.0% threshold, usage 1.38 cores',
    );
  });

  it('pod-shared-pool-saturated works in count mode from the given pool size', () => {
    const input = dbPodInput();
    const report = buildThrottle(
      [
        node(
          'worker-1',
          [parsed(T0, worker1Text(false), 's1'), parsed(T30, worker1Text(true), 's2')],
          [
            {
              ...input,
              report: {
                ...input.report,
                expected: { podSharedPool: {} }, // count mode: no pool cpuset
                containers: input.report.containers.map((c) =>
                  c.expected === null ? c : { ...c, expected: { ...c.expected, cpus: null } },
                ),
              },
              cpuCounts: { 'metrics-exporter': 2, 'backup-agent': 2, database: 6 },
              podSharedPoolCpuCount: 2,
            },
          ],
        ),
      ],
      INTERVAL,
    );
    expect(report.rows.map((r) => [r.container, r.cpus, r.cpuCount, r.cause])).toEqual([
      ['metrics-exporter', null, 2, 'pod-shared-pool-saturated'],
      ['backup-agent', null, 2, 'pod-shared-pool-saturated'],
    ]);
    expect(row(report, 'db-0', 'backup-agent').message).toContain(
      'shares the pod shared pool with metrics-exporter',
    );
  });

  it('none: a container without a quota cannot be throttled', () => {
    const report = buildThrottle(
      [node('worker-3', apiScrapes([1000, 10, 1300, 20], [1000, 0, 1300, 3], null), [apiPodInput()])],
      ALL,
    );
    expect(report.rows.map((r) => r.cause)).toEqual(['none', 'none']);
    expect(row(report, 'api', 'api').message).toBe(
      'api was throttled in 3.3% of periods by its own CPU limit 500m, below the 25.0% threshold, usage 0.49 cores',
    );
    expect(report.findings).toEqual([]);
  });
});

// ----- exclusive containers: D12 instead of T1 ---------------------------------------------------

describe('exclusive containers (D12)', () => {
  const uid = '33333333-4444-4555-8666-777777777777';
  const base = `/kubepods/pod${uid}`;
  const dbId = 'd4'.repeat(32);
  const input = (cfsQuota: 'none' | 'container'): ThrottlePodInput => ({
    report: {
      namespace: 'db',
      name: 'pg-0',
      uid,
      expected: { podSharedPool: null },
      containers: [
        expectedContainer(
          'postgres',
          dbId,
          'node_exclusive',
          '2-7',
          cfsQuota,
          cfsQuota === 'container' ? 6000 : null,
        ),
      ],
    },
    pod: rawPod('db', 'pg-0', uid, {
      apps: [{ name: 'postgres', cpuLimit: '6', cpuRequest: '6', memory: '4Gi' }],
    }),
  });
  const pgSeries = (periods: number, throttled: number) =>
    quotaSeries('db', 'pg-0', 'postgres', `${base}/${dbId}`, 6000, periods, throttled, periods / 10);

  it('a quota the model does not expect: exclusive-cpus-throttled and D12 (error), no T1', () => {
    const report = buildThrottle(
      [
        node(
          'worker-4',
          [scrape(T0, [pgSeries(1000, 0)]), scrape(T30, [pgSeries(1300, 0)])],
          [input('none')],
        ),
      ],
      INTERVAL,
    );
    const r = row(report, 'pg-0', 'postgres');
    expect(r.cause).toBe('exclusive-cpus-throttled');
    expect(r.message).toBe(
      'postgres holds exclusive CPUs 2-7 (node_exclusive) but its cgroup has a CFS quota of 6 CPUs; the kubelet removes ' +
        'the quota of containers with exclusive CPUs (DisableCPUQuotaWithExclusiveCPUs, cpuCFSQuota): check both in ' +
        '/configz and recreate the pod so its cgroups are rewritten',
    );
    expect(report.findings).toEqual([
      {
        code: 'D12',
        severity: 'error',
        node: 'worker-4',
        namespace: 'db',
        pod: 'pg-0',
        podUid: uid,
        container: 'postgres',
        resource: 'cpu',
        evidence: ['cadvisor'],
        expected: 'none',
        observed: 6000,
        message: 'postgres holds exclusive CPUs 2-7 but its cgroup has a CFS quota of 6 CPUs (expected none)',
      },
    ]);
  });

  it('an expected quota (gate off) is fine until it throttles; then D12 with the throttled periods', () => {
    const quiet = buildThrottle(
      [
        node(
          'worker-4',
          [scrape(T0, [pgSeries(1000, 0)]), scrape(T30, [pgSeries(1300, 0)])],
          [input('container')],
        ),
      ],
      ALL,
    );
    expect(row(quiet, 'pg-0', 'postgres').cause).toBe('none');
    expect(quiet.findings).toEqual([]);

    // one throttled period is enough, far below the threshold
    const throttled = buildThrottle(
      [
        node(
          'worker-4',
          [scrape(T0, [pgSeries(1000, 0)]), scrape(T30, [pgSeries(1300, 1)])],
          [input('container')],
        ),
      ],
      INTERVAL,
    );
    const r = row(throttled, 'pg-0', 'postgres');
    expect(r.cause).toBe('exclusive-cpus-throttled');
    expect(r.message).toBe(
      'postgres holds exclusive CPUs 2-7 (node_exclusive) but its own CPU limit 6 CPUs throttles it in 0.3% ' +
        'of periods; turn on the DisableCPUQuotaWithExclusiveCPUs feature gate so containers with exclusive CPUs run without a CFS quota',
    );
    expect(throttled.findings.map((f) => [f.code, f.severity, f.expected, f.observed, f.message])).toEqual([
      [
        'D12',
        'error',
        0,
        1,
        'postgres holds exclusive CPUs 2-7 but was throttled in 1 of 300 CFS periods (expected 0)',
      ],
    ]);
  });

  it('an exclusive container in a pod whose cgroup is throttled: pod-quota-shared with D12, not T1', () => {
    const pod = (throttled: number, at: string) =>
      scrape(at, [
        series({
          namespace: 'db',
          pod: 'pg-0',
          container: 'postgres',
          id: `${base}/${dbId}`,
          usageSeconds: 10,
        }),
        quotaSeries('db', 'pg-0', '', base, 6000, at === T0 ? 0 : 300, throttled, 10),
      ]);
    const report = buildThrottle([node('worker-4', [pod(0, T0), pod(90, T30)], [input('none')])], INTERVAL);
    expect(row(report, 'pg-0', 'postgres').cause).toBe('pod-quota-shared');
    expect(row(report, 'pg-0', 'postgres').message).toContain(
      'postgres holds exclusive CPUs, so the kubelet should have removed the pod quota',
    );
    expect(report.findings.map((f) => [f.code, f.expected, f.observed, f.message])).toEqual([
      [
        'D12',
        'none',
        6000,
        'postgres holds exclusive CPUs 2-7 but the pod cgroup of db/pg-0 has a CFS quota of 6 CPUs (expected none), throttled in 30.0% of periods',
      ],
    ]);
  });
});

// ----- windows ------------------------------------------------------------------------------------

describe('windows', () => {
  it('no period elapsed: ratio 0', () => {
    const report = buildThrottle(
      [node('worker-3', apiScrapes([1000, 10, 1000, 10], [1000, 0, 1000, 0], null), [apiPodInput()])],
      ALL,
    );
    expect(row(report, 'api', 'api').containerCfs).toMatchObject({
      periods: 0,
      throttledPeriods: 0,
      throttledRatio: 0,
    });
  });

  it('a counter that went down (reset): the second scrape alone, counterReset', () => {
    const report = buildThrottle(
      [node('worker-3', apiScrapes([50000, 20000, 300, 90], [1000, 0, 1300, 3], null), [apiPodInput()])],
      INTERVAL,
    );
    expect(row(report, 'api', 'api').containerCfs).toEqual({
      quotaMillicores: 500,
      periods: 300,
      throttledPeriods: 90,
      throttledRatio: 0.3,
      throttledSeconds: 1.8,
      counterReset: true,
    });
    expect(row(report, 'api', 'api').cause).toBe('own-limit');
  });

  it('a restarted container: the new cgroup wins over the old one and is taken alone', () => {
    const oldId = 'e5'.repeat(32);
    const old = (periods: number, throttled: number) =>
      quotaSeries('web', 'api', 'api', `${apiPod}/${oldId}`, 500, periods, throttled, 900);
    const report = buildThrottle(
      [
        node(
          'worker-3',
          [
            scrape(T0, [old(90000, 80000)]),
            // the old cgroup lingers with more periods; the current one started during the window
            scrape(T30, [
              old(90100, 80090),
              quotaSeries('web', 'api', 'api', `${apiPod}/${API_ID}`, 500, 200, 20, 3),
            ]),
          ],
          [apiPodInput()],
        ),
      ],
      ALL,
    );
    const r = row(report, 'api', 'api');
    expect(r.containerCfs).toMatchObject({
      periods: 200,
      throttledPeriods: 20,
      throttledRatio: 0.1,
      counterReset: true,
    });
    expect(r.usageCores).toBe(0.1);
    expect(r.cause).toBe('none');
  });

  it("usage over cAdvisor's own reading times when the samples carry them; the same reading twice: none", () => {
    const at = (usage: number, ms: number | null) => ({
      ...quotaSeries('web', 'api', 'api', `${apiPod}/${API_ID}`, 500, 1000, 0, usage),
      usageTimestampMs: ms,
    });
    const usage = (first: CadvisorCpuSeries, last: CadvisorCpuSeries) =>
      row(
        buildThrottle([node('worker-3', [scrape(T0, [first]), scrape(T30, [last])], [apiPodInput()])], ALL),
        'api',
        'api',
      ).usageCores;
    const t0 = Date.parse(T0);
    // readings 20 s apart inside a 30 s window: 4 CPU-seconds over 20 s
    expect(usage(at(100, t0 - 5000), at(104, t0 + 15000))).toBe(0.2);
    // without timestamps on both: the window's 30 s
    expect(usage(at(100, null), at(106, t0 + 15000))).toBe(0.2);
    // cAdvisor had not read the cgroup again: no rate rather than 0
    expect(usage(at(100, t0 - 5000), at(100, t0 - 5000))).toBeNull();
  });

  it('cumulative mode: one scrape, counters since cgroup start, no usage, no pool saturation', () => {
    const report = buildThrottle(
      [
        node('worker-2', [parsed(T30, worker2Text(true), 'w2')], [mlPodInput()]),
        node('worker-1', [parsed(T0, worker1Text(true), 'w1')], [dbPodInput()]),
      ],
      { mode: 'cumulative', threshold: 0.2, all: false, now: '2026-05-12T10:05:00Z' },
    );
    expect(report.window).toEqual({ mode: 'cumulative', seconds: null, from: null, to: T30 });
    expect(report.rows.map((r) => [r.container, r.cause, r.usageCores])).toEqual([
      ['service-mesh-sidecar', 'pod-limit-as-container-quota', null],
    ]);
    expect(row(report, 'ml-0', 'service-mesh-sidecar').containerCfs).toEqual({
      quotaMillicores: 4000,
      periods: 5300,
      throttledPeriods: 1093,
      throttledRatio: 0.206226,
      throttledSeconds: 60.2,
      counterReset: false,
    });
  });

  it('interval mode uses the first and the last scrape; the window is their mean length', () => {
    const ml = (at: string, second: boolean) => parsed(at, worker2Text(second), at);
    const report = buildThrottle(
      [
        node('worker-2', [ml(T0, false), ml('2026-05-12T10:00:10Z', false), ml(T30, true)], [mlPodInput()]),
        node(
          'worker-1',
          [
            parsed('2026-05-12T10:00:02Z', worker1Text(false), 'a'),
            parsed('2026-05-12T10:00:22Z', worker1Text(true), 'b'),
          ],
          [dbPodInput()],
        ),
      ],
      INTERVAL,
    );
    expect(report.window).toEqual({ mode: 'interval', seconds: 25, from: T0, to: T30 });
    // worker-1's scrapes are 20 s apart but its samples carry cAdvisor's reading times T0 and T30:
    // 12.6 CPU-seconds over 30 s, not over 20 s (0.63)
    expect(row(report, 'db-0', 'metrics-exporter').usageCores).toBe(0.42);
  });

  it('no usable scrape: null windows, shown only with --all, window end = now', () => {
    const unreachable = {
      ...SOURCES,
      cadvisor: { status: 'forbidden', from: 'live', httpStatus: 403, message: 'forbidden (403)' },
    } as const;
    const input: ThrottleNodeInput = {
      name: 'worker-9',
      sources: unreachable,
      cadvisor: [],
      pods: [apiPodInput()],
    };
    expect(buildThrottle([input], INTERVAL).rows).toEqual([]);
    const report = buildThrottle([input], ALL);
    expect(report.window).toEqual({
      mode: 'interval',
      seconds: null,
      from: null,
      to: '2026-05-12T10:01:00Z',
    });
    expect(report.nodes[0]?.status).toBe('unreachable');
    expect(report.rows.map((r) => [r.containerCfs, r.podCgroup, r.usageCores, r.cause, r.message])).toEqual([
      [null, null, null, 'none', 'no usable cAdvisor scrape of node worker-9'],
      [null, null, null, 'none', 'no usable cAdvisor scrape of node worker-9'],
    ]);
  });

  it('interval mode with one scrape, or a scrape with parse issues, has no window for that node', () => {
    const bad: CadvisorCpu = {
      series: [],
      issues: [{ line: 3, message: 'expected a value after the labels' }],
    };
    for (const scrapes of [
      apiScrapes([1000, 10, 1300, 136], [1000, 0, 1300, 3], null).slice(1),
      [{ scrapedAt: T0, cpu: bad }, ...apiScrapes([1000, 10, 1300, 136], [1000, 0, 1300, 3], null).slice(1)],
    ]) {
      const report = buildThrottle([node('worker-3', scrapes, [apiPodInput()])], ALL);
      expect(report.rows.map((r) => r.containerCfs)).toEqual([null, null]);
      expect(report.findings).toEqual([]);
    }
  });

  it('rejects a second scrape that is not later, and an unreadable scrape time', () => {
    const [a, b] = apiScrapes([1000, 10, 1300, 136], [1000, 0, 1300, 3], null);
    if (a === undefined || b === undefined) throw new Error('two scrapes');
    expect(() => buildThrottle([node('worker-3', [b, a], [apiPodInput()])], INTERVAL)).toThrow(InputError);
    expect(() => buildThrottle([node('worker-3', [b, a], [apiPodInput()])], INTERVAL)).toThrow(
      'node worker-3 cadvisor[1].scrapedAt: "2026-05-12T10:00:00Z" is not after the first scrape "2026-05-12T10:00:30Z"',
    );
    expect(() =>
      buildThrottle([node('worker-3', [a, { ...b, scrapedAt: 'yesterday' }], [apiPodInput()])], INTERVAL),
    ).toThrow('node worker-3 cadvisor[1].scrapedAt: expected an RFC 3339 time, got "yesterday"');
  });
});

// ----- threshold ----------------------------------------------------------------------------------

describe('threshold', () => {
  // api: 75 of 300 periods = exactly 25%
  const at = (threshold: number, all = false) =>
    buildThrottle(
      [node('worker-3', apiScrapes([1000, 10, 1300, 85], [1000, 0, 1300, 3], null), [apiPodInput()])],
      { ...INTERVAL, threshold, all },
    );

  it('a ratio equal to the threshold counts (≥)', () => {
    const report = at(0.25);
    expect(row(report, 'api', 'api').containerCfs?.throttledRatio).toBe(0.25);
    expect(row(report, 'api', 'api').cause).toBe('own-limit');
    expect(report.findings.map((f) => f.code)).toEqual(['T1']);
  });

  it('just above the ratio: no row, no finding', () => {
    const report = at(0.2501);
    expect(report.rows).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(at(0.2501, true).rows.map((r) => r.cause)).toEqual(['none', 'none']);
  });

  it('threshold 1 is allowed; 0, negative, above 1 and NaN are usage errors', () => {
    expect(at(1).rows).toEqual([]);
    for (const bad of [0, -0.1, 1.01, Number.NaN]) {
      expect(() => at(bad)).toThrow(UsageError);
    }
    expect(() => at(1.5)).toThrow(
      'invalid value "1.5" for --threshold: expected a number greater than 0 and at most 1',
    );
  });
});

// ----- series selection (cli.md §6.5) -------------------------------------------------------------

describe('joining cAdvisor series', () => {
  it('reads pod UIDs from cgroupfs and systemd paths', () => {
    expect(podUidInCgroupPath(`/kubepods/burstable/pod${API_UID}/${API_ID}`)).toBe(API_UID);
    expect(
      podUidInCgroupPath(
        `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${API_UID.replaceAll('-', '_')}.slice/cri-containerd-${API_ID}.scope`,
      ),
    ).toBe(API_UID);
    expect(podUidInCgroupPath('/kubepods/burstable/pod07bd11a0a13dfe5450a17a39eb8e32d2')).toBe(
      '07bd11a0a13dfe5450a17a39eb8e32d2',
    );
    expect(podUidInCgroupPath('/kubepods/burstable')).toBeNull();
    expect(podUidInCgroupPath('/kubepods.slice')).toBeNull();
    expect(isPodCgroupPath(`/kubepods/pod${API_UID}`)).toBe(true);
    expect(isPodCgroupPath(`/kubepods.slice/kubepods-pod${API_UID.replaceAll('-', '_')}.slice`)).toBe(true);
    expect(isPodCgroupPath(`/kubepods/pod${API_UID}/${API_ID}`)).toBe(false);
  });

  it('matches container IDs in cgroupfs, containerd, docker and CRI-O naming', () => {
    expect(bareContainerId(`containerd://${API_ID}`)).toBe(API_ID);
    expect(bareContainerId(`cri-o://${API_ID}`)).toBe(API_ID);
    expect(bareContainerId(null)).toBeNull();
    expect(bareContainerId('')).toBeNull();
    for (const leaf of [
      API_ID,
      `cri-containerd-${API_ID}.scope`,
      `docker-${API_ID}.scope`,
      `crio-${API_ID}.scope`,
    ]) {
      expect(cgroupPathMatchesContainer(`/kubepods/pod${API_UID}/${leaf}`, API_ID)).toBe(true);
    }
    expect(cgroupPathMatchesContainer(`/kubepods/pod${API_UID}/crio-conmon-${API_ID}.scope`, API_ID)).toBe(
      false,
    );
    expect(cgroupPathMatchesContainer(`/kubepods/pod${API_UID}/${WORKER_ID}`, API_ID)).toBe(false);
  });

  it('drops series whose path names an earlier pod of the same name', () => {
    const earlier = '99999999-8888-4777-8666-555555555555';
    const cpu: CadvisorCpu = {
      series: [
        quotaSeries(
          'web',
          'api',
          'api',
          `/kubepods/burstable/pod${earlier}/${'f6'.repeat(32)}`,
          500,
          99999,
          99999,
          1,
        ),
        quotaSeries('web', 'api', 'api', `${apiPod}/${API_ID}`, 500, 300, 3, 1),
        quotaSeries(
          'web',
          'other',
          'api',
          `/kubepods/burstable/pod${'1'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/x`,
          500,
          5,
          5,
          1,
        ),
      ],
      issues: [],
    };
    const mine = podSeries(cpu, { namespace: 'web', name: 'api', uids: [API_UID] });
    expect(mine.map((s) => s.cfsPeriods)).toEqual([300]);
    // without the status container ID the most periods win, still only among this pod's series
    expect(selectContainerSeries(mine, 'api', null)?.cfsPeriods).toBe(300);
  });

  it('prefers the series of the current container ID, else the one with the most periods', () => {
    const list = [
      quotaSeries('web', 'api', 'api', `${apiPod}/${'e5'.repeat(32)}`, 500, 5000, 100, 1),
      quotaSeries('web', 'api', 'api', `${apiPod}/${API_ID}`, 500, 300, 3, 1),
      series({ namespace: 'web', pod: 'api', container: 'POD', id: `${apiPod}/${'0'.repeat(64)}` }),
    ];
    expect(selectContainerSeries(list, 'api', `containerd://${API_ID}`)?.cfsPeriods).toBe(300);
    expect(selectContainerSeries(list, 'api', `containerd://${'7'.repeat(64)}`)?.cfsPeriods).toBe(5000);
    expect(selectContainerSeries(list, 'api', null)?.cfsPeriods).toBe(5000);
    expect(selectContainerSeries(list, 'POD', null)).toBeNull();
    expect(selectContainerSeries(list, 'worker', null)).toBeNull();
  });

  it('takes the pod cgroup series, not a sandbox one level deeper', () => {
    const list = [
      series({ namespace: 'web', pod: 'api', id: `${apiPod}/${'0'.repeat(64)}`, usageSeconds: 1 }),
      quotaSeries('web', 'api', '', apiPod, 2000, 10, 1, 5),
    ];
    expect(selectPodCgroupSeries(list)?.id).toBe(apiPod);
    expect(selectPodCgroupSeries(list.slice(0, 1))).toBeNull();
  });

  it('joins a mirror pod by the kubelet UID from its annotation', () => {
    const kubeletUid = '0f3b5c2a9d7e41f6a8c4b2d0e6f81a3c';
    const apiUid = '44444444-5555-4666-8777-888888888888';
    const base = `/kubepods/burstable/pod${kubeletUid}`;
    const input: ThrottlePodInput = {
      report: {
        namespace: 'kube-system',
        name: 'etcd-worker-1',
        uid: apiUid,
        expected: { podSharedPool: null },
        containers: [expectedContainer('etcd', null, 'node_shared', '0-63', 'container', 1000)],
      },
      pod: rawPod('kube-system', 'etcd-worker-1', apiUid, {
        apps: [{ name: 'etcd', cpuLimit: '1' }],
        mirror: kubeletUid,
      }),
    };
    // the static pod's cgroups carry the kubelet UID; the old-style unlabelled pod series too
    const s = (periods: number, throttled: number, at: string) =>
      scrape(at, [
        quotaSeries(
          'kube-system',
          'etcd-worker-1',
          'etcd',
          `${base}/${'ab'.repeat(32)}`,
          1000,
          periods,
          throttled,
          periods,
        ),
        quotaSeries('', '', '', base, 1000, periods, throttled, periods),
      ]);
    const report = buildThrottle([node('worker-1', [s(0, 0, T0), s(300, 150, T30)], [input])], INTERVAL);
    expect(
      report.rows.map((r) => [
        r.container,
        r.cause,
        r.containerCfs?.throttledRatio,
        r.podCgroup?.throttledRatio,
      ]),
    ).toEqual([['etcd', 'own-limit', 0.5, 0.5]]);
  });
});

// ----- real scrapes -------------------------------------------------------------------------------

const REAL = path.resolve(process.cwd(), '../shared/fixtures/real/cadvisor');
const realScrape = (file: string, at: string): CadvisorScrape => ({
  scrapedAt: at,
  cpu: parseCadvisorCpu(readFileSync(path.join(REAL, file), 'utf8'), file),
});

describe('real /metrics/cadvisor scrapes', () => {
  it('minikube 1.15 (cgroup v1, legacy pod_name/container_name, unlabelled pod cgroup)', () => {
    const uid = 'f89b6c09-11a3-11e8-a084-080027352a02';
    const input: ThrottlePodInput = {
      report: {
        namespace: 'kube-system',
        name: 'kube-state-metrics-57f4659995-6n2qq',
        uid,
        expected: null,
        containers: [
          {
            name: 'kube-state-metrics',
            containerId: 'docker://c452821fcf6c5f594d4f98a1426e7a2c51febb65d5d50d92903f9dfb367bfba7',
            expected: null,
          },
          {
            name: 'addon-resizer',
            containerId: 'docker://3328c17bfd22f1a82fcdf8707c2f8f040c462e548c24780079bba95d276d93e1',
            expected: null,
          },
        ],
      },
      pod: rawPod('kube-system', 'kube-state-metrics-57f4659995-6n2qq', uid, {
        apps: [
          { name: 'kube-state-metrics', cpuLimit: '101m', cpuRequest: '101m' },
          { name: 'addon-resizer', cpuLimit: '100m', cpuRequest: '100m' },
        ],
      }),
    };
    const report = buildThrottle(
      [
        node(
          'minikube',
          [realScrape('nri-k8s-minikube-1.15-cgroupv1.metrics-cadvisor.cpu-families.txt', T0)],
          [input],
        ),
      ],
      { mode: 'cumulative', threshold: 0.25, all: true, now: T30 },
    );
    expect(
      report.rows.map((r) => [
        r.container,
        r.cause,
        r.containerCfs?.quotaMillicores,
        r.containerCfs?.throttledRatio,
      ]),
    ).toEqual([
      ['kube-state-metrics', 'own-limit', 101, 0.287642],
      ['addon-resizer', 'own-limit', 100, 0.295115],
    ]);
    // the pod cgroup series has empty namespace/pod labels: joined by the UID in its path
    expect(row(report, 'kube-state-metrics-57f4659995-6n2qq', 'addon-resizer').podCgroup).toEqual({
      quotaMillicores: 201,
      periods: 19649,
      throttledPeriods: 3583,
      throttledRatio: 0.18235,
      throttledSeconds: 332.521316,
      counterReset: false,
    });
    expect(report.findings.map((f) => [f.code, f.container, f.observed])).toEqual([
      ['T1', 'addon-resizer', 0.295115],
      ['T1', 'kube-state-metrics', 0.287642],
    ]);
  });

  it('kind 1.35 (cgroup v2, containerd): pod cgroup vs sandbox, a container not yet running', () => {
    const file = 'nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt';
    const sts: ThrottlePodInput = {
      report: {
        namespace: 'scraper',
        name: 'e2e-statefulset-1',
        uid: 'b74071bf-fab2-44d0-9850-55ff20eda8c3',
        expected: null,
        containers: [
          {
            name: 'compute-pi-digits',
            containerId: 'containerd://f178027c6d8689af7d274bb9018b4e3a84135a753543436bed5a52c4797760de',
            expected: null,
          },
        ],
      },
      pod: rawPod('scraper', 'e2e-statefulset-1', 'b74071bf-fab2-44d0-9850-55ff20eda8c3', {
        apps: [{ name: 'compute-pi-digits', cpuLimit: '80m', cpuRequest: '10m' }],
      }),
    };
    const creating: ThrottlePodInput = {
      report: {
        namespace: 'scraper',
        name: 'e2e-container-creating',
        uid: '567cc614-001a-402b-99fd-3d1f8db83f30',
        expected: null,
        containers: [{ name: 'app', containerId: null, expected: null }],
      },
      pod: rawPod('scraper', 'e2e-container-creating', '567cc614-001a-402b-99fd-3d1f8db83f30', {
        apps: [{ name: 'app', cpuLimit: '10m', cpuRequest: '10m', memory: '16Mi' }],
      }),
    };
    const report = buildThrottle([node('datagen-1-35', [realScrape(file, T0)], [sts, creating])], {
      mode: 'cumulative',
      threshold: 0.25,
      all: false,
      now: T30,
    });
    expect(
      report.rows.map((r) => [
        r.pod,
        r.container,
        r.cause,
        r.containerCfs?.throttledRatio ?? null,
        r.podCgroup?.throttledRatio,
      ]),
    ).toEqual([
      // the sandbox has no quota: only the container's own container series is not the pod's
      ['e2e-container-creating', 'app', 'pod-quota-shared', null, 0.773333],
      ['e2e-statefulset-1', 'compute-pi-digits', 'own-limit', 0.822857, 0.934483],
    ]);
    expect(row(report, 'e2e-container-creating', 'app').message).toBe(
      'app is held back by the pod cgroup quota 10m shared by all containers of scraper/e2e-container-creating: the pod ' +
        'cgroup was throttled in 77.3% of periods (app has no cAdvisor series); raise the CPU limits of its containers ' +
        '(the pod quota is their sum), or remove the limit of one of them',
    );
    // T1 reports the larger of the two ratios and says which cgroup it is
    expect(report.findings.map((f) => [f.pod, f.observed, f.message])).toEqual([
      [
        'e2e-container-creating',
        0.773333,
        'app in scraper/e2e-container-creating was throttled in 77.3% of CFS periods (threshold 25.0%) by the pod cgroup quota 10m',
      ],
      [
        'e2e-statefulset-1',
        0.934483,
        'compute-pi-digits in scraper/e2e-statefulset-1 was throttled in 93.4% of CFS periods (threshold 25.0%) by the pod cgroup quota 80m',
      ],
    ]);
  });
});

// ----- node status and ordering -------------------------------------------------------------------

describe('node status and ordering', () => {
  const failed = (status: SourceStatus['status']): SourceStatus => ({
    status,
    from: 'live',
    httpStatus: null,
    message: null,
  });
  const absent: SourceStatus = { status: 'absent', from: null, httpStatus: null, message: null };

  it('unreachable without the node object or cAdvisor, partial when another source failed', () => {
    expect(throttleNodeStatus({ node: ok, cadvisor: ok, configz: ok })).toBe('ok');
    expect(throttleNodeStatus({ node: ok, cadvisor: ok, configz: absent })).toBe('ok');
    expect(throttleNodeStatus({ node: ok, cadvisor: ok, configz: failed('forbidden') })).toBe('partial');
    expect(throttleNodeStatus({ node: ok, cadvisor: failed('timeout'), configz: ok })).toBe('unreachable');
    expect(throttleNodeStatus({ node: failed('not-found'), cadvisor: ok })).toBe('unreachable');
    expect(throttleNodeStatus({ node: ok })).toBe('unreachable');
  });

  it('orders rows by namespace and pod across nodes, findings by severity then code', () => {
    const uid = '33333333-4444-4555-8666-777777777777';
    const base = `/kubepods/pod${uid}`;
    const pg: ThrottlePodInput = {
      report: {
        namespace: 'db',
        name: 'pg-0',
        uid,
        expected: { podSharedPool: null },
        containers: [expectedContainer('postgres', null, 'node_exclusive', '2-7', 'none')],
      },
      pod: rawPod('db', 'pg-0', uid, {
        apps: [{ name: 'postgres', cpuLimit: '6', cpuRequest: '6', memory: '4Gi' }],
      }),
    };
    const pgScrape = (at: string, periods: number) =>
      scrape(at, [quotaSeries('db', 'pg-0', 'postgres', `${base}/${'d4'.repeat(32)}`, 6000, periods, 0, 1)]);
    const report = buildThrottle(
      [
        node('worker-3', apiScrapes([1000, 10, 1300, 136], [1000, 0, 1300, 3], null), [apiPodInput()]),
        node('worker-1', [pgScrape(T0, 10), pgScrape(T30, 20)], [pg]),
        node(
          'worker-2',
          [parsed(T0, worker2Text(false), 'a'), parsed(T30, worker2Text(true), 'b')],
          [mlPodInput()],
        ),
      ],
      INTERVAL,
    );
    expect(report.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(report.rows.map((r) => `${r.namespace}/${r.pod}/${r.container}`)).toEqual([
      'db/pg-0/postgres',
      'ml/ml-0/service-mesh-sidecar',
      'web/api/api',
    ]);
    expect(report.findings.map((f) => `${f.code} ${f.node}`)).toEqual([
      'D12 worker-1',
      'T1 worker-2',
      'T1 worker-3',
    ]);
  });

  it('names the pod and field of an invalid CPU limit', () => {
    const input = apiPodInput();
    const bad = rawPod('web', 'api', API_UID, { apps: [{ name: 'api', cpuLimit: 'lots' }] });
    expect(() =>
      buildThrottle(
        [node('worker-3', apiScrapes([0, 0, 0, 0], [0, 0, 0, 0], null), [{ ...input, pod: bad }])],
        INTERVAL,
      ),
    ).toThrow(/^pod web\/api spec\.containers\[0\]\.resources\.limits\.cpu: /);
  });
});
