// The pods of the replay (cli.md §6.2 points 2–3): status facts of every bound pod, which of them
// are replayed (active and admission-rejected, no collector pods) and their admission order.

import { isMap, type RawMap } from '../scenario/fields.js';
import type { PodStatusFacts } from './context.js';

/** Failed pods with these reasons were rejected at admission and are replayed (cli.md §6.2 point 2). */
export const ADMISSION_REJECTION_REASONS: ReadonlySet<string> = new Set([
  'TopologyAffinityError',
  'SMTAlignmentError',
  'EmptyPodSharedPoolError',
  'UnexpectedAdmissionError',
]);

export const COLLECTOR_LABEL = 'app.kubernetes.io/name';
export const COLLECTOR_LABEL_VALUE = 'podres-collector';
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

const QOS = new Set(['Guaranteed', 'Burstable', 'BestEffort']);

function map(v: unknown): RawMap {
  return isMap(v) ? v : {};
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(map(v))) if (typeof val === 'string') out[k] = val;
  return out;
}

function containerIds(status: RawMap): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of ['initContainerStatuses', 'containerStatuses']) {
    const list = status[key];
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      const s = map(item);
      const name = str(s.name);
      const id = str(s.containerID);
      if (name !== null && id !== null) out.set(name, id);
    }
  }
  return out;
}

/** What a v1 Pod says about itself; nothing here throws (unreadable fields are null). */
export function podStatusFacts(raw: object): PodStatusFacts {
  const pod = raw as RawMap;
  const meta = map(pod.metadata);
  const spec = map(pod.spec);
  const status = map(pod.status);
  const namespace = str(meta.namespace) ?? 'default';
  const name = str(meta.name) ?? '';
  const uid = str(meta.uid) ?? '';
  const annotations = stringRecord(meta.annotations);
  const mirrorUid = str(annotations[MIRROR_ANNOTATION]);
  const labels = stringRecord(meta.labels);
  const phase = str(status.phase) ?? '';
  const reason = str(status.reason);
  const qos = str(status.qosClass);
  let activity: PodStatusFacts['activity'] = 'inactive';
  if (phase === '' || phase === 'Pending' || phase === 'Running') activity = 'active';
  else if (phase === 'Failed' && reason !== null && ADMISSION_REJECTION_REASONS.has(reason))
    activity = 'rejected';
  return {
    namespace,
    name,
    uid,
    kubeletUid: mirrorUid ?? uid,
    mirror: mirrorUid !== null,
    phase,
    reason,
    message: str(status.message),
    qosClass: qos !== null && QOS.has(qos) ? (qos as PodStatusFacts['qosClass']) : null,
    startTime: str(status.startTime),
    creationTimestamp: str(meta.creationTimestamp),
    deletionTimestamp: str(meta.deletionTimestamp),
    labels,
    containerIds: containerIds(status),
    nodeName: str(spec.nodeName),
    collector: labels[COLLECTOR_LABEL] === COLLECTOR_LABEL_VALUE,
    activity,
  };
}

function timeOf(p: PodStatusFacts): number {
  const t = p.startTime ?? p.creationTimestamp;
  if (t === null) return Number.POSITIVE_INFINITY;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** cli.md §6.2 point 3: status.startTime, else creationTimestamp, then namespace/name. */
export function compareAdmissionOrder(a: PodStatusFacts, b: PodStatusFacts): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/** Whether a pod takes part in the replay. */
export function isReplayed(p: PodStatusFacts): boolean {
  return !p.collector && p.activity !== 'inactive';
}

/** Containers of a raw pod spec (names and types only), init containers first. */
export function rawContainers(raw: object): { name: string; type: 'app' | 'init' | 'sidecar' }[] {
  const spec = (raw as RawMap).spec;
  if (!isMap(spec)) return [];
  const list = (v: unknown, init: boolean) =>
    (Array.isArray(v) ? (v as unknown[]) : []).flatMap((c) => {
      if (!isMap(c) || typeof c.name !== 'string') return [];
      const type: 'app' | 'init' | 'sidecar' = !init
        ? 'app'
        : c.restartPolicy === 'Always'
          ? 'sidecar'
          : 'init';
      return [{ name: c.name, type }];
    });
  return [...list(spec.initContainers, true), ...list(spec.containers, false)];
}
