// D11 (warning): a resource-manager counter of /metrics lower than what the pods admitted since the
// kubelet started must have added (cli.md §7.2, model §10). Counters are cumulative from the
// kubelet's start and never decrease: pods deleted since then, and pods the restarted kubelet
// admitted again, only add, so a higher value is normal and only a lower one is drift. The lower
// bound is the replay's tally over the pods started (status.startTime) at or after
// process_start_time_seconds whose admission outcome the replay shares (others are D10's);
// rejected pods count with the partial increments the model gives them.
// What it cannot know is coverage, not findings (limits): the kubelet's start when the scrape has no
// process_start_time_seconds; in count mode, every tally when the synthetic replay decided an
// admission otherwise than the kubelet (ctx.admissionsUncertain), and the uncore-cache alignment
// count, which depends on the machine's caches (the synthetic machine has a single one).

import type { Finding } from '../../schema/reports.js';
import type { CoverageLimit, DriftCheck, DriftContext } from '../context.js';
import { makeFinding } from '../findings.js';
import {
  ADMISSIONS_NOT_REPLAYABLE,
  counterSeries,
  observedCounters,
  okReplay,
  podLevelSilence,
  seriesName,
  seriesResource,
  sinceStartTally,
  type CounterSeries,
  type SinceStart,
} from './kubelet-counters.js';

const NO_START: CoverageLimit = { missing: ['metrics'], reason: 'metrics: no process_start_time_seconds' };
const UNCORE_NOT_REPLAYABLE: CoverageLimit = {
  missing: ['topology'],
  reason: 'no topology: uncore cache alignment not replayable',
};

interface Plan {
  /** the pods the lower bounds stand for; null when nothing is compared */
  readonly since: SinceStart | null;
  /** the replay's series to compare (value > 0) */
  readonly series: readonly CounterSeries[];
  readonly limits: readonly CoverageLimit[];
}

/** Series whose value depends on the machine: not comparable on the count-mode synthetic machine. */
function machineDependent(synthetic: boolean, s: CounterSeries): boolean {
  return synthetic && s.labels.boundary === 'uncore_cache';
}

function plan(ctx: DriftContext): Plan {
  const replay = okReplay(ctx);
  const none = (limits: readonly CoverageLimit[]): Plan => ({ since: null, series: [], limits });
  if (replay === null || ctx.metrics.metrics === null) return none([]);
  if (ctx.admissionsUncertain) return none([ADMISSIONS_NOT_REPLAYABLE]);
  const tally = sinceStartTally(ctx, replay);
  if (tally === null) return none([NO_START]);
  const positive = counterSeries(tally.metrics).filter((s) => s.value > 0);
  const dependent = positive.some((s) => machineDependent(replay.synthetic, s));
  return {
    since: tally.since,
    series: positive.filter((s) => !machineDependent(replay.synthetic, s)),
    limits: dependent ? [UNCORE_NOT_REPLAYABLE] : [],
  };
}

export const d11: DriftCheck = {
  code: 'D11',
  severity: 'warning',
  evidence: ['metrics'],
  needsModel: true,
  needsTopology: false,
  podLevel: false,
  run(ctx) {
    const { since, series } = plan(ctx);
    const observed = observedCounters(ctx);
    if (since === null || observed === null || since.indices.length === 0) return [];
    // D9 reports a kubelet that counted no pod-level allocation at all; not again here.
    const silent = podLevelSilence(ctx) !== null;
    const out: Finding[] = [];
    const n = since.pods.length;
    for (const s of series) {
      if (silent && (s.labels.source === 'pod' || s.labels.assignment_type?.startsWith('pod_') === true))
        continue;
      const seen = observed.get(seriesName(s))?.value;
      if (seen === undefined || seen >= s.value) continue;
      out.push(
        makeFinding(ctx, {
          code: 'D11',
          severity: 'warning',
          resource: seriesResource(s),
          evidence: ['metrics'],
          expected: s.value,
          observed: seen,
          message: `${seriesName(s)} is ${seen} but the ${n} pod${n === 1 ? '' : 's'} admitted since the kubelet started (${since.kubeletStart}) must have added at least ${s.value}`,
        }),
      );
    }
    return out;
  },
  limits(ctx) {
    return plan(ctx).limits;
  },
};
