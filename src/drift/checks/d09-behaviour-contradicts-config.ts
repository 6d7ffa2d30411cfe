// D9 (error): the kubelet behaves against its /configz (cli.md §7.2, model §10):
//   * a checkpoint's policyName is not the configured policy (cpu_manager_state vs
//     cpuManagerPolicy, memory_manager_state vs memoryManagerPolicy) — a kubelet refuses to start
//     on such a file, so it was not written by the running configuration;
//   * resource_manager_*{source="pod"} counted allocations (or pod_* assignments) while
//     PodLevelResourceManagers is off — counters restart with the kubelet, so the running
//     configuration made them;
//   * none at all although pods admitted since the kubelet started must have made some (the pod-level
//     path is not active, whatever /configz says).

import type { Finding } from '../../schema/reports.js';
import type { DriftCheck } from '../context.js';
import { makeFinding } from '../findings.js';
import { observedCounters, podLevelSilence, seriesName } from './kubelet-counters.js';

const RESOURCES = ['cpu', 'memory'] as const;

/** Observed pod-level series: allocations and errors with source="pod", pod_* assignments. */
function podLevelSeries(): { family: string; labels: Record<string, string> }[] {
  const out: { family: string; labels: Record<string, string> }[] = [];
  for (const r of RESOURCES) {
    out.push({ family: 'resource_manager_allocations_total', labels: { resource_name: r, source: 'pod' } });
    out.push({
      family: 'resource_manager_allocation_errors_total',
      labels: { resource_name: r, source: 'pod' },
    });
    for (const t of ['pod_exclusive', 'pod_shared'])
      out.push({
        family: 'resource_manager_container_assignments',
        labels: { resource_name: r, assignment_type: t },
      });
  }
  return out;
}

export const d9: DriftCheck = {
  code: 'D9',
  severity: 'error',
  evidence: ['checkpoint', 'metrics'],
  needsModel: true,
  needsTopology: false,
  podLevel: false,
  run(ctx) {
    const config = ctx.config?.model;
    if (config === null || config === undefined) return [];
    const out: Finding[] = [];
    const files = [
      [
        'cpu_manager_state',
        'cpu',
        ctx.observation.cpuCheckpoint,
        'cpuManagerPolicy',
        config.cpuManagerPolicy,
      ],
      [
        'memory_manager_state',
        'memory',
        ctx.observation.memoryCheckpoint,
        'memoryManagerPolicy',
        config.memoryManagerPolicy,
      ],
    ] as const;
    for (const [file, resource, read, field, configured] of files) {
      const written = read?.checkpoint.policyName;
      if (written === undefined || written === configured) continue;
      out.push(
        makeFinding(ctx, {
          code: 'D9',
          severity: 'error',
          resource,
          evidence: ['checkpoint', 'configz'],
          expected: configured,
          observed: written,
          message: `${file} has policyName "${written}" but /configz ${field} is "${configured}"; a kubelet with this configuration refuses such a file`,
        }),
      );
    }

    const observed = observedCounters(ctx);
    if (observed !== null && ctx.config?.gates?.plrm === false) {
      for (const s of podLevelSeries()) {
        const v = observed.get(seriesName(s))?.value;
        if (v === undefined || v <= 0) continue;
        const name = seriesName(s);
        out.push(
          makeFinding(ctx, {
            code: 'D9',
            severity: 'error',
            resource: s.labels.resource_name ?? null,
            evidence: ['metrics', 'configz'],
            expected: 0,
            observed: v,
            message: `${name} is ${v} although PodLevelResourceManagers is off in /configz (counters restart with the kubelet, so the running configuration made them)`,
          }),
        );
      }
    }
    const quiet = podLevelSilence(ctx);
    if (quiet !== null) {
      out.push(
        makeFinding(ctx, {
          code: 'D9',
          severity: 'error',
          resource: null,
          evidence: ['metrics', 'configz'],
          expected: quiet.expected,
          observed: 0,
          message: `PodLevelResourceManagers is on in /configz but resource_manager_allocations_total{source="pod"} is 0 although the ${quiet.pods} pod${quiet.pods === 1 ? '' : 's'} admitted since the kubelet started (${quiet.kubeletStart}) must have made ${quiet.expected} pod-level allocations`,
        }),
      );
    }
    return out;
  },
};
