import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, coverageOf, example, findings } from './analyze.js';

describe('D5: wrong NUMA placement (+topo)', () => {
  it('finds CPUs on another NUMA node than the memory under single-numa-node', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database-static-memory')).wrongNuma('db/db-0', 'database', 'cpu'),
    );
    expect(findings(report, 'D5')).toEqual([
      expect.objectContaining({
        severity: 'error',
        pod: 'db-0',
        container: 'database',
        resource: 'cpu',
        evidence: ['checkpoint'],
        expected: '0',
        observed: '1',
        message: 'database CPUs are on NUMA 1 but its memory on NUMA 0',
      }),
    ]);
  });

  it('finds memory blocks off the pod hint', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database-static-memory')).wrongNuma(
        'db/db-0',
        'database',
        'memory',
      ),
    );
    const mem = findings(report, 'D5').find((f) => f.resource === 'memory');
    expect(mem).toMatchObject({
      container: 'database',
      expected: '0',
      observed: '1',
      message: 'database memory is on NUMA 1 but the pod pool of the same pod on NUMA 0 (one hint per pod)',
    });
  });

  it('finds a slice spanning two NUMA nodes under single-numa-node', () => {
    const report = analyze(
      nodeFixture(example('pod-vs-container-scope'), { scenarioIndex: 1 }).overlapExclusive(
        'default/two-fives',
        'c1',
        'default/two-fives',
        'c2',
      ),
    );
    expect(findings(report, 'D5')).toEqual([
      expect.objectContaining({ container: 'c2', expected: 'single NUMA node', observed: '0-1' }),
    ]);
  });

  it('is not checked in count mode', () => {
    const report = analyze(
      nodeFixture(example('tightly-coupled-database-static-memory'))
        .wrongNuma('db/db-0', 'database', 'cpu')
        .dropObservationPart('topology'),
    );
    expect(findings(report, 'D5')).toEqual([]);
    expect(coverageOf(report, 'D5')).toMatchObject({ status: 'not-checked', missing: ['topology'] });
    expect(coverageOf(report, 'D5')?.reason).toMatch(/^topology: /);
  });
});
