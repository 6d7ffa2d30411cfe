// Coverage of a drift check (cli.md §7): prerequisites and evidence, then the check's own limits
// (DriftCheck.limits) for what it cannot judge although it runs.

import type { CoverageLimit, DriftCheck, DriftContext } from '../../../src/drift/context.js';
import { checkCoverage, withLimits } from '../../../src/drift/coverage.js';
import { nodeFixture } from '../../helpers/node-fixture.js';
import { analysisOptions, contextOf } from './checks/check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';

function check(
  evidence: DriftCheck['evidence'],
  limits?: (ctx: DriftContext) => CoverageLimit[],
): DriftCheck {
  return {
    code: 'D11',
    severity: 'warning',
    evidence,
    needsModel: true,
    needsTopology: false,
    podLevel: false,
    run: () => [],
    ...(limits === undefined ? {} : { limits }),
  };
}

const NO_START: CoverageLimit = { missing: ['metrics'], reason: 'metrics: no process_start_time_seconds' };
const NOT_REPLAYABLE: CoverageLimit = {
  missing: ['topology'],
  reason: 'no topology: admissions not replayable',
};

describe('check coverage with limits', () => {
  const full = contextOf(nodeFixture(DB).build());

  it('a check without limits, or with none on this node, is checked', () => {
    expect(checkCoverage(check(['metrics']), full)).toEqual({
      code: 'D11',
      status: 'checked',
      missing: [],
      reason: null,
    });
    expect(
      checkCoverage(
        check(['metrics'], () => []),
        full,
      ).status,
    ).toBe('checked');
  });

  it('a limit makes a checked code partial with its sources and reason', () => {
    expect(
      checkCoverage(
        check(['metrics'], () => [NO_START]),
        full,
      ),
    ).toEqual({
      code: 'D11',
      status: 'partial',
      missing: ['metrics'],
      reason: 'metrics: no process_start_time_seconds',
    });
  });

  it('limits add to a partial coverage: sources in evidence order, reasons after the base reason', () => {
    const noCheckpoint = contextOf(nodeFixture(DB).dropObservationPart('cpuCheckpoint').build());
    const coverage = checkCoverage(
      check(['checkpoint', 'metrics'], () => [NOT_REPLAYABLE, NO_START]),
      noCheckpoint,
    );
    expect(coverage).toEqual({
      code: 'D11',
      status: 'partial',
      missing: ['checkpoint', 'metrics', 'topology'],
      reason:
        'checkpoint: cannot read /var/lib/kubelet/cpu_manager_state: no such file or directory; no topology: admissions not replayable; metrics: no process_start_time_seconds',
    });
  });

  it('limits do not apply to a code that does not run, and are not asked for', () => {
    const asked: string[] = [];
    const limited = check(['metrics'], (ctx) => {
      asked.push(ctx.node);
      return [NO_START];
    });
    const noMetrics = contextOf(nodeFixture(DB).dropSource('metrics', 'forbidden').build());
    expect(checkCoverage(limited, noMetrics)).toMatchObject({ status: 'not-checked', missing: ['metrics'] });
    const skipped = { ...full, options: { ...analysisOptions(), skipChecks: ['D11'] } };
    expect(checkCoverage(limited, skipped).status).toBe('skipped');
    expect(asked).toEqual([]);
  });

  it('withLimits leaves not-checked and skipped coverage alone and repeats no reason', () => {
    const notChecked = { code: 'D11', status: 'not-checked' as const, missing: [], reason: 'no configz' };
    expect(withLimits(notChecked, [NO_START])).toBe(notChecked);
    const partial = {
      code: 'D11',
      status: 'partial' as const,
      missing: ['metrics' as const],
      reason: NO_START.reason,
    };
    expect(withLimits(partial, [NO_START])).toEqual(partial);
  });
});
