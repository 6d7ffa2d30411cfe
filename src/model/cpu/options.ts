// CPU manager static policy options (pkg/kubelet/cm/cpumanager/policy_options.go): parsing,
// feature-gate maturity checks, mutual exclusions and the checks against the machine topology.

import type { Topology } from '../topology.js';
import type { TopologyManagerPolicy } from '../kubelet-config.js';

export const FULL_PCPUS_ONLY = 'full-pcpus-only';
export const DISTRIBUTE_CPUS_ACROSS_NUMA = 'distribute-cpus-across-numa';
export const ALIGN_BY_SOCKET = 'align-by-socket';
export const DISTRIBUTE_CPUS_ACROSS_CORES = 'distribute-cpus-across-cores';
export const STRICT_CPU_RESERVATION = 'strict-cpu-reservation';
export const PREFER_ALIGN_BY_UNCORE_CACHE = 'prefer-align-cpus-by-uncorecache';

type Maturity = 'alpha' | 'beta' | 'ga';

/** Option maturity as of the v1.37 documentation (allocator-model.md §1.4). */
const MATURITY: Readonly<Record<string, Maturity>> = {
  [FULL_PCPUS_ONLY]: 'ga',
  [DISTRIBUTE_CPUS_ACROSS_NUMA]: 'beta',
  [ALIGN_BY_SOCKET]: 'alpha',
  [DISTRIBUTE_CPUS_ACROSS_CORES]: 'alpha',
  [STRICT_CPU_RESERVATION]: 'ga',
  [PREFER_ALIGN_BY_UNCORE_CACHE]: 'ga',
};

/** Every option the model knows, by name. */
export const STATIC_POLICY_OPTION_NAMES: readonly string[] = Object.keys(MATURITY).sort();

export interface StaticPolicyOptions {
  readonly fullPhysicalCpusOnly: boolean;
  readonly distributeCpusAcrossNuma: boolean;
  readonly alignBySocket: boolean;
  readonly distributeCpusAcrossCores: boolean;
  readonly strictCpuReservation: boolean;
  readonly preferAlignByUncoreCache: boolean;
}

export const DEFAULT_STATIC_OPTIONS: StaticPolicyOptions = {
  fullPhysicalCpusOnly: false,
  distributeCpusAcrossNuma: false,
  alignBySocket: false,
  distributeCpusAcrossCores: false,
  strictCpuReservation: false,
  preferAlignByUncoreCache: false,
};

/** Go's strconv.ParseBool. */
export function parseGoBool(value: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return null;
}

export type OptionsResult =
  | { readonly ok: true; readonly options: StaticPolicyOptions }
  | { readonly ok: false; readonly error: string };

/**
 * One option of `NewStaticPolicyOptions`: unknown name, maturity gate off (alpha needs
 * CPUManagerPolicyAlphaOptions, beta CPUManagerPolicyBetaOptions) or a value that is not a Go
 * bool. Returns the option's value, or the kubelet's startup error.
 */
export function checkStaticPolicyOption(
  name: string,
  value: string,
  gates: Readonly<Record<string, boolean>>,
): { readonly ok: true; readonly value: boolean } | { readonly ok: false; readonly error: string } {
  const maturity = MATURITY[name];
  if (maturity === undefined) return { ok: false, error: `unknown CPU Manager Policy option: "${name}"` };
  if (maturity === 'alpha' && gates.CPUManagerPolicyAlphaOptions !== true) {
    return {
      ok: false,
      error: `CPU Manager Policy Alpha-level Options not enabled, but option "${name}" provided`,
    };
  }
  if (maturity === 'beta' && gates.CPUManagerPolicyBetaOptions !== true) {
    return {
      ok: false,
      error: `CPU Manager Policy Beta-level Options not enabled, but option "${name}" provided`,
    };
  }
  const parsed = parseGoBool(value);
  if (parsed === null) {
    return {
      ok: false,
      error: `bad value for option "${name}": strconv.ParseBool: parsing "${value}": invalid syntax`,
    };
  }
  return { ok: true, value: parsed };
}

/** The mutually exclusive pairs of `ValidateStaticPolicyOptions` (no topology needed), or null. */
export function staticPolicyOptionConflict(opts: StaticPolicyOptions): string | null {
  const both = (a: boolean, b: boolean, x: string, y: string) =>
    a && b ? `static policy options ${x} and ${y} can not be used together` : null;
  return (
    both(
      opts.fullPhysicalCpusOnly,
      opts.distributeCpusAcrossCores,
      FULL_PCPUS_ONLY,
      DISTRIBUTE_CPUS_ACROSS_CORES,
    ) ??
    both(
      opts.distributeCpusAcrossCores,
      opts.distributeCpusAcrossNuma,
      DISTRIBUTE_CPUS_ACROSS_CORES,
      DISTRIBUTE_CPUS_ACROSS_NUMA,
    ) ??
    both(
      opts.preferAlignByUncoreCache,
      opts.distributeCpusAcrossCores,
      PREFER_ALIGN_BY_UNCORE_CACHE,
      DISTRIBUTE_CPUS_ACROSS_CORES,
    ) ??
    both(
      opts.preferAlignByUncoreCache,
      opts.distributeCpusAcrossNuma,
      PREFER_ALIGN_BY_UNCORE_CACHE,
      DISTRIBUTE_CPUS_ACROSS_NUMA,
    )
  );
}

/**
 * `align-by-socket` against the topology manager policy and, when known, the machine (sockets
 * must not outnumber NUMA nodes). Null when compatible or the option is off.
 */
export function alignBySocketIncompatibility(
  opts: StaticPolicyOptions,
  tmPolicy: TopologyManagerPolicy,
  topology: Topology | null,
): string | null {
  if (!opts.alignBySocket) return null;
  if (tmPolicy === 'single-numa-node') {
    return `Topology manager ${tmPolicy} policy is incompatible with CPUManager ${ALIGN_BY_SOCKET} policy option`;
  }
  if (topology !== null && topology.sockets.length > topology.numaNodes.length) {
    return 'Align by socket is not compatible with hardware where number of sockets are more than number of NUMA';
  }
  return null;
}

/** Sets option `name` (a known option) in `opts`. */
function setOption(opts: Record<keyof StaticPolicyOptions, boolean>, name: string, value: boolean): void {
  switch (name) {
    case FULL_PCPUS_ONLY:
      opts.fullPhysicalCpusOnly = value;
      break;
    case DISTRIBUTE_CPUS_ACROSS_NUMA:
      opts.distributeCpusAcrossNuma = value;
      break;
    case ALIGN_BY_SOCKET:
      opts.alignBySocket = value;
      break;
    case DISTRIBUTE_CPUS_ACROSS_CORES:
      opts.distributeCpusAcrossCores = value;
      break;
    case STRICT_CPU_RESERVATION:
      opts.strictCpuReservation = value;
      break;
    default:
      opts.preferAlignByUncoreCache = value;
  }
}

/**
 * The options that pass `checkStaticPolicyOption`, set over the defaults (the others skipped):
 * what the model can still apply to a configuration the kubelet would refuse.
 */
export function validStaticPolicyOptions(
  raw: Readonly<Record<string, string>>,
  gates: Readonly<Record<string, boolean>>,
): StaticPolicyOptions {
  const opts: Record<keyof StaticPolicyOptions, boolean> = { ...DEFAULT_STATIC_OPTIONS };
  for (const name of Object.keys(raw).sort()) {
    const checked = checkStaticPolicyOption(name, raw[name] ?? '', gates);
    if (checked.ok) setOption(opts, name, checked.value);
  }
  return opts;
}

/** `NewStaticPolicyOptions` + `ValidateStaticPolicyOptions`: errors are kubelet startup failures. */
export function parseStaticPolicyOptions(
  raw: Readonly<Record<string, string>>,
  gates: Readonly<Record<string, boolean>>,
  topology: Topology,
  tmPolicy: TopologyManagerPolicy,
): OptionsResult {
  const opts: Record<keyof StaticPolicyOptions, boolean> = { ...DEFAULT_STATIC_OPTIONS };
  for (const name of Object.keys(raw).sort()) {
    const checked = checkStaticPolicyOption(name, raw[name] ?? '', gates);
    if (!checked.ok) return checked;
    setOption(opts, name, checked.value);
  }
  const error = staticPolicyOptionConflict(opts) ?? alignBySocketIncompatibility(opts, tmPolicy, topology);
  if (error !== null) return { ok: false, error };
  return { ok: true, options: opts };
}
