// D10: admission and allocation errors (cli.md §7.2, model §10, §6.10).
//   * error: the kubelet admitted a pod the replay rejects, or rejected (pod status Failed with an
//     admission reason) one the replay admits;
//   * info: a rejection as predicted; warning when the kubelet gave another reason;
//   * warning: an error counter of /metrics above what every current pod's admission explains (the
//     replay's tally over all pods: errors of pods deleted since, or of causes the model does not
//     know). Only "above" counts: deleted rejected pods leave nothing to compare with below.
// In count mode a pod whose outcome depends on the topology is not compared (expected.admitted null),
// and when the synthetic replay decided such a pod otherwise than the kubelet
// (ctx.admissionsUncertain) its error counters explain other admissions than the kubelet's: the
// counters are then not compared (coverage partial, not a finding).

import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContext, DriftPod } from '../context.js';
import { makeFinding, podName } from '../findings.js';
import {
  ERROR_COUNTERS,
  counterSeries,
  observedCounters,
  okReplay,
  replayMetricsLimits,
  seriesName,
  seriesResource,
} from './kubelet-counters.js';

function observedAdmitted(p: DriftPod): boolean | null {
  if (p.status.activity === 'active') return true;
  if (p.status.activity === 'rejected') return false;
  return null;
}

function outcome(admitted: boolean, reason: string | null): string {
  return admitted ? 'admitted' : `rejected: ${reason ?? 'no reason'}`;
}

function podFindings(ctx: DriftContext, p: DriftPod): Finding[] {
  const a = p.admission;
  const seen = observedAdmitted(p);
  if (a === null || seen === null || p.admissionNeedsTopology) return [];
  const base = { code: 'D10', pod: p, evidence: ['pod-status' as const] };
  const observedReason = p.status.reason;
  if (a.admitted !== seen) {
    const how = seen
      ? `the kubelet admitted ${podName(p)} but the model rejects it (${a.reason ?? ''}: ${a.message ?? ''})`
      : `the kubelet rejected ${podName(p)} (${observedReason ?? ''}: ${p.status.message ?? ''}) but the model admits it`;
    return [
      makeFinding(ctx, {
        ...base,
        severity: 'error',
        expected: outcome(a.admitted, a.reason),
        observed: outcome(seen, observedReason),
        message: how,
      }),
    ];
  }
  if (a.admitted) return [];
  const same = a.reason === observedReason;
  return [
    makeFinding(ctx, {
      ...base,
      severity: same ? 'info' : 'warning',
      expected: a.reason,
      observed: observedReason,
      message: same
        ? `${podName(p)} was rejected as the model predicts: ${observedReason ?? ''}: ${p.status.message ?? ''}`
        : `${podName(p)} was rejected with ${observedReason ?? 'no reason'} but the model predicts ${a.reason ?? 'no reason'} (${a.message ?? ''})`,
    }),
  ];
}

function counterFindings(ctx: DriftContext): Finding[] {
  const replay = okReplay(ctx);
  const observed = observedCounters(ctx);
  if (replay === null || observed === null || replayMetricsLimits(ctx).length > 0) return [];
  const explained = new Map(counterSeries(replay.out.metrics).map((s) => [seriesName(s), s] as const));
  const out: Finding[] = [];
  for (const [key, seen] of observed) {
    const value = seen.value;
    if (!ERROR_COUNTERS.has(seen.family) || value <= 0) continue;
    const limit = explained.get(key)?.value ?? 0;
    if (value <= limit) continue;
    out.push(
      makeFinding(ctx, {
        code: 'D10',
        severity: 'warning',
        resource: seriesResource(seen),
        evidence: ['metrics'],
        expected: limit,
        observed: value,
        message: `${key} is ${value} but the admissions of the pods on the node explain ${limit}`,
      }),
    );
  }
  return out;
}

export const d10: DriftCheck = {
  code: 'D10',
  severity: 'error',
  evidence: ['metrics', 'pod-status'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    return [...ctx.pods.flatMap((p) => podFindings(ctx, p)), ...counterFindings(ctx)];
  },
  limits: replayMetricsLimits,
};
