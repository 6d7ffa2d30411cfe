import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, coverageOf, example, findings } from './analyze.js';

describe('D1: predicted exclusive, runs shared', () => {
  it('finds a node-path exclusive container moved to the node shared pool, with every source', () => {
    const report = analyze(
      nodeFixture(example('ml-workload')).moveToNodeSharedPool('ml/ml-0', 'ml-training'),
    );
    expect(findings(report, 'D1')).toEqual([
      {
        code: 'D1',
        severity: 'error',
        node: 'worker-1',
        namespace: 'ml',
        pod: 'ml-0',
        podUid: expect.any(String),
        container: 'ml-training',
        resource: 'cpu',
        evidence: ['podresources', 'checkpoint', 'metrics', 'cadvisor', 'cgroup'],
        expected: 'node_exclusive',
        observed: 'node_shared',
        message: 'ml-training should have exclusive CPUs (node_exclusive) but runs on the shared CPUs 0-63',
      },
    ]);
    const pod = report.pods.find((p) => p.name === 'ml-0');
    const c = pod?.containers.find((x) => x.name === 'ml-training');
    expect(c?.placement).toBe('drift');
    expect(c?.findings.map((f) => f.code)).toContain('D1');
    expect(pod?.findings.map((f) => f.code)).toContain('D1');
  });

  it('finds a pod-exclusive container of a pod pool on the node shared pool', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database')).moveToNodeSharedPool('db/db-0', 'database'),
    );
    const [f] = findings(report, 'D1');
    expect(f).toMatchObject({ container: 'database', expected: 'pod_exclusive', observed: 'node_shared' });
    expect(f?.message).toBe(
      'database should have exclusive CPUs (pod_exclusive) but runs on the shared CPUs 0,5-32,37-63',
    );
  });

  it('finds exclusive memory that was lost', () => {
    const report = analyze(
      nodeFixture(example('ml-workload-static-memory')).moveToNodeSharedPool('ml/ml-0', 'ml-training', {
        memory: true,
      }),
    );
    const mem = findings(report, 'D1').find((f) => f.resource === 'memory');
    expect(mem).toMatchObject({
      container: 'ml-training',
      expected: 'node_exclusive',
      observed: 'node_shared',
      evidence: ['podresources', 'checkpoint'],
    });
  });

  it('without an observation decides from cAdvisor and metrics, coverage partial', () => {
    const report = analyze(
      nodeFixture(example('ml-workload')).moveToNodeSharedPool('ml/ml-0', 'ml-training').withoutObservation(),
    );
    const [f] = findings(report, 'D1');
    expect(f?.evidence).toEqual(['metrics', 'cadvisor']);
    expect(coverageOf(report, 'D1')).toEqual({
      code: 'D1',
      status: 'partial',
      missing: ['podresources', 'checkpoint', 'cgroup'],
      reason: 'no node observation',
    });
  });

  it('reports nothing and is not checked without /configz', () => {
    const report = analyze(
      nodeFixture(example('ml-workload'))
        .moveToNodeSharedPool('ml/ml-0', 'ml-training')
        .dropSource('configz', 'unavailable'),
    );
    expect(findings(report, 'D1')).toEqual([]);
    expect(report.status).toBe('unreachable');
    expect(coverageOf(report, 'D1')).toMatchObject({
      status: 'not-checked',
      reason: 'configz: unavailable (503)',
    });
  });
});
