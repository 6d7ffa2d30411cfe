// The /configz `kubeletconfig` object turned into the model's configuration for the node replay
// (cli.md §6.2 point 1): toKubeletConfig for the version the node is modelled as, then what the
// configuration check findings stand for, so that one bad setting does not stop the replay:
//   * CPU manager options the kubelet would refuse (unknown, maturity gate off, not a Go bool,
//     not even a scalar) are left out (finding C8 reports each one);
//   * below v1.36 PodLevelResourceManagers is forced off (the gate does not exist there, C15).
// Any other value the model cannot read leaves `model` null with `error` naming the field.

import { isPodresError } from '../errors.js';
import { checkStaticPolicyOption } from '../model/cpu/options.js';
import type { KubeletConfig } from '../model/kubelet-config.js';
import { gate } from '../model/kubelet-config.js';
import { isMap } from '../scenario/fields.js';
import { toKubeletConfig } from '../scenario/kubelet-config.js';
import { parseGoDuration } from '../parse/go-duration.js';
import type { ConfigFacts, VersionFacts } from './context.js';

const DEFAULT_RECONCILE_PERIOD_MS = 10_000;
const NS_PER_MS = 1_000_000n;

/** Where /configz values are named in messages: `configz of node w1 kubeletconfig.cpuManagerPolicy`. */
export function configzWhere(node: string): string {
  return `configz of node ${node} kubeletconfig`;
}

export interface RawPolicyOption {
  readonly name: string;
  /** the value as text; null when it is not a scalar (a list or a mapping) */
  readonly value: string | null;
}

/** `cpuManagerPolicyOptions` as written (values as text); [] when absent or not a mapping. */
export function rawCpuPolicyOptions(raw: Readonly<Record<string, unknown>>): RawPolicyOption[] {
  const opts = raw.cpuManagerPolicyOptions;
  if (!isMap(opts)) return [];
  return Object.entries(opts)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, v]) => ({
      name,
      value: typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null,
    }));
}

/**
 * The rejection of one option by a static-policy kubelet with these gates (`NewStaticPolicyOptions`),
 * or null when it accepts it.
 */
export function cpuPolicyOptionError(
  option: RawPolicyOption,
  gates: Readonly<Record<string, boolean>>,
): string | null {
  if (option.value === null) return `bad value for option "${option.name}": not a string`;
  const checked = checkStaticPolicyOption(option.name, option.value, gates);
  return checked.ok ? null : checked.error;
}

/** `raw`: the object inside "kubeletconfig"; `version`: null when the node reports none (modelled as 1.36). */
export function toConfigFacts(raw: unknown, version: VersionFacts | null, node: string): ConfigFacts {
  const where = configzWhere(node);
  if (!isMap(raw)) {
    return {
      raw: {},
      model: null,
      error: `${where}: expected a mapping`,
      gates: null,
      reconcilePeriodMs: DEFAULT_RECONCILE_PERIOD_MS,
    };
  }
  const rawMap = raw;
  const options = rawCpuPolicyOptions(rawMap);
  // Non-scalar option values would make toKubeletConfig fail: convert without them.
  const scalarOptions = Object.fromEntries(
    options.flatMap((o) => (o.value === null ? [] : [[o.name, o.value] as const])),
  );
  const convertible = isMap(rawMap.cpuManagerPolicyOptions)
    ? { ...rawMap, cpuManagerPolicyOptions: scalarOptions }
    : rawMap;
  let model: KubeletConfig;
  try {
    model = toKubeletConfig(convertible, version?.model ?? '1.36', where);
  } catch (e) {
    if (!isPodresError(e)) throw e;
    return {
      raw: rawMap,
      model: null,
      error: e.oneLine(),
      gates: null,
      reconcilePeriodMs: DEFAULT_RECONCILE_PERIOD_MS,
    };
  }
  if (version?.plrmForcedOff === true) {
    model = { ...model, featureGates: { ...model.featureGates, PodLevelResourceManagers: false } };
  }
  if (model.cpuManagerPolicy === 'static') {
    const kept = Object.fromEntries(
      options.flatMap((o) =>
        o.value !== null && cpuPolicyOptionError(o, model.featureGates) === null ? [[o.name, o.value]] : [],
      ),
    );
    model = { ...model, cpuManagerPolicyOptions: kept };
  }
  const plr = gate(model, 'PodLevelResources');
  return {
    raw: rawMap,
    model,
    error: null,
    gates: { plr, plrm: plr && gate(model, 'PodLevelResourceManagers') },
    reconcilePeriodMs: reconcilePeriodMs(rawMap.cpuManagerReconcilePeriod),
  };
}

/** Validated by toKubeletConfig already; "" and absent are the default. */
function reconcilePeriodMs(v: unknown): number {
  if (typeof v !== 'string' || v === '') return DEFAULT_RECONCILE_PERIOD_MS;
  return Number(parseGoDuration(v) / NS_PER_MS);
}
