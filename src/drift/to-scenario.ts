// A node's facts written down as a Scenario (scenario-format.md; cli.md §5.6 `snapshot
// --as-scenario`): the node input of the drift engine's replay (cli.md §6.2) as a file that
// `kubectl podres simulate` replays the same way. Pure.
//
//   * kubeletVersion: the model version of Node.status.nodeInfo.kubeletVersion (kubelet-version.ts);
//   * topology: the one the replay uses (observation, else --topology; one contradicting capacity
//     cpu is ignored), always in the explicit `cpus` form;
//   * kubelet: the /configz `kubeletconfig` fields the resource managers read (toKubeletConfig),
//     with what the replay does to them (config-facts.ts): CPU manager options the kubelet would
//     refuse left out, PodLevelResourceManagers off below v1.36;
//   * pods: the replayed ones (active and admission-rejected, no collector pods) in admission
//     order (pods.ts), reduced to what the model reads: metadata name/namespace/uid, spec
//     resources and containers (name, resources, restartPolicy), and status.qosClass (the QoS
//     the API server fixed, which the model takes over the spec's); no `state`.
// A node without a usable topology or kubelet configuration, or whose kubelet would not start,
// gives no scenario but a warning; a pod the model cannot read is left out with a warning.

import { isPodresError } from '../errors.js';
import { initNode } from '../model/admit.js';
import type { Fidelity } from '../model/simulation-input.js';
import type { Topology } from '../model/topology.js';
import { isMap, type RawMap } from '../scenario/fields.js';
import { SCENARIO_API_VERSION, SCENARIO_KIND } from '../scenario/parse-scenario.js';
import { toPod } from '../scenario/v1-pod.js';
import { toConfigFacts } from './config-facts.js';
import { nodeKubeletVersion, toVersionFacts } from './kubelet-version.js';
import type { NodeFacts } from './node-facts.js';
import { nodeObjectFacts, topologyFacts } from './node-inputs.js';
import { compareAdmissionOrder, isReplayed, podStatusFacts } from './pods.js';

/** The KubeletConfiguration fields toKubeletConfig interprets (scenario/kubelet-config.ts). */
const KUBELET_FIELDS: readonly string[] = [
  'featureGates',
  'cpuManagerPolicy',
  'cpuManagerPolicyOptions',
  'cpuManagerReconcilePeriod',
  'reservedSystemCPUs',
  'kubeReserved',
  'systemReserved',
  'evictionHard',
  'mergeDefaultEvictionSettings',
  'topologyManagerPolicy',
  'topologyManagerScope',
  'topologyManagerPolicyOptions',
  'memoryManagerPolicy',
  'reservedMemory',
  'cpuCFSQuota',
  'cpuCFSQuotaPeriod',
];

export interface ScenarioOptions {
  /** `model.fidelity`, written only when not the default `source` */
  readonly fidelity?: Fidelity;
}

export interface NodeScenario {
  /** the Scenario document; null when the node cannot be written as one (see warnings) */
  readonly scenario: object | null;
  /** the number of pods in the scenario */
  readonly pods: number;
  /** `node <name>: …` lines (without the `warning: ` prefix) */
  readonly warnings: readonly string[];
}

function errorText(e: unknown): string {
  if (isPodresError(e)) return e.oneLine();
  return e instanceof Error ? e.message : String(e);
}

/** Bytes as a JSON number while exact, else as a quantity string. */
function bytes(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** The scenario-format explicit form of a model topology. */
export function explicitTopology(t: Topology): object {
  return {
    cpus: t.cpus.map((c) => ({
      id: c.id,
      core: c.core,
      socket: c.socket,
      numa: c.numa,
      uncoreCache: c.uncore,
    })),
    memory: t.memory.map((m) => ({
      numa: m.numa,
      memory: bytes(m.memory),
      ...Object.fromEntries(Object.entries(m.hugepages).map(([size, v]) => [size, bytes(v)])),
    })),
    ...(t.distances === null ? {} : { distances: t.distances.map((row) => [...row]) }),
  };
}

function reducedContainer(raw: unknown): object {
  const c = isMap(raw) ? raw : {};
  return {
    ...(c.name === undefined ? {} : { name: c.name }),
    ...(c.resources === undefined ? {} : { resources: c.resources }),
    ...(c.restartPolicy === undefined ? {} : { restartPolicy: c.restartPolicy }),
  };
}

/** A v1 Pod reduced to the fields the model reads (scenario/v1-pod.ts). */
export function scenarioPod(raw: object): object {
  const pod = raw as RawMap;
  const meta = isMap(pod.metadata) ? pod.metadata : {};
  const spec = isMap(pod.spec) ? pod.spec : {};
  const status = isMap(pod.status) ? pod.status : {};
  const list = (v: unknown): object[] => (Array.isArray(v) ? (v as unknown[]).map(reducedContainer) : []);
  const init = list(spec.initContainers);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: meta.name,
      ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
      ...(meta.uid === undefined ? {} : { uid: meta.uid }),
    },
    spec: {
      ...(spec.resources === undefined ? {} : { resources: spec.resources }),
      ...(init.length === 0 ? {} : { initContainers: init }),
      containers: list(spec.containers),
    },
    ...(typeof status.qosClass === 'string' && status.qosClass !== ''
      ? { status: { qosClass: status.qosClass } }
      : {}),
  };
}

/** The node's Scenario (scenario-format.md), or why there is none. */
export function nodeFactsToScenario(facts: NodeFacts, options: ScenarioOptions = {}): NodeScenario {
  const node = facts.name;
  const fidelity = options.fidelity ?? 'source';
  const skip = (why: string, warnings: readonly string[] = []): NodeScenario => ({
    scenario: null,
    pods: 0,
    warnings: [...warnings, `node ${node}: ${why}; not written as a scenario`],
  });

  // topology, as the replay picks it
  const nodeObject = facts.node === null ? null : nodeObjectFacts(facts.node);
  const topo = topologyFacts(
    node,
    facts.observation?.topology ?? null,
    facts.topology,
    nodeObject?.capacityCpus ?? null,
  );
  if (topo.topology === null) {
    return skip(topo.ignored ?? 'no topology (no observation or --topology)');
  }

  // version and kubelet configuration
  const version = toVersionFacts(nodeKubeletVersion(facts.node));
  const modelVersion = version?.model ?? '1.36';
  if (facts.configz === null) return skip('no kubelet configuration (/configz could not be read)');
  const inner = (facts.configz as RawMap).kubeletconfig;
  if (!isMap(inner)) return skip('cannot read /configz: the answer has no "kubeletconfig" object');
  const config = toConfigFacts(inner, version, node);
  if (config.model === null) return skip(config.error ?? 'the kubelet configuration cannot be modelled');
  const model = config.model;
  const started = initNode(
    { name: node, topology: topo.topology, config: model, cpuState: null, memoryState: null },
    fidelity,
  );
  if (!started.ok) return skip(`the kubelet would not start: ${started.field}: ${started.error}`);

  const kubelet: Record<string, unknown> = {};
  for (const key of KUBELET_FIELDS) if (key in inner) kubelet[key] = inner[key];
  if ('cpuManagerPolicyOptions' in kubelet)
    kubelet.cpuManagerPolicyOptions = { ...model.cpuManagerPolicyOptions };
  if (version?.plrmForcedOff === true) {
    kubelet.featureGates = {
      ...(isMap(kubelet.featureGates) ? kubelet.featureGates : {}),
      PodLevelResourceManagers: false,
    };
  }

  // pods, in admission order
  const warnings: string[] = [];
  const pods = facts.pods
    .map((raw) => ({ raw, status: podStatusFacts(raw) }))
    .filter((p) => isReplayed(p.status))
    .sort((a, b) => compareAdmissionOrder(a.status, b.status))
    .flatMap(({ raw, status }) => {
      const ref = `${status.namespace}/${status.name}`;
      const reduced = scenarioPod(raw);
      try {
        toPod(reduced, `pod ${ref}`, model.featureGates);
      } catch (e) {
        warnings.push(`node ${node}: cannot model pod ${ref}: ${errorText(e)}; left out of the scenario`);
        return [];
      }
      return [reduced];
    });

  const scenario = {
    apiVersion: SCENARIO_API_VERSION,
    kind: SCENARIO_KIND,
    name: node,
    ...(fidelity === 'source' ? {} : { model: { fidelity } }),
    node: {
      name: node,
      kubeletVersion: modelVersion,
      topology: explicitTopology(topo.topology),
      kubelet,
    },
    pods,
  };
  return { scenario, pods: pods.length, warnings };
}
