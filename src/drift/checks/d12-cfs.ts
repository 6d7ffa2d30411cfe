// D12: CFS drift (cli.md §7.2, model §6.6). Per container the observed quota (cgroup cpu.max, else
// cAdvisor's container_spec_cpu_quota/_period; a container seen without one has none) against the
// model's: observed "none" matches expected none/unlimited, "set" matches container/pod with equal
// millicores (cli.md §8.2). Error: a container the model gives exclusive CPUs and no quota has a
// quota or throttled periods. Warning: any other mismatch, and the pod cgroup's quota against the
// model's pod quota.

import type { Evidence } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { makeFinding } from '../findings.js';
import { comparedPods, isExclusive } from './common.js';

function quotaText(kind: string, millicores: number | null): string {
  return millicores === null ? kind : `${kind} ${millicores}m`;
}

function matches(
  expected: 'none' | 'container' | 'pod' | 'unlimited',
  expectedMillis: number | null,
  observed: 'none' | 'set',
  observedMillis: number | null,
): boolean {
  if (observed === 'none') return expected === 'none' || expected === 'unlimited';
  return (expected === 'container' || expected === 'pod') && expectedMillis === observedMillis;
}

function containerFinding(ctx: DriftContext, pod: DriftPod, c: DriftContainer): Finding | null {
  const exp = c.expected;
  const obs = c.observed;
  if (exp === null || obs.cfsQuota === null) return null;
  const source = obs.source.cfsQuota;
  const evidence: Evidence[] = source === undefined ? [] : [source];
  const exclusiveNoQuota = isExclusive(exp.assignment.cpu) && exp.cfsQuota === 'none';
  const throttled = obs.cfs !== null && obs.cfs.throttledPeriods > 0;
  if (exclusiveNoQuota && (obs.cfsQuota === 'set' || throttled)) {
    if (throttled && obs.source.cfs !== undefined) evidence.push(obs.source.cfs);
    const what =
      obs.cfsQuota === 'set'
        ? `has a CFS quota of ${obs.cfsQuotaMillicores ?? '?'}m`
        : `was throttled in ${obs.cfs?.throttledPeriods ?? 0} periods`;
    return makeFinding(ctx, {
      code: 'D12',
      severity: 'error',
      pod,
      container: c,
      resource: 'cpu',
      evidence,
      expected: 'none',
      observed:
        obs.cfsQuota === 'set'
          ? quotaText('set', obs.cfsQuotaMillicores)
          : `throttled ${obs.cfs?.throttledPeriods ?? 0}`,
      message: `${c.name} has exclusive CPUs (${exp.assignment.cpu}) and should run without a CFS quota but ${what}`,
    });
  }
  if (matches(exp.cfsQuota, exp.cfsQuotaMillicores, obs.cfsQuota, obs.cfsQuotaMillicores)) return null;
  const expected = quotaText(exp.cfsQuota, exp.cfsQuotaMillicores);
  const observed = quotaText(obs.cfsQuota, obs.cfsQuotaMillicores);
  return makeFinding(ctx, {
    code: 'D12',
    severity: 'warning',
    pod,
    container: c,
    resource: 'cpu',
    evidence,
    expected,
    observed,
    message: `${c.name} CFS quota is ${observed === 'none' ? 'not set' : observed} but the model expects ${expected}`,
  });
}

function podFinding(ctx: DriftContext, pod: DriftPod): Finding | null {
  const exp = pod.expected?.podCgroupCfsQuota;
  const obs = pod.observed.podCgroupCfsQuota;
  if (exp === undefined || obs === null) return null;
  const ok = obs === 'none' ? exp === 'none' || exp === 'unlimited' : typeof exp === 'number' && exp === obs;
  if (ok) return null;
  const source = pod.observed.source.podCgroupCfsQuota;
  const expText = typeof exp === 'number' ? `${exp}m` : exp;
  const obsText = typeof obs === 'number' ? `${obs}m` : 'none';
  return makeFinding(ctx, {
    code: 'D12',
    severity: 'warning',
    pod,
    container: null,
    resource: 'cpu',
    evidence: source === undefined ? [] : [source],
    expected: expText,
    observed: obsText,
    message: `the pod cgroup of ${pod.status.namespace}/${pod.status.name} has CFS quota ${obsText === 'none' ? 'none' : obsText} but the model expects ${expText}`,
  });
}

export const d12: DriftCheck = {
  code: 'D12',
  severity: 'error',
  evidence: ['cadvisor', 'cgroup'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const pod of comparedPods(ctx)) {
      for (const c of pod.containers) {
        const f = containerFinding(ctx, pod, c);
        if (f !== null) out.push(f);
      }
      const pf = podFinding(ctx, pod);
      if (pf !== null) out.push(pf);
    }
    return out;
  },
};
