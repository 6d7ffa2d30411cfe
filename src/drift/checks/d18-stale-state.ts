// D18 (warning): state kept for pods that are not active on the node (cli.md §6.5, §7.2): CPU or
// memory checkpoint entries and pod entries under a pod UID, and PodResources `List` pods, that no
// active pod (phase Pending/Running, terminating included) of the pod list accounts for. A pod the
// pod list knows (finished, rejected) is named; one it does not know has only its UID.
// Needs no model. The managers drop such state lazily (the CPU manager every reconcile period, the
// memory manager at the next admission), so a pod that has just finished can show here briefly.

import type { Finding } from '../../schema/reports.js';
import { normalizeUid } from '../cadvisor-join.js';
import type { DriftCheck, DriftContext, PodStatusFacts } from '../context.js';
import { makeFinding } from '../findings.js';

interface Holder {
  readonly uid: string;
  /** "cpu_manager_state entries", … */
  readonly where: string[];
  readonly resources: Set<string>;
}

function staleCheckpointState(ctx: DriftContext): Map<string, Holder> {
  const out = new Map<string, Holder>();
  const note = (uid: string, where: string, resource: string) => {
    const key = normalizeUid(uid);
    if (ctx.activeKubeletUids.has(key)) return;
    let h = out.get(key);
    if (h === undefined) out.set(key, (h = { uid, where: [], resources: new Set() }));
    if (!h.where.includes(where)) h.where.push(where);
    h.resources.add(resource);
  };
  const cpu = ctx.observation.cpuCheckpoint?.checkpoint;
  // v1 entries are keyed by container ID, not pod UID: nothing to join
  if (cpu !== undefined && cpu.version !== 'v1') {
    for (const uid of cpu.entries.keys()) note(uid, 'cpu_manager_state entries', 'cpu');
    for (const uid of cpu.podEntries.keys()) note(uid, 'cpu_manager_state podEntries', 'cpu');
  }
  const memory = ctx.observation.memoryCheckpoint?.checkpoint;
  if (memory !== undefined) {
    for (const uid of memory.entries.keys()) note(uid, 'memory_manager_state entries', 'memory');
    for (const uid of memory.podEntries.keys()) note(uid, 'memory_manager_state podEntries', 'memory');
  }
  return out;
}

function known(ctx: DriftContext, uid: string): PodStatusFacts | null {
  return ctx.allPodsByKubeletUid.get(normalizeUid(uid)) ?? null;
}

function describe(p: PodStatusFacts | null): string {
  if (p === null) return 'not in the pod list';
  const phase = p.phase === '' ? 'no phase' : `phase ${p.phase}`;
  return p.reason === null ? phase : `${phase} (${p.reason})`;
}

export const d18: DriftCheck = {
  code: 'D18',
  severity: 'warning',
  evidence: ['podresources', 'checkpoint'],
  needsModel: false,
  needsTopology: false,
  podLevel: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const h of staleCheckpointState(ctx).values()) {
      const p = known(ctx, h.uid);
      const who = p === null ? `pod ${h.uid}` : `${p.namespace}/${p.name} (${h.uid})`;
      const resources = [...h.resources];
      const f = makeFinding(ctx, {
        code: 'D18',
        severity: 'warning',
        podUid: p?.uid ?? h.uid,
        resource: resources.length === 1 ? (resources[0] ?? null) : null,
        evidence: ['checkpoint', 'pod-status'],
        expected: 'no state',
        observed: h.where.join(', '),
        message: `${h.where.join(', ')} hold state for ${who}, which is not active on the node (${describe(p)})`,
      });
      out.push(p === null ? f : { ...f, namespace: p.namespace, pod: p.name });
    }
    const list = ctx.observation.podResources;
    if (list !== null) {
      const active = new Set<string>();
      for (const p of ctx.allPodsByKubeletUid.values())
        if (p.activity === 'active') active.add(`${p.namespace}/${p.name}`);
      for (const entry of list.pods) {
        const name = `${entry.namespace}/${entry.name}`;
        if (active.has(name)) continue;
        const p =
          [...ctx.allPodsByKubeletUid.values()].find(
            (x) => x.namespace === entry.namespace && x.name === entry.name,
          ) ?? null;
        const f = makeFinding(ctx, {
          code: 'D18',
          severity: 'warning',
          podUid: p?.uid ?? null,
          evidence: ['podresources', 'pod-status'],
          expected: 'not listed',
          observed: 'listed',
          message: `PodResources List reports ${name}, which is not active on the node (${describe(p)})`,
        });
        out.push({ ...f, namespace: entry.namespace, pod: entry.name });
      }
    }
    return out;
  },
};
