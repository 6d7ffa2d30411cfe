// D1 (error): a container the model gives exclusive CPUs (or exclusive memory) runs on a shared pool
// (cli.md §7.2, model §10). Each source gives a verdict when it knows the container; the first
// available one decides (checkpoint, PodResources, cgroup, cAdvisor, metrics) and the finding lists
// every source that agrees:
//   * checkpoint: no entry (node shared pool), or the entry is the pod shared pool;
//   * podresources: the container is listed with no CPU ids (exclusive containers always list theirs);
//   * cgroup: its cpuset has more CPUs than its exclusive slice;
//   * cadvisor: it has a CFS quota although exclusive containers get none (model §6.6);
//   * metrics: the node has no exclusive CPUs at all (kubelet_cpu_manager_exclusive_cpu_allocation_count 0).
// Memory: no (or an empty) checkpoint memory entry, or PodResources listing no memory; standard init
// containers are left out (their memory entries are dropped when a later container starts).

import type { CpuSet } from '../../model/cpuset.js';
import type { Evidence } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { blocksText, cpusText, makeFinding } from '../findings.js';
import {
  cgroupCpus,
  comparedPods,
  decidedAs,
  exclusiveHasNoQuota,
  expectedExclusiveCpus,
  isExclusive,
  modelConfig,
  staleSharedCpuset,
} from './common.js';

type Verdict = 'shared' | 'exclusive' | null;

function checkpointCpuVerdict(
  pod: DriftPod,
  c: DriftContainer,
): { verdict: Verdict; observed: string | null } {
  const entry = c.evidence.checkpointCpus;
  if (entry === null) return { verdict: null, observed: null };
  if (entry === undefined) return { verdict: 'shared', observed: 'node_shared' };
  const pool = pod.evidence.checkpointPool;
  if (pool === null || pool === undefined) return { verdict: 'exclusive', observed: null };
  // Inside a pod pool: the entry is the pod shared pool when a shared container of the pod has it too.
  const sharedEntry = pod.containers.some(
    (o) =>
      o !== c &&
      o.type !== 'init' &&
      o.expected?.assignment.cpu === 'pod_shared' &&
      o.evidence.checkpointCpus !== null &&
      o.evidence.checkpointCpus !== undefined &&
      o.evidence.checkpointCpus.equals(entry),
  );
  return sharedEntry
    ? { verdict: 'shared', observed: 'pod_shared' }
    : { verdict: 'exclusive', observed: null };
}

function cpuFindings(ctx: DriftContext, pod: DriftPod, c: DriftContainer): Finding[] {
  const exp = c.expected;
  const config = modelConfig(ctx);
  if (exp === null || config === null || !isExclusive(exp.assignment.cpu)) return [];
  const verdicts: { source: Evidence; verdict: Verdict }[] = [];
  const ck = checkpointCpuVerdict(pod, c);
  verdicts.push({ source: 'checkpoint', verdict: ck.verdict });
  const pr = c.evidence.podResources;
  verdicts.push({
    source: 'podresources',
    verdict: pr === null || pr === undefined ? null : pr.cpuIds.length === 0 ? 'shared' : 'exclusive',
  });
  const k = expectedExclusiveCpus(pod, c);
  const cg = cgroupCpus(c);
  let cgVerdict: Verdict = null;
  if (cg !== null && k > 0 && !staleSharedCpuset(ctx, cg)) cgVerdict = cg.size > k ? 'shared' : 'exclusive';
  verdicts.push({ source: 'cgroup', verdict: cgVerdict });
  const ca = c.evidence.cadvisor;
  let caVerdict: Verdict = null;
  if (ca !== null && ca !== undefined && exclusiveHasNoQuota(config)) {
    caVerdict = ca.specQuota !== null && ca.specQuota > 0 ? 'shared' : 'exclusive';
  }
  verdicts.push({ source: 'cadvisor', verdict: caVerdict });
  const gauge = ctx.metrics.metrics?.values.kubelet_cpu_manager_exclusive_cpu_allocation_count;
  verdicts.push({ source: 'metrics', verdict: gauge === undefined ? null : gauge === 0 ? 'shared' : null });

  const decided = decidedAs(verdicts, 'shared');
  if (decided === null) return [];
  const { evidence } = decided;
  const observedAssignment = ck.observed ?? (decided.deciding === 'podresources' ? 'node_shared' : 'shared');
  const runsOn: CpuSet | null =
    cg ??
    (c.evidence.checkpointCpus === undefined
      ? (ctx.observation.cpuCheckpoint?.checkpoint.defaultCpuSet ?? null)
      : (c.evidence.checkpointCpus ?? null));
  const where =
    runsOn === null ? `runs shared (${observedAssignment})` : `runs on the shared CPUs ${cpusText(runsOn)}`;
  return [
    makeFinding(ctx, {
      code: 'D1',
      severity: 'error',
      pod,
      container: c,
      resource: 'cpu',
      evidence,
      expected: exp.assignment.cpu,
      observed: observedAssignment,
      message: `${c.name} should have exclusive CPUs (${exp.assignment.cpu}) but ${where}`,
    }),
  ];
}

function memoryFindings(ctx: DriftContext, pod: DriftPod, c: DriftContainer): Finding[] {
  const exp = c.expected;
  // A standard init container's memory entry is dropped once a later container starts (model §2.5).
  if (exp === null || c.type === 'init' || !isExclusive(exp.assignment.memory)) return [];
  const evidence: Evidence[] = [];
  let observed: string | null = null;
  const blocks = c.evidence.checkpointMemory;
  if (blocks !== null) {
    if (blocks === undefined || blocks.length === 0) observed = 'node_shared';
    else if (c.observed.assignment.memory === 'pod_shared') observed = 'pod_shared';
    if (observed === null) return [];
    evidence.push('checkpoint');
    const pr = c.evidence.podResources;
    if (pr !== null && pr !== undefined && pr.memory.length === 0) evidence.push('podresources');
  } else {
    const pr = c.evidence.podResources;
    if (pr === null || pr === undefined || pr.memory.length > 0) return [];
    observed = 'node_shared';
    evidence.push('podresources');
  }
  const blockText =
    blocks === null || blocks === undefined || blocks.length === 0
      ? 'no exclusive memory blocks'
      : `the shared blocks ${blocksText(blocks)}`;
  return [
    makeFinding(ctx, {
      code: 'D1',
      severity: 'error',
      pod,
      container: c,
      resource: 'memory',
      evidence,
      expected: exp.assignment.memory,
      observed,
      message: `${c.name} should have exclusive memory (${exp.assignment.memory}) but has ${blockText} (${observed})`,
    }),
  ];
}

export const d1: DriftCheck = {
  code: 'D1',
  severity: 'error',
  evidence: ['podresources', 'checkpoint', 'metrics', 'cadvisor', 'cgroup'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const pod of comparedPods(ctx)) {
      for (const c of pod.containers) {
        out.push(...cpuFindings(ctx, pod, c), ...memoryFindings(ctx, pod, c));
      }
    }
    return out;
  },
};
