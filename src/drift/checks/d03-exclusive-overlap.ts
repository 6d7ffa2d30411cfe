// D3 (error): exclusive CPUs of two containers overlap; `container` is the later one (admission
// order, then spec order; state of pods not in the pod list comes last). Allowed (model §10 D3,
// §2.5, §6.4): overlaps inside one pod with a standard init container (CPU reuse, and the whole
// remaining pool of a non-eligible standard init container of a pod-level pod), and between the
// pod shared containers of one pod (they share the pod shared pool). Inside a pod, a slice that
// overlaps the pod shared pool is D6's. Between pods every overlap is drift.
// Sources: checkpoint entries; PodResources container cpu_ids (1.36 lists the shared containers of
// a pod pool with the pool, so inside such a pod only the checkpoint is judged).

import type { CpuSet } from '../../model/cpuset.js';
import { CpuSet as CpuSetClass } from '../../model/cpuset.js';
import type { Evidence } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContext, DriftPod } from '../context.js';
import { cpusText, makeFinding, podName } from '../findings.js';
import { normalizeUid } from '../cadvisor-join.js';
import { isExclusive } from './common.js';

interface Claim {
  readonly pod: DriftPod | null;
  /** identifies the pod (its UID, or namespace/name for a PodResources pod not in the pod list) */
  readonly podUid: string;
  /** the UID a finding names for a pod not in the pod list (checkpoint keys), else null */
  readonly findingUid: string | null;
  readonly container: string;
  readonly type: 'app' | 'init' | 'sidecar' | null;
  /** the model's assignment class: exclusive slice, or one of the pod's shared containers */
  readonly exclusive: boolean;
  /** PodResources 1.36 lists the pod shared containers of a pod pool with the pool (quirk Q2) */
  readonly listsPool: boolean;
  readonly cpus: CpuSet;
}

function label(c: Claim): string {
  if (c.pod !== null) return `${podName(c.pod)} ${c.container}`;
  return c.findingUid === null ? `${c.podUid} ${c.container}` : `${c.container} of pod ${c.podUid}`;
}

/** Claims in order: replayed pods (admission order, spec order), then unknown pods by UID and name. */
function checkpointClaims(ctx: DriftContext): Claim[] | null {
  const cp = ctx.observation.cpuCheckpoint?.checkpoint;
  if (cp === undefined || cp.version === 'v1') return null;
  const claims: Claim[] = [];
  const known = new Set<string>();
  for (const pod of ctx.pods) {
    const uid = normalizeUid(pod.status.kubeletUid);
    known.add(uid);
    for (const c of pod.containers) {
      const cpus = c.evidence.checkpointCpus;
      if (cpus === null || cpus === undefined) continue;
      const exp = c.expected?.assignment.cpu ?? c.observed.assignment.cpu;
      claims.push({
        pod,
        podUid: pod.status.uid,
        findingUid: null,
        container: c.name,
        type: c.type,
        exclusive: isExclusive(exp),
        listsPool: false,
        cpus,
      });
    }
  }
  const unknown = [...cp.entries.keys()].filter((k) => !known.has(normalizeUid(k))).sort();
  for (const uid of unknown) {
    const containers = cp.entries.get(uid);
    if (containers === undefined) continue;
    const pooled = cp.podEntries.has(uid);
    for (const name of [...containers.keys()].sort()) {
      const cpus = containers.get(name);
      if (cpus === undefined) continue;
      claims.push({
        pod: null,
        podUid: uid,
        findingUid: uid,
        container: name,
        type: null,
        exclusive: !pooled,
        listsPool: false,
        cpus,
      });
    }
  }
  return claims;
}

function podResourcesClaims(ctx: DriftContext): Claim[] | null {
  const list = ctx.observation.podResources;
  if (list === null) return null;
  const byKey = new Map(ctx.pods.map((p) => [`${p.status.namespace}/${p.status.name}`, p] as const));
  const claims: Claim[] = [];
  const v136 = ctx.version?.model !== '1.37';
  const ordered = [...list.pods].sort((a, b) => {
    const pa = byKey.get(`${a.namespace}/${a.name}`)?.admissionOrder ?? Number.MAX_SAFE_INTEGER;
    const pb = byKey.get(`${b.namespace}/${b.name}`)?.admissionOrder ?? Number.MAX_SAFE_INTEGER;
    return pa - pb;
  });
  for (const p of ordered) {
    const pod = byKey.get(`${p.namespace}/${p.name}`) ?? null;
    for (const c of p.containers) {
      if (c.cpuIds.length === 0) continue;
      const dc = pod?.containers.find((x) => x.name === c.name);
      const exp = dc?.expected?.assignment.cpu ?? null;
      claims.push({
        pod,
        podUid: pod?.status.uid ?? `${p.namespace}/${p.name}`,
        findingUid: null,
        container: c.name,
        type: dc?.type ?? null,
        exclusive: exp === null ? true : isExclusive(exp),
        listsPool: v136 && (pod === null || pod.expected?.podPool?.cpus !== undefined),
        cpus: CpuSetClass.from(c.cpuIds),
      });
    }
  }
  return claims;
}

function allowed(a: Claim, b: Claim): boolean {
  if (a.podUid !== b.podUid) return false;
  if (a.listsPool || b.listsPool) return true;
  if (a.type === 'init' || b.type === 'init') return true;
  return !(a.exclusive && b.exclusive);
}

interface Overlap {
  readonly later: Claim;
  readonly earlier: Claim;
  readonly cpus: CpuSet;
  readonly evidence: Set<Evidence>;
}

function overlaps(claims: readonly Claim[], source: Evidence, into: Map<string, Overlap>): void {
  const owners = new Map<number, number[]>();
  claims.forEach((claim, i) => {
    const hits = new Map<number, number[]>();
    for (const cpu of claim.cpus) {
      for (const j of owners.get(cpu) ?? []) {
        const list = hits.get(j);
        if (list === undefined) hits.set(j, [cpu]);
        else list.push(cpu);
      }
    }
    for (const [j, cpus] of hits) {
      const earlier = claims[j] as Claim;
      if (allowed(claim, earlier)) continue;
      const key = `${claim.podUid}/${claim.container}|${earlier.podUid}/${earlier.container}`;
      const found = into.get(key);
      if (found === undefined)
        into.set(key, { later: claim, earlier, cpus: CpuSetClass.from(cpus), evidence: new Set([source]) });
      else found.evidence.add(source);
    }
    for (const cpu of claim.cpus) {
      const list = owners.get(cpu);
      if (list === undefined) owners.set(cpu, [i]);
      else list.push(i);
    }
  });
}

export const d3: DriftCheck = {
  code: 'D3',
  severity: 'error',
  evidence: ['podresources', 'checkpoint'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const found = new Map<string, Overlap>();
    const ck = checkpointClaims(ctx);
    if (ck !== null) overlaps(ck, 'checkpoint', found);
    const pr = podResourcesClaims(ctx);
    if (pr !== null) overlaps(pr, 'podresources', found);
    const out: Finding[] = [];
    for (const o of found.values()) {
      out.push(
        makeFinding(ctx, {
          code: 'D3',
          severity: 'error',
          pod: o.later.pod,
          podUid: o.later.findingUid,
          container: o.later.container,
          resource: 'cpu',
          evidence: [...o.evidence],
          expected: '',
          observed: cpusText(o.cpus),
          message: `${o.later.container} CPUs ${cpusText(o.later.cpus)} overlap the CPUs ${cpusText(o.earlier.cpus)} of ${label(o.earlier)} at ${cpusText(o.cpus)}`,
        }),
      );
    }
    return out;
  },
};
