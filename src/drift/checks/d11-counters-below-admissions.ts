// D11 (warning): a resource-manager counter of /metrics lower than what the pods admitted since the
// kubelet started must have added (cli.md §7.2, model §10). Counters are cumulative from the
// kubelet's start and never decrease: pods deleted since then, and pods the restarted kubelet
// admitted again, only add, so a higher value is normal and only a lower one is drift. The lower
// bound is the replay's tally over the pods started (status.startTime) at or after
// process_start_time_seconds whose admission outcome the replay shares (others are D10's);
// rejected pods count with the partial increments the model gives them.

import type { Finding } from '../../schema/reports.js';
import type { DriftCheck } from '../context.js';
import { makeFinding } from '../findings.js';
import {
  admittedSinceStart,
  counterSeries,
  metricsOfAdmissions,
  observedCounters,
  okReplay,
  podLevelSilence,
  seriesName,
  seriesResource,
} from './kubelet-counters.js';

export const d11: DriftCheck = {
  code: 'D11',
  severity: 'warning',
  evidence: ['metrics'],
  needsModel: true,
  needsTopology: false,
  podLevel: false,
  run(ctx) {
    const replay = okReplay(ctx);
    const observed = observedCounters(ctx);
    if (replay === null || observed === null) return [];
    const since = admittedSinceStart(ctx, replay);
    if (since === null || since.indices.length === 0) return [];
    // D9 reports a kubelet that counted no pod-level allocation at all; not again here.
    const silent = podLevelSilence(ctx) !== null;
    const out: Finding[] = [];
    const n = since.pods.length;
    for (const s of counterSeries(metricsOfAdmissions(replay, since.indices))) {
      if (s.value <= 0) continue;
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
          message: `node ${ctx.node}: ${seriesName(s)} is ${seen} but the ${n} pod${n === 1 ? '' : 's'} admitted since the kubelet started (${since.kubeletStart}) must have added at least ${s.value}`,
        }),
      );
    }
    return out;
  },
};
