// The drift engine's entry point: one node's facts → its NodeReport body (cli.md §6–§8.3), plus the
// PodReports of `describe pod` (a pod of an analysed node, or a pod bound to no node). Pure: no
// I/O, no clock (`facts.now` is the time).

import { CpuSet, formatCpuList } from '../model/cpuset.js';
import { FEATURE_GATE_DEFAULTS } from '../model/kubelet-config.js';
import { isPodLevelPod, podQosClass } from '../model/qos.js';
import type { ContainerOut, PodOut } from '../render/schema.js';
import { isMap, type RawMap } from '../scenario/fields.js';
import { toPod } from '../scenario/v1-pod.js';
import { DOCUMENT_API_VERSION, type Evidence, type Pool } from '../schema/common.js';
import type {
  ContainerExpected,
  ContainerObserved,
  ContainerReport,
  Coverage,
  Finding,
  NodeReportBody,
  NodeTopologySummary,
  Placement,
  PodExpected,
  PodReport,
  PodReportBody,
} from '../schema/reports.js';
import { buildContext } from './build-context.js';
import { DRIFT_CHECKS } from './checks/index.js';
import { sinceStartTally } from './checks/kubelet-counters.js';
import { checkConfig } from './config-checks.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod, PodStatusFacts } from './context.js';
import {
  ALL_CODES,
  CONFIG_CODES,
  POD_COVERAGE_CODES,
  checkCoverage,
  isSelected,
  notChecked,
  runnable,
  skippedCoverage,
} from './coverage.js';
import { sortFindings } from './findings.js';
import type { AnalysisOptions, NodeFacts } from './node-facts.js';
import { observedAdmission } from './observed.js';
import { podStatusFacts, rawContainers } from './pods.js';
import { nodeStatus } from './sources.js';

export interface NodeAnalysis {
  readonly facts: NodeFacts;
  readonly context: DriftContext;
  readonly report: NodeReportBody;
}

// ----- expected views (count mode nulls the machine-dependent fields, cli.md §6.2 point 5) ------

function poolOut(pool: PodOut['podPool'], synthetic: boolean): Pool | null {
  if (pool === undefined) return null;
  if (!synthetic) return pool;
  return pool.cpus === undefined ? {} : { cpus: null };
}

function podExpected(pod: DriftPod, synthetic: boolean): PodExpected | null {
  const e = pod.expected;
  if (e === null) return null;
  return {
    admitted: pod.admissionNeedsTopology ? null : e.admitted,
    reason: pod.admissionNeedsTopology ? null : e.reason,
    message: pod.admissionNeedsTopology ? null : e.message,
    numaAffinity: synthetic ? null : e.numaAffinity,
    podPool: poolOut(e.podPool, synthetic),
    podSharedPool: poolOut(e.podSharedPool, synthetic),
    podCgroupCfsQuota: e.podCgroupCfsQuota,
    reported: synthetic ? null : e.reported,
  };
}

function containerExpected(c: ContainerOut | null, synthetic: boolean): ContainerExpected | null {
  if (c === null) return null;
  return {
    assignment: c.assignment,
    isolation: c.isolation,
    cpus: synthetic ? null : c.cpus,
    numaNodes: synthetic ? null : c.numaNodes,
    memory: synthetic ? null : c.memory,
    cfsQuota: c.cfsQuota,
    cfsQuotaMillicores: c.cfsQuotaMillicores,
  };
}

// ----- placement (cli.md §6.4) -------------------------------------------------------------------

function sameBlocks(a: ContainerOut['memory'], b: ContainerObserved['memory']): boolean {
  if (b === null) return true;
  const key = (x: { type: string; numa: readonly number[]; size: number }) =>
    `${x.type}:${x.size}@${x.numa.join(',')}`;
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function placementOf(c: DriftContainer, findings: readonly Finding[], synthetic: boolean): Placement {
  const obs = c.observed;
  if (obs.cpus === null && obs.assignment.cpu === null && obs.assignment.memory === null) return 'unknown';
  if (findings.some((f) => f.severity === 'error')) return 'drift';
  const exp = c.expected;
  if (exp === null) return 'unknown';
  const cpuDiffers = obs.assignment.cpu !== null && obs.assignment.cpu !== exp.assignment.cpu;
  const memDiffers = obs.assignment.memory !== null && obs.assignment.memory !== exp.assignment.memory;
  if (cpuDiffers || memDiffers) return 'drift';
  const exact =
    !synthetic &&
    obs.assignment.cpu !== null &&
    obs.cpus !== null &&
    obs.cpus === exp.cpus &&
    sameBlocks(exp.memory, obs.memory);
  return exact ? 'exact' : 'equivalent';
}

// ----- reports ----------------------------------------------------------------------------------

function qosOf(pod: DriftPod, ctx: DriftContext): PodReportBody['qosClass'] {
  if (pod.status.qosClass !== null) return pod.status.qosClass;
  if (pod.expected !== null) return pod.expected.qosClass;
  if (pod.pod !== null) {
    const gates = ctx.config?.gates ?? { plr: true, plrm: false };
    return podQosClass(pod.pod, gates);
  }
  return 'BestEffort';
}

function byPod(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.pod === null || f.namespace === null) continue;
    const key = `${f.namespace}/${f.pod}`;
    const list = out.get(key);
    if (list === undefined) out.set(key, [f]);
    else list.push(f);
  }
  return out;
}

function podReportBody(
  ctx: DriftContext,
  pod: DriftPod,
  podFindings: readonly Finding[],
  podCoverage: readonly Coverage[],
): PodReportBody {
  const synthetic = ctx.replay !== null && ctx.replay.ok && ctx.replay.synthetic;
  const mine = podFindings.filter((f) => f.podUid === pod.status.uid || f.podUid === null);
  const containers: ContainerReport[] = pod.containers.map((c) => {
    const cf = mine.filter((f) => f.container === c.name);
    return {
      name: c.name,
      type: c.type,
      containerId: c.containerId,
      expected: containerExpected(c.expected, synthetic),
      observed: c.observed,
      placement: placementOf(c, cf, synthetic),
      findings: cf,
    };
  });
  return {
    namespace: pod.status.namespace,
    name: pod.status.name,
    uid: pod.status.uid,
    node: ctx.node,
    phase: pod.status.phase,
    qosClass: qosOf(pod, ctx),
    podLevel: pod.pod !== null ? isPodLevelPod(pod.pod) : false,
    path: pod.expected?.path ?? null,
    admissionOrder: pod.admissionOrder,
    expected: podExpected(pod, synthetic),
    observed: pod.observed,
    containers,
    findings: mine,
    coverage: podCoverage,
  };
}

function topologySummary(ctx: DriftContext): NodeTopologySummary | null {
  const t = ctx.topology.topology;
  if (t === null || ctx.topology.source === null) return null;
  return {
    cpus: t.cpus.length,
    cores: t.cores.length,
    sockets: t.sockets.length,
    numaNodes: t.numaNodes.length,
    uncoreCaches: t.uncores.length,
    source: ctx.topology.source,
  };
}

function nodeExpected(ctx: DriftContext): NodeReportBody['expected'] {
  const replay = ctx.replay;
  if (replay === null || !replay.ok) return null;
  const out = replay.out;
  return {
    nodeSharedPool: { cpus: replay.synthetic ? null : out.nodeSharedPool.cpus },
    allocatableCpus: replay.synthetic ? null : formatCpuList(CpuSet.from(out.allocatable.cpuIds)),
    exclusiveCpus: out.metrics.kubelet_cpu_manager_exclusive_cpu_allocation_count,
    // the tally D11 compares with: pods admitted alike since the kubelet's start (whole replay when
    // the start is unknown)
    metrics: sinceStartTally(ctx, replay)?.metrics ?? out.metrics,
  };
}

function nodeObserved(ctx: DriftContext): NodeReportBody['observed'] {
  const source: Record<string, Evidence> = {};
  const cpu = ctx.observation.cpuCheckpoint?.checkpoint ?? null;
  const mem = ctx.observation.memoryCheckpoint?.checkpoint ?? null;
  const alloc = ctx.observation.allocatable;
  if (cpu !== null) source.nodeSharedPool = 'checkpoint';
  if (cpu !== null || mem !== null) source.checkpointVersions = 'checkpoint';
  if (alloc !== null) source.allocatableCpus = 'podresources';
  const metrics = ctx.metrics.metrics;
  if (metrics !== null) source.metrics = 'metrics';
  if (ctx.metrics.kubeletStartTime !== null) source.kubeletStartTime = 'metrics';
  const upper = <V extends string>(v: V | undefined) =>
    v === undefined ? null : (v.toUpperCase() as Uppercase<V>);
  return {
    nodeSharedPool: cpu === null ? null : { cpus: formatCpuList(cpu.defaultCpuSet) },
    allocatableCpus: alloc === null ? null : formatCpuList(CpuSet.from(alloc.cpuIds)),
    checkpointVersions: { cpuManager: upper(cpu?.version), memoryManager: upper(mem?.version) },
    metrics: metrics === null ? null : metrics.values,
    kubeletStartTime: ctx.metrics.kubeletStartTime,
    source,
  };
}

interface CheckRun {
  readonly coverage: Coverage;
  readonly findings: readonly Finding[];
}

function runCheck(check: DriftCheck, ctx: DriftContext): CheckRun {
  const coverage = checkCoverage(check, ctx);
  if (!runnable(coverage)) return { coverage, findings: [] };
  return { coverage, findings: check.run(ctx).filter((f) => f.code === check.code) };
}

function emptyObserved(): NodeReportBody['observed'] {
  return {
    nodeSharedPool: null,
    allocatableCpus: null,
    checkpointVersions: { cpuManager: null, memoryManager: null },
    metrics: null,
    kubeletStartTime: null,
    source: {},
  };
}

/** Analyses one node: context, config checks, drift checks, pod and node reports. */
export function analyzeNodeFull(facts: NodeFacts, options: AnalysisOptions): NodeAnalysis {
  const ctx = buildContext(facts, options);
  const base = {
    name: facts.name,
    kubeletVersion: ctx.version?.reported ?? null,
    modelVersion: ctx.version === null ? null : ctx.version.model,
    sources: ctx.sources,
  };
  if (ctx.nodeObject !== null && !ctx.nodeObject.linux) {
    const os = ctx.nodeObject.labels['kubernetes.io/os'];
    const reason = `not a linux node (kubernetes.io/os=${os ?? 'unset'})`;
    return {
      facts,
      context: ctx,
      report: {
        ...base,
        status: 'skipped',
        config: null,
        topology: null,
        expected: null,
        observed: emptyObserved(),
        pods: [],
        findings: [],
        coverage: ALL_CODES.map((code) => notChecked(code, reason)),
      },
    };
  }

  const config = checkConfig(ctx);
  const configCoverage = new Map(config.coverage.map((c) => [c.code, c] as const));
  const coverage: Coverage[] = [];
  const findings: Finding[] = [];
  for (const code of CONFIG_CODES) {
    if (!isSelected(code, options)) {
      coverage.push(skippedCoverage(code, options));
      continue;
    }
    coverage.push(configCoverage.get(code) ?? notChecked(code, 'no config check for this code'));
    findings.push(...config.findings.filter((f) => f.code === code));
  }
  const runs = new Map(DRIFT_CHECKS.map((check) => [check.code, runCheck(check, ctx)] as const));
  for (const code of ALL_CODES.slice(CONFIG_CODES.length)) {
    const run = runs.get(code);
    if (run === undefined) {
      coverage.push(
        isSelected(code, options)
          ? notChecked(code, 'no check for this code')
          : skippedCoverage(code, options),
      );
      continue;
    }
    coverage.push(run.coverage);
    findings.push(...run.findings);
  }
  const sorted = sortFindings(findings);
  const podCodes = new Set(POD_COVERAGE_CODES);
  const podCoverage = coverage.filter((c) => podCodes.has(c.code));
  const grouped = byPod(sorted);
  const pods = ctx.pods.map((p) =>
    podReportBody(ctx, p, grouped.get(`${p.status.namespace}/${p.status.name}`) ?? [], podCoverage),
  );
  return {
    facts,
    context: ctx,
    report: {
      ...base,
      status: nodeStatus(ctx.sources, options),
      config: config.config,
      topology: topologySummary(ctx),
      expected: nodeExpected(ctx),
      observed: nodeObserved(ctx),
      pods,
      findings: sorted,
      coverage,
    },
  };
}

/** The NodeReport body of one node (cli.md §8.3). */
export function analyzeNode(facts: NodeFacts, options: AnalysisOptions): NodeReportBody {
  return analyzeNodeFull(facts, options).report;
}

// ----- describe pod -----------------------------------------------------------------------------

function asTopLevel(body: PodReportBody): PodReport {
  return { apiVersion: DOCUMENT_API_VERSION, kind: 'PodReport', ...body };
}

const NOTHING_OBSERVED: ContainerObserved = {
  assignment: { cpu: null, memory: null },
  cpus: null,
  numaNodes: null,
  memory: null,
  cfsQuota: null,
  cfsQuotaMillicores: null,
  cfs: null,
  source: {},
};

/** A PodReport for a pod the replay does not cover: only what its status says. */
function statusOnlyReport(
  raw: object,
  status: PodStatusFacts,
  node: string | null,
  reason: string,
): PodReport {
  const gates = { ...FEATURE_GATE_DEFAULTS['1.36'] };
  let podLevel = isMap((raw as RawMap).spec) && isMap(((raw as RawMap).spec as RawMap).resources);
  let qos: PodReportBody['qosClass'] = status.qosClass ?? 'BestEffort';
  try {
    const pod = toPod(raw, `pod ${status.namespace}/${status.name}`, gates);
    podLevel = isPodLevelPod(pod);
    if (status.qosClass === null) qos = podQosClass(pod, { plr: true, plrm: false });
  } catch {
    // Unreadable resources: the status's QoS class (or BestEffort) and spec.resources presence stand.
  }
  const admission = observedAdmission(status);
  return asTopLevel({
    namespace: status.namespace,
    name: status.name,
    uid: status.uid,
    node,
    phase: status.phase,
    qosClass: qos,
    podLevel,
    path: null,
    admissionOrder: null,
    expected: null,
    observed: {
      ...admission,
      podPool: null,
      podSharedPool: null,
      podCgroupCfsQuota: null,
      podCgroupCfs: null,
      reported: null,
      source: admission.admitted === null ? {} : { admitted: 'pod-status' },
    },
    containers: rawContainers(raw).map((c) => ({
      name: c.name,
      type: c.type,
      containerId: status.containerIds.get(c.name) ?? null,
      expected: null,
      observed: NOTHING_OBSERVED,
      placement: 'unknown',
      findings: [],
    })),
    findings: [],
    coverage: POD_COVERAGE_CODES.map((code) => notChecked(code, reason)),
  });
}

/**
 * The top-level PodReport of one pod of an analysed node (describe pod); null when no pod of that
 * namespace and name is bound to the node.
 */
export function podReport(analysis: NodeAnalysis, namespace: string, name: string): PodReport | null {
  const found = analysis.report.pods.find((p) => p.namespace === namespace && p.name === name);
  if (found !== undefined) return asTopLevel(found);
  for (const raw of analysis.facts.pods) {
    const status = podStatusFacts(raw);
    if (status.namespace !== namespace || status.name !== name) continue;
    const reason = status.collector
      ? 'collector pod'
      : `pod is not active on the node (phase ${status.phase === '' ? 'unknown' : status.phase})`;
    return statusOnlyReport(raw, status, analysis.facts.name, reason);
  }
  return null;
}

/** The PodReport of a pod bound to no node: nothing expected, nothing checked. */
export function unboundPodReport(pod: object): PodReport {
  return statusOnlyReport(pod, podStatusFacts(pod), null, 'pod is not bound to a node');
}
