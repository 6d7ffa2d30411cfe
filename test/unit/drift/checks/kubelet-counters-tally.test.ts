// sinceStartTally (src/drift/checks/kubelet-counters.ts) is asked for the same node by D9, D11
// (run and coverage) and the node report; it is built once per analysed node and answers the
// same tally every time.

import {
  admittedSinceStart,
  metricsOfAdmissions,
  okReplay,
  sinceStartTally,
} from '../../../../src/drift/checks/kubelet-counters.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { contextOf } from './check-harness.js';

const SMT = 'examples/full-pcpus-only-smt-rejection.yaml';

describe('sinceStartTally', () => {
  it('is built once per node context: the same tally object, equal to a fresh computation', () => {
    const ctx = contextOf(nodeFixture(SMT, { firstPodDelaySeconds: -15, podIntervalSeconds: 10 }).build());
    const replay = okReplay(ctx);
    if (replay === null) throw new Error(`${SMT}: no replay`);
    const first = sinceStartTally(ctx, replay);
    expect(first).not.toBeNull();
    expect(sinceStartTally(ctx, replay)).toBe(first);
    const since = admittedSinceStart(ctx, replay);
    expect(first).toEqual({ since, metrics: metricsOfAdmissions(replay, since?.indices ?? []) });
  });

  it('another node gets its own tally', () => {
    const a = contextOf(nodeFixture(SMT).build());
    const b = contextOf(nodeFixture(SMT, { firstPodDelaySeconds: -15, podIntervalSeconds: 10 }).build());
    const ra = okReplay(a);
    const rb = okReplay(b);
    if (ra === null || rb === null) throw new Error(`${SMT}: no replay`);
    const ta = sinceStartTally(a, ra);
    const tb = sinceStartTally(b, rb);
    expect(ta?.since.pods.length).not.toBe(tb?.since.pods.length);
    expect(sinceStartTally(a, ra)).toBe(ta);
  });
});
