// analyzeNode as a whole: node status, sources, count mode, check selection, coverage, ordering,
// the expected/observed node sections, describe pod reports, and its speed.

import { readFileSync } from 'node:fs';
import {
  analyzeNode,
  analyzeNodeFull,
  podReport,
  unboundPodReport,
} from '../../../src/drift/analyze-node.js';
import type { NodeFacts } from '../../../src/drift/node-facts.js';
import { compareFindings } from '../../../src/drift/findings.js';
import { nodeFixture } from '../../helpers/node-fixture.js';
import { OPTIONS, analyze, coverageOf, example, findings } from './checks/analyze.js';
import { SPEC_POD_COVERAGE_CODES } from '../../helpers/spec-codes.js';

const DB = example('tightly-coupled-database');

/** The seed-1 scenario plus a BestEffort pod. */
function dbWithBestEffort(): string {
  return `${readFileSync(DB, 'utf8')}
  - apiVersion: v1
    kind: Pod
    metadata: {name: web-0, namespace: web}
    spec:
      containers:
        - {name: nginx, image: nginx}
`;
}

function withNodeLabels(facts: NodeFacts, labels: Record<string, string>): NodeFacts {
  const node = facts.node as { metadata: Record<string, unknown> };
  return { ...facts, node: { ...node, metadata: { ...node.metadata, labels } } };
}

describe('analyzeNode', () => {
  it('reports a healthy node: sources, config, topology, expected and observed sections', () => {
    const report = analyze(nodeFixture(DB));
    expect(report).toMatchObject({
      name: 'worker-1',
      status: 'ok',
      kubeletVersion: 'v1.36.2',
      modelVersion: '1.36',
      topology: { cpus: 64, cores: 32, sockets: 2, numaNodes: 2, uncoreCaches: 2, source: 'observation' },
      expected: { nodeSharedPool: { cpus: '0,5-32,37-63' }, allocatableCpus: '1-63', exclusiveCpus: 8 },
      observed: {
        nodeSharedPool: { cpus: '0,5-32,37-63' },
        allocatableCpus: '1-63',
        checkpointVersions: { cpuManager: 'V3', memoryManager: 'V2' },
        kubeletStartTime: '2026-05-12T09:01:07Z',
      },
    });
    expect(Object.values(report.sources).map((s) => s.status)).toEqual(Array(9).fill('ok'));
    expect(report.expected?.metrics.resource_manager_allocations_total).toEqual({
      cpu: { pod: 3, node: 0 },
      memory: { pod: 0, node: 0 },
    });
    expect(report.coverage.map((c) => c.code)).toEqual([
      ...Array.from({ length: 16 }, (_, i) => `C${i + 1}`),
      ...Array.from({ length: 20 }, (_, i) => `D${i + 1}`),
    ]);
    const [pod] = report.pods;
    expect(pod).toMatchObject({
      namespace: 'db',
      name: 'db-0',
      podLevel: true,
      path: 'pod-level',
      admissionOrder: 1,
    });
    expect(pod?.coverage.map((c) => c.code)).toEqual(SPEC_POD_COVERAGE_CODES);
    expect(pod?.containers.map((c) => [c.name, c.type, c.placement])).toEqual([
      ['metrics-exporter', 'sidecar', 'exact'],
      ['backup-agent', 'sidecar', 'exact'],
      ['database', 'app', 'exact'],
    ]);
  });

  it('skips a node that is not linux', () => {
    const facts = withNodeLabels(nodeFixture(DB).build(), { 'kubernetes.io/os': 'windows' });
    const report = analyzeNode(facts, OPTIONS);
    expect(report.status).toBe('skipped');
    expect(report.pods).toEqual([]);
    expect(report.coverage.every((c) => c.reason === 'not a linux node (kubernetes.io/os=windows)')).toBe(
      true,
    );
  });

  it('is unreachable without /configz and checks nothing that needs the model', () => {
    const report = analyze(nodeFixture(DB).dropSource('configz', 'unavailable'));
    expect(report.status).toBe('unreachable');
    expect(report.sources.configz).toMatchObject({ status: 'unavailable', httpStatus: 503 });
    expect(report.config).toBeNull();
    expect(report.expected).toBeNull();
    expect(report.pods[0]?.expected).toBeNull();
    expect(coverageOf(report, 'D7')).toEqual({
      code: 'D7',
      status: 'not-checked',
      missing: ['configz'],
      reason: 'configz: unavailable (503)',
    });
  });

  it('is unreachable when a required extra source is missing, partial when an optional one failed', () => {
    const fixture = () => nodeFixture(DB).withoutObservation();
    expect(analyze(fixture(), { requireSources: ['observation'] }).status).toBe('unreachable');
    expect(analyze(fixture()).status).toBe('ok');
    expect(analyze(nodeFixture(DB).dropSource('metrics', 'forbidden')).status).toBe('partial');
  });

  it('marks a malformed metrics scrape invalid as a whole and warns', () => {
    const analysis = analyzeNodeFull(nodeFixture(DB).garbageLine('metrics').build(), OPTIONS);
    expect(analysis.report.sources.metrics.status).toBe('invalid');
    expect(analysis.report.observed.metrics).toBeNull();
    expect(analysis.context.warnings.some((w) => w.startsWith('cannot parse /metrics line '))).toBe(true);
  });

  it('ignores a topology that contradicts capacity cpu (warning) and falls back to count mode', () => {
    const base = nodeFixture(DB).withoutObservation().build();
    const facts: NodeFacts = {
      ...base,
      topology: { generate: { sockets: 1, coresPerSocket: 8 } },
    };
    const analysis = analyzeNodeFull(facts, OPTIONS);
    expect(analysis.context.warnings).toContain(
      'topology has 8 CPUs but the node reports capacity cpu 64; topology ignored',
    );
    expect(analysis.report.topology).toBeNull();
    expect(analysis.report.sources.topology).toMatchObject({ status: 'invalid', from: 'file' });
  });

  it('uses a --topology file when there is no observation', () => {
    const report = analyze(nodeFixture(DB).withoutObservation({ topologyFile: true }));
    expect(report.topology).toMatchObject({ cpus: 64, source: 'file' });
    expect(report.pods[0]?.expected?.podSharedPool).toEqual({ cpus: '4,36' });
  });

  describe('expected.metrics: the tally D11 compares with', () => {
    const SMT = example('full-pcpus-only-smt-rejection');
    const ASSIGNMENTS = 'resource_manager_container_assignments';

    it('leaves out a pod the kubelet rejected against the model (D10’s, not D11’s)', () => {
      const report = analyze(nodeFixture(DB).rejectPod('db/db-0', 'UnexpectedAdmissionError', 'boom'));
      expect(report.expected?.metrics.resource_manager_allocations_total.cpu).toEqual({ pod: 0, node: 0 });
      expect(report.expected?.metrics[ASSIGNMENTS].cpu).toEqual({
        node_exclusive: 0,
        pod_exclusive: 0,
        pod_shared: 0,
      });
      expect(findings(report, 'D11')).toEqual([]);
    });

    it('counts only the pods started since the kubelet started, as D11’s finding says', () => {
      // pods start at -15 s, -5 s, +5 s, +15 s from the kubelet's start: the last two count
      const report = analyze(
        nodeFixture(SMT, { firstPodDelaySeconds: -15, podIntervalSeconds: 10 }).setMetric(
          'kubelet_topology_manager_admission_requests_total',
          {},
          1,
        ),
      );
      const [d11] = findings(report, 'D11');
      expect(d11?.expected).toBe(2);
      expect(report.expected?.metrics.kubelet_topology_manager_admission_requests_total).toBe(2);
    });

    it('the whole replay when the kubelet’s start is unknown', () => {
      const report = analyze(nodeFixture(DB).dropMetric('process_start_time_seconds'));
      expect(report.expected?.metrics.resource_manager_allocations_total.cpu).toEqual({ pod: 3, node: 0 });
    });
  });

  describe('count mode (no topology)', () => {
    const report = analyze(nodeFixture(dbWithBestEffort()).withoutObservation());

    it('still computes assignment, isolation and CFS; ids, NUMA and pools are null', () => {
      expect(report.topology).toBeNull();
      const db = report.pods.find((p) => p.name === 'db-0');
      expect(db?.expected).toEqual({
        admitted: null,
        reason: null,
        message: null,
        numaAffinity: null,
        podPool: { cpus: null },
        podSharedPool: { cpus: null },
        podCgroupCfsQuota: 'none',
        reported: null,
      });
      expect(db?.containers.find((c) => c.name === 'backup-agent')?.expected).toEqual({
        assignment: { cpu: 'pod_shared', memory: 'node_shared' },
        isolation: 'pod',
        cpus: null,
        numaNodes: null,
        memory: null,
        cfsQuota: 'pod',
        cfsQuotaMillicores: 8000,
      });
      expect(report.expected).toMatchObject({
        nodeSharedPool: { cpus: null },
        allocatableCpus: null,
        exclusiveCpus: 8,
      });
    });

    it('admits pods no topology-dependent check applies to', () => {
      const web = report.pods.find((p) => p.name === 'web-0');
      expect(web?.expected?.admitted).toBe(true);
    });

    it('gives the +topo codes not-checked "no topology" and the observation codes "no node observation"', () => {
      expect(coverageOf(report, 'D5')).toMatchObject({ status: 'not-checked', reason: 'no topology' });
      expect(coverageOf(report, 'D7')).toMatchObject({
        status: 'not-checked',
        reason: 'no node observation',
      });
      expect(coverageOf(report, 'D12')).toMatchObject({ status: 'partial', missing: ['cgroup'] });
    });
  });

  it('runs only the selected codes and marks the others skipped', () => {
    const report = analyze(nodeFixture(DB).moveToNodeSharedPool('db/db-0', 'metrics-exporter'), {
      checks: ['D7', 'C'],
      skipChecks: ['C16'],
    });
    expect(new Set(report.findings.map((f) => f.code))).toEqual(new Set(['D7', 'C7']));
    expect(coverageOf(report, 'D1')).toEqual({
      code: 'D1',
      status: 'skipped',
      missing: [],
      reason: 'not selected by --checks',
    });
    expect(coverageOf(report, 'C16')).toMatchObject({
      status: 'skipped',
      reason: 'excluded by --skip-checks',
    });
    expect(coverageOf(report, 'D7')?.status).toBe('checked');
  });

  it('orders findings by severity, code, node, namespace, pod, container, resource', () => {
    const report = analyze(
      nodeFixture(DB).moveToNodeSharedPool('db/db-0', 'database').cfsQuota('db/db-0', 'backup-agent', null),
    );
    const codes = report.findings.map((f) => `${f.severity} ${f.code} ${f.container ?? '-'}`);
    expect(codes.length).toBeGreaterThan(3);
    expect([...report.findings].sort(compareFindings)).toEqual(report.findings);
    expect(codes[0]).toBe('error D1 database');
    expect(report.pods[0]?.findings).toEqual(report.findings.filter((f) => f.pod === 'db-0'));
  });
});

describe('describe pod reports', () => {
  it('gives the top-level PodReport of a pod of the node', () => {
    const analysis = analyzeNodeFull(
      nodeFixture(DB).moveToNodeSharedPool('db/db-0', 'metrics-exporter').build(),
      OPTIONS,
    );
    const report = podReport(analysis, 'db', 'db-0');
    expect(report).toMatchObject({
      apiVersion: 'podres/v1alpha1',
      kind: 'PodReport',
      node: 'worker-1',
      phase: 'Running',
    });
    expect(report?.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['D7']);
    expect(podReport(analysis, 'db', 'db-9')).toBeNull();
  });

  it('covers nothing for a pod bound to no node', () => {
    const report = unboundPodReport({
      metadata: { name: 'pending-0', namespace: 'web', uid: 'u-1' },
      spec: { containers: [{ name: 'app', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
      status: { phase: 'Pending' },
    });
    expect(report).toMatchObject({
      kind: 'PodReport',
      node: null,
      expected: null,
      qosClass: 'Guaranteed',
      admissionOrder: null,
      containers: [{ name: 'app', type: 'app', expected: null, placement: 'unknown' }],
    });
    expect(report.coverage).toHaveLength(14);
    expect(
      report.coverage.every((c) => c.status === 'not-checked' && c.reason === 'pod is not bound to a node'),
    ).toBe(true);
  });
});

it('keeps D7 findings on the pod and its container only', () => {
  const report = analyze(nodeFixture(DB).moveToNodeSharedPool('db/db-0', 'metrics-exporter'));
  const d7 = findings(report, 'D7');
  const containers = report.pods[0]?.containers ?? [];
  const exporter = containers.find((c) => c.name === 'metrics-exporter')?.findings ?? [];
  expect(exporter.filter((f) => f.code === 'D7')).toEqual(d7);
  expect(containers.find((c) => c.name === 'backup-agent')?.findings).toEqual([]);
  expect(containers.find((c) => c.name === 'database')?.findings).toEqual([]);
});
