import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, example, findings } from './analyze.js';

describe('D2: predicted shared, has an exclusive slice', () => {
  it('finds a node shared sidecar holding an exclusive CPU', () => {
    const report = analyze(
      nodeFixture(example('ml-workload')).giveExclusiveSlice('ml/ml-0', 'service-mesh-sidecar', 1),
    );
    const list = findings(report, 'D2');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      severity: 'error',
      namespace: 'ml',
      pod: 'ml-0',
      container: 'service-mesh-sidecar',
      resource: 'cpu',
      expected: 'node_shared',
      observed: 'node_exclusive',
    });
    expect(list[0]?.evidence).toContain('checkpoint');
    expect(list[0]?.message).toMatch(
      /^service-mesh-sidecar should run on the node shared pool \(node_shared\) but has the exclusive CPUs \d+ \(node_exclusive\)$/,
    );
  });

  it('decides from cAdvisor alone when the observation is missing (no quota on a quota-bearing container)', () => {
    const report = analyze(
      nodeFixture(example('ml-workload'))
        .giveExclusiveSlice('ml/ml-0', 'service-mesh-sidecar', 1)
        .withoutObservation(),
    );
    expect(findings(report, 'D2').map((f) => f.evidence)).toEqual([['cadvisor']]);
  });

  it('leaves a missing pod pool to D8 instead of flagging the shared containers', () => {
    const report = analyze(nodeFixture(example('tightly-coupled-database')).dropPodEntry('db/db-0', 'cpu'));
    expect(findings(report, 'D2')).toEqual([]);
    expect(findings(report, 'D8')).toHaveLength(1);
  });
});
