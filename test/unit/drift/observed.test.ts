// The observed side and its joining (cli.md §6.3, §6.5): mirror pods by their kubelet UID, the
// cgroupfs driver, PodResources-only observation on 1.37, count-mode admission expectations.

import { analyzeNode, analyzeNodeFull, podReport } from '../../../src/drift/analyze-node.js';
import type { NodeFacts } from '../../../src/drift/node-facts.js';
import { nodeFixture } from '../../helpers/node-fixture.js';
import { OPTIONS, analyze, example, findings } from './checks/analyze.js';

const DB = example('tightly-coupled-database');

type RawPod = { metadata: Record<string, unknown> & { uid: string; annotations?: Record<string, string> } };

/** The same node where db-0 is a mirror pod: the API server's UID differs from the kubelet's. */
function asMirrorPod(facts: NodeFacts): NodeFacts {
  const pods = facts.pods.map((p) => {
    const pod = p as RawPod;
    return {
      ...pod,
      metadata: {
        ...pod.metadata,
        uid: 'aaaaaaaa-0000-4000-8000-000000000001',
        annotations: { ...(pod.metadata.annotations ?? {}), 'kubernetes.io/config.mirror': pod.metadata.uid },
      },
    };
  });
  return { ...facts, pods };
}

describe('joining', () => {
  it('joins a mirror pod by the UID of its config.mirror annotation', () => {
    const report = analyzeNode(asMirrorPod(nodeFixture(DB).build()), OPTIONS);
    const pod = report.pods[0];
    expect(pod?.uid).toBe('aaaaaaaa-0000-4000-8000-000000000001');
    expect(pod?.observed.podPool).toEqual({ cpus: '1-4,33-36' });
    expect(
      pod?.containers.map((c) => [c.name, c.observed.assignment.cpu, c.observed.cpus, c.placement]),
    ).toEqual([
      ['metrics-exporter', 'pod_shared', '4,36', 'exact'],
      ['backup-agent', 'pod_shared', '4,36', 'exact'],
      ['database', 'pod_exclusive', '1-3,33-35', 'exact'],
    ]);
    expect(report.findings.filter((f) => f.severity !== 'info' && f.code.startsWith('D'))).toEqual([]);
  });

  it('joins cgroups of the cgroupfs driver', () => {
    const report = analyze(nodeFixture(DB, { cgroupDriver: 'cgroupfs' }));
    const c = report.pods[0]?.containers.find((x) => x.name === 'database');
    expect(c?.observed).toMatchObject({ cpus: '1-3,33-35', cfsQuota: 'none' });
    expect(c?.observed.source).toMatchObject({ cpus: 'cgroup', cfsQuota: 'cgroup' });
    expect(report.pods[0]?.observed).toMatchObject({ podCgroupCfsQuota: 'none' });
  });

  it('reads assignments from PodResources 1.37 when the checkpoint is missing', () => {
    const report = analyze(
      nodeFixture(DB, { kubeletVersion: '1.37' })
        .dropObservationPart('cpuCheckpoint')
        .dropObservationPart('cgroup'),
    );
    const pod = report.pods[0];
    expect(
      pod?.containers.map((c) => [c.name, c.observed.assignment.cpu, c.observed.source.assignment]),
    ).toEqual([
      ['metrics-exporter', 'pod_shared', 'podresources'],
      ['backup-agent', 'pod_shared', 'podresources'],
      ['database', 'pod_exclusive', 'podresources'],
    ]);
    expect(pod?.observed.podPool).toEqual({ cpus: '1-4,33-36' });
    expect(pod?.observed.podSharedPool).toEqual({ cpus: '4,36' });
    expect(pod?.observed.source).toMatchObject({ podPool: 'podresources', reported: 'podresources' });
    expect(report.sources.checkpoint.status).toBe('not-found');
  });

  it('uses cAdvisor for CFS when there are no cgroups', () => {
    const report = analyze(nodeFixture(DB).withoutObservation());
    const sidecar = report.pods[0]?.containers.find((x) => x.name === 'backup-agent');
    expect(sidecar?.observed).toMatchObject({ cfsQuota: 'set', cfsQuotaMillicores: 8000, cpus: null });
    expect(sidecar?.observed.source).toEqual({ cfsQuota: 'cadvisor', cfs: 'cadvisor' });
    expect(sidecar?.observed.cfs).toMatchObject({ quotaMillicores: 8000, throttledRatio: 0 });
  });
});

describe('count mode admissions', () => {
  const report = analyze(nodeFixture(example('single-numa-node-rejection')).withoutObservation());
  const admitted = (name: string) => report.pods.find((p) => p.name === name)?.expected?.admitted;

  it('expects a rejection that needs no topology (empty pod shared pool)', () => {
    expect(admitted('empty-shared-pool')).toBe(false);
  });

  it('leaves a rejection that needs the machine open', () => {
    expect(admitted('too-wide-for-one-numa')).toBeNull();
  });

  it('marks the replay uncertain when such a pod was decided otherwise', () => {
    const analysis = analyzeNodeFull(
      nodeFixture(example('single-numa-node-rejection')).withoutObservation().build(),
      OPTIONS,
    );
    expect(analysis.context.admissionsUncertain).toBe(true);
    const full = analyzeNodeFull(nodeFixture(example('single-numa-node-rejection')).build(), OPTIONS);
    expect(full.context.admissionsUncertain).toBe(false);
  });
});

describe('pods outside the replay', () => {
  it('describes a completed pod from its status only', () => {
    const facts = nodeFixture(DB).build();
    const done = {
      metadata: { name: 'job-1', namespace: 'db', uid: 'bbbbbbbb-0000-4000-8000-000000000002' },
      spec: { nodeName: 'worker-1', containers: [{ name: 'run', image: 'x' }] },
      status: { phase: 'Succeeded', qosClass: 'BestEffort' },
    };
    const analysis = analyzeNodeFull({ ...facts, pods: [...facts.pods, done] }, OPTIONS);
    expect(analysis.report.pods.map((p) => p.name)).toEqual(['db-0']);
    const report = podReport(analysis, 'db', 'job-1');
    expect(report).toMatchObject({
      node: 'worker-1',
      phase: 'Succeeded',
      expected: null,
      admissionOrder: null,
    });
    expect(report?.coverage[0]).toEqual({
      code: 'D1',
      status: 'not-checked',
      missing: [],
      reason: 'pod is not active on the node (phase Succeeded)',
    });
    expect(findings(analysis.report, 'D7')).toEqual([]);
  });
});
