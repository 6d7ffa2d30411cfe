// D16 (error): memory accounting drift in memory_manager_state (cli.md §7.2, model §10, §6.5, §9.2).
//   * machine state: the kubelet's own restore check (`validateState`, reused from the model):
//     the state a freshly started kubelet has (from the topology and /configz through the replay;
//     in count mode the file's own totals, so that only the bookkeeping is checked) charged with
//     every block — pod-level pods once, through their pod blocks — must equal the file's;
//   * a pod block per type ≠ the pod's request (spec.resources);
//   * container blocks that do not add up to the pod block: every exclusive container (equivalent
//     Guaranteed) holds its request, every other long-running container the one shared block
//     (pod block − exclusive sum); Σ over containers counts the shared block once (model §6.5).

import {
  recomputeMachineState,
  machineStatesMatch,
  podMemoryRequests,
} from '../../model/memory/policy-static.js';
import type { MachineState, MemoryBlock, MemoryTable, NumaNodeState } from '../../model/memory/state.js';
import { formatBytes } from '../../model/quantity.js';
import { isEquivalentGuaranteed, podQosClass } from '../../model/qos.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContext, DriftPod } from '../context.js';
import { makeFinding, podName } from '../findings.js';
import { modelConfig } from './common.js';
import { okReplay } from './kubelet-counters.js';

/** A freshly started kubelet's machine state with the totals of `state` (count mode). */
function freshFrom(state: MachineState): MachineState {
  const out = new Map<number, NumaNodeState>();
  for (const [n, s] of state) {
    const tables = new Map<string, MemoryTable>();
    for (const [type, t] of s.memoryMap) tables.set(type, { ...t, reserved: 0n, free: t.allocatable });
    out.set(n, { numberOfAssignments: 0, memoryMap: tables, cells: [n] });
  }
  return out;
}

interface Difference {
  readonly field: string;
  readonly expected: string;
  readonly observed: string;
}

function bytes(v: bigint): string {
  return formatBytes(v);
}

/** The first field where the recomputed state and the file differ, in the kubelet's comparison. */
function firstDifference(expected: MachineState, actual: MachineState): Difference | null {
  const nodes = (m: MachineState) => [...m.keys()].sort((a, b) => a - b).join(',');
  if (nodes(expected) !== nodes(actual)) {
    return { field: 'NUMA nodes', expected: nodes(expected), observed: nodes(actual) };
  }
  for (const [n, e] of [...expected].sort(([a], [b]) => a - b)) {
    const a = actual.get(n);
    if (a === undefined) continue;
    if (a.numberOfAssignments !== e.numberOfAssignments) {
      return {
        field: `machineState[${n}].numberOfAssignments`,
        expected: String(e.numberOfAssignments),
        observed: String(a.numberOfAssignments),
      };
    }
    const cells = (c: readonly number[]) => [...c].sort((x, y) => x - y).join(',');
    if (cells(a.cells) !== cells(e.cells)) {
      return { field: `machineState[${n}].cells`, expected: cells(e.cells), observed: cells(a.cells) };
    }
    const types = [...new Set([...e.memoryMap.keys(), ...a.memoryMap.keys()])].sort();
    for (const type of types) {
      const et = e.memoryMap.get(type);
      const at = a.memoryMap.get(type);
      if (et === undefined || at === undefined) {
        return {
          field: `machineState[${n}].memoryMap`,
          expected: [...e.memoryMap.keys()].sort().join(','),
          observed: [...a.memoryMap.keys()].sort().join(','),
        };
      }
      for (const f of ['total', 'systemReserved', 'allocatable'] as const) {
        if (at[f] !== et[f])
          return {
            field: `machineState[${n}].memoryMap.${type}.${f}`,
            expected: bytes(et[f]),
            observed: bytes(at[f]),
          };
      }
      for (const f of ['reserved', 'free'] as const) {
        const sum = (m: MachineState) =>
          e.cells.reduce((s, c) => s + (m.get(c)?.memoryMap.get(type)?.[f] ?? 0n), 0n);
        if (sum(actual) !== sum(expected)) {
          const where = e.cells.length > 1 ? `Σ machineState[${cells(e.cells)}]` : `machineState[${n}]`;
          return {
            field: `${where}.memoryMap.${type}.${f}`,
            expected: bytes(sum(expected)),
            observed: bytes(sum(actual)),
          };
        }
      }
    }
  }
  return null;
}

function sizes(blocks: readonly MemoryBlock[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const b of blocks) out.set(b.type, (out.get(b.type) ?? 0n) + b.size);
  return out;
}

function machineFindings(ctx: DriftContext): Finding[] {
  const cp = ctx.observation.memoryCheckpoint?.checkpoint;
  const replay = okReplay(ctx);
  const gates = ctx.config?.gates;
  if (cp === undefined || replay === null || gates === null || gates === undefined) return [];
  const policy = replay.result.node.ctx.memoryPolicy;
  const fromTopology = !replay.synthetic && policy !== null;
  const base = fromTopology ? policy.defaultMachineState : freshFrom(cp.machineState);
  const finding = (expected: string | null, observed: string | null, message: string) =>
    makeFinding(ctx, {
      code: 'D16',
      severity: 'error',
      resource: 'memory',
      evidence: fromTopology ? ['checkpoint', 'configz', 'topology'] : ['checkpoint'],
      expected,
      observed,
      message,
    });
  const recomputed = recomputeMachineState(base, cp, gates.plrm);
  if (!recomputed.ok) return [finding(null, null, `memory_manager_state: ${recomputed.error}`)];
  if (machineStatesMatch(recomputed.machine, cp.machineState)) return [];
  const d = firstDifference(recomputed.machine, cp.machineState);
  const basis = fromTopology ? 'the machine, /configz and the blocks' : "the file's own totals and blocks";
  return [
    finding(
      d?.expected ?? null,
      d?.observed ?? null,
      d === null
        ? `memory_manager_state machineState differs from the one recomputed from ${basis}`
        : `memory_manager_state ${d.field} is ${d.observed} but ${basis} give ${d.expected}; the kubelet refuses this state on restart`,
    ),
  ];
}

function podFindings(ctx: DriftContext, p: DriftPod): Finding[] {
  const gates = ctx.config?.gates;
  const pool = p.evidence.checkpointPoolMemory;
  // pod blocks exist only on the pod-level path (a pool with PLRM off is D17's)
  if (p.pod === null || gates?.plrm !== true || pool === null || pool === undefined) return [];
  const out: Finding[] = [];
  const base = { code: 'D16', severity: 'error' as const, pod: p, evidence: ['checkpoint' as const] };
  const poolSizes = sizes(pool);
  const requests = podMemoryRequests(
    { pod: p.pod, qos: p.status.qosClass ?? podQosClass(p.pod, gates) },
    gates,
  );
  for (const type of [...new Set([...poolSizes.keys(), ...requests.keys()])].sort()) {
    const have = poolSizes.get(type) ?? 0n;
    const want = requests.get(type) ?? 0n;
    if (have === want) continue;
    out.push(
      makeFinding(ctx, {
        ...base,
        resource: type,
        expected: bytes(want),
        observed: bytes(have),
        message: `${podName(p)}: the pod block of ${type} is ${bytes(have)} but the pod requests ${bytes(want)}`,
      }),
    );
  }
  const entries = p.evidence.checkpointMemoryEntries;
  if (entries === null || entries === undefined) return out;
  const longRunning = [...p.pod.initContainers.filter((c) => c.type === 'sidecar'), ...p.pod.containers];
  for (const [type, total] of poolSizes) {
    let exclusive = 0n;
    for (const c of longRunning)
      if (isEquivalentGuaranteed(c)) exclusive += sizes(entries.get(c.name) ?? []).get(type) ?? 0n;
    const shared = total - exclusive;
    if (shared < 0n) {
      out.push(
        makeFinding(ctx, {
          ...base,
          resource: type,
          expected: `<=${bytes(total)}`,
          observed: bytes(exclusive),
          message: `${podName(p)}: the exclusive ${type} blocks of its containers add up to ${bytes(exclusive)}, more than the pod block ${bytes(total)}`,
        }),
      );
      continue;
    }
    for (const c of longRunning) {
      if (isEquivalentGuaranteed(c)) continue;
      const blocks = entries.get(c.name);
      if (blocks === undefined) continue;
      const have = sizes(blocks).get(type) ?? 0n;
      if (have === shared) continue;
      out.push(
        makeFinding(ctx, {
          ...base,
          container: c.name,
          resource: type,
          expected: bytes(shared),
          observed: bytes(have),
          message: `${podName(p)} ${c.name}: its shared ${type} block is ${bytes(have)} but the pod block ${bytes(total)} less the exclusive blocks ${bytes(exclusive)} leaves ${bytes(shared)}`,
        }),
      );
    }
  }
  return out;
}

export const d16: DriftCheck = {
  code: 'D16',
  severity: 'error',
  evidence: ['checkpoint'],
  needsModel: true,
  needsTopology: false,
  podLevel: false,
  run(ctx) {
    const config = modelConfig(ctx);
    const cp = ctx.observation.memoryCheckpoint?.checkpoint;
    if (
      config === null ||
      cp === undefined ||
      cp.policyName !== 'Static' ||
      config.memoryManagerPolicy !== 'Static'
    )
      return [];
    return [
      ...machineFindings(ctx),
      ...ctx.pods.filter((p) => p.status.activity === 'active').flatMap((p) => podFindings(ctx, p)),
    ];
  },
};
