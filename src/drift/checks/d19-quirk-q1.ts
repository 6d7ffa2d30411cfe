// D19: quirk Q1 (model §6.8, §6.9, §12; cli.md §7.2). With PodLevelResourceManagers on and the
// Static memory manager, container scope (and topology manager policy none) still runs the memory
// manager's Allocate for the containers of a Guaranteed pod-level pod that are not equivalent
// Guaranteed, with an empty request (SOURCE): the pod is rejected with UnexpectedAdmissionError
// "[memorymanager] …" where the merged hint is nil or violates a NUMA allocation, else the
// container gets an empty memory entry. The docs (fidelity `documented`) say such containers just
// use the node shared pool: no entry, no rejection.
//   * info: Q1 observed as the replay (with the chosen fidelity) predicts it;
//   * warning: observed contrary to the prediction (a rejection or an empty entry the prediction
//     does not have, or the predicted one missing).

import { isEquivalentGuaranteed, isPodLevelPod } from '../../model/qos.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftContext, DriftCheck, DriftPod } from '../context.js';
import { makeFinding, podName } from '../findings.js';
import { okReplay, type OkReplay } from './kubelet-counters.js';

const MEMORY_MANAGER_ERROR = '[memorymanager]';

function isQ1Rejection(reason: string | null, message: string | null): boolean {
  return reason === 'UnexpectedAdmissionError' && (message ?? '').includes(MEMORY_MANAGER_ERROR);
}

/** Whether Q1 can touch the pod: the node-path memory Allocate runs for its non-eligible containers. */
function exposed(replay: OkReplay, p: DriftPod): boolean {
  const a = p.admission;
  const ctx = replay.result.node.ctx;
  return (
    a !== null &&
    p.pod !== null &&
    ctx.gates.plrm &&
    ctx.memoryPolicy !== null &&
    (a.path === 'container' || a.path === 'none') &&
    isPodLevelPod(p.pod) &&
    a.qos === 'Guaranteed' &&
    [...p.pod.initContainers.filter((c) => c.type === 'sidecar'), ...p.pod.containers].some(
      (c) => !isEquivalentGuaranteed(c),
    )
  );
}

function podFindings(ctx: DriftContext, replay: OkReplay, p: DriftPod): Finding[] {
  const a = p.admission;
  if (a === null || p.pod === null || p.admissionNeedsTopology || !exposed(replay, p)) return [];
  const fidelity = replay.result.input.fidelity;
  const predictedRejection = !a.admitted && isQ1Rejection(a.reason, a.message);
  const observedRejection =
    p.status.activity === 'rejected' && isQ1Rejection(p.status.reason, p.status.message);
  const base = { code: 'D19', pod: p, resource: 'memory' };
  const out: Finding[] = [];
  if (predictedRejection || observedRejection) {
    if (p.status.activity === 'inactive') return [];
    const as = `fidelity ${fidelity}`;
    out.push(
      makeFinding(ctx, {
        ...base,
        severity: predictedRejection === observedRejection ? 'info' : 'warning',
        evidence: ['pod-status'],
        expected: predictedRejection ? 'rejected (Q1)' : 'admitted',
        observed: observedRejection
          ? 'rejected (Q1)'
          : p.status.activity === 'active'
            ? 'admitted'
            : `rejected (${p.status.reason ?? ''})`,
        message:
          predictedRejection === observedRejection
            ? `${podName(p)} was rejected by quirk Q1 as predicted (${as}): ${p.status.message ?? ''}`
            : predictedRejection
              ? `${podName(p)}: quirk Q1 predicts the rejection "${a.message ?? ''}" (${as}) but the kubelet ${p.status.activity === 'active' ? 'admitted it' : `rejected it with ${p.status.reason ?? 'no reason'}`}`
              : `${podName(p)} was rejected by quirk Q1 ("${p.status.message ?? ''}") although the model (${as}) admits it`,
      }),
    );
    return out;
  }
  if (!a.admitted || p.status.activity !== 'active') return out;
  // admitted on both sides: empty memory entries of the non-eligible containers
  const predicted = replay.result.node.memory?.entries.get(a.pod.uid);
  for (const c of p.containers) {
    if (c.spec === null || c.type === 'init' || isEquivalentGuaranteed(c.spec)) continue;
    const seen = c.evidence.checkpointMemory;
    if (seen === null) continue;
    const expectEmpty = predicted?.get(c.name)?.length === 0;
    const seenEmpty = seen !== undefined && seen.length === 0;
    if (!expectEmpty && !seenEmpty) continue;
    const text = (empty: boolean) => (empty ? 'empty memory entry (Q1)' : 'no memory entry');
    out.push(
      makeFinding(ctx, {
        ...base,
        container: c,
        severity: expectEmpty === seenEmpty ? 'info' : 'warning',
        evidence: ['checkpoint'],
        expected: text(expectEmpty),
        observed:
          seen === undefined ? 'no memory entry' : seenEmpty ? 'empty memory entry (Q1)' : 'memory blocks',
        message:
          expectEmpty === seenEmpty
            ? `${podName(p)} ${c.name}: the memory manager recorded an empty memory entry (quirk Q1) as predicted (fidelity ${fidelity})`
            : expectEmpty
              ? `${podName(p)} ${c.name}: quirk Q1 predicts an empty memory entry (fidelity ${fidelity}) but memory_manager_state has ${seen === undefined ? 'none' : 'memory blocks'}`
              : `${podName(p)} ${c.name}: memory_manager_state has an empty memory entry (quirk Q1) although the model (fidelity ${fidelity}) predicts none`,
      }),
    );
  }
  return out;
}

export const d19: DriftCheck = {
  code: 'D19',
  severity: 'info',
  evidence: ['checkpoint', 'pod-status'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const replay = okReplay(ctx);
    if (replay === null) return [];
    return ctx.pods.flatMap((p) => podFindings(ctx, replay, p));
  },
};
