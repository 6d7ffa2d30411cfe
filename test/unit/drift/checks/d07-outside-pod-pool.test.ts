import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, example, findings } from './analyze.js';

describe('D7: a container of a pool-holding pod runs outside the pod pool', () => {
  // cli.md §10 examples 2 and 3.
  it('reproduces db-0 metrics-exporter on the node shared pool', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database')).moveToNodeSharedPool('db/db-0', 'metrics-exporter'),
    );
    const list = findings(report, 'D7');
    expect(list).toEqual([
      {
        code: 'D7',
        severity: 'error',
        node: 'worker-1',
        namespace: 'db',
        pod: 'db-0',
        podUid: expect.any(String),
        container: 'metrics-exporter',
        resource: 'cpu',
        evidence: ['podresources', 'checkpoint', 'cgroup'],
        expected: '4,36',
        observed: '0,5-32,37-63',
        message:
          'metrics-exporter runs on the node shared pool 0,5-32,37-63 instead of the pod shared pool 4,36',
      },
    ]);
    const pod = report.pods.find((p) => p.name === 'db-0');
    expect(pod?.expected).toMatchObject({
      admitted: true,
      numaAffinity: [0],
      podSharedPool: { cpus: '4,36' },
    });
    expect(pod?.observed).toMatchObject({ admitted: true, podSharedPool: { cpus: '4,36' } });
    expect(pod?.observed.source.podPool).toBe('checkpoint');
    const exporter = pod?.containers.find((c) => c.name === 'metrics-exporter');
    expect(exporter).toMatchObject({
      type: 'sidecar',
      placement: 'drift',
      expected: {
        assignment: { cpu: 'pod_shared', memory: 'node_shared' },
        isolation: 'pod',
        cpus: '4,36',
        numaNodes: [0],
        cfsQuota: 'pod',
        cfsQuotaMillicores: 8000,
      },
      observed: {
        assignment: { cpu: 'node_shared' },
        cpus: '0,5-32,37-63',
        numaNodes: [0, 1],
        cfsQuota: 'set',
        cfsQuotaMillicores: 8000,
      },
    });
    expect(exporter?.observed.source).toMatchObject({
      assignment: 'checkpoint',
      cpus: 'cgroup',
      cfsQuota: 'cgroup',
    });
    expect(pod?.containers.find((c) => c.name === 'database')?.placement).toBe('exact');
    expect(pod?.coverage.find((c) => c.code === 'D1')).toEqual({
      code: 'D1',
      status: 'checked',
      missing: [],
      reason: null,
    });
  });

  it('PodResources that contradicts the checkpoint is a reporting drift (D20), not a placement', () => {
    // a 1.36 kubelet answering with 1.37 semantics: shared sidecars listed without CPUs although
    // their checkpoint entries are the pod shared pool and their cgroups run there
    const report = analyze(nodeFixture(example('tightly-coupled-database')).podResourcesAs('1.37'));
    expect(findings(report, 'D7')).toEqual([]);
    expect(findings(report, 'D20').map((f) => f.container)).toEqual([
      null,
      'backup-agent',
      'metrics-exporter',
    ]);
  });

  it('finds it from the cgroup alone in count mode: a cpuset larger than the whole pod pool', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database'))
        .moveToNodeSharedPool('db/db-0', 'metrics-exporter')
        .dropObservationPart('cpuCheckpoint')
        .dropObservationPart('podresources')
        .dropObservationPart('topology'),
    );
    expect(findings(report, 'D7')).toEqual([
      expect.objectContaining({
        container: 'metrics-exporter',
        evidence: ['cgroup'],
        expected: 8,
        observed: '0,5-32,37-63',
        message:
          'metrics-exporter runs on CPUs 0,5-32,37-63 outside the pod pool instead of the pod pool (8 CPUs)',
      }),
    ]);
  });
});
