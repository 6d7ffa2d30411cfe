// D6 (error): the pod shared pool of a pool-holding pod is wrong (cli.md §7.2, model §6.4/§6.5, §10):
// the entry of a pod shared container overlaps an exclusive slice of the pod, leaves the pod pool,
// or differs from pool − ∪ slices of the long-running exclusive containers; the pool leaves nothing
// to share although the pod has shared containers. Memory, per type: a shared container's block
// differs from the pod block minus the long-running exclusive blocks.
// Which containers are slices and which share comes from the model (eligibility does not depend on
// the machine). Sources: checkpoint (entries vs podEntries); PodResources — 1.37 pod cpu_ids minus
// the containers' ids, 1.36 shared containers' ids (the pool) against the slices.

import { CpuSet } from '../../model/cpuset.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { cpusText, makeFinding } from '../findings.js';
import { comparedPods, cpuSetOfIds } from './common.js';

const longRunning = (c: DriftContainer) => c.type !== 'init';
const isSlice = (c: DriftContainer) => longRunning(c) && c.expected?.assignment.cpu === 'pod_exclusive';
const isSharer = (c: DriftContainer) => longRunning(c) && c.expected?.assignment.cpu === 'pod_shared';

/** What the CPU findings of a pod from one source share. */
function cpuBase(pod: DriftPod, source: 'checkpoint' | 'podresources') {
  return { code: 'D6', severity: 'error' as const, pod, resource: 'cpu', evidence: [source] };
}
type FindingBase = ReturnType<typeof cpuBase>;

function checkpointCpu(ctx: DriftContext, pod: DriftPod, out: Finding[]): void {
  const pool = pod.evidence.checkpointPool;
  if (pool === null || pool === undefined) return;
  let slices = CpuSet.empty;
  // A slice without an entry or outside the pool is D7's; pool − slices is then unknown and only
  // overlaps are judged.
  let allSlices = true;
  for (const c of pod.containers) {
    const e = c.evidence.checkpointCpus;
    if (!isSlice(c) || e === null) continue;
    if (e === undefined || !e.isSubsetOf(pool)) allSlices = false;
    else slices = slices.union(e);
  }
  const shared = pool.difference(slices);
  const base = cpuBase(pod, 'checkpoint');
  const sharers = pod.containers.filter(isSharer);
  if (allSlices && sharers.length > 0 && shared.isEmpty()) {
    out.push(noSharedCpus(ctx, base, pool, slices));
    return;
  }
  for (const c of sharers) {
    const e = c.evidence.checkpointCpus;
    if (e === null || e === undefined) continue;
    const overlap = e.intersection(slices);
    let why: string | null = null;
    if (!overlap.isEmpty()) why = `overlaps the exclusive slices at ${cpusText(overlap)}`;
    else if (!e.isSubsetOf(pool)) why = `leaves the pod pool ${cpusText(pool)}`;
    else if (allSlices && !e.equals(shared)) why = `is not the pod pool minus the slices`;
    if (why === null) continue;
    out.push(
      makeFinding(ctx, {
        ...base,
        container: c,
        expected: cpusText(shared),
        observed: cpusText(e),
        message: `${c.name} pod shared pool ${cpusText(e)} ${why} (expected ${cpusText(shared)})`,
      }),
    );
  }
}

/** The pod pool is all exclusive slices while the pod has shared containers. */
function noSharedCpus(ctx: DriftContext, base: FindingBase, pool: CpuSet, slices: CpuSet): Finding {
  const pod = base.pod;
  return makeFinding(ctx, {
    ...base,
    container: null,
    expected: 'non-empty',
    observed: '',
    message: `the pod pool ${cpusText(pool)} of ${pod.status.namespace}/${pod.status.name} leaves no CPUs for its shared containers (slices ${cpusText(slices)})`,
  });
}

function checkpointMemory(ctx: DriftContext, pod: DriftPod, out: Finding[]): void {
  const poolBlocks = pod.evidence.checkpointPoolMemory;
  if (poolBlocks === null || poolBlocks === undefined) return;
  const shared = new Map<string, bigint>();
  for (const b of poolBlocks) shared.set(b.type, (shared.get(b.type) ?? 0n) + b.size);
  for (const c of pod.containers) {
    if (!longRunning(c) || c.expected?.assignment.memory !== 'pod_exclusive') continue;
    for (const b of c.evidence.checkpointMemory ?? [])
      shared.set(b.type, (shared.get(b.type) ?? 0n) - b.size);
  }
  for (const c of pod.containers) {
    if (!longRunning(c) || c.expected?.assignment.memory !== 'pod_shared') continue;
    const blocks = c.evidence.checkpointMemory;
    if (blocks === null || blocks === undefined) continue;
    const have = new Map<string, bigint>();
    for (const b of blocks) have.set(b.type, (have.get(b.type) ?? 0n) + b.size);
    for (const [type, want] of shared) {
      const got = have.get(type) ?? 0n;
      if (got === want || (want <= 0n && got === 0n)) continue;
      out.push(
        makeFinding(ctx, {
          code: 'D6',
          severity: 'error',
          pod,
          container: c,
          resource: type,
          evidence: ['checkpoint'],
          expected: Number(want),
          observed: Number(got),
          message: `${c.name} shares ${String(got)} bytes of ${type} but the pod block minus the exclusive blocks is ${String(want)}`,
        }),
      );
    }
  }
}

function podResourcesCpu(ctx: DriftContext, pod: DriftPod, out: Finding[]): void {
  const pr = pod.evidence.podResources;
  if (pr === null || pr === undefined) return;
  const idsOf = (c: DriftContainer) => {
    const x = c.evidence.podResources;
    return x === null || x === undefined ? null : cpuSetOfIds(x.cpuIds);
  };
  let slices = CpuSet.empty;
  for (const c of pod.containers) {
    const ids = idsOf(c);
    if (isSlice(c) && ids !== null) slices = slices.union(ids);
  }
  const base = cpuBase(pod, 'podresources');
  if (ctx.version?.model === '1.37') {
    if (pr.cpuIds.length === 0) return;
    const pool = cpuSetOfIds(pr.cpuIds);
    const shared = pool.difference(slices);
    if (pod.containers.some(isSharer) && shared.isEmpty()) {
      out.push(noSharedCpus(ctx, base, pool, slices));
    }
    return;
  }
  for (const c of pod.containers.filter(isSharer)) {
    const ids = idsOf(c);
    if (ids === null || ids.isEmpty()) continue;
    const overlap = ids.intersection(slices);
    if (overlap.isEmpty()) continue;
    out.push(
      makeFinding(ctx, {
        ...base,
        container: c,
        expected: '',
        observed: cpusText(overlap),
        message: `${c.name} pod shared pool ${cpusText(ids)} overlaps the exclusive slices ${cpusText(slices)} at ${cpusText(overlap)}`,
      }),
    );
  }
}

export const d6: DriftCheck = {
  code: 'D6',
  severity: 'error',
  evidence: ['podresources', 'checkpoint'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const pod of comparedPods(ctx)) {
      if (pod.evidence.checkpointPool !== null || pod.evidence.checkpointPoolMemory !== null) {
        checkpointCpu(ctx, pod, out);
        checkpointMemory(ctx, pod, out);
      } else podResourcesCpu(ctx, pod, out);
    }
    return out;
  },
};
