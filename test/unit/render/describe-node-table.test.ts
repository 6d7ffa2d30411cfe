// `describe node` table (src/render/describe-node-table.ts): the preamble (NODE, CONFIG, POOLS,
// SOURCES, METRICS), one row per container of every pod, findings and coverage, `-o wide`,
// `--no-headers` and an unreachable node.

import { renderDescribeNodeTable } from '../../../src/render/describe-node-table.js';
import type { DescribeNodeTableOptions } from '../../../src/render/describe-node-table.js';
import { PLAIN_OUTPUT } from '../../../src/render/terminal.js';
import type { NodeReportBody, PodReportBody } from '../../../src/schema/reports.js';
import { expectGolden } from '../../helpers/golden.js';
import {
  C_CODES,
  D_CODES,
  config,
  coverage,
  driftedDbPod,
  finding,
  healthyDbPod,
  metrics,
  nodeSources,
  status,
  worker1,
  NOTHING_OBSERVED,
} from '../../helpers/report-builders.js';

const opts = (o: Partial<DescribeNodeTableOptions> = {}): DescribeNodeTableOptions => ({
  wide: false,
  noHeaders: false,
  terminal: PLAIN_OUTPUT,
  ...o,
});
const lines = (s: string) => s.replace(/\n$/, '').split('\n');

/** A second pod on worker-1: a BestEffort pod in the node shared pool. */
function bestEffortPod(): PodReportBody {
  const db = healthyDbPod();
  return {
    ...db,
    namespace: 'default',
    name: 'debug',
    uid: 'a8c0f1e2-3d4b-4c5a-8e6f-7a8b9c0d1e2f',
    qosClass: 'BestEffort',
    podLevel: false,
    path: 'container',
    admissionOrder: 8,
    expected: db.expected && {
      ...db.expected,
      numaAffinity: null,
      podPool: null,
      podSharedPool: null,
      podCgroupCfsQuota: 'unlimited',
    },
    observed: { ...db.observed, podPool: null, podSharedPool: null, source: { podPool: 'checkpoint' } },
    containers: [
      {
        name: 'shell',
        type: 'app',
        containerId: 'containerd://c0ffee0123456789',
        expected: {
          assignment: { cpu: 'node_shared', memory: 'node_shared' },
          isolation: 'host',
          cpus: '0,5-32,37-63',
          numaNodes: [0, 1],
          memory: [],
          cfsQuota: 'unlimited',
          cfsQuotaMillicores: null,
        },
        observed: {
          assignment: { cpu: 'node_shared', memory: 'node_shared' },
          cpus: '0,5-32,37-63',
          numaNodes: [0, 1],
          memory: [],
          cfsQuota: 'none',
          cfsQuotaMillicores: null,
          cfs: null,
          source: { assignment: 'checkpoint', cpus: 'cgroup', cfsQuota: 'cgroup' },
        },
        placement: 'exact',
        findings: [],
      },
    ],
  };
}

describe('renderDescribeNodeTable', () => {
  it('prints the preamble, one row per container with its pod, and the findings', () => {
    expect(renderDescribeNodeTable(worker1([driftedDbPod(), bestEffortPod()]), opts())).toBe(
      [
        'NODE     worker-1  kubelet v1.36.2 (model 1.36)  ok  64 cpus, 32 cores, 2 sockets, 2 numa nodes, 2 uncore caches (observation)',
        'CONFIG   cpu static  reserved 0  memory Static  topology single-numa-node/pod  plrm active  cfs quota on',
        'POOLS    node shared: cpus 0,5-32,37-63 | allocatable: cpus 1-63',
        'SOURCES  cz m ca obs  checkpoints cpu V3, memory V2',
        'METRICS  shared pool 55000m  exclusive cpus 8  cpu pinning 5 errors 0  memory pinning 3 errors 0  topology admissions 12 errors 0  kubelet start 2026-05-12T09:00:00Z',
        'NAMESPACE  POD    CONTAINER         TYPE     CPU                     MEMORY         CPUS               NUMA   CFS        FINDINGS',
        'db         db-0   metrics-exporter  sidecar  pod_shared→node_shared  pod_shared     4,36→0,5-32,37-63  0→0,1  pod 8000m  D7',
        'db         db-0   backup-agent      sidecar  pod_shared              pod_shared     4,36               0      pod 8000m  -',
        'db         db-0   database          app      pod_exclusive           pod_exclusive  1-3,33-35          0      none       -',
        'default    debug  shell             app      node_shared             node_shared    0,5-32,37-63       0,1    unlimited  -',
        'FINDINGS',
        'error  D7  worker-1  db/db-0  metrics-exporter  cpu  metrics-exporter runs on the node shared pool 0,5-32,37-63 instead of the pod shared pool 4,36',
        '',
      ].join('\n'),
    );
  });

  it('--no-headers: only the container rows', () => {
    const out = lines(
      renderDescribeNodeTable(worker1([driftedDbPod(), bestEffortPod()]), opts({ noHeaders: true })),
    );
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^db +db-0 +metrics-exporter +sidecar /);
    expect(out[3]).toMatch(
      /^default +debug +shell +app +node_shared +node_shared +0,5-32,37-63 +0,1 +unlimited +-$/,
    );
  });

  it('CONFIG shows policy options, wide the feature gates', () => {
    const node: NodeReportBody = {
      ...worker1(),
      config: config({
        cpuManagerPolicyOptions: { 'full-pcpus-only': 'true', 'distribute-cpus-across-numa': 'false' },
        topologyManagerPolicyOptions: { 'prefer-closest-numa-nodes': 'true' },
        cpuCFSQuota: false,
      }),
    };
    expect(lines(renderDescribeNodeTable(node, opts()))[1]).toBe(
      'CONFIG   cpu static (distribute-cpus-across-numa=false,full-pcpus-only=true)  reserved 0  memory Static  topology single-numa-node/pod (prefer-closest-numa-nodes=true)  plrm active  cfs quota off',
    );
    expect(lines(renderDescribeNodeTable(node, opts({ wide: true })))[1]).toMatch(
      / {2}cfs quota off {2}gates PodLevelResourceManagers=true,PodLevelResources=true$/,
    );
  });

  it('METRICS: gauges must equal the model, counters at least reach it', () => {
    const base = worker1();
    const node: NodeReportBody = {
      ...base,
      observed: {
        ...base.observed,
        metrics: metrics({
          kubelet_cpu_manager_shared_pool_size_millicores: 54000,
          kubelet_cpu_manager_pinning_requests_total: 2,
          kubelet_memory_manager_pinning_errors_total: 1,
        }),
      },
    };
    expect(lines(renderDescribeNodeTable(node, opts()))[4]).toBe(
      'METRICS  shared pool 55000m→54000m  exclusive cpus 8  cpu pinning 3→2 errors 0  memory pinning 3 errors 1  topology admissions 12 errors 0  kubelet start 2026-05-12T09:00:00Z',
    );
    const noScrape: NodeReportBody = {
      ...base,
      sources: nodeSources({ metrics: status('forbidden', 403) }),
      observed: { ...base.observed, metrics: null, kubeletStartTime: null },
    };
    const l = lines(renderDescribeNodeTable(noScrape, opts()));
    expect(l[3]).toBe('SOURCES  cz m! ca obs  checkpoints cpu V3, memory V2');
    expect(l[4]).toBe(
      'METRICS  shared pool 55000m→?  exclusive cpus 8→?  cpu pinning 3→? errors 0→?  memory pinning 3→? errors 0→?  topology admissions 12→? errors 0→?',
    );
  });

  it('POOLS: a shared pool that D13 judged without finding shows as observed, else as drift', () => {
    const base = worker1();
    const moved: NodeReportBody = {
      ...base,
      observed: { ...base.observed, nodeSharedPool: { cpus: '0,9-32,41-63' } },
    };
    expect(lines(renderDescribeNodeTable(moved, opts()))[2]).toBe(
      'POOLS    node shared: cpus 0,9-32,41-63 | allocatable: cpus 1-63',
    );
    const d13 = finding({
      code: 'D13',
      severity: 'error',
      node: 'worker-1',
      resource: 'cpu',
      evidence: ['checkpoint'],
      expected: '0,5-32,37-63',
      observed: '0,9-32,41-63',
      message: 'defaultCpuSet 0,9-32,41-63 is not all CPUs minus entries and pod pools 0,5-32,37-63',
    });
    expect(lines(renderDescribeNodeTable({ ...moved, findings: [d13] }, opts()))[2]).toBe(
      'POOLS    node shared: cpus 0,5-32,37-63→0,9-32,41-63 | allocatable: cpus 1-63',
    );
  });

  it('an unreachable node: unknown config, no expectations, every check not checked', () => {
    const base = worker1();
    const unexpected = (p: PodReportBody): PodReportBody => ({
      ...p,
      path: null,
      expected: null,
      observed: { ...p.observed, podPool: null, podSharedPool: null, podCgroupCfsQuota: null, source: {} },
      containers: p.containers.map((c) => ({
        ...c,
        expected: null,
        observed: NOTHING_OBSERVED,
        placement: 'unknown',
      })),
      coverage: [],
    });
    const node: NodeReportBody = {
      ...base,
      status: 'unreachable',
      sources: nodeSources({
        configz: status('unavailable', 503),
        metrics: status('unavailable', 503),
        cadvisor: status('timeout'),
        observation: status('absent'),
        podresources: status('absent'),
        checkpoint: status('absent'),
        cgroup: status('absent'),
        topology: status('absent'),
      }),
      config: null,
      topology: null,
      expected: null,
      observed: {
        nodeSharedPool: null,
        allocatableCpus: null,
        checkpointVersions: { cpuManager: null, memoryManager: null },
        metrics: null,
        kubeletStartTime: null,
        source: {},
      },
      pods: [unexpected(healthyDbPod())],
      findings: [],
      coverage: coverage([...C_CODES, ...D_CODES], 'not-checked', 'configz: unavailable (503)'),
    };
    expect(renderDescribeNodeTable(node, opts())).toBe(
      [
        'NODE     worker-1  kubelet v1.36.2 (model 1.36)  unreachable  no topology',
        'CONFIG   ? (configz: unavailable (503))',
        'POOLS    node shared: ? | allocatable: ?',
        'SOURCES  cz! m! ca!',
        'METRICS  ?',
        'NAMESPACE  POD   CONTAINER         TYPE     CPU  MEMORY  CPUS  NUMA  CFS  FINDINGS',
        'db         db-0  metrics-exporter  sidecar  ?    ?       ?     ?     ?    -',
        'db         db-0  backup-agent      sidecar  ?    ?       ?     ?     ?    -',
        'db         db-0  database          app      ?    ?       ?     ?     ?    -',
        'not checked: all checks (configz: unavailable (503))',
        '',
      ].join('\n'),
    );
    // without coverage entries the reason comes from the failed required source
    expect(lines(renderDescribeNodeTable({ ...node, coverage: [] }, opts())).at(-1)).toBe(
      'not checked: all checks (configz: unavailable (503))',
    );
  });

  it('-o wide: the container wide columns, findings with values and evidence, the coverage table', () => {
    const base = worker1([driftedDbPod(), bestEffortPod()]);
    const node: NodeReportBody = {
      ...base,
      findings: [
        ...base.findings,
        finding({
          code: 'C16',
          severity: 'info',
          node: 'worker-1',
          evidence: ['configz', 'node-object'],
          expected: null,
          observed: 'v1.36.2',
          message:
            'kubelet v1.36.2 with PodLevelResourceManagers on writes checkpoints older kubelets cannot read; drain and delete the state files before a downgrade',
        }),
      ],
      coverage: base.coverage.map((c) =>
        c.code === 'D12' ? { ...c, status: 'partial', missing: ['cgroup'], reason: 'cgroup: invalid' } : c,
      ),
    };
    const out = renderDescribeNodeTable(node, opts({ wide: true }));
    expectGolden('render/describe-node-wide.txt', out);
    const l = lines(out);
    expect(l[5]).toMatch(/ FINDINGS +ISOLATION +MEMORY BLOCKS +CONTAINER ID +PLACEMENT +SOURCES$/);
    expect(l[9]).toMatch(/^default +debug +shell .* - +host +- +c0ffee012345 +exact +checkpoint,cgroup$/);
    // findings in cli.md §1 order: errors before info
    const findings = l.slice(l.indexOf('FINDINGS') + 2, l.indexOf('COVERAGE'));
    expect(findings.map((f) => f.split(/ +/).slice(0, 2).join(' '))).toEqual(['error D7', 'info C16']);
    expect(l).toContain('D12   partial  cgroup   cgroup: invalid');
  });
});
