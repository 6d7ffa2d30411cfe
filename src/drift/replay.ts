// The node replay (cli.md §6.2 point 4): the pods admitted in order on a freshly started kubelet,
// exactly as `simulate` replays a scenario, keeping the counters before every admission so that
// "since kubelet start" tallies can be taken over any set of admissions (checks/kubelet-counters.ts).

import { admitPod, initNode, type PodAdmission } from '../model/admit.js';
import type { KubeletConfig } from '../model/kubelet-config.js';
import type { Counters } from '../model/metrics.js';
import type { Pod } from '../model/pod.js';
import type { Fidelity, SimulationInput } from '../model/simulation-input.js';
import type { SimulationResult } from '../model/simulate.js';
import type { Topology } from '../model/topology.js';
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
