// The fixture's "world": one node as a kubelet following the allocator model leaves it after
// admitting a scenario's pods — the managers' state (mutable copies, so drift knobs can edit it),
// the pods with their container ids and CPU usage profiles, the counters, and the per-artefact
// settings (checkpoint formats, dropped sources, …). Every artefact (Node, Pods, /configz,
// /metrics, /metrics/cadvisor, NodeObservation) is rendered from the world by the other modules of
// this folder, so an edit of the state shows consistently in every source derived from it.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { AdmissionPath } from '../../../src/model/admit.js';
import { admissionPath } from '../../../src/model/admit.js';
import type { CpuCheckpointVersion } from '../../../src/model/checkpoint/cpu-checkpoint.js';
import type { MemoryCheckpointVersion } from '../../../src/model/checkpoint/memory-checkpoint.js';
import { CpuSet } from '../../../src/model/cpuset.js';
import type { KubeletConfig, KubeletVersion } from '../../../src/model/kubelet-config.js';
import type { MemoryBlock, NumaNodeState } from '../../../src/model/memory/state.js';
import type { Container, ContainerType, Pod, QosClass } from '../../../src/model/pod.js';
import type { PodResourcesEntry } from '../../../src/model/pod-resources.js';
import { containersInOrder, exclusiveCpus, podQosClass } from '../../../src/model/qos.js';
import type { SimulationResult } from '../../../src/model/simulate.js';
import { runSimulation } from '../../../src/model/simulate.js';
import type { Fidelity, SimulationInput } from '../../../src/model/simulation-input.js';
import type { Topology } from '../../../src/model/topology.js';
import { toSimulationOut } from '../../../src/render/simulation.js';
import type { MetricsOut } from '../../../src/render/schema.js';
import type { ObservationErrorSource } from '../../../src/schema/observation.js';
import type { SnapshotNodeError } from '../../../src/schema/snapshot.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** What a scenario can be given as. */
export type ScenarioSource = string | SimulationInput;

type RawObject = Record<string, unknown>;

function isObject(v: unknown): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface LoadedScenario {
  readonly input: SimulationInput;
  /** uid → the v1 Pod as the scenario wrote it (synthesized from the model for parsed input) */
  readonly rawPods: ReadonlyMap<string, RawObject>;
  /** `node.kubelet` as written; null for parsed input (then /configz is synthesized) */
  readonly rawKubelet: RawObject | null;
}

function looksLikePath(s: string): boolean {
  return !s.includes('\n') && /\.(ya?ml|json)$/.test(s.trim());
}

/**
 * Reads a scenario: YAML/JSON text, a file path (relative paths from the repository root, e.g.
 * "examples/ml-workload.yaml"), or a parsed SimulationInput. `index` picks the document of a
 * multi-document stream (0-based, counting scenario documents).
 */
export function loadScenario(source: ScenarioSource, index: number): LoadedScenario {
  if (typeof source !== 'string') {
    return {
      input: source,
      rawPods: new Map(source.pods.map((p) => [p.uid, synthesizeRawPod(p)])),
      rawKubelet: null,
    };
  }
  let text = source;
  let display = '<fixture>';
  if (looksLikePath(source)) {
    const path = isAbsolute(source.trim()) ? source.trim() : resolve(REPO_ROOT, source.trim());
    text = readFileSync(path, 'utf8');
    display = source.trim();
  }
  const inputs = parseScenarios(text, display);
  const input = inputs[index];
  if (input === undefined) {
    throw new RangeError(`node fixture: ${display} has ${inputs.length} scenario(s), no index ${index}`);
  }
  const docs = parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d) => d !== null && d !== undefined);
  const raw = docs[index];
  const node = isObject(raw) && isObject(raw.node) ? raw.node : {};
  const pods = isObject(raw) && Array.isArray(raw.pods) ? (raw.pods as unknown[]) : [];
  const rawPods = new Map<string, RawObject>();
  input.pods.forEach((p, i) => {
    const r = pods[i];
    rawPods.set(p.uid, isObject(r) ? r : synthesizeRawPod(p));
  });
  return { input, rawPods, rawKubelet: isObject(node.kubelet) ? node.kubelet : {} };
}

/** A v1 Pod for a model pod that came without its source object. */
function synthesizeRawPod(p: Pod): RawObject {
  const container = (c: Container): RawObject => ({
    name: c.name,
    ...(c.type === 'sidecar' ? { restartPolicy: 'Always' } : {}),
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, uid: p.uid },
    spec: {
      ...(p.initContainers.length > 0 ? { initContainers: p.initContainers.map(container) } : {}),
      containers: p.containers.map(container),
    },
  };
}

// ----- world ------------------------------------------------------------------------------------

/** CPU usage of one cgroup over its lifetime (constant rate), for cAdvisor and cpu.stat. */
export interface UsageProfile {
  /** average CPU cores used */
  readonly cores: number;
  /** share of CFS periods throttled, in [0, 1] (only meaningful with a quota) */
  readonly throttledRatio: number;
}

export const DEFAULT_USAGE: UsageProfile = { cores: 0.05, throttledRatio: 0 };

export interface WorldContainer {
  readonly spec: Container;
  readonly name: string;
  readonly type: ContainerType;
  /** as the pod spec names it */
  readonly image: string;
  /** bare 64-hex container id */
  readonly id: string;
  /** standard init containers have completed: no cgroup, no cAdvisor series */
  readonly running: boolean;
  usage: UsageProfile;
  /** CFS quota of the container cgroup: millicores, null = none ("max"); undefined = as the model says */
  quotaOverride?: number | null;
}

export interface WorldPod {
  readonly pod: Pod;
  readonly raw: RawObject;
  readonly qos: QosClass;
  readonly path: AdmissionPath;
  admitted: boolean;
  reason: string | null;
  message: string | null;
  /** ms since the epoch; admission order */
  readonly startTime: number;
  readonly sandboxId: string;
  /** `guaranteedCPUs` per container (tells pod_exclusive from pod_shared) */
  readonly exclusiveByName: ReadonlyMap<string, number>;
  readonly containers: WorldContainer[];
  /** the pod cgroup: quota override (as for containers) and throttled share */
  podQuotaOverride?: number | null;
  podThrottledRatio: number;
}

export interface WorldCpuState {
  defaultCpuSet: CpuSet;
  readonly entries: Map<string, Map<string, CpuSet>>;
  readonly podEntries: Map<string, CpuSet>;
  policyName: string;
}

export interface WorldMemoryState {
  readonly machineState: Map<number, NumaNodeState>;
  readonly entries: Map<string, Map<string, MemoryBlock[]>>;
  readonly podEntries: Map<string, MemoryBlock[]>;
  policyName: string;
}

export interface MetricSeries {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

/** family name → label key (values joined) → series; only the counters (gauges are derived) */
export type CounterSeries = Map<string, Map<string, MetricSeries>>;

export interface MetricEdit {
  readonly name: string;
  /** null: every series of the family */
  readonly labels: Readonly<Record<string, string>> | null;
  readonly op: 'set' | 'add' | 'drop';
  readonly value: number;
}

export interface World {
  readonly nodeName: string;
  /** ms since the epoch */
  readonly now: number;
  readonly kubeletStart: number;
  /** Node.status.nodeInfo.kubeletVersion, "v1.36.2" */
  readonly kubeletVersion: string;
  readonly modelVersion: KubeletVersion;
  readonly result: SimulationResult;
  readonly topology: Topology;
  readonly config: KubeletConfig;
  readonly reserved: CpuSet;
  readonly cgroupDriver: 'systemd' | 'cgroupfs';
  /** the object inside /configz "kubeletconfig" */
  configz: RawObject;
  readonly cpu: WorldCpuState;
  readonly memory: WorldMemoryState | null;
  readonly checkpoints: {
    cpuVersion: Exclude<CpuCheckpointVersion, 'v1'> | null;
    memoryVersion: MemoryCheckpointVersion | null;
    breakChecksum: { cpu: boolean; memory: boolean };
  };
  readonly pods: WorldPod[];
  /** PodResources `List` entries of pods the API server does not know (D18) */
  readonly extraPodResources: PodResourcesEntry[];
  readonly counters: CounterSeries;
  readonly metricEdits: MetricEdit[];
  /** the semantics PodResources answers with */
  podResourcesVersion: KubeletVersion;
  cadvisor: { scrapes: 1 | 2; intervalSeconds: number };
  /** failed reads of the API-server sources */
  readonly errors: SnapshotNodeError[];
  /** failed parts of the observation */
  readonly observationErrors: {
    source: ObservationErrorSource;
    path: string | null;
    message: string;
    part: ObservationPart;
  }[];
  observation: 'present' | 'absent';
  /** put the topology in NodeFacts.topology (as --topology would) */
  topologyFile: boolean;
  readonly garbage: { metrics: string[]; cadvisor: string[] };
}

export type ObservationPart = 'podresources' | 'cpuCheckpoint' | 'memoryCheckpoint' | 'cgroup' | 'topology';

/** The bare 64-hex container id the fixture gives container `name` of pod `uid`. */
export function bareContainerId(uid: string, name: string): string {
  return createHash('sha256').update(`${uid}/${name}`).digest('hex');
}

/** Shapes the simulation itself (applied before the world is built). */
export interface WorldShape {
  readonly nodeName: string | null;
  /** "v1.36.2"; null: from the scenario's kubeletVersion */
  readonly kubeletVersion: string | null;
  readonly fidelity: Fidelity | null;
  /** uid → the rejection the kubelet made although the model admits the pod */
  readonly rejected: ReadonlyMap<string, { readonly reason: string; readonly message: string }>;
  /** uids the kubelet admitted although the model rejects them */
  readonly forceAdmitted: ReadonlySet<string>;
  readonly now: number;
  readonly kubeletStart: number;
  readonly firstPodDelaySeconds: number;
  readonly podIntervalSeconds: number;
  readonly cgroupDriver: 'systemd' | 'cgroupfs';
}

const DEFAULT_PATCH: Readonly<Record<KubeletVersion, string>> = { '1.36': 'v1.36.2', '1.37': 'v1.37.0' };

/** "v1.36.2" → the model version (cli.md §6.2: older → 1.36 with PLRM off, newer → 1.37). */
export function modelVersionOf(full: string): { model: KubeletVersion; plrmKnown: boolean } {
  const m = /^v?(\d+)\.(\d+)/.exec(full);
  if (m === null) throw new RangeError(`node fixture: kubelet version "${full}" is not vMAJOR.MINOR.PATCH`);
  const minor = Number(m[1]) * 1000 + Number(m[2]);
  if (minor <= 1036) return { model: '1.36', plrmKnown: minor === 1036 };
  return { model: '1.37', plrmKnown: true };
}

export function fullVersionOf(v: string): string {
  if (v === '1.36' || v === '1.37') return DEFAULT_PATCH[v];
  return v.startsWith('v') ? v : `v${v}`;
}

/** The scenario input for this world: version, fidelity and kubelet-rejected pods applied. */
export function shapeInput(input: SimulationInput, shape: WorldShape): SimulationInput {
  const full = shape.kubeletVersion ?? DEFAULT_PATCH[input.node.config.kubeletVersion];
  const { model, plrmKnown } = modelVersionOf(full);
  const gates = { ...input.node.config.featureGates };
  if (!plrmKnown) gates.PodLevelResourceManagers = false;
  return {
    ...input,
    fidelity: shape.fidelity ?? input.fidelity,
    node: {
      ...input.node,
      name: shape.nodeName ?? input.node.name,
      config: { ...input.node.config, kubeletVersion: model, featureGates: gates },
    },
    pods: input.pods.filter((p) => !shape.rejected.has(p.uid)),
  };
}

export function simulate(input: SimulationInput): SimulationResult {
  const outcome = runSimulation(input);
  if (!outcome.ok) {
    throw new RangeError(`node fixture: the kubelet would not start: ${outcome.field}: ${outcome.error}`);
  }
  return outcome.result;
}

// ----- counters ---------------------------------------------------------------------------------

export function labelKey(labels: Readonly<Record<string, string>>): string {
  return Object.values(labels).join('\u0000');
}

export function addCounter(
  counters: CounterSeries,
  name: string,
  labels: Readonly<Record<string, string>>,
  delta: number,
): void {
  let family = counters.get(name);
  if (family === undefined) {
    family = new Map<string, MetricSeries>();
    counters.set(name, family);
  }
  const key = labelKey(labels);
  const series = family.get(key);
  if (series === undefined) family.set(key, { labels, value: delta });
  else series.value += delta;
}

type Labelled = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** The counters of a simulation as /metrics series (labelled series only once incremented). */
function countersOf(m: MetricsOut, plrmKnown: boolean): CounterSeries {
  const c: CounterSeries = new Map();
  const plain = (name: string, value: number) => {
    addCounter(c, name, {}, value);
  };
  const labelled = (
    name: string,
    values: Labelled,
    labels: (outer: string, inner: string) => Record<string, string>,
  ) => {
    for (const [outer, inner] of Object.entries(values))
      for (const [k, v] of Object.entries(inner)) if (v > 0) addCounter(c, name, labels(outer, k), v);
  };
  plain('kubelet_cpu_manager_pinning_requests_total', m.kubelet_cpu_manager_pinning_requests_total);
  plain('kubelet_cpu_manager_pinning_errors_total', m.kubelet_cpu_manager_pinning_errors_total);
  plain('kubelet_memory_manager_pinning_requests_total', m.kubelet_memory_manager_pinning_requests_total);
  plain('kubelet_memory_manager_pinning_errors_total', m.kubelet_memory_manager_pinning_errors_total);
  plain(
    'kubelet_topology_manager_admission_requests_total',
    m.kubelet_topology_manager_admission_requests_total,
  );
  plain('kubelet_topology_manager_admission_errors_total', m.kubelet_topology_manager_admission_errors_total);
  const aligned = (scope: string, boundary: string) => ({ boundary, scope });
  labelled(
    'kubelet_container_aligned_compute_resources_count',
    m.kubelet_container_aligned_compute_resources_count,
    aligned,
  );
  labelled(
    'kubelet_container_aligned_compute_resources_failure_count',
    m.kubelet_container_aligned_compute_resources_failure_count,
    aligned,
  );
  for (const [reason, n] of Object.entries(m.kubelet_admission_rejections_total))
    if (n > 0) addCounter(c, 'kubelet_admission_rejections_total', { reason }, n);
  if (plrmKnown) {
    const bySource = (resource: string, source: string) => ({ resource_name: resource, source });
    labelled('resource_manager_allocations_total', m.resource_manager_allocations_total, bySource);
    labelled(
      'resource_manager_allocation_errors_total',
      m.resource_manager_allocation_errors_total,
      bySource,
    );
    labelled(
      'resource_manager_container_assignments',
      m.resource_manager_container_assignments,
      (resource, type) => ({
        assignment_type: type,
        resource_name: resource,
      }),
    );
  }
  return c;
}

/** Subtracts the error increments the model's rejection of `uid` made (the kubelet admitted it). */
function withoutRejectionErrors(
  counters: CounterSeries,
  input: SimulationInput,
  uid: string,
  reason: string,
): void {
  const i = input.pods.findIndex((p) => p.uid === uid);
  const before = toSimulationOut(simulate({ ...input, pods: input.pods.slice(0, i) }), {
    explain: false,
    warnings: [],
  }).metrics;
  const after = toSimulationOut(simulate({ ...input, pods: input.pods.slice(0, i + 1) }), {
    explain: false,
    warnings: [],
  }).metrics;
  const sub = (name: string, labels: Record<string, string>, a: number, b: number) => {
    if (b - a !== 0) addCounter(counters, name, labels, -(b - a));
  };
  sub(
    'kubelet_cpu_manager_pinning_errors_total',
    {},
    before.kubelet_cpu_manager_pinning_errors_total,
    after.kubelet_cpu_manager_pinning_errors_total,
  );
  sub(
    'kubelet_memory_manager_pinning_errors_total',
    {},
    before.kubelet_memory_manager_pinning_errors_total,
    after.kubelet_memory_manager_pinning_errors_total,
  );
  sub(
    'kubelet_topology_manager_admission_errors_total',
    {},
    before.kubelet_topology_manager_admission_errors_total,
    after.kubelet_topology_manager_admission_errors_total,
  );
  for (const [resource, bySource] of Object.entries(after.resource_manager_allocation_errors_total))
    for (const [source, v] of Object.entries(bySource))
      sub(
        'resource_manager_allocation_errors_total',
        { resource_name: resource, source },
        before.resource_manager_allocation_errors_total[resource]?.[source] ?? 0,
        v,
      );
  for (const [scope, byBoundary] of Object.entries(
    after.kubelet_container_aligned_compute_resources_failure_count,
  ))
    for (const [boundary, v] of Object.entries(byBoundary))
      sub(
        'kubelet_container_aligned_compute_resources_failure_count',
        { boundary, scope },
        before.kubelet_container_aligned_compute_resources_failure_count[scope]?.[boundary] ?? 0,
        v,
      );
  addCounter(counters, 'kubelet_admission_rejections_total', { reason }, -1);
  for (const [name, family] of counters) {
    for (const [key, s] of family) if (s.value === 0 && Object.keys(s.labels).length > 0) family.delete(key);
    if (family.size === 0) counters.delete(name);
  }
}

// ----- building ---------------------------------------------------------------------------------

function imageOf(raw: RawObject, name: string): string {
  const spec = isObject(raw.spec) ? raw.spec : {};
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as unknown[]) {
      if (isObject(c) && c.name === name && typeof c.image === 'string') return c.image;
    }
  }
  return `registry.example.com/${name}:1.0`;
}

export function buildWorld(loaded: LoadedScenario, shape: WorldShape): World {
  const shaped = shapeInput(loaded.input, shape);
  const result = simulate(shaped);
  const { ctx } = result.node;
  const full = shape.kubeletVersion ?? DEFAULT_PATCH[loaded.input.node.config.kubeletVersion];
  const { plrmKnown } = modelVersionOf(full);
  const out = toSimulationOut(result, { explain: false, warnings: [] });
  const counters = countersOf(out.metrics, plrmKnown);

  const admissions = new Map(result.admissions.map((a) => [a.pod.uid, a]));
  const pods: WorldPod[] = loaded.input.pods.map((pod, i) => {
    const a = admissions.get(pod.uid);
    const rejectedByKnob = shape.rejected.get(pod.uid);
    const qos = a?.qos ?? podQosClass(pod, ctx.gates);
    let admitted = a?.admitted ?? false;
    let reason = a?.reason ?? rejectedByKnob?.reason ?? null;
    let message = a?.message ?? rejectedByKnob?.message ?? null;
    if (shape.forceAdmitted.has(pod.uid)) {
      if (a === undefined || a.admitted) {
        throw new RangeError(`node fixture: ${pod.namespace}/${pod.name} is admitted by the model already`);
      }
      withoutRejectionErrors(counters, shaped, pod.uid, a.reason ?? '');
      admitted = true;
      reason = null;
      message = null;
    }
    if (rejectedByKnob !== undefined) {
      addCounter(counters, 'kubelet_topology_manager_admission_requests_total', {}, 1);
      addCounter(counters, 'kubelet_topology_manager_admission_errors_total', {}, 1);
      addCounter(counters, 'kubelet_admission_rejections_total', { reason: rejectedByKnob.reason }, 1);
    }
    const raw = loaded.rawPods.get(pod.uid) ?? synthesizeRawPod(pod);
    const containers = containersInOrder(pod).map((c) => ({
      spec: c,
      name: c.name,
      type: c.type,
      image: imageOf(raw, c.name),
      id: bareContainerId(pod.uid, c.name),
      running: c.type !== 'init',
      usage: DEFAULT_USAGE,
    }));
    return {
      pod,
      raw,
      qos,
      path: a?.path ?? admissionPath(ctx, pod),
      admitted,
      reason,
      message,
      startTime: shape.kubeletStart + (shape.firstPodDelaySeconds + i * shape.podIntervalSeconds) * 1000,
      sandboxId: bareContainerId(pod.uid, 'POD'),
      exclusiveByName: new Map(
        a?.placements.map((p) => [p.container.name, p.exclusiveCpus]) ??
          containersInOrder(pod).map((c) => [c.name, exclusiveCpus(pod, c, qos, ctx.gates)]),
      ),
      containers,
      podThrottledRatio: 0,
    };
  });

  const cpuState = result.node.cpu;
  const cpu: WorldCpuState = {
    defaultCpuSet: cpuState.defaultCpuSet,
    entries: new Map([...cpuState.entries.entries()].map(([uid, m]) => [uid, new Map(m)])),
    podEntries: new Map(cpuState.podEntries.entries()),
    policyName: ctx.config.cpuManagerPolicy,
  };
  const mem = result.node.memory;
  const memory: WorldMemoryState | null =
    mem === null
      ? null
      : {
          machineState: new Map(mem.machineState),
          entries: new Map(
            [...mem.entries.entries()].map(([uid, m]) => [uid, new Map([...m].map(([c, b]) => [c, [...b]]))]),
          ),
          podEntries: new Map([...mem.podEntries.entries()].map(([uid, b]) => [uid, [...b]])),
          policyName: ctx.config.memoryManagerPolicy,
        };

  return {
    nodeName: shaped.node.name,
    now: shape.now,
    kubeletStart: shape.kubeletStart,
    kubeletVersion: full,
    modelVersion: ctx.config.kubeletVersion,
    result,
    topology: ctx.topology,
    config: ctx.config,
    reserved: ctx.cpuPolicy?.reserved ?? CpuSet.empty,
    cgroupDriver: shape.cgroupDriver,
    configz: {},
    cpu,
    memory,
    checkpoints: { cpuVersion: null, memoryVersion: null, breakChecksum: { cpu: false, memory: false } },
    pods,
    extraPodResources: [],
    counters,
    metricEdits: [],
    podResourcesVersion: ctx.config.kubeletVersion,
    cadvisor: { scrapes: 1, intervalSeconds: 30 },
    errors: [],
    observationErrors: [],
    observation: 'present',
    topologyFile: false,
    garbage: { metrics: [], cadvisor: [] },
  };
}

/** RFC 3339 UTC without fractions. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
