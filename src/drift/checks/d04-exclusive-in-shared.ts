// D4 (error): CPUs held exclusively — a container entry or a pod pool of the CPU checkpoint — lie
// in the node shared pool (`defaultCpuSet`) or among the reserved CPUs (cli.md §7.2, model §10).
// The kubelet removes every entry and pool from defaultCpuSet and never hands out reserved CPUs.
// Reserved CPUs: `reservedSystemCPUs`, else the static policy's own choice on the real machine
// (unknown in count mode, where only the shared-pool part is checked).

import type { CpuSet } from '../../model/cpuset.js';
import type { Finding } from '../../schema/reports.js';
import { normalizeUid } from '../cadvisor-join.js';
import type { DriftCheck, DriftContext, DriftPod } from '../context.js';
import { cpusText, makeFinding } from '../findings.js';
import { reservedCpus } from './common.js';

interface Holder {
  readonly pod: DriftPod | null;
  readonly uid: string;
  /** null: the pod pool */
  readonly container: string | null;
  readonly cpus: CpuSet;
}

function holders(ctx: DriftContext): Holder[] {
  const cp = ctx.observation.cpuCheckpoint?.checkpoint;
  if (cp === undefined) return [];
  const byUid = new Map(ctx.pods.map((p) => [normalizeUid(p.status.kubeletUid), p] as const));
  const out: Holder[] = [];
  const add = (uid: string, container: string | null, cpus: CpuSet) => {
    const pod = byUid.get(normalizeUid(uid)) ?? null;
    out.push({ pod, uid, container, cpus });
  };
  const uids = [...new Set([...cp.podEntries.keys(), ...(cp.version === 'v1' ? [] : cp.entries.keys())])];
  const order = (uid: string) => byUid.get(normalizeUid(uid))?.admissionOrder ?? Number.MAX_SAFE_INTEGER;
  uids.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const uid of uids) {
    const pool = cp.podEntries.get(uid);
    if (pool !== undefined) add(uid, null, pool);
    const containers = cp.version === 'v1' ? undefined : cp.entries.get(uid);
    for (const [name, cpus] of containers ?? []) add(uid, name, cpus);
  }
  return out;
}

function what(h: Holder): string {
  const owner = h.pod === null ? `pod ${h.uid}` : `${h.pod.status.namespace}/${h.pod.status.name}`;
  return h.container === null
    ? `the pod pool ${cpusText(h.cpus)} of ${owner}`
    : `${h.container} CPUs ${cpusText(h.cpus)}`;
}

export const d4: DriftCheck = {
  code: 'D4',
  severity: 'error',
  evidence: ['checkpoint'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const cp = ctx.observation.cpuCheckpoint?.checkpoint;
    if (cp === undefined || cp.policyName !== 'static') return [];
    const reserved = reservedCpus(ctx);
    const out: Finding[] = [];
    for (const h of holders(ctx)) {
      const base = {
        code: 'D4',
        severity: 'error' as const,
        pod: h.pod,
        podUid: h.pod === null ? h.uid : null,
        container: h.container,
        resource: 'cpu',
        evidence: ['checkpoint' as const],
      };
      const inShared = h.cpus.intersection(cp.defaultCpuSet);
      if (!inShared.isEmpty()) {
        out.push(
          makeFinding(ctx, {
            ...base,
            expected: '',
            observed: cpusText(inShared),
            message: `${what(h)} are also in the node shared pool ${cpusText(cp.defaultCpuSet)} (at ${cpusText(inShared)})`,
          }),
        );
      }
      const inReserved = reserved === null ? null : h.cpus.intersection(reserved);
      if (inReserved !== null && reserved !== null && !inReserved.isEmpty()) {
        out.push(
          makeFinding(ctx, {
            ...base,
            evidence: ['checkpoint', 'configz'],
            expected: '',
            observed: cpusText(inReserved),
            message: `${what(h)} include the reserved CPUs ${cpusText(reserved)} (at ${cpusText(inReserved)})`,
          }),
        );
      }
    }
    return out;
  },
};
