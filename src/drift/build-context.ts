// Builds the analysed node (context.ts) from NodeFacts: source statuses, node object, version,
// configuration, topology, pods in admission order, the replay (expected side, cli.md §6.2) and the
// joined observation (observed side, cli.md §6.3/§6.5). Pure: `facts.now` is the time.

import { isPodresError } from '../errors.js';
import { validatePodScopeCpus } from '../model/cpu/policy-static.js';
import { FEATURE_GATE_DEFAULTS } from '../model/kubelet-config.js';
import { validatePodScopeMemory } from '../model/memory/policy-static.js';
import type { Container, Pod } from '../model/pod.js';
import { isPodLevelPod } from '../model/qos.js';
import type { ContainerOut } from '../render/schema.js';
import { isMap, type RawMap } from '../scenario/fields.js';
import { toPod } from '../scenario/v1-pod.js';
import type { NodeSource, SourceStatus } from '../schema/common.js';
import { bareContainerId, normalizeUid } from './cadvisor-join.js';
import { toConfigFacts } from './config-facts.js';
import type {
  ConfigFacts,
  DriftContainer,
  DriftContext,
  DriftPod,
  PodStatusFacts,
  Replay,
  TopologyFacts,
} from './context.js';
import { nodeKubeletVersion, toVersionFacts } from './kubelet-version.js';
import type { AnalysisOptions, NodeFacts } from './node-facts.js';
import { nodeObjectFacts, syntheticTopology, topologyFacts } from './node-inputs.js';
import { indexObservation, joinPod, readMetrics, readObservation, type JoinContainer } from './observed.js';
import { compareAdmissionOrder, isReplayed, podStatusFacts, rawContainers } from './pods.js';
import { replayNode } from './replay.js';
import {
  ABSENT,
  describeStatus,
  evidenceAvailability,
  failedStatus,
  okStatus,
  statusFromErrors,
  statusFromObservationError,
} from './sources.js';

function errorText(e: unknown): string {
  if (isPodresError(e)) return e.oneLine();
  return e instanceof Error ? e.message : String(e);
}

interface PreparedPod {
  readonly raw: object;
  readonly status: PodStatusFacts;
  readonly pod: Pod | null;
  readonly podError: string | null;
}

/** Count mode: whether the replay's admission outcome for this pod could depend on the machine. */
function admissionNeedsTopology(replay: Extract<Replay, { ok: true }>, index: number): boolean {
  if (!replay.synthetic) return false;
  const a = replay.result.admissions[index];
  if (a === undefined) return false;
  const ctx = replay.result.node.ctx;
  if (!a.admitted) {
    if (a.reason === 'EmptyPodSharedPoolError') return false;
    if (a.reason === 'TopologyAffinityError' && a.path === 'pod-level') {
      const f = { pod: a.pod, qos: a.qos };
      const cpuInvalid = ctx.cpuPolicy !== null && validatePodScopeCpus(ctx.cpuPolicy, f) !== null;
      const memInvalid = ctx.memoryPolicy !== null && validatePodScopeMemory(f, ctx.gates) !== null;
      if (cpuInvalid || memInvalid) return false;
    }
    return true;
  }
  if (ctx.tmPolicy === 'none' && !ctx.cpuPolicy?.options.fullPhysicalCpusOnly) {
    // No alignment, no SMT rule: only the exclusive CPU count could fail, which counts do not change.
    return a.placements.some((p) => p.exclusiveCpus > 0) && ctx.memoryPolicy !== null;
  }
  const memEntries = replay.result.node.memory?.entries.get(a.pod.uid);
  return (
    a.placements.some((p) => p.cpu !== 'node_shared' || p.memory !== 'node_shared') ||
    (memEntries !== undefined && memEntries.size > 0)
  );
}

function withinGrace(pods: readonly PodStatusFacts[], at: string, periodMs: number): boolean {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return false;
  let newest = Number.NEGATIVE_INFINITY;
  for (const p of pods) {
    if (p.startTime === null) continue;
    const s = Date.parse(p.startTime);
    if (!Number.isNaN(s) && s > newest) newest = s;
  }
  return newest !== Number.NEGATIVE_INFINITY && t - newest < 2 * periodMs;
}

export function buildContext(facts: NodeFacts, options: AnalysisOptions): DriftContext {
  const warnings: string[] = [];
  const from = facts.from;

  // ----- node object, version, configuration -----
  const nodeStatus: SourceStatus =
    facts.node !== null ? okStatus(from) : statusFromErrors(facts.errors, 'node', from);
  const nodeObject = facts.node === null ? null : nodeObjectFacts(facts.node);
  const version = toVersionFacts(nodeKubeletVersion(facts.node));

  let configzStatus: SourceStatus = statusFromErrors(facts.errors, 'configz', from);
  let config: ConfigFacts | null = null;
  if (facts.configz !== null) {
    const inner = (facts.configz as RawMap).kubeletconfig;
    if (isMap(inner)) {
      config = toConfigFacts(inner, version, facts.name);
      configzStatus = okStatus(from);
    } else {
      const message = 'cannot read /configz: the answer has no "kubeletconfig" object';
      configzStatus = failedStatus('invalid', from, message);
      warnings.push(message);
    }
  }

  // ----- scrapes and observation -----
  const scrapes = readMetrics(facts);
  warnings.push(...scrapes.warnings);
  const obsFrom = facts.observationFrom;
  const observationStatus: SourceStatus =
    facts.observation !== null ? okStatus(obsFrom) : statusFromErrors(facts.errors, 'observation', obsFrom);
  const observation = readObservation(facts.observation, obsFrom);
  warnings.push(...observation.warnings);

  // ----- topology -----
  const topo: TopologyFacts = topologyFacts(
    facts.name,
    facts.observation?.topology ?? null,
    facts.topology,
    nodeObject?.capacityCpus ?? null,
  );
  let topologyStatus: SourceStatus;
  if (topo.topology !== null) topologyStatus = okStatus(topo.source === 'observation' ? obsFrom : 'file');
  else if (topo.ignored !== null) {
    topologyStatus = failedStatus(
      'invalid',
      facts.observation !== null && facts.observation.topology !== null ? obsFrom : 'file',
      topo.ignored,
    );
    warnings.push(topo.ignored);
  } else if (facts.observation !== null) {
    topologyStatus = statusFromObservationError(facts.observation.errors, 'topology', obsFrom) ?? ABSENT;
  } else topologyStatus = ABSENT;

  const sources: Record<NodeSource, SourceStatus> = {
    node: nodeStatus,
    configz: configzStatus,
    metrics: scrapes.metrics,
    cadvisor: scrapes.cadvisor,
    observation: observationStatus,
    podresources: observation.podresources,
    checkpoint: observation.checkpoint,
    topology: topologyStatus,
    cgroup: observation.cgroup,
  };
  const evidence = evidenceAvailability(facts, sources, true);
  if (observation.facts.cpuCheckpoint !== null) evidence.checkpoint = null;
  else if (facts.observation !== null) {
    const cpuError = observation.facts.cpuCheckpointError;
    evidence.checkpoint = `checkpoint: ${cpuError ?? describeStatus(sources.checkpoint)}`;
  }

  // ----- pods -----
  const gates = config?.model?.featureGates ?? FEATURE_GATE_DEFAULTS[version?.model ?? '1.36'];
  const prepared: PreparedPod[] = facts.pods.map((raw) => {
    const status = podStatusFacts(raw);
    if (!isReplayed(status)) return { raw, status, pod: null, podError: null };
    try {
      return {
        raw,
        status,
        pod: toPod(raw, `pod ${status.namespace}/${status.name}`, gates),
        podError: null,
      };
    } catch (e) {
      return { raw, status, pod: null, podError: errorText(e) };
    }
  });
  const allPodsByKubeletUid = new Map<string, PodStatusFacts>();
  const activeKubeletUids = new Set<string>();
  const containerOwners = new Map<string, { uid: string; name: string }>();
  for (const p of prepared) {
    const uid = normalizeUid(p.status.kubeletUid);
    allPodsByKubeletUid.set(uid, p.status);
    if (p.status.activity === 'active') activeKubeletUids.add(uid);
    for (const [name, id] of p.status.containerIds) {
      const bare = bareContainerId(id);
      if (bare !== null) containerOwners.set(bare, { uid, name });
    }
  }
  const replayed = prepared
    .filter((p) => isReplayed(p.status))
    .sort((a, b) => compareAdmissionOrder(a.status, b.status));
  for (const p of replayed) if (p.podError !== null) warnings.push(`cannot model pod: ${p.podError}`);

  // ----- replay -----
  let replay: Replay | null = null;
  const modelled = replayed.filter((p): p is PreparedPod & { pod: Pod } => p.pod !== null);
  if (config !== null && config.model !== null) {
    const machine = topo.topology ?? (nodeObject === null ? null : syntheticTopology(nodeObject));
    replay =
      machine === null
        ? {
            ok: false,
            field: 'node.status.capacity.cpu',
            error: 'no topology and no capacity cpu to replay with',
          }
        : replayNode(
            facts.name,
            machine,
            config.model,
            modelled.map((p) => p.pod),
            options.fidelity,
            topo.topology === null,
          );
    if (!replay.ok) warnings.push(`the kubelet would not start: ${replay.field}: ${replay.error}`);
  }
  const replayIndex = new Map(modelled.map((p, i) => [p, i] as const));

  // ----- join -----
  const index = indexObservation(
    observation.facts,
    scrapes.facts,
    version?.model ?? '1.36',
    topo.topology,
    containerOwners,
  );
  const pods: DriftPod[] = replayed.map((p, order) => {
    const i = replayIndex.get(p as PreparedPod & { pod: Pod });
    const ok = replay !== null && replay.ok ? replay : null;
    const admission = ok === null || i === undefined ? null : (ok.result.admissions[i] ?? null);
    const expected = ok === null || i === undefined ? null : (ok.out.pods[i] ?? null);
    const specContainers: (Container | null)[] =
      p.pod === null ? [] : [...p.pod.initContainers, ...p.pod.containers];
    const joinContainers: JoinContainer[] =
      p.pod === null
        ? rawContainers(p.raw).map((c) => ({
            ...c,
            spec: null,
            containerId: p.status.containerIds.get(c.name) ?? null,
          }))
        : specContainers.map((c) => ({
            name: (c as Container).name,
            type: (c as Container).type,
            spec: c,
            containerId: p.status.containerIds.get((c as Container).name) ?? null,
          }));
    const joined = joinPod(index, {
      status: p.status,
      containers: joinContainers,
      podLevel: p.pod !== null && isPodLevelPod(p.pod),
    });
    const expectedByName = new Map<string, ContainerOut>(
      (expected?.containers ?? []).map((c) => [c.name, c]),
    );
    const containers: DriftContainer[] = joinContainers.map((c, k) => {
      const j = joined.containers[k];
      if (j === undefined) throw new RangeError(`container ${c.name} of pod ${p.status.name} was not joined`);
      return {
        name: c.name,
        type: c.type,
        spec: c.spec,
        containerId: c.containerId,
        bareContainerId: bareContainerId(c.containerId),
        expected: expectedByName.get(c.name) ?? null,
        evidence: j.evidence,
        observed: j.observed,
      };
    });
    return {
      status: p.status,
      pod: p.pod,
      podError: p.podError,
      admissionOrder: order + 1,
      admission,
      expected,
      admissionNeedsTopology: ok !== null && i !== undefined && admissionNeedsTopology(ok, i),
      containers,
      evidence: joined.evidence,
      observed: joined.observed,
    };
  });

  const reconcileMs = config?.reconcilePeriodMs ?? 10_000;
  const observedAt = observation.facts.collectedAt ?? facts.now;

  return {
    node: facts.name,
    now: facts.now,
    options,
    sources,
    evidence,
    nodeObject,
    version,
    config,
    topology: topo,
    pods,
    allPodsByKubeletUid,
    activeKubeletUids,
    replay,
    admissionsUncertain: pods.some(
      (p) =>
        p.admissionNeedsTopology &&
        p.observed.admitted !== null &&
        p.expected !== null &&
        p.observed.admitted !== p.expected.admitted,
    ),
    observation: observation.facts,
    metrics: scrapes.facts,
    sharedCpusetGrace: withinGrace(
      replayed.map((p) => p.status),
      observedAt,
      reconcileMs,
    ),
    warnings,
  };
}
