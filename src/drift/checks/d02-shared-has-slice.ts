// D2 (error): a container the model leaves on a shared pool has an exclusive slice (cli.md §7.2,
// model §10). Verdicts, first available decides, agreeing sources are the evidence:
//   * checkpoint: the container's observed assignment (cli.md §6.3) is node_exclusive or pod_exclusive
//     (an entry without a pod entry, or an eligible container's disjoint slice inside a pod pool);
//   * podresources (1.37): the container lists CPU ids (only exclusive containers do);
//   * cadvisor: a container the model gives a CFS quota is seen without one, which the kubelet does
//     only for exclusive containers (model §6.6).
// Memory: the observed memory assignment is exclusive (checkpoint; PodResources 1.37).

import type { Evidence } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { cpusText, makeFinding } from '../findings.js';
import {
  comparedPods,
  cpuSetOfIds,
  decidedAs,
  exclusiveHasNoQuota,
  isExclusive,
  isShared,
  modelConfig,
} from './common.js';

type Verdict = 'exclusive' | 'shared' | null;

function cpuFindings(ctx: DriftContext, pod: DriftPod, c: DriftContainer): Finding[] {
  const exp = c.expected;
  const config = modelConfig(ctx);
  if (exp === null || config === null || !isShared(exp.assignment.cpu)) return [];
  // A pod shared container of a pod whose pool is missing keeps its entry: that is D8's.
  if (exp.assignment.cpu === 'pod_shared' && pod.evidence.checkpointPool === undefined) return [];
  const verdicts: { source: Evidence; verdict: Verdict }[] = [];
  let observedAssignment: string | null = null;
  if (c.evidence.checkpointCpus !== null && c.observed.source.assignment === 'checkpoint') {
    const a = c.observed.assignment.cpu;
    verdicts.push({
      source: 'checkpoint',
      verdict: isExclusive(a) ? 'exclusive' : a === null ? null : 'shared',
    });
    if (isExclusive(a)) observedAssignment = a;
  }
  const pr = c.evidence.podResources;
  if (pr !== null && pr !== undefined && ctx.version?.model === '1.37') {
    verdicts.push({ source: 'podresources', verdict: pr.cpuIds.length > 0 ? 'exclusive' : 'shared' });
  }
  const ca = c.evidence.cadvisor;
  if (
    ca !== null &&
    ca !== undefined &&
    exclusiveHasNoQuota(config) &&
    (exp.cfsQuota === 'container' || exp.cfsQuota === 'pod')
  ) {
    verdicts.push({
      source: 'cadvisor',
      verdict: ca.specQuota === null || ca.specQuota <= 0 ? 'exclusive' : 'shared',
    });
  }
  const decided = decidedAs(verdicts, 'exclusive');
  if (decided === null) return [];
  const { evidence } = decided;
  const prIds = pr !== null && pr !== undefined && pr.cpuIds.length > 0 ? cpuSetOfIds(pr.cpuIds) : null;
  const slice = c.evidence.checkpointCpus ?? prIds;
  const sliceText = slice === null ? '' : ` ${cpusText(slice)}`;
  const observed =
    observedAssignment ?? (exp.assignment.cpu === 'pod_shared' ? 'pod_exclusive' : 'node_exclusive');
  return [
    makeFinding(ctx, {
      code: 'D2',
      severity: 'error',
      pod,
      container: c,
      resource: 'cpu',
      evidence,
      expected: exp.assignment.cpu,
      observed,
      message: `${c.name} should run on the ${exp.assignment.cpu === 'pod_shared' ? 'pod' : 'node'} shared pool (${exp.assignment.cpu}) but has the exclusive CPUs${sliceText} (${observed})`,
    }),
  ];
}

function memoryFindings(ctx: DriftContext, pod: DriftPod, c: DriftContainer): Finding[] {
  const exp = c.expected;
  if (exp === null || c.type === 'init' || !isShared(exp.assignment.memory)) return [];
  if (exp.assignment.memory === 'pod_shared' && pod.evidence.checkpointPoolMemory === undefined) return [];
  const a = c.observed.assignment.memory;
  if (!isExclusive(a) || a === null) return [];
  const source = c.observed.source['assignment.memory'] ?? c.observed.source.assignment;
  if (source === undefined) return [];
  return [
    makeFinding(ctx, {
      code: 'D2',
      severity: 'error',
      pod,
      container: c,
      resource: 'memory',
      evidence: [source],
      expected: exp.assignment.memory,
      observed: a,
      message: `${c.name} should use shared memory (${exp.assignment.memory}) but has exclusive memory blocks (${a})`,
    }),
  ];
}

export const d2: DriftCheck = {
  code: 'D2',
  severity: 'error',
  evidence: ['podresources', 'checkpoint', 'cadvisor'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const pod of comparedPods(ctx)) {
      for (const c of pod.containers) out.push(...cpuFindings(ctx, pod, c), ...memoryFindings(ctx, pod, c));
    }
    return out;
  },
};
