import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, example, findings } from './analyze.js';

const db = () => nodeFixture(example('tightly-coupled-database'));

describe('D6: pod shared pool drift', () => {
  it('finds a pod shared pool overlapping the exclusive slice', () => {
    const list = findings(analyze(db().corruptPodSharedPool('db/db-0', 'overlap')), 'D6');
    expect(list.map((f) => f.container)).toEqual(['backup-agent', 'metrics-exporter']);
    expect(list[0]).toMatchObject({
      severity: 'error',
      resource: 'cpu',
      evidence: ['checkpoint'],
      expected: '4,36',
      observed: '1,4,36',
      message: 'backup-agent pod shared pool 1,4,36 overlaps the exclusive slices at 1 (expected 4,36)',
    });
  });

  it('finds a pod shared pool leaving the pod pool', () => {
    const [f] = findings(analyze(db().corruptPodSharedPool('db/db-0', 'outside')), 'D6');
    expect(f?.message).toBe(
      'backup-agent pod shared pool 4-5,36 leaves the pod pool 1-4,33-36 (expected 4,36)',
    );
  });

  it('finds a pod shared pool smaller than pool minus slices', () => {
    const [f] = findings(analyze(db().corruptPodSharedPool('db/db-0', 'shrink')), 'D6');
    expect(f).toMatchObject({ expected: '4,36', observed: '4' });
  });

  it('does not judge pool minus slices when a slice has left the pool (D7 reports that)', () => {
    const report = analyze(db().moveToNodeSharedPool('db/db-0', 'database'));
    expect(findings(report, 'D6')).toEqual([]);
    expect(findings(report, 'D7').map((f) => f.container)).toEqual(['database']);
  });
});
