// Making, encoding and ordering findings (cli.md §1 "Order", §7): the helpers every check uses so
// that findings look the same whoever wrote the check.

import { formatCpuList, type CpuSet } from '../model/cpuset.js';
import type { MemoryBlock as ModelMemoryBlock } from '../model/memory/state.js';
import { EVIDENCE, type Evidence, type MemoryBlock, type Severity } from '../schema/common.js';
import type { Finding } from '../schema/reports.js';
import type { DriftContainer, DriftContext, DriftPod } from './context.js';

export interface FindingInput {
  readonly code: string;
  readonly severity: Severity;
  /** the pod the finding is about; null for node-level findings */
  readonly pod?: DriftPod | null;
  /** a pod known only by UID (stale state, D18): podUid without a pod */
  readonly podUid?: string | null;
  readonly container?: DriftContainer | string | null;
  readonly resource?: string | null;
  /** sources that showed it; deduplicated and put in EVIDENCE order here */
  readonly evidence: readonly Evidence[];
  readonly expected: string | number | boolean | null;
  readonly observed: string | number | boolean | null;
  readonly message: string;
}

/** Evidence ids deduplicated, in the order of type Evidence (cli.md §8.1). */
export function orderEvidence(list: Iterable<Evidence>): Evidence[] {
  const set = new Set(list);
  return EVIDENCE.filter((e) => set.has(e));
}

export function makeFinding(ctx: DriftContext, f: FindingInput): Finding {
  const pod = f.pod ?? null;
  const container = f.container ?? null;
  return {
    code: f.code,
    severity: f.severity,
    node: ctx.node,
    namespace: pod === null ? null : pod.status.namespace,
    pod: pod === null ? null : pod.status.name,
    podUid: pod === null ? (f.podUid ?? null) : pod.status.uid,
    container: container === null ? null : typeof container === 'string' ? container : container.name,
    resource: f.resource ?? null,
    evidence: orderEvidence(f.evidence),
    expected: f.expected,
    observed: f.observed,
    message: f.message,
  };
}

/** A cpuset as findings encode it ("" = empty). */
export function cpusText(cpus: CpuSet): string {
  return formatCpuList(cpus);
}

/** A NUMA node list as findings encode it: a cpuset string ("0-1"). */
export function numaText(nodes: readonly number[]): string {
  const sorted = [...new Set(nodes)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Memory blocks as findings encode them: `"<type>:<bytes>@<numa>"` joined by "," (numa as a cpuset). */
export function blocksText(blocks: readonly (MemoryBlock | ModelMemoryBlock)[]): string {
  return blocks
    .map((b) => {
      const numa = 'numaAffinity' in b ? b.numaAffinity : b.numa;
      return `${b.type}:${String(b.size)}@${numaText(numa)}`;
    })
    .join(',');
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };
const FAMILY_RANK: Readonly<Record<string, number>> = { C: 0, D: 1, T: 2 };

function codeKey(code: string): [number, number] {
  const family = FAMILY_RANK[code.charAt(0)] ?? 3;
  const n = Number.parseInt(code.slice(1), 10);
  return [family, Number.isNaN(n) ? 0 : n];
}

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** cli.md §1: severity (error, warning, info), code (C, D, T, by number), node, namespace, pod, container, resource. */
export function compareFindings(a: Finding, b: Finding): number {
  const s = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (s !== 0) return s;
  const [fa, na] = codeKey(a.code);
  const [fb, nb] = codeKey(b.code);
  if (fa !== fb) return fa - fb;
  if (na !== nb) return na - nb;
  return (
    compareNullable(a.node, b.node) ||
    compareNullable(a.namespace, b.namespace) ||
    compareNullable(a.pod, b.pod) ||
    compareNullable(a.container, b.container) ||
    compareNullable(a.resource, b.resource)
  );
}

export function sortFindings(findings: Iterable<Finding>): Finding[] {
  return [...findings].sort(compareFindings);
}

/** A pod as messages name it: "db/db-0". */
export function podName(pod: DriftPod): string {
  return `${pod.status.namespace}/${pod.status.name}`;
}
