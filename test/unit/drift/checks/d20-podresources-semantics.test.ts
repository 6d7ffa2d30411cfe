// D20: PodResources semantics of another version (model §7, §12 Q2).

import { analyzeNode } from '../../../../src/drift/analyze-node.js';
import { d20 } from '../../../../src/drift/checks/d20-podresources-semantics.js';
import type { DriftContext } from '../../../../src/drift/context.js';
import type { NodeReportBody } from '../../../../src/schema/reports.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { OPTIONS, analyze, coverageOf, findings } from './analyze.js';
import { brief, contextOf, findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';
const DB_MEMORY = 'examples/tightly-coupled-database-static-memory.yaml';
const ML = 'examples/ml-workload.yaml';

describe('D20 PodResources semantics', () => {
  it('is clean with each version’s own semantics', () => {
    expect(findingsOf(d20, nodeFixture(DB).build())).toEqual([]);
    expect(findingsOf(d20, nodeFixture(DB).kubeletVersion('1.37').build())).toEqual([]);
    expect(findingsOf(d20, nodeFixture(DB_MEMORY).kubeletVersion('1.37').build())).toEqual([]);
    expect(findingsOf(d20, nodeFixture('examples/ml-workload.yaml').kubeletVersion('1.37').build())).toEqual(
      [],
    );
  });

  it('1.37 semantics on a 1.36 kubelet: pod-level fields, pod_shared containers reported empty', () => {
    const found = findingsOf(d20, nodeFixture(DB).podResourcesAs('1.37').build());
    expect(found.map(brief)).toEqual([
      {
        severity: 'warning',
        pod: 'db/db-0',
        container: null,
        resource: 'cpu',
        expected: 'no pod-level field',
        observed: 'cpu_ids 1,2,3,4,33,34,35,36',
      },
      {
        severity: 'warning',
        pod: 'db/db-0',
        container: 'metrics-exporter',
        resource: 'cpu',
        expected: '4,36',
        observed: '',
      },
      {
        severity: 'warning',
        pod: 'db/db-0',
        container: 'backup-agent',
        resource: 'cpu',
        expected: '4,36',
        observed: '',
      },
    ]);
    expect(found.map((f) => f.evidence)).toEqual([
      ['podresources'],
      ['podresources', 'checkpoint'],
      ['podresources', 'checkpoint'],
    ]);
    expect(found[1]?.message).toBe(
      'db/db-0 metrics-exporter: PodResources reports no cpu for this pod_shared container but kubelet 1.36 reports a pod_shared container with its checkpoint entry 4,36',
    );
  });

  it('the 1.36 double counting on a 1.37 kubelet, for CPUs and memory', () => {
    const found = findingsOf(
      d20,
      nodeFixture(DB_MEMORY).kubeletVersion('1.37').podResourcesAs('1.36').build(),
    );
    expect(found.map((f) => [f.container, f.resource, f.observed])).toEqual([
      ['metrics-exporter', 'cpu', 'cpu_ids 4,36'],
      ['metrics-exporter', 'memory', 'memory memory:4294967296'],
      ['backup-agent', 'cpu', 'cpu_ids 4,36'],
      ['backup-agent', 'memory', 'memory memory:4294967296'],
    ]);
    expect(found[0]?.message).toBe(
      'db/db-0 metrics-exporter: PodResources reports cpu_ids 4,36 for this pod_shared container but kubelet 1.37 reports pod_shared containers empty (the pool is at pod level)',
    );
  });

  it('pod-level fields for a pod whose checkpoint holds no pod pool (container scope)', () => {
    const ctx = contextOf(nodeFixture('examples/ml-workload.yaml').kubeletVersion('1.37').build());
    const planted: DriftContext = {
      ...ctx,
      pods: ctx.pods.map((p) => {
        const pr = p.evidence.podResources;
        if (pr === null || pr === undefined) return p;
        return { ...p, evidence: { ...p.evidence, podResources: { ...pr, cpuIds: [1, 32, 33, 2] } } };
      }),
    };
    const found = findingsOf(d20, planted);
    expect(found.map(brief)).toEqual([
      {
        severity: 'warning',
        pod: 'ml/ml-0',
        container: null,
        resource: 'cpu',
        expected: 'no pod-level field',
        observed: 'cpu_ids 1,32,33,2',
      },
    ]);
    expect(found[0]?.message).toBe(
      'ml/ml-0: PodResources reports the pod-level cpu_ids 1,32,33,2 but the checkpoint holds no cpu pod pool for the pod',
    );
    expect(found[0]?.evidence).toEqual(['podresources', 'checkpoint']);
  });
});

// D20 judges PodResources against the state it reports (the checkpoints), not against the model:
// a container the kubelet placed elsewhere than predicted is reported consistently with where it
// is, and that placement is another code's drift.
describe('D20 compares PodResources with the observed state', () => {
  const driftCodes = (report: NodeReportBody) => [
    ...new Set(
      report.findings.filter((f) => f.code.startsWith('D') && f.severity !== 'info').map((f) => f.code),
    ),
  ];

  it.each(['1.36', '1.37'])('%s: a sidecar moved to the node shared pool is D7 alone', (version) => {
    const report = analyze(
      nodeFixture(DB).kubeletVersion(version).moveToNodeSharedPool('db/db-0', 'metrics-exporter'),
    );
    expect(driftCodes(report)).toEqual(['D7']);
    expect(coverageOf(report, 'D20')?.status).toBe('checked');
  });

  it.each(['1.36', '1.37'])(
    '%s: with its memory entry too (Static memory manager), still D7 alone',
    (version) => {
      const report = analyze(
        nodeFixture(DB_MEMORY)
          .kubeletVersion(version)
          .moveToNodeSharedPool('db/db-0', 'metrics-exporter', { memory: true }),
      );
      expect(driftCodes(report)).toEqual(['D7']);
    },
  );

  it('1.37: containers reporting their entries of a pod whose pool entries are gone is D8, not D20', () => {
    const report = analyze(nodeFixture(DB_MEMORY).kubeletVersion('1.37').dropPodEntry('db/db-0', 'both'));
    expect(findings(report, 'D8').length).toBeGreaterThan(0);
    expect(findings(report, 'D20')).toEqual([]);
  });

  it('1.37: pod-level fields of a pool the checkpoint holds against the model are D8, not D20', () => {
    const report = analyze(nodeFixture(ML).kubeletVersion('1.37').addPodEntry('ml/ml-0'));
    expect(findings(report, 'D8').length).toBeGreaterThan(0);
    expect(findings(report, 'D20')).toEqual([]);
  });

  it('without the CPU checkpoint only the pod-level fields of 1.36 are judged (partial)', () => {
    const facts = nodeFixture(DB).podResourcesAs('1.37').dropObservationPart('cpuCheckpoint').build();
    expect(findingsOf(d20, facts).map((f) => [f.container, f.resource, f.observed])).toEqual([
      [null, 'cpu', 'cpu_ids 1,2,3,4,33,34,35,36'],
    ]);
    expect(coverageOf(analyzeNode(facts, OPTIONS), 'D20')).toEqual({
      code: 'D20',
      status: 'partial',
      missing: ['checkpoint'],
      reason: 'checkpoint: cannot read /var/lib/kubelet/cpu_manager_state: no such file or directory',
    });
  });

  it('without the memory manager checkpoint (Static) the memory side is left out (partial)', () => {
    const facts = nodeFixture(DB_MEMORY)
      .kubeletVersion('1.37')
      .podResourcesAs('1.36')
      .dropObservationPart('memoryCheckpoint')
      .build();
    expect(findingsOf(d20, facts).map((f) => [f.container, f.resource])).toEqual([
      ['metrics-exporter', 'cpu'],
      ['backup-agent', 'cpu'],
    ]);
    expect(coverageOf(analyzeNode(facts, OPTIONS), 'D20')).toEqual({
      code: 'D20',
      status: 'partial',
      missing: ['checkpoint'],
      reason: 'checkpoint: cannot read /var/lib/kubelet/memory_manager_state: no such file or directory',
    });
  });
});
