// Maps a KubeletConfiguration (v1beta1 JSON field names, as /configz returns it under
// "kubeletconfig" or as a kubelet config file holds it) to the model's KubeletConfig: the
// kubelet's defaults (allocator-model.md §1.3), feature gates over the version's defaults (§1.8),
// exact quantities and durations, validated enum values.
//
// Only the fields the resource managers read are interpreted: featureGates, cpuManagerPolicy,
// cpuManagerPolicyOptions, cpuManagerReconcilePeriod (checked only), reservedSystemCPUs,
// kubeReserved, systemReserved, evictionHard (+ mergeDefaultEvictionSettings),
// topologyManagerPolicy, topologyManagerScope, topologyManagerPolicyOptions,
// memoryManagerPolicy, reservedMemory, cpuCFSQuota, cpuCFSQuotaPeriod. Every other field is
// accepted and ignored without a look: a /configz answer carries dozens of them and they change
// with every release, so unknown names are not treated as typos here. The one exception is a
// whole /configz answer (`{"kubeletconfig": {…}}`) given where its inner object belongs: all its
// settings would be ignored silently, so it is an error.
// Checks that need the machine (reserved CPUs on the topology, policy-option compatibility,
// reservedMemory totals) are not made here; they belong to whoever has the topology.

import {
  FEATURE_GATE_DEFAULTS,
  type CpuManagerPolicy,
  type KubeletConfig,
  type KubeletVersion,
  type MemoryManagerPolicy,
  type ReservedMemory,
  type TopologyManagerPolicy,
  type TopologyManagerScope,
} from '../model/kubelet-config.js';
import { parseCpuList, type CpuSet } from '../model/cpuset.js';
import { intValue, type Quantity } from '../model/quantity.js';
import {
  asBool,
  asEnum,
  asInt,
  asList,
  asMap,
  asNonNegativeQuantity,
  asScalarString,
  hugepageSize,
  isAbsent,
  isHugepagesName,
  isMap,
  optMap,
  type RawMap,
} from './fields.js';
import { parseGoDuration } from '../parse/go-duration.js';
import { Where } from './where.js';

/** The kubelet's `evictionHard` default (pkg/kubelet/apis/config/v1beta1/defaults_linux.go). */
export const DEFAULT_EVICTION_HARD: Readonly<Record<string, string>> = {
  'memory.available': '100Mi',
  'nodefs.available': '10%',
  'nodefs.inodesFree': '5%',
  'imagefs.available': '15%',
  'imagefs.inodesFree': '5%',
};

const CPU_MANAGER_POLICIES: readonly CpuManagerPolicy[] = ['none', 'static'];
const TOPOLOGY_MANAGER_POLICIES: readonly TopologyManagerPolicy[] = [
  'none',
  'best-effort',
  'restricted',
  'single-numa-node',
];
const TOPOLOGY_MANAGER_SCOPES: readonly TopologyManagerScope[] = ['container', 'pod'];
const MEMORY_MANAGER_POLICIES: readonly MemoryManagerPolicy[] = ['None', 'Static'];

const NS_PER_US = 1000n;
const DEFAULT_CFS_PERIOD = '100ms';

/**
 * `raw` is the KubeletConfiguration object (absent or null: all defaults); `where` names it in
 * errors, e.g. "scenario.yaml doc 1 node.kubelet" or a Where with line numbers.
 */
export function toKubeletConfig(raw: unknown, version: KubeletVersion, where: string | Where): KubeletConfig {
  const w = Where.from(where);
  const c = isAbsent(raw) ? {} : asMap(raw, w);
  const at = (key: string) => w.child(key);
  if (isMap(c.kubeletconfig)) {
    at('kubeletconfig').fail(
      'this is a whole /configz answer, not a KubeletConfiguration',
      'give the object inside "kubeletconfig"',
    );
  }

  const explicitGates = boolMap(c.featureGates, at('featureGates'));
  const cpuManagerReconcilePeriod = c.cpuManagerReconcilePeriod;
  if (!isAbsent(cpuManagerReconcilePeriod))
    duration(cpuManagerReconcilePeriod, at('cpuManagerReconcilePeriod'));

  return {
    kubeletVersion: version,
    featureGates: { ...FEATURE_GATE_DEFAULTS[version], ...explicitGates },
    cpuManagerPolicy: enumOr(c.cpuManagerPolicy, CPU_MANAGER_POLICIES, 'none', at('cpuManagerPolicy')),
    cpuManagerPolicyOptions: stringMap(c.cpuManagerPolicyOptions, at('cpuManagerPolicyOptions')),
    reservedSystemCPUs: cpuList(c.reservedSystemCPUs, at('reservedSystemCPUs')),
    kubeReserved: quantityMap(c.kubeReserved, at('kubeReserved')),
    systemReserved: quantityMap(c.systemReserved, at('systemReserved')),
    evictionHard: evictionHard(c, w),
    topologyManagerPolicy: enumOr(
      c.topologyManagerPolicy,
      TOPOLOGY_MANAGER_POLICIES,
      'none',
      at('topologyManagerPolicy'),
    ),
    topologyManagerScope: enumOr(
      c.topologyManagerScope,
      TOPOLOGY_MANAGER_SCOPES,
      'container',
      at('topologyManagerScope'),
    ),
    topologyManagerPolicyOptions: stringMap(
      c.topologyManagerPolicyOptions,
      at('topologyManagerPolicyOptions'),
    ),
    memoryManagerPolicy: memoryManagerPolicy(c.memoryManagerPolicy, at('memoryManagerPolicy')),
    reservedMemory: reservedMemory(c.reservedMemory, at('reservedMemory')),
    cpuCFSQuota: isAbsent(c.cpuCFSQuota) ? true : asBool(c.cpuCFSQuota, at('cpuCFSQuota')),
    cpuCFSQuotaPeriodUs: cfsQuotaPeriodUs(c.cpuCFSQuotaPeriod, at('cpuCFSQuotaPeriod')),
  };
}

function enumOr<T extends string>(v: unknown, allowed: readonly T[], dflt: T, w: Where): T {
  // An empty string is Go's zero value: the kubelet's defaulting replaces it like an absent field.
  return isAbsent(v) || v === '' ? dflt : asEnum(v, allowed, w);
}

function memoryManagerPolicy(v: unknown, w: Where): MemoryManagerPolicy {
  if (v === 'BestEffort')
    return w.fail('the BestEffort memory manager policy exists only on Windows and is not modelled');
  return enumOr(v, MEMORY_MANAGER_POLICIES, 'None', w);
}

function boolMap(v: unknown, w: Where): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [k, val] of Object.entries(optMap(v, w))) out[k] = asBool(val, w.child(k));
  return out;
}

/** map[string]string; unquoted YAML scalars (`full-pcpus-only: true`) are taken as their text. */
function stringMap(v: unknown, w: Where): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(optMap(v, w))) out[k] = asScalarString(val, w.child(k));
  return out;
}

function quantityMap(v: unknown, w: Where): Record<string, Quantity> {
  const out: Record<string, Quantity> = {};
  for (const [k, val] of Object.entries(optMap(v, w))) out[k] = asNonNegativeQuantity(val, w.child(k));
  return out;
}

function cpuList(v: unknown, w: Where): CpuSet | null {
  if (isAbsent(v)) return null;
  const text = typeof v === 'number' ? String(v) : asScalarString(v, w);
  if (text.trim() === '') return null;
  try {
    return parseCpuList(text);
  } catch (e) {
    return w.fail(`invalid cpu list "${text}": ${e instanceof Error ? e.message : String(e)}`, undefined, e);
  }
}

function duration(v: unknown, w: Where): bigint {
  const text = asScalarString(v, w);
  try {
    return parseGoDuration(text);
  } catch (e) {
    return w.fail(`invalid duration "${text}"; expected Go syntax such as "100ms" or "1m0s"`, undefined, e);
  }
}

/** `cpuCFSQuotaPeriod` in µs; the kubelet accepts 1µs … 1s (validation.ValidateKubeletConfiguration). */
function cfsQuotaPeriodUs(v: unknown, w: Where): number {
  const ns = duration(isAbsent(v) || v === '' ? DEFAULT_CFS_PERIOD : v, w);
  if (ns < NS_PER_US || ns > 1_000_000_000n) return w.fail(`must be between 1us and 1s, got "${String(v)}"`);
  return Number(ns / NS_PER_US);
}

/**
 * `evictionHard` as written; absent → the kubelet default. A given map replaces the default
 * whole (missing signals are unset) unless `mergeDefaultEvictionSettings` is true.
 */
function evictionHard(c: RawMap, w: Where): Record<string, string> {
  const given = c.evictionHard;
  if (isAbsent(given)) return { ...DEFAULT_EVICTION_HARD };
  const map = stringMap(given, w.child('evictionHard'));
  const merge = c.mergeDefaultEvictionSettings;
  const merged =
    !isAbsent(merge) && asBool(merge, w.child('mergeDefaultEvictionSettings'))
      ? { ...DEFAULT_EVICTION_HARD, ...map }
      : map;
  const mem = map['memory.available'];
  if (mem !== undefined && !/^\d+(\.\d+)?%$/.test(mem)) {
    asNonNegativeQuantity(mem, w.child('evictionHard').child('memory.available'));
  }
  return merged;
}

/**
 * `reservedMemory` with the kubelet's checks (validateReservedMemoryConfiguration): only `memory`
 * and `hugepages-<size>`, no zero values, no resource twice for one NUMA node. Entries for the
 * same NUMA node are merged into one, in order of first appearance.
 */
function reservedMemory(v: unknown, w: Where): ReservedMemory[] {
  if (isAbsent(v)) return [];
  const byNode = new Map<number, Record<string, bigint>>();
  asList(v, w).forEach((item, i) => {
    const iw = w.child(i);
    const entry = asMap(item, iw);
    for (const key of Object.keys(entry)) {
      if (key !== 'numaNode' && key !== 'limits')
        iw.child(key).fail('unknown field', 'known fields: numaNode, limits');
    }
    const numaNode = asInt(entry.numaNode, iw.child('numaNode'));
    const limitsW = iw.child('limits');
    const limits = asMap(entry.limits, limitsW);
    let acc = byNode.get(numaNode);
    if (acc === undefined) byNode.set(numaNode, (acc = {}));
    for (const [name, raw] of Object.entries(limits)) {
      const lw = limitsW.child(name);
      if (name !== 'memory' && !isHugepagesName(name)) {
        lw.fail(`resource "${name}" cannot be reserved; only memory and hugepages-<size> can`);
      }
      if (isHugepagesName(name)) hugepageSize(name, lw);
      const bytes = intValue(asNonNegativeQuantity(raw, lw));
      if (bytes === 0n) lw.fail(`reserved memory may not be zero for NUMA node ${numaNode}`);
      if (acc[name] !== undefined) lw.fail(`NUMA node ${numaNode} reserves "${name}" twice`);
      acc[name] = bytes;
    }
  });
  return [...byNode].map(([numaNode, limits]) => ({ numaNode, limits }));
}
