// The node replay (cli.md §6.2 point 4): the pods admitted in order on a freshly started kubelet,
// exactly as `simulate` replays a scenario, keeping the counters before every admission so that
// "since kubelet start" tallies can be taken from any point of the order.

import { admitPod, initNode, type PodAdmission } from '../model/admit.js';
import type { KubeletConfig } from '../model/kubelet-config.js';
import type { Counters } from '../model/metrics.js';
import type { Pod } from '../model/pod.js';
import type { Fidelity, SimulationInput } from '../model/simulation-input.js';
import type { SimulationResult } from '../model/simulate.js';
import type { Topology } from '../model/topology.js';
import type { MetricsOut } from '../render/schema.js';
import { toSimulationOut } from '../render/simulation.js';
import type { Replay } from './context.js';

export function replayNode(
  node: string,
  topology: Topology,
  config: KubeletConfig,
  pods: readonly Pod[],
  fidelity: Fidelity,
  synthetic: boolean,
): Replay {
  const input: SimulationInput = {
    name: null,
    fidelity,
    node: { name: node, topology, config, cpuState: null, memoryState: null },
    pods,
    warnings: [],
  };
  const started = initNode(input.node, fidelity);
  if (!started.ok) return started;
  let model = started.node;
  const admissions: PodAdmission[] = [];
  const countersBefore: Counters[] = [];
  for (const pod of pods) {
    countersBefore.push(model.counters);
    const { admission, next } = admitPod(model, pod);
    admissions.push(admission);
    model = next;
  }
  const result: SimulationResult = { input, node: model, admissions };
  return {
    ok: true,
    result,
    out: toSimulationOut(result, { explain: false, warnings: [] }),
    countersBefore,
    synthetic,
  };
}

function subtract(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(a)) out[k] = v - (b[k] ?? 0);
  return out;
}

function counterDiff(after: Counters, before: Counters): Counters {
  return {
    cpuPinningRequests: after.cpuPinningRequests - before.cpuPinningRequests,
    cpuPinningErrors: after.cpuPinningErrors - before.cpuPinningErrors,
    memoryPinningRequests: after.memoryPinningRequests - before.memoryPinningRequests,
    memoryPinningErrors: after.memoryPinningErrors - before.memoryPinningErrors,
    tmAdmissionRequests: after.tmAdmissionRequests - before.tmAdmissionRequests,
    tmAdmissionErrors: after.tmAdmissionErrors - before.tmAdmissionErrors,
    allocations: subtract(after.allocations, before.allocations),
    allocationErrors: subtract(after.allocationErrors, before.allocationErrors),
    assignments: subtract(after.assignments, before.assignments),
    aligned: subtract(after.aligned, before.aligned),
    alignedFailures: subtract(after.alignedFailures, before.alignedFailures),
  };
}

/**
 * The scenario-format metrics the pods from admission index `from` (0-based) on must have produced:
 * counters tallied over those admissions only, gauges of the final state.
 */
export function metricsSince(replay: Extract<Replay, { ok: true }>, from: number): MetricsOut {
  const { result, countersBefore } = replay;
  if (from <= 0) return replay.out.metrics;
  const before = countersBefore[from] ?? result.node.counters;
  const partial: SimulationResult = {
    input: { ...result.input, pods: result.input.pods.slice(from) },
    node: { ...result.node, counters: counterDiff(result.node.counters, before) },
    admissions: result.admissions.slice(from),
  };
  return toSimulationOut(partial, { explain: false, warnings: [] }).metrics;
}
