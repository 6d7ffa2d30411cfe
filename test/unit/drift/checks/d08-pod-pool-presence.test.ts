import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, example, findings } from './analyze.js';

describe('D8: pod pool present/absent contrary to the model', () => {
  it('finds a missing CPU pod pool', () => {
    const report = analyze(nodeFixture(example('tightly-coupled-database')).dropPodEntry('db/db-0', 'cpu'));
    expect(findings(report, 'D8')).toEqual([
      expect.objectContaining({
        severity: 'error',
        pod: 'db-0',
        container: null,
        resource: 'cpu',
        evidence: ['checkpoint'],
        expected: true,
        observed: false,
        message: 'db/db-0 has no CPU pod pool although the model gives it one (path pod-level)',
      }),
    ]);
  });

  it('finds a missing memory pod pool', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database-static-memory')).dropPodEntry('db/db-0', 'memory'),
    );
    expect(findings(report, 'D8')).toEqual([
      expect.objectContaining({ resource: 'memory', expected: true, observed: false }),
    ]);
  });

  it('finds an unexpected pod pool under container scope', () => {
    const report = analyze(nodeFixture(example('ml-workload')).addPodEntry('ml/ml-0'));
    expect(findings(report, 'D8')).toEqual([
      expect.objectContaining({
        resource: 'cpu',
        expected: false,
        observed: true,
        message: 'ml/ml-0 holds a CPU pod pool the model does not give it (path container)',
      }),
    ]);
  });

  it('reads presence from PodResources on 1.37 when the checkpoint is missing', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database'), { kubeletVersion: '1.37' })
        .dropPodEntry('db/db-0', 'cpu')
        .dropObservationPart('cpuCheckpoint'),
    );
    expect(findings(report, 'D8').map((f) => f.evidence)).toEqual([['podresources']]);
  });
});
