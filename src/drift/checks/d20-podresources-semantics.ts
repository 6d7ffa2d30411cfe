// D20 (warning): PodResources `List` reports pod-level allocations with another version's semantics
// (model §7, §12 Q2; cli.md §7.2). Semantics are how the kubelet's state is reported, so PodResources
// is judged against the observed state — the checkpoints — not against the model's prediction: a
// container the kubelet placed elsewhere than predicted is reported consistently with where it is,
// and that is D1/D7/D8's drift, not D20's.
//   * v1.36 has no pod-level fields: pod-level fields are 1.37 semantics on 1.36 (no state needed);
//   * v1.36 reports a container straight from its state entry: a pod_shared container (checkpoint:
//     entry inside the pod's pool, not its own slice) reporting nothing while its entry is not empty
//     is 1.37 semantics on 1.36;
//   * v1.37 reports the pod pool at pod level and pod_shared containers empty: a pod_shared
//     container reporting CPUs or memory is the 1.36 double counting on 1.37;
//   * a pod-level field for a pod whose checkpoint holds no pod pool of that resource (container
//     scope, or no pool for that resource) on 1.37.
// Without a checkpoint only the first rule is judged (coverage partial through `evidence`); without
// the memory manager's checkpoint the memory side is left out (a limit, when the policy is Static).

import type { CpuSet } from '../../model/cpuset.js';
import type { MemoryBlock as ModelMemoryBlock } from '../../model/memory/state.js';
import type {
  ContainerMemoryEntry,
  ContainerResourcesEntry,
  PodResourcesEntry,
} from '../../model/pod-resources.js';
import type { Assignment } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { CoverageLimit, DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { blocksText, cpusText, makeFinding, podName } from '../findings.js';
import { modelConfig } from './common.js';

function ids(list: readonly number[]): string {
  return list.join(',');
}

function memoryShown(list: readonly ContainerMemoryEntry[]): string {
  return `memory ${list.map((m) => `${m.type}:${m.size.toString()}`).join(',')}`;
}

/** Whether the checkpoint holds a pool of the resource for the pod; null when it is not observed. */
function checkpointHoldsPool(p: DriftPod, resource: 'cpu' | 'memory'): boolean | null {
  const pool = resource === 'cpu' ? p.evidence.checkpointPool : p.evidence.checkpointPoolMemory;
  return pool === null ? null : pool !== undefined;
}

function podLevelFindings(ctx: DriftContext, p: DriftPod, pr: PodResourcesEntry, version: string): Finding[] {
  const out: Finding[] = [];
  const fields: [resource: 'cpu' | 'memory', present: boolean, shown: string][] = [
    ['cpu', pr.cpuIds.length > 0, `cpu_ids ${ids(pr.cpuIds)}`],
    ['memory', pr.memory.length > 0, memoryShown(pr.memory)],
  ];
  for (const [resource, present, shown] of fields) {
    if (!present) continue;
    let reason: string | null = null;
    let fromCheckpoint = false;
    if (version === '1.36') reason = 'kubelet 1.36 has no pod-level PodResources fields';
    else if (checkpointHoldsPool(p, resource) === false) {
      reason = `the checkpoint holds no ${resource} pod pool for the pod`;
      fromCheckpoint = true;
    }
    if (reason === null) continue;
    out.push(
      makeFinding(ctx, {
        code: 'D20',
        severity: 'warning',
        pod: p,
        resource,
        evidence: fromCheckpoint ? ['podresources', 'checkpoint'] : ['podresources'],
        expected: 'no pod-level field',
        observed: shown,
        message: `${podName(p)}: PodResources reports the pod-level ${shown} but ${reason}`,
      }),
    );
  }
  return out;
}

/** The container's assignment of the resource as its checkpoint shows it; null when not observed there. */
function checkpointAssignment(c: DriftContainer, resource: 'cpu' | 'memory'): Assignment | null {
  const source =
    resource === 'cpu'
      ? c.observed.source.assignment
      : (c.observed.source['assignment.memory'] ?? c.observed.source.assignment);
  return source === 'checkpoint' ? c.observed.assignment[resource] : null;
}

interface StateEntry {
  readonly resource: 'cpu' | 'memory';
  /** the checkpoint entry, as findings encode it */
  readonly text: string;
  readonly empty: boolean;
  /** what PodResources reports for the container */
  readonly reported: boolean;
  readonly shown: string;
}

function stateEntries(c: DriftContainer, entry: ContainerResourcesEntry): StateEntry[] {
  const out: StateEntry[] = [];
  const cpus: CpuSet | null | undefined = c.evidence.checkpointCpus;
  if (cpus !== null && cpus !== undefined) {
    out.push({
      resource: 'cpu',
      text: cpusText(cpus),
      empty: cpus.isEmpty(),
      reported: entry.cpuIds.length > 0,
      shown: `cpu_ids ${ids(entry.cpuIds)}`,
    });
  }
  const blocks: readonly ModelMemoryBlock[] | null | undefined = c.evidence.checkpointMemory;
  if (blocks !== null && blocks !== undefined) {
    out.push({
      resource: 'memory',
      text: blocksText(blocks),
      empty: !blocks.some((b) => b.size > 0n),
      reported: entry.memory.length > 0,
      shown: memoryShown(entry.memory),
    });
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
  const out: Finding[] = [];
  for (const s of stateEntries(c, entry)) {
    if (checkpointAssignment(c, s.resource) !== 'pod_shared') continue;
    let why: string | null = null;
    if (version === '1.37' && s.reported)
      why = 'kubelet 1.37 reports pod_shared containers empty (the pool is at pod level)';
    if (version === '1.36' && !s.reported && !s.empty)
      why = `kubelet 1.36 reports a pod_shared container with its checkpoint entry ${s.text}`;
    if (why === null) continue;
    out.push(
      makeFinding(ctx, {
        code: 'D20',
        severity: 'warning',
        pod: p,
        container: c,
        resource: s.resource,
        evidence: ['podresources', 'checkpoint'],
        expected: version === '1.37' ? '' : s.text,
        observed: s.reported ? s.shown : '',
        message: `${podName(p)} ${c.name}: PodResources reports ${s.reported ? s.shown : `no ${s.resource}`} for this pod_shared container but ${why}`,
      }),
    );
  }
  return out;
}

export const d20: DriftCheck = {
  code: 'D20',
  severity: 'warning',
  evidence: ['podresources', 'checkpoint'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const version = ctx.version?.model ?? null;
    if (version === null) return [];
    const out: Finding[] = [];
    for (const p of ctx.pods) {
      const pr = p.evidence.podResources;
      if (pr === null || pr === undefined || p.status.activity !== 'active') continue;
      out.push(...podLevelFindings(ctx, p, pr, version));
      for (const c of p.containers) {
        const entry = pr.containers.find((x) => x.name === c.name);
        if (entry !== undefined) out.push(...containerFindings(ctx, p, c, entry, version));
      }
    }
    return out;
  },
  limits(ctx): CoverageLimit[] {
    const obs = ctx.observation;
    if (obs.podResources === null || obs.cpuCheckpoint === null || obs.memoryCheckpoint !== null) return [];
    if (modelConfig(ctx)?.memoryManagerPolicy !== 'Static') return [];
    return [
      {
        missing: ['checkpoint'],
        reason: `checkpoint: ${obs.memoryCheckpointError ?? 'no memory manager state'}`,
      },
    ];
  },
};
