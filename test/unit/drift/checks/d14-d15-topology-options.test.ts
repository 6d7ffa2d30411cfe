import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, coverageOf, example, findings } from './analyze.js';

describe('D14: partial core under full-pcpus-only (+topo)', () => {
  it('finds an exclusive set holding half a core', () => {
    const report = analyze(
      nodeFixture(example('full-pcpus-only-smt-rejection')).partialCore('default/even-request', 'app'),
    );
    expect(findings(report, 'D14')).toEqual([
      expect.objectContaining({
        severity: 'error',
        pod: 'even-request',
        container: 'app',
        evidence: ['checkpoint', 'topology'],
        expected: '0-1,8-9',
        observed: '1,8',
        message: 'app CPUs 1-2,8,10 hold only part of the cores 0-1,8-9 under full-pcpus-only (CPUs 1,8)',
      }),
    ]);
  });

  it('is not checked without a topology', () => {
    const report = analyze(
      nodeFixture(example('full-pcpus-only-smt-rejection'))
        .partialCore('default/even-request', 'app')
        .withoutObservation(),
    );
    expect(findings(report, 'D14')).toEqual([]);
    expect(coverageOf(report, 'D14')).toEqual({
      code: 'D14',
      status: 'not-checked',
      missing: ['topology'],
      reason: 'no topology',
    });
  });
});

describe('D15: more uncore caches than needed (+topo)', () => {
  it('warns about a set spread over an extra L3', () => {
    const report = analyze(
      nodeFixture(example('amd-uncore-alignment')).extraUncoreCache('default/app-a', 'app'),
    );
    expect(findings(report, 'D15')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        pod: 'app-a',
        container: 'app',
        expected: 1,
        observed: 2,
        message: 'app CPUs 1-3,15,17-18 span 2 uncore caches where 1 would hold them',
      }),
    ]);
  });

  it('says nothing without the option (default packing)', () => {
    const report = analyze(
      nodeFixture(example('amd-uncore-alignment'), { scenarioIndex: 1 }).extraUncoreCache(
        'default/app-a',
        'app',
      ),
    );
    expect(findings(report, 'D15')).toEqual([]);
    expect(coverageOf(report, 'D15')?.status).toBe('checked');
  });
});
