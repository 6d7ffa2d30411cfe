import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, example, findings } from './analyze.js';

describe('D3: exclusive CPUs of two containers overlap', () => {
  it('names the later container and the overlap', () => {
    const report = analyze(
      nodeFixture(example('pod-vs-container-scope'), { scenarioIndex: 1 }).overlapExclusive(
        'default/two-fives',
        'c1',
        'default/two-fives',
        'c2',
      ),
    );
    const list = findings(report, 'D3');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      severity: 'error',
      pod: 'two-fives',
      container: 'c2',
      resource: 'cpu',
      evidence: ['podresources', 'checkpoint'],
      expected: '',
      observed: '2',
    });
    expect(list[0]?.message).toMatch(/^c2 CPUs \S+ overlap the CPUs \S+ of default\/two-fives c1 at 2$/);
  });

  it('allows the pod shared containers of one pod to share the pod shared pool', () => {
    const report = analyze(nodeFixture(example('tightly-coupled-database')));
    expect(findings(report, 'D3')).toEqual([]);
  });
});
