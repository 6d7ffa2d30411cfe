// D13: node shared pool drift (cli.md §7.2, model §10, §3.1, §8.2).
//   * error: the CPU checkpoint's defaultCpuSet is not all CPUs − every container entry − every pod
//     pool (− the reserved CPUs with strict-cpu-reservation), the invariant the static policy keeps
//     on every change. Without a topology the CPU ids are unknown: then only the count is checked
//     against Node capacity cpu (and the reserved count of the configuration).
//   * warning: the gauges kubelet_cpu_manager_shared_pool_size_millicores and
//     kubelet_cpu_manager_exclusive_cpu_allocation_count differ from the replay's; not compared in
//     count mode when the synthetic replay admitted other pods than the kubelet
//     (ctx.admissionsUncertain: coverage partial). In count mode the kubelet's count can differ
//     from the replay's by the exclusive CPUs of init containers (reused or not, initCpuSlack):
//     then a range is expected.

import { CpuSet, parseCpuList } from '../../model/cpuset.js';
import { STRICT_CPU_RESERVATION } from '../../model/cpu/options.js';
import { reservedCpuCount } from '../../model/cpu/policy-static.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContext } from '../context.js';
import { cpusText, makeFinding } from '../findings.js';
import { cpuOption, modelConfig, reservedCpus } from './common.js';
import { okReplay, replayMetricsLimits, type OkReplay } from './kubelet-counters.js';

const GAUGES = [
  'kubelet_cpu_manager_shared_pool_size_millicores',
  'kubelet_cpu_manager_exclusive_cpu_allocation_count',
] as const;

function checkpointFindings(ctx: DriftContext): Finding[] {
  const config = modelConfig(ctx);
  const cp = ctx.observation.cpuCheckpoint?.checkpoint;
  if (
    config === null ||
    cp === undefined ||
    cp.policyName !== 'static' ||
    config.cpuManagerPolicy !== 'static'
  )
    return [];
  let held = CpuSet.empty;
  for (const pool of cp.podEntries.values()) held = held.union(pool);
  for (const containers of cp.entries.values())
    for (const cpus of containers.values()) held = held.union(cpus);
  const strict = cpuOption(config, STRICT_CPU_RESERVATION);
  const base = {
    code: 'D13',
    severity: 'error' as const,
    resource: 'cpu',
    evidence: ['checkpoint' as const],
  };
  const topology = ctx.topology.topology;
  if (topology !== null) {
    const reserved = strict ? reservedCpus(ctx) : CpuSet.empty;
    if (reserved === null) return [];
    const expected = topology.all.difference(held).difference(reserved);
    if (expected.equals(cp.defaultCpuSet)) return [];
    const missing = expected.difference(cp.defaultCpuSet);
    const extra = cp.defaultCpuSet.difference(expected);
    const parts = [
      ...(missing.isEmpty() ? [] : [`lacks ${cpusText(missing)}`]),
      ...(extra.isEmpty() ? [] : [`has ${cpusText(extra)} too`]),
    ];
    return [
      makeFinding(ctx, {
        ...base,
        evidence: strict ? ['checkpoint', 'configz', 'topology'] : ['checkpoint', 'topology'],
        expected: cpusText(expected),
        observed: cpusText(cp.defaultCpuSet),
        message: `defaultCpuSet ${cpusText(cp.defaultCpuSet)} is not all CPUs − container entries − pod pools${strict ? ' − reserved CPUs' : ''} = ${cpusText(expected)} (it ${parts.join(' and ')})`,
      }),
    ];
  }
  const capacity = ctx.nodeObject?.capacityCpus ?? null;
  if (capacity === null) return [];
  const counted = cp.defaultCpuSet.union(held).size + (strict ? reservedCpuCount(config) : 0);
  if (counted === capacity) return [];
  return [
    makeFinding(ctx, {
      ...base,
      evidence: ['checkpoint', 'node-object'],
      expected: capacity,
      observed: counted,
      message: `defaultCpuSet, container entries and pod pools${strict ? ' and reserved CPUs' : ''} hold ${counted} CPUs but the node has capacity cpu ${capacity}`,
    }),
  ];
}

/**
 * How far the exclusive CPU count of a synthetic replay (count mode) can be off: the CPUs of
 * standard init containers holding node-exclusive CPUs. The static policy offers an init
 * container's CPUs to the next containers of its pod but takes CPUs by topology, so whether they
 * were reused depends on which cores were free: the kubelet's count lies between "all reused" (the
 * replay's count minus the init CPUs it did not reuse) and "none reused" (that plus every init
 * CPU). Zero with a real topology: the replay then picks the kubelet's CPUs.
 */
function initCpuSlack(replay: OkReplay): { readonly fewer: number; readonly more: number } {
  if (!replay.synthetic) return { fewer: 0, more: 0 };
  let fewer = 0;
  let more = 0;
  for (const pod of replay.out.pods) {
    if (!pod.admitted) continue;
    const inits = pod.containers.filter((c) => c.type === 'init' && c.assignment.cpu === 'node_exclusive');
    if (inits.length === 0) continue;
    let others = CpuSet.empty;
    for (const c of pod.containers) if (c.type !== 'init') others = others.union(parseCpuList(c.cpus));
    let initCpus = CpuSet.empty;
    for (const c of inits) {
      const cpus = parseCpuList(c.cpus);
      initCpus = initCpus.union(cpus);
      more += cpus.size;
    }
    const kept = initCpus.difference(others).size;
    fewer += kept;
    more -= kept;
  }
  return { fewer, more };
}

function gaugeFindings(ctx: DriftContext): Finding[] {
  const replay = okReplay(ctx);
  const values = ctx.metrics.metrics?.values;
  if (replay === null || values === undefined || replayMetricsLimits(ctx).length > 0) return [];
  const slack = initCpuSlack(replay);
  const out: Finding[] = [];
  for (const gauge of GAUGES) {
    const seen = values[gauge];
    const want = replay.out.metrics[gauge];
    if (seen === undefined) continue;
    // the exclusive count can be `fewer` lower or `more` higher; the shared pool the other way
    const [low, high] =
      gauge === 'kubelet_cpu_manager_exclusive_cpu_allocation_count'
        ? [want - slack.fewer, want + slack.more]
        : [want - slack.more * 1000, want + slack.fewer * 1000];
    if (seen >= low && seen <= high) continue;
    const ranged = low !== high;
    out.push(
      makeFinding(ctx, {
        code: 'D13',
        severity: 'warning',
        resource: 'cpu',
        evidence: ['metrics'],
        expected: ranged ? `${low}-${high}` : want,
        observed: seen,
        message:
          `${gauge} is ${seen} but the model gives ${ranged ? `${low}-${high}` : want} for the pods on the node` +
          (ranged
            ? ' (without the CPU topology it is not known whether the next containers reused the exclusive CPUs of init containers)'
            : ''),
      }),
    );
  }
  return out;
}

export const d13: DriftCheck = {
  code: 'D13',
  severity: 'error',
  evidence: ['checkpoint', 'metrics'],
  needsModel: true,
  needsTopology: false,
  podLevel: false,
  run(ctx) {
    return [...checkpointFindings(ctx), ...gaugeFindings(ctx)];
  },
  limits: replayMetricsLimits,
};
