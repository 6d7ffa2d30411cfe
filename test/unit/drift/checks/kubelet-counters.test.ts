// The counter tallies D9–D11 compare: per-admission increments of the replay, the scrape's series.

import {
  admittedSinceStart,
  countersOfAdmissions,
  counterSeries,
  metricsOfAdmissions,
  observedCounters,
  okReplay,
  seriesName,
} from '../../../../src/drift/checks/kubelet-counters.js';
import type { Counters } from '../../../../src/model/metrics.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { contextOf } from './check-harness.js';

const SMT = 'examples/full-pcpus-only-smt-rejection.yaml';

/** Counters with the zero entries of their labelled records left out. */
function withoutZeros(c: Counters): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(c).map(([k, v]: [string, number | Readonly<Record<string, number>>]) => [
      k,
      typeof v === 'number' ? v : Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0)),
    ]),
  );
}

function replayOf(file: string, options = {}) {
  const ctx = contextOf(nodeFixture(file, options).build());
  const replay = okReplay(ctx);
  if (replay === null) throw new Error(`${file}: no replay`);
  return { ctx, replay };
}

describe('kubelet counters', () => {
  it('the increments of every admission add up to the replay’s counters and metrics', () => {
    const { replay } = replayOf(SMT);
    const all = replay.result.admissions.map((_, i) => i);
    expect(withoutZeros(countersOfAdmissions(replay, all))).toEqual(
      withoutZeros(replay.result.node.counters),
    );
    expect(metricsOfAdmissions(replay, all)).toEqual(replay.out.metrics);
  });

  it('the increments of some admissions are their own share', () => {
    const { replay } = replayOf(SMT);
    // every pod passes the topology manager's admit handler once
    expect(countersOfAdmissions(replay, [1, 3]).tmAdmissionRequests).toBe(2);
    expect(countersOfAdmissions(replay, []).cpuPinningRequests).toBe(0);
  });

  it('pods since the kubelet start: started at or after it, admitted alike by both sides', () => {
    const { ctx, replay } = replayOf(SMT, { firstPodDelaySeconds: -15, podIntervalSeconds: 10 });
    const since = admittedSinceStart(ctx, replay);
    expect(since?.pods.map((p) => p.status.name)).toEqual(['pod-level', 'too-big']);
    expect(since?.kubeletStart).toBe('2026-05-12T09:01:07Z');
  });

  it('the scrape reads as the replay’s series when nothing drifted', () => {
    const { ctx, replay } = replayOf(SMT);
    const observed = observedCounters(ctx);
    for (const s of counterSeries(replay.out.metrics)) {
      expect([seriesName(s), observed?.get(seriesName(s))?.value]).toEqual([seriesName(s), s.value]);
    }
  });
});
