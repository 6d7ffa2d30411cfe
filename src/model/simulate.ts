// Replays a scenario: starts the node, admits the pods in order, returns every admission and the
// final node state. Everything derived for output (pools, CFS, PodResources view) is computed by
// the render/ schema builder from this result through pure model functions.

import type { NodeModel, PodAdmission } from './admit.js';
import { admitPod, initNode } from './admit.js';
import type { SimulationInput } from './simulation-input.js';

export interface SimulationResult {
  readonly input: SimulationInput;
  readonly node: NodeModel;
  readonly admissions: readonly PodAdmission[];
}

export type SimulationOutcome =
  | { readonly ok: true; readonly result: SimulationResult }
  /** The kubelet would not start with this configuration or state. */
  | { readonly ok: false; readonly field: string; readonly error: string };

export function runSimulation(input: SimulationInput): SimulationOutcome {
  const started = initNode(input.node, input.fidelity);
  if (!started.ok) return started;
  let node = started.node;
  const admissions: PodAdmission[] = [];
  for (const pod of input.pods) {
    const { admission, next } = admitPod(node, pod);
    admissions.push(admission);
    node = next;
  }
  return { ok: true, result: { input, node, admissions } };
}
