// Config checks C1–C16 (cli.md §7.1) and the NodeReport `config` summary (cli.md §8.3), per node
// from /configz, the Node object and the topology. Startup errors of the kubelet (allocator-model
// §1.4–§1.7) are found with the model's own validators (cpu/options.ts, cpu/policy-static.ts,
// memory/policy-static.ts, topology-manager/policy.ts); nothing here re-implements them.
//
// "PLRM on" = PodLevelResourceManagers effectively enabled (the gate and PodLevelResources on, and
// a kubelet of v1.36 or later). "Pod-level pods" = active Guaranteed pods with spec.resources.

import { formatCpuList, type CpuSet } from '../model/cpuset.js';
import {
  STATIC_POLICY_OPTION_NAMES,
  alignBySocketIncompatibility,
  parseGoBool,
  staticPolicyOptionConflict,
  validStaticPolicyOptions,
} from '../model/cpu/options.js';
import { newStaticPolicy, reservedCpuCount } from '../model/cpu/policy-static.js';
import { FEATURE_GATE_DEFAULTS, gate, type KubeletConfig } from '../model/kubelet-config.js';
import { checkReservedMemoryTotals, newStaticMemoryPolicy } from '../model/memory/policy-static.js';
import { isPodLevelPod, podQosClass } from '../model/qos.js';
import { formatBytes } from '../model/quantity.js';
import type { Topology } from '../model/topology.js';
import { checkMaxAllowableNumaNodes, parseTopologyManagerOptions } from '../model/topology-manager/policy.js';
import type { Evidence, Severity } from '../schema/common.js';
import type { Coverage, Finding, NodeConfigSummary, PodLevelManagersState } from '../schema/reports.js';
import { cpuPolicyOptionError, rawCpuPolicyOptions, type RawPolicyOption } from './config-facts.js';
import type { ConfigCheckResult, DriftContext, DriftPod, VersionFacts } from './context.js';
import { makeFinding, orderEvidence, podName, sortFindings } from './findings.js';

/** Evidence of each C code (cli.md §7.1). */
export const CONFIG_CHECK_EVIDENCE: Readonly<Record<string, readonly Evidence[]>> = {
  C1: ['configz'],
  C2: ['node-object'],
  C3: ['configz'],
  C4: ['configz'],
  C5: ['configz'],
  C6: ['configz'],
  C7: ['configz'],
  C8: ['configz'],
  C9: ['configz', 'topology'],
  C10: ['configz'],
  C11: ['configz', 'topology'],
  C12: ['configz'],
  C13: ['configz', 'topology'],
  C14: ['configz'],
  C15: ['node-object'],
  C16: ['configz', 'node-object'],
};

/** What every check reads, resolved once. */
interface Inputs {
  readonly ctx: DriftContext;
  readonly node: string;
  /** null when /configz is missing or invalid for the model */
  readonly config: KubeletConfig | null;
  readonly version: VersionFacts | null;
  readonly topology: Topology | null;
  readonly plr: boolean;
  /** the gate's value (forced off below v1.36) */
  readonly plrmGate: boolean;
  /** PLRM effectively on */
  readonly plrm: boolean;
  readonly podLevelPods: readonly DriftPod[];
  readonly rawOptions: readonly RawPolicyOption[];
}

interface Outcome {
  readonly findings: readonly Finding[];
  readonly coverage: Coverage;
}

type CheckFn = (inp: Inputs) => Outcome;

/** NodeReport `config` summary, C1–C16 findings (sorted) and one coverage entry per C code. */
export function checkConfig(ctx: DriftContext): ConfigCheckResult {
  const model = ctx.config?.model ?? null;
  const plr = model !== null && gate(model, 'PodLevelResources');
  const plrmGate = model !== null && gate(model, 'PodLevelResourceManagers');
  const inp: Inputs = {
    ctx,
    node: ctx.node,
    config: model,
    version: ctx.version,
    topology: ctx.topology.topology,
    plr,
    plrmGate,
    plrm: plr && plrmGate,
    podLevelPods: ctx.pods.filter(isRunningPodLevelPod),
    rawOptions: rawCpuPolicyOptions(ctx.config?.raw ?? {}),
  };
  const outcomes = CHECKS.map((check) => check(inp));
  return {
    config: model === null ? null : summary(inp, model),
    findings: sortFindings(outcomes.flatMap((o) => o.findings)),
    coverage: outcomes.map((o) => o.coverage),
  };
}

// ----- summary ----------------------------------------------------------------------------------

function summary(inp: Inputs, config: KubeletConfig): NodeConfigSummary {
  const modelGates = Object.keys(FEATURE_GATE_DEFAULTS[config.kubeletVersion]).sort();
  return {
    cpuManagerPolicy: config.cpuManagerPolicy,
    cpuManagerPolicyOptions: Object.fromEntries(
      inp.rawOptions.flatMap((o) => (o.value === null ? [] : [[o.name, o.value]])),
    ),
    reservedCpus: effectiveReserved(inp, config),
    topologyManagerPolicy: config.topologyManagerPolicy,
    topologyManagerScope: config.topologyManagerScope,
    topologyManagerPolicyOptions: config.topologyManagerPolicyOptions,
    memoryManagerPolicy: config.memoryManagerPolicy,
    cpuCFSQuota: config.cpuCFSQuota,
    featureGates: Object.fromEntries(modelGates.map((g) => [g, gate(config, g)])),
    podLevelManagers: podLevelManagersState(inp, config),
  };
}

/** cli.md §7.1: the first of inactive-version, inactive-gate, inactive-policy, container-scope, active. */
function podLevelManagersState(inp: Inputs, config: KubeletConfig): PodLevelManagersState {
  if (inp.version?.range === 'older') return 'inactive-version';
  if (!inp.plrm) return 'inactive-gate';
  if (
    config.topologyManagerPolicy === 'none' ||
    (config.cpuManagerPolicy !== 'static' && config.memoryManagerPolicy !== 'Static')
  )
    return 'inactive-policy';
  if (config.topologyManagerScope === 'container') return 'container-scope';
  return 'active';
}

/** model §1.5: the explicit set, else (static, with a topology) what the policy takes; else null. */
function effectiveReserved(inp: Inputs, config: KubeletConfig): string | null {
  if (config.cpuManagerPolicy !== 'static') {
    return config.reservedSystemCPUs === null ? null : formatCpuList(config.reservedSystemCPUs);
  }
  const made = staticPolicyFor(inp, config);
  if (made !== null) return made.ok ? formatCpuList(made.policy.reserved) : null;
  return config.reservedSystemCPUs === null ? null : formatCpuList(config.reservedSystemCPUs);
}

/**
 * `NewStaticPolicy` on the node's topology (null without one). When the options alone make it
 * fail (C8/C9 report them), once more without options, so that the reserved CPUs are still found
 * and checked (C11).
 */
function staticPolicyFor(inp: Inputs, config: KubeletConfig): ReturnType<typeof newStaticPolicy> | null {
  if (inp.topology === null) return null;
  const gates = { plr: inp.plr, plrm: inp.plrm };
  const made = newStaticPolicy(inp.topology, config, gates);
  if (made.ok || made.field !== 'cpuManagerPolicyOptions') return made;
  return newStaticPolicy(inp.topology, { ...config, cpuManagerPolicyOptions: {} }, gates);
}

// ----- helpers ----------------------------------------------------------------------------------

function isRunningPodLevelPod(p: DriftPod): boolean {
  if (p.status.activity !== 'active' || p.pod === null || !isPodLevelPod(p.pod)) return false;
  const qos = p.status.qosClass ?? podQosClass(p.pod, { plr: true, plrm: true });
  return qos === 'Guaranteed';
}

function finding(
  inp: Inputs,
  code: string,
  severity: Severity,
  resource: string | null,
  expected: string | null,
  observed: string | null,
  message: string,
): Finding {
  return makeFinding(inp.ctx, {
    code,
    severity,
    resource,
    evidence: CONFIG_CHECK_EVIDENCE[code] ?? [],
    expected,
    observed,
    message,
  });
}

/** Evidence ids of `code` whose source is not available. */
function missingOf(inp: Inputs, code: string, ignore: readonly Evidence[] = []): Evidence[] {
  return orderEvidence(
    (CONFIG_CHECK_EVIDENCE[code] ?? []).filter((e) => !ignore.includes(e) && inp.ctx.evidence[e] !== null),
  );
}

function checked(code: string, findings: readonly Finding[]): Outcome {
  return { findings, coverage: { code, status: 'checked', missing: [], reason: null } };
}

/** Checked, with the one finding the check made. */
function checkedWith(
  inp: Inputs,
  code: string,
  severity: Severity,
  resource: string | null,
  expected: string | null,
  observed: string | null,
  message: string,
): Outcome {
  return checked(code, [finding(inp, code, severity, resource, expected, observed, message)]);
}

/** Ran without the topology, which the outcome could depend on. */
function partialWithoutTopology(inp: Inputs, code: string, findings: readonly Finding[]): Outcome {
  return {
    findings,
    coverage: {
      code,
      status: 'partial',
      missing: ['topology'],
      reason: inp.ctx.evidence.topology ?? 'no topology',
    },
  };
}

function notChecked(code: string, missing: readonly Evidence[], reason: string): Outcome {
  return { findings: [], coverage: { code, status: 'not-checked', missing, reason } };
}

/** A check that needs the kubelet version, which the node does not tell. */
function noVersion(inp: Inputs, code: string): Outcome {
  return notChecked(
    code,
    ['node-object'],
    inp.ctx.evidence['node-object'] ?? 'the node reports no kubelet version',
  );
}

/** Why the configuration is not usable: configz missing (its source reason) or invalid. */
function configReason(inp: Inputs): string {
  return inp.ctx.evidence.configz ?? inp.ctx.config?.error ?? 'no configz';
}

/** A check that needs /configz read into the model; `run` gets the configuration. */
function withConfig(code: string, run: (inp: Inputs, config: KubeletConfig) => Outcome): CheckFn {
  return (inp) => {
    if (inp.config === null) return notChecked(code, missingOf(inp, code, ['topology']), configReason(inp));
    return run(inp, inp.config);
  };
}

function podList(pods: readonly DriftPod[]): string {
  const names = pods.slice(0, 3).map(podName);
  return pods.length > 3 ? `${names.join(', ')}, …` : names.join(', ');
}

function podsPhrase(pods: readonly DriftPod[]): string {
  return `${pods.length} pod-level pod${pods.length === 1 ? '' : 's'} (${podList(pods)})`;
}

/** The options a static-policy kubelet accepts and that are on, by name. */
function enabledOptions(raw: readonly RawPolicyOption[], gates: KubeletConfig['featureGates']): string {
  return raw
    .filter(
      (o) => o.value !== null && cpuPolicyOptionError(o, gates) === null && parseGoBool(o.value) === true,
    )
    .map((o) => o.name)
    .join(',');
}

// ----- the checks -------------------------------------------------------------------------------

const C1 = withConfig('C1', (inp) => {
  return inp.plrmGate && !inp.plr
    ? checkedWith(
        inp,
        'C1',
        'error',
        null,
        'PodLevelResources=true',
        'PodLevelResources=false',
        'feature gate PodLevelResourceManagers is on but PodLevelResources, which it depends on, is off; the kubelet refuses to start',
      )
    : checked('C1', []);
});

function C2(inp: Inputs): Outcome {
  const v = inp.version;
  if (v === null) return noVersion(inp, 'C2');
  if (v.range === 'unknown') {
    return {
      findings: [],
      coverage: {
        code: 'C2',
        status: 'partial',
        missing: [],
        reason: `kubelet version "${v.reported ?? ''}" cannot be parsed`,
      },
    };
  }
  return v.range === 'older' && inp.podLevelPods.length > 0
    ? checkedWith(
        inp,
        'C2',
        'warning',
        null,
        '>=v1.36',
        v.reported,
        `kubelet ${v.reported ?? ''} predates pod-level resource managers (v1.36) but runs ${podsPhrase(inp.podLevelPods)}; the CPU and memory managers skip their containers`,
      )
    : checked('C2', []);
}

const C3 = withConfig('C3', (inp) => {
  const v = inp.version;
  if (v === null || v.range === 'unknown') {
    return {
      findings: [],
      coverage: {
        code: 'C3',
        status: 'partial',
        missing: inp.ctx.evidence['node-object'] === null ? [] : ['node-object'],
        reason:
          v === null
            ? 'the kubelet version is unknown'
            : `kubelet version "${v.reported ?? ''}" cannot be parsed`,
      },
    };
  }
  if (v.range === 'older' || inp.plrm || inp.podLevelPods.length === 0) return checked('C3', []);
  const off = inp.plr ? 'PodLevelResourceManagers' : 'PodLevelResources';
  return checkedWith(
    inp,
    'C3',
    'warning',
    null,
    `${off}=true`,
    `${off}=false`,
    `feature gate ${off} is off but the node runs ${podsPhrase(inp.podLevelPods)}; the CPU and memory managers skip their containers (no exclusive CPUs or memory, no pod pools)`,
  );
});

const C4 = withConfig('C4', (inp, config) => {
  return inp.plrm && config.topologyManagerPolicy === 'none'
    ? checkedWith(
        inp,
        'C4',
        'warning',
        null,
        'best-effort, restricted or single-numa-node',
        'none',
        'PodLevelResourceManagers is on but topologyManagerPolicy is none: pod-level pods get no pod pools (model §6.9)',
      )
    : checked('C4', []);
});

const C5 = withConfig('C5', (inp, config) => {
  return inp.plrm && config.topologyManagerPolicy !== 'none' && config.topologyManagerScope === 'container'
    ? checkedWith(
        inp,
        'C5',
        'info',
        null,
        'pod',
        'container',
        'PodLevelResourceManagers is on but topologyManagerScope is container: pod-level pods get no pod pools, their eligible containers exclusive CPUs on the node path (model §6.8)',
      )
    : checked('C5', []);
});

const C6 = withConfig('C6', (inp, config) => {
  return inp.plrm && config.cpuManagerPolicy !== 'static'
    ? checkedWith(
        inp,
        'C6',
        'warning',
        'cpu',
        'static',
        config.cpuManagerPolicy,
        `PodLevelResourceManagers is on but cpuManagerPolicy is ${config.cpuManagerPolicy}: pod-level pods get no CPU pools`,
      )
    : checked('C6', []);
});

const C7 = withConfig('C7', (inp, config) => {
  return inp.plrm && config.memoryManagerPolicy !== 'Static'
    ? checkedWith(
        inp,
        'C7',
        'warning',
        'memory',
        'Static',
        config.memoryManagerPolicy,
        `PodLevelResourceManagers is on but memoryManagerPolicy is ${config.memoryManagerPolicy}: pod-level pods get no memory pools`,
      )
    : checked('C7', []);
});

const C8 = withConfig('C8', (inp, config) => {
  if (config.cpuManagerPolicy !== 'static') return checked('C8', []);
  const findings = inp.rawOptions.flatMap((o) => {
    const error = cpuPolicyOptionError(o, config.featureGates);
    if (error === null) return [];
    const known = STATIC_POLICY_OPTION_NAMES.includes(o.name);
    const gateName = /Alpha-level/.test(error)
      ? 'CPUManagerPolicyAlphaOptions'
      : /Beta-level/.test(error)
        ? 'CPUManagerPolicyBetaOptions'
        : null;
    const expected = !known
      ? `one of ${STATIC_POLICY_OPTION_NAMES.join(', ')}`
      : gateName !== null
        ? `${gateName}=true`
        : 'true or false';
    const observed = gateName !== null ? `${gateName}=false` : `${o.name}=${o.value ?? '<not a string>'}`;
    return [
      finding(
        inp,
        'C8',
        'error',
        'cpu',
        expected,
        observed,
        `cpuManagerPolicyOptions "${o.name}": ${error}; the kubelet refuses to start (the model ignores the option)`,
      ),
    ];
  });
  return checked('C8', findings);
});

const C9 = withConfig('C9', (inp, config) => {
  if (config.cpuManagerPolicy !== 'static') return checked('C9', []);
  const opts = validStaticPolicyOptions(config.cpuManagerPolicyOptions, config.featureGates);
  const enabled = enabledOptions(inp.rawOptions, config.featureGates);
  const findings: Finding[] = [];
  const conflict = staticPolicyOptionConflict(opts);
  if (conflict !== null) {
    findings.push(
      finding(
        inp,
        'C9',
        'error',
        'cpu',
        'compatible options',
        enabled,
        `${conflict}; the kubelet refuses to start`,
      ),
    );
  }
  const socket = alignBySocketIncompatibility(opts, config.topologyManagerPolicy, inp.topology);
  if (socket !== null) {
    const observed =
      config.topologyManagerPolicy === 'single-numa-node'
        ? 'topologyManagerPolicy=single-numa-node'
        : `${inp.topology?.sockets.length ?? 0} sockets, ${inp.topology?.numaNodes.length ?? 0} NUMA nodes`;
    const expected =
      config.topologyManagerPolicy === 'single-numa-node'
        ? 'topologyManagerPolicy other than single-numa-node'
        : 'sockets <= NUMA nodes';
    findings.push(
      finding(
        inp,
        'C9',
        'error',
        'cpu',
        expected,
        observed,
        `align-by-socket: ${socket}; the kubelet refuses to start`,
      ),
    );
  }
  const topologyMatters = opts.alignBySocket && config.topologyManagerPolicy !== 'single-numa-node';
  return topologyMatters && inp.topology === null
    ? partialWithoutTopology(inp, 'C9', findings)
    : checked('C9', findings);
});

const C10 = withConfig('C10', (inp, config) => {
  if (config.cpuManagerPolicy !== 'none' || inp.rawOptions.length === 0) return checked('C10', []);
  const written = inp.rawOptions.map((o) => `${o.name}=${o.value ?? '<not a string>'}`).join(',');
  return checkedWith(
    inp,
    'C10',
    'error',
    'cpu',
    '',
    written,
    `cpuManagerPolicyOptions ${written} with cpuManagerPolicy none: the kubelet refuses to start ("None policy: received unsupported options")`,
  );
});

const C11 = withConfig('C11', (inp, config) => {
  if (config.cpuManagerPolicy !== 'static') return checked('C11', []);
  const n = reservedCpuCount(config);
  if (n <= 0) {
    return checkedWith(
      inp,
      'C11',
      'error',
      'cpu',
      '>0',
      '0',
      'the static CPU manager policy needs reserved CPUs but reservedSystemCPUs is empty and kubeReserved.cpu + systemReserved.cpu is 0; the kubelet refuses to start',
    );
  }
  const made = staticPolicyFor(inp, config);
  if (made === null) return partialWithoutTopology(inp, 'C11', []);
  if (made.ok || made.field !== 'reservedSystemCPUs') return checked('C11', []);
  const explicit = config.reservedSystemCPUs;
  const all = inp.topology?.all ?? null;
  const outside: CpuSet | null = explicit !== null && all !== null ? explicit.difference(all) : null;
  const [expected, observed] =
    explicit !== null && outside !== null && !outside.isEmpty() && all !== null
      ? [`a subset of ${formatCpuList(all)}`, formatCpuList(explicit)]
      : [`${n} reserved CPUs`, `${all?.size ?? 0} CPUs on the machine`];
  return checkedWith(
    inp,
    'C11',
    'error',
    'cpu',
    expected,
    observed,
    `reserved CPUs: ${made.error}; the kubelet refuses to start`,
  );
});

const C12 = withConfig('C12', (inp, config) => {
  if (config.memoryManagerPolicy !== 'Static') return checked('C12', []);
  const topo = inp.topology;
  const capacity =
    topo !== null
      ? topo.memory.reduce((s, m) => s + m.memory, 0n)
      : (inp.ctx.nodeObject?.capacityMemory ?? null);
  const percent = /%\s*$/.test(config.evictionHard['memory.available'] ?? '');
  if (capacity === null && percent) {
    return notChecked(
      'C12',
      [],
      'evictionHard memory.available is a percentage and the machine memory is unknown (no topology, no node capacity)',
    );
  }
  const mismatch = checkReservedMemoryTotals(config, capacity ?? 0n);
  if (mismatch !== null) {
    return checkedWith(
      inp,
      'C12',
      'error',
      mismatch.type,
      formatBytes(mismatch.allocatableReservation),
      formatBytes(mismatch.reserved),
      `memoryManagerPolicy Static: reservedMemory ${mismatch.type} totals ${formatBytes(mismatch.reserved)} but kube + system reserved${mismatch.type === 'memory' ? ' + evictionHard memory.available' : ''} is ${formatBytes(mismatch.allocatableReservation)} (${mismatch.error}); the kubelet refuses to start`,
    );
  }
  if (topo !== null) {
    const made = newStaticMemoryPolicy(
      topo,
      config,
      { plr: inp.plr, plrm: inp.plrm },
      inp.ctx.options.fidelity,
    );
    if (!made.ok && made.field === 'node.kubelet.reservedMemory') {
      return checkedWith(
        inp,
        'C12',
        'error',
        'memory',
        'reservedMemory on existing NUMA nodes within their memory',
        reservedMemoryText(config),
        `memoryManagerPolicy Static: ${made.error}; the kubelet refuses to start`,
      );
    }
  }
  return checked('C12', []);
});

function reservedMemoryText(config: KubeletConfig): string {
  return config.reservedMemory
    .flatMap((r) => Object.entries(r.limits).map(([type, v]) => `${type}:${formatBytes(v)}@${r.numaNode}`))
    .join(',');
}

const C13 = withConfig('C13', (inp, config) => {
  if (config.topologyManagerPolicy === 'none') return checked('C13', []);
  const parsed = parseTopologyManagerOptions(config.topologyManagerPolicyOptions, config.featureGates);
  if (!parsed.ok) {
    const written = Object.entries(config.topologyManagerPolicyOptions)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return checkedWith(
      inp,
      'C13',
      'error',
      null,
      'valid topologyManagerPolicyOptions',
      written,
      `topologyManagerPolicyOptions: ${parsed.error}; the kubelet refuses to start`,
    );
  }
  if (inp.topology === null) return partialWithoutTopology(inp, 'C13', []);
  const numa = inp.topology.numaNodes.length;
  const error = checkMaxAllowableNumaNodes(config.topologyManagerPolicy, numa, parsed.options);
  if (error === null) return checked('C13', []);
  const max = parsed.options.maxAllowableNumaNodes;
  return checkedWith(
    inp,
    'C13',
    'error',
    null,
    `<=${max} NUMA nodes`,
    `${numa} NUMA nodes`,
    `the machine has ${numa} NUMA nodes, more than max-allowable-numa-nodes ${max}, with topologyManagerPolicy ${config.topologyManagerPolicy}: the topology manager is ${error}; the kubelet refuses to start`,
  );
});

const C14 = withConfig('C14', (inp, config) => {
  const findings: Finding[] = [];
  if (!config.cpuCFSQuota) {
    findings.push(
      finding(
        inp,
        'C14',
        'info',
        'cpu',
        'true',
        'false',
        'cpuCFSQuota is false: no container or pod gets a CFS quota; CFS expectations adjusted',
      ),
    );
  } else if (!gate(config, 'DisableCPUQuotaWithExclusiveCPUs')) {
    findings.push(
      finding(
        inp,
        'C14',
        'info',
        'cpu',
        'DisableCPUQuotaWithExclusiveCPUs=true',
        'DisableCPUQuotaWithExclusiveCPUs=false',
        'feature gate DisableCPUQuotaWithExclusiveCPUs is off: containers with exclusive CPUs keep their CFS quota; CFS expectations adjusted',
      ),
    );
  }
  return checked('C14', findings);
});

function C15(inp: Inputs): Outcome {
  const v = inp.version;
  if (v === null) return noVersion(inp, 'C15');
  if (v.range === 'modelled') return checked('C15', []);
  if (v.range === 'unknown') {
    return checkedWith(
      inp,
      'C15',
      'warning',
      null,
      'v1.36.x or v1.37.x',
      v.reported,
      `kubelet version "${v.reported ?? ''}" cannot be parsed; modelled as ${v.model}`,
    );
  }
  const how = v.plrmForcedOff ? `${v.model} with PodLevelResourceManagers off` : v.model;
  return checkedWith(
    inp,
    'C15',
    'info',
    null,
    'v1.36.x or v1.37.x',
    v.reported,
    `kubelet ${v.reported ?? ''} is ${v.range} than the modelled versions 1.36-1.37; modelled as ${how}`,
  );
}

const C16 = withConfig('C16', (inp) => {
  const v = inp.version;
  if (v === null) return noVersion(inp, 'C16');
  return v.range === 'modelled' && v.model === '1.36' && inp.plrm
    ? checkedWith(
        inp,
        'C16',
        'info',
        null,
        'PodLevelResourceManagers=false',
        'PodLevelResourceManagers=true',
        `kubelet ${v.reported ?? ''} runs with PodLevelResourceManagers on: its cpu_manager_state (V3) and memory_manager_state (V2) cannot be read by older kubelets; before a downgrade drain the node and delete both state files (model §6.11)`,
      )
    : checked('C16', []);
});

const CHECKS: readonly CheckFn[] = [C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16];
