// Per-node source statuses (cli.md §6.1, §8.1), node reachability and the availability of each
// evidence id for coverage (cli.md §7).

import type { Evidence, NodeSource, SourceStatus, SourceStatusValue } from '../schema/common.js';
import type { ObservationErrorSource } from '../schema/observation.js';
import type { SnapshotErrorSource, SnapshotNodeError } from '../schema/snapshot.js';
import type { NodeStatus } from '../schema/reports.js';
import type { AnalysisOptions, NodeFacts } from './node-facts.js';

type From = SourceStatus['from'];

export function okStatus(from: From): SourceStatus {
  return { status: 'ok', from, httpStatus: null, message: null };
}

export const ABSENT: SourceStatus = { status: 'absent', from: null, httpStatus: null, message: null };

export function failedStatus(
  status: SourceStatusValue,
  from: From,
  message: string,
  httpStatus: number | null = null,
): SourceStatus {
  return { status, from, httpStatus, message };
}

/** The status of a live/snapshot source that was not delivered: its error entry, else absent. */
export function statusFromErrors(
  errors: readonly SnapshotNodeError[],
  source: SnapshotErrorSource,
  from: From,
): SourceStatus {
  const e = errors.find((x) => x.source === source);
  if (e === undefined) return ABSENT;
  return failedStatus(e.status, from, e.message, e.httpStatus);
}

/** An error of the node observation for one of its sources ("no such file" → not-found). */
export function statusFromObservationError(
  errors: readonly { readonly source: ObservationErrorSource; readonly message: string }[],
  source: ObservationErrorSource,
  from: From,
): SourceStatus | null {
  const e = errors.find((x) => x.source === source);
  if (e === undefined) return null;
  const notFound = /no such file|not found|does not exist/i.test(e.message);
  return failedStatus(notFound ? 'not-found' : 'unavailable', from, e.message);
}

/** "forbidden (403)", "unavailable (503)", "not found (404)", "timeout", "invalid", "absent". */
export function describeStatus(s: SourceStatus): string {
  const http = s.httpStatus === null ? '' : ` (${s.httpStatus})`;
  switch (s.status) {
    case 'ok':
      return 'ok';
    case 'absent':
      return 'absent';
    case 'forbidden':
      return `forbidden${http === '' ? ' (403)' : http}`;
    case 'not-found':
      return `not found${http === '' ? ' (404)' : http}`;
    case 'unavailable':
      return `unavailable${http}`;
    case 'timeout':
      return 'timeout';
    case 'invalid':
      return 'invalid';
  }
}

/** The sources that must be `ok` for describe/audit (cli.md §6.1). */
export function requiredSources(options: AnalysisOptions): NodeSource[] {
  return ['node', 'configz', ...options.requireSources];
}

/** unreachable / partial / ok (skipped is decided from the node's labels by the caller). */
export function nodeStatus(
  sources: Readonly<Record<NodeSource, SourceStatus>>,
  options: AnalysisOptions,
): NodeStatus {
  if (requiredSources(options).some((s) => sources[s].status !== 'ok')) return 'unreachable';
  const failed = Object.values(sources).some((s) => s.status !== 'ok' && s.status !== 'absent');
  return failed ? 'partial' : 'ok';
}

/**
 * Availability of each evidence id: null = available, else the coverage reason. Sources held by
 * the node observation say "no node observation" when there is none at all; topology says
 * "no topology" when neither the observation nor --topology gave one.
 */
export function evidenceAvailability(
  facts: NodeFacts,
  sources: Readonly<Record<NodeSource, SourceStatus>>,
  podsListed: boolean,
): Record<Evidence, string | null> {
  const reason = (source: NodeSource): string | null => {
    const s = sources[source];
    if (s.status === 'ok') return null;
    if (s.status === 'absent') return source === 'node' ? 'no node object' : `no ${source}`;
    return `${source}: ${describeStatus(s)}`;
  };
  const observed = (source: NodeSource): string | null => {
    if (facts.observation === null) {
      const obs = sources.observation;
      return obs.status === 'absent' ? 'no node observation' : `observation: ${describeStatus(obs)}`;
    }
    return reason(source);
  };
  return {
    podresources: observed('podresources'),
    checkpoint: observed('checkpoint'),
    configz: reason('configz'),
    metrics: reason('metrics'),
    cadvisor: reason('cadvisor'),
    cgroup: observed('cgroup'),
    'pod-status': podsListed ? null : 'no pod list',
    'node-object': reason('node'),
    topology: sources.topology.status === 'ok' ? null : topologyReason(sources.topology),
  };
}

function topologyReason(s: SourceStatus): string {
  if (s.status === 'absent') return 'no topology';
  return `topology: ${s.message ?? describeStatus(s)}`;
}
