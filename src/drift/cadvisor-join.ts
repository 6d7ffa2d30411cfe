// Joins cAdvisor CPU series (parse/kubelet-metrics.ts) to pods and containers, cli.md §6.5:
//
// * pod by namespace + pod labels (the parser maps legacy pod_name/container_name), or by the pod
//   UID in the cgroup path `id` (cgroupfs `…/pod<uid>`, systemd `…/kubepods-<qos>-pod<uid with _>.slice`;
//   old cAdvisor versions leave the labels of pod cgroups empty). A series whose `id` names another
//   UID (an earlier pod of the same name) is dropped.
// * container by the `container` label; of several series for one container (restarts leave the old
//   cgroup for a while) the one whose path ends in the current container ID wins
//   (cgroupfs `…/<id>`, systemd `…/cri-containerd-<id>.scope`, `docker-<id>.scope`, `crio-<id>.scope`),
//   else the one with the most CFS periods.
// * the pod cgroup series: `container=""` with an `id` ending in the pod cgroup; deeper
//   `container=""` series (sandboxes under containerd) and `container="POD"` (docker's pause
//   container) are not it.

import type { CadvisorCpu, CadvisorCpuSeries } from '../parse/kubelet-metrics.js';

/** Which pod a set of series belongs to. */
export interface CadvisorPodKey {
  readonly namespace: string;
  readonly name: string;
  /** UIDs the node's cgroups may carry: metadata.uid and, for a mirror pod, the kubelet's UID */
  readonly uids: readonly string[];
}

const CGROUPFS_POD = /^pod([0-9a-f][0-9a-f-]*)$/i;
const SYSTEMD_POD = /^kubepods(?:-[a-z]+)*-pod([0-9a-f][0-9a-f_]*)\.slice$/i;

/** UIDs compare lower case with dashes (systemd slices spell them with underscores). */
export function normalizeUid(uid: string): string {
  return uid.toLowerCase().replaceAll('_', '-');
}

/** The pod UID named by one cgroup path segment, normalized; null if the segment is no pod cgroup. */
function podUidOfSegment(segment: string): string | null {
  const m = CGROUPFS_POD.exec(segment) ?? SYSTEMD_POD.exec(segment);
  return m?.[1] === undefined ? null : normalizeUid(m[1]);
}

function segments(id: string): string[] {
  return id.split('/').filter((s) => s !== '');
}

/** The pod UID a cgroup path names (its pod cgroup segment), normalized; null when there is none. */
export function podUidInCgroupPath(id: string): string | null {
  for (const s of segments(id)) {
    const uid = podUidOfSegment(s);
    if (uid !== null) return uid;
  }
  return null;
}

/** True when the path is the pod cgroup itself (its last segment), not a cgroup below it. */
export function isPodCgroupPath(id: string): boolean {
  const last = segments(id).at(-1);
  return last !== undefined && podUidOfSegment(last) !== null;
}

/** A container ID as the pod status gives it ("containerd://9f3a…") without its runtime prefix. */
export function bareContainerId(statusId: string | null): string | null {
  if (statusId === null || statusId === '') return null;
  const i = statusId.indexOf('://');
  const bare = i < 0 ? statusId : statusId.slice(i + 3);
  return bare === '' ? null : bare.toLowerCase();
}

/** True when the cgroup path is the cgroup of that container ID (cgroupfs or systemd naming). */
export function cgroupPathMatchesContainer(id: string, containerId: string): boolean {
  const last = segments(id).at(-1);
  if (last === undefined) return false;
  const seg = last.toLowerCase().replace(/\.scope$/, '');
  const want = containerId.toLowerCase();
  // CRI-O's conmon monitor cgroup is `crio-conmon-<id>.scope`: not the container.
  return seg === want || (seg.endsWith(`-${want}`) && !seg.includes('conmon'));
}

/**
 * The series of one pod: those labelled with its namespace and name or whose path names one of its
 * UIDs, without the series whose path names another pod UID.
 */
export function podSeries(cpu: CadvisorCpu, key: CadvisorPodKey): CadvisorCpuSeries[] {
  const uids = new Set(key.uids.filter((u) => u !== '').map(normalizeUid));
  return cpu.series.filter((s) => {
    const uid = podUidInCgroupPath(s.id);
    if (uid !== null) return uids.has(uid);
    return s.namespace === key.namespace && s.pod === key.name;
  });
}

function periods(s: CadvisorCpuSeries): number {
  return s.cfsPeriods ?? -1;
}

function usage(s: CadvisorCpuSeries): number {
  return s.usageSeconds ?? -1;
}

/** Most CFS periods, then most CPU time, then the lexically last path (deterministic). */
function busiest(series: readonly CadvisorCpuSeries[]): CadvisorCpuSeries | null {
  let best: CadvisorCpuSeries | null = null;
  for (const s of series) {
    if (
      best === null ||
      periods(s) > periods(best) ||
      (periods(s) === periods(best) &&
        (usage(s) > usage(best) || (usage(s) === usage(best) && s.id > best.id)))
    ) {
      best = s;
    }
  }
  return best;
}

/**
 * The series of one container among a pod's series: the one of the current container ID, else the
 * one with the most CFS periods; null when the container has none.
 */
export function selectContainerSeries(
  podSeriesList: readonly CadvisorCpuSeries[],
  container: string,
  statusContainerId: string | null,
): CadvisorCpuSeries | null {
  if (container === '' || container === 'POD') return null;
  const mine = podSeriesList.filter((s) => s.container === container);
  const id = bareContainerId(statusContainerId);
  if (id !== null) {
    const current = mine.filter((s) => cgroupPathMatchesContainer(s.id, id));
    if (current.length > 0) return busiest(current);
  }
  return busiest(mine);
}

/** The pod cgroup series among a pod's series (`container=""` on the pod cgroup path), or null. */
export function selectPodCgroupSeries(podSeriesList: readonly CadvisorCpuSeries[]): CadvisorCpuSeries | null {
  return busiest(podSeriesList.filter((s) => s.container === '' && isPodCgroupPath(s.id)));
}

/** The series with exactly this cgroup path (the same cgroup in another scrape), or null. */
export function sameCgroup(series: readonly CadvisorCpuSeries[], id: string): CadvisorCpuSeries | null {
  return series.find((s) => s.id === id) ?? null;
}
