// D20 (warning): PodResources `List` reports pod-level allocations with another version's semantics
// (model §7, §12 Q2; cli.md §7.2). Judged on the reporting style, not on CPU ids:
//   * v1.36 has no pod-level fields; its state accessors report a pod_shared container with the
//     pod shared pool (double counting, expected there): pod-level fields, or a pod_shared container
//     reporting nothing while its pod shared pool is not empty, are 1.37 semantics on 1.36;
//   * v1.37 reports the pod pool at pod level and pod_shared containers empty: a pod_shared
//     container reporting CPUs or memory is the 1.36 double counting on 1.37;
//   * pod-level fields of a pod that has no pod pool (container scope, or no pool for that
//     resource) on any version.

import type { ContainerResourcesEntry, PodResourcesEntry } from '../../model/pod-resources.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { makeFinding, podName } from '../findings.js';

function ids(list: readonly number[]): string {
  return list.join(',');
}

function podLevelFindings(ctx: DriftContext, p: DriftPod, pr: PodResourcesEntry, version: string): Finding[] {
  const out: Finding[] = [];
  const expected = p.expected;
  if (expected === null) return out;
  const fields: [resource: 'cpu' | 'memory', present: boolean, pooled: boolean, shown: string][] = [
    ['cpu', pr.cpuIds.length > 0, expected.podPool?.cpus !== undefined, `cpu_ids ${ids(pr.cpuIds)}`],
    [
      'memory',
      pr.memory.length > 0,
      expected.podPool?.memory !== undefined,
      `memory ${pr.memory.map((m) => `${m.type}:${m.size.toString()}`).join(',')}`,
    ],
  ];
  for (const [resource, present, pooled, shown] of fields) {
    if (!present) continue;
    const reason =
      version === '1.36'
        ? 'kubelet 1.36 has no pod-level PodResources fields'
        : !pooled
          ? `the model gives the pod no ${resource} pod pool (path ${expected.path})`
          : null;
    if (reason === null) continue;
    out.push(
      makeFinding(ctx, {
        code: 'D20',
        severity: 'warning',
        pod: p,
        resource,
        evidence: ['podresources'],
        expected: 'no pod-level field',
        observed: shown,
        message: `${podName(p)}: PodResources reports the pod-level ${shown} but ${reason}`,
      }),
    );
  }
  return out;
}

function containerFindings(
  ctx: DriftContext,
  p: DriftPod,
  c: DriftContainer,
  entry: ContainerResourcesEntry,
  version: string,
): Finding[] {
  const e = c.expected;
  const pool = p.expected?.podSharedPool;
  if (e === null) return [];
  const out: Finding[] = [];
  const check = (resource: 'cpu' | 'memory', reported: boolean, shown: string, poolNonEmpty: boolean) => {
    if (e.assignment[resource] !== 'pod_shared') return;
    let why: string | null = null;
    if (version === '1.37' && reported)
      why = 'kubelet 1.37 reports pod_shared containers empty (the pool is at pod level)';
    if (version === '1.36' && !reported && poolNonEmpty)
      why = 'kubelet 1.36 reports a pod_shared container with the pod shared pool';
    if (why === null) return;
    out.push(
      makeFinding(ctx, {
        code: 'D20',
        severity: 'warning',
        pod: p,
        container: c,
        resource,
        evidence: ['podresources'],
        expected: version === '1.37' ? '' : 'the pod shared pool',
        observed: reported ? shown : '',
        message: `${podName(p)} ${c.name}: PodResources reports ${reported ? shown : `no ${resource}`} for this pod_shared container but ${why}`,
      }),
    );
  };
  check('cpu', entry.cpuIds.length > 0, `cpu_ids ${ids(entry.cpuIds)}`, (pool?.cpus ?? '') !== '');
  check(
    'memory',
    entry.memory.length > 0,
    `memory ${entry.memory.map((m) => `${m.type}:${m.size.toString()}`).join(',')}`,
    (pool?.memory ?? []).some((b) => b.size > 0),
  );
  return out;
}

export const d20: DriftCheck = {
  code: 'D20',
  severity: 'warning',
  evidence: ['podresources'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const version = ctx.version?.model ?? null;
    if (version === null) return [];
    const out: Finding[] = [];
    for (const p of ctx.pods) {
      const pr = p.evidence.podResources;
      if (pr === null || pr === undefined || p.expected?.admitted !== true || p.status.activity !== 'active')
        continue;
      out.push(...podLevelFindings(ctx, p, pr, version));
      for (const c of p.containers) {
        const entry = pr.containers.find((x) => x.name === c.name);
        if (entry !== undefined) out.push(...containerFindings(ctx, p, c, entry, version));
      }
    }
    return out;
  },
};
