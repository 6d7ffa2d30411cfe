// The CPU manager checkpoint (/var/lib/kubelet/cpu_manager_state) as a value, its checksums and its
// JSON form. Re-implements pkg/kubelet/cm/cpumanager/state/checkpoint.go (CPUManagerCheckpointV1–V4:
// struct shapes, VerifyChecksum / MarshalCheckpoint) and state.go (PodEntry's JSON form).
//
// Versions (see allocator-model.md §9.1):
//   v1  ≤1.17        entries {containerID: cpuset}
//   v2  1.18–1.35    entries {podUID: {container: cpuset}} (omitted when empty)
//   v3  1.36 + PLRM  v2 + podEntries {podUID: {"cpuSet": cpuset}} (omitted when empty)
//   v4  1.37         v3 fields at top level with checksum 0, plus `data` (JSON of the v3 fields
//                    without checksum) and `dataChecksum`
//
// Legacy checksum (v1–v3) = FNV-1a 32 over spew `%#v` of the checkpoint struct pointer with the
// checksum field 0. Kubelets differ in the struct name they hash under (older ones hash
// `CPUManagerCheckpoint`; 1.36 hashes `CPUManagerCheckpointV2`/`V3` and then, for rollback
// compatibility, replaces the name by `CPUManagerCheckpoint`) and in whether the struct has the
// PodEntries field, so a reader tries the variants (`CPU_CHECKSUM_VARIANTS`). V4 `dataChecksum` =
// checksum.New(data) = FNV-1a 32 over `(string)` + data.

import { formatCpuList, type CpuSet } from '../cpuset.js';
import {
  compareGoStrings,
  deepHashObject,
  goMap,
  goPointer,
  goStruct,
  GO_CHECKSUM,
  GO_CPUSET,
  GO_STRING,
  type GoType,
  type GoValue,
} from './spew.js';

export type CpuCheckpointVersion = 'v1' | 'v2' | 'v3' | 'v4';

export interface CpuCheckpoint {
  readonly version: CpuCheckpointVersion;
  readonly policyName: string;
  readonly defaultCpuSet: CpuSet;
  /**
   * v2–v4: podUID → container name → cpuset. v1: containerID → {`CPU_CHECKPOINT_V1_CONTAINER`: cpuset}
   * (a v1 file names containers only by runtime id; the kubelet maps them to pods at migration).
   */
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, CpuSet>>;
  /** podUID → pod pool (v3/v4 only; empty otherwise). */
  readonly podEntries: ReadonlyMap<string, CpuSet>;
}

/** The inner key of a v1 entry: v1 has no container names. */
export const CPU_CHECKPOINT_V1_CONTAINER = '';

export type CpuCheckpointTypeName =
  'CPUManagerCheckpoint' | 'CPUManagerCheckpointV1' | 'CPUManagerCheckpointV2' | 'CPUManagerCheckpointV3';

/** How a legacy checksum was computed: the struct's type name and whether it has PodEntries. */
export interface CpuChecksumVariant {
  readonly typeName: CpuCheckpointTypeName;
  readonly withPodEntries: boolean;
}

/**
 * Every variant a kubelet writes or accepts, most common first: 1.18–1.35 and 1.36 without PLRM
 * (`CPUManagerCheckpoint` without PodEntries), 1.36 PLRM V3 (`CPUManagerCheckpoint` with
 * PodEntries, after the rollback rename), then the unrenamed names (`ck.Verify` paths and
 * pre-release 1.36 builds). v1 files use only the variants without PodEntries.
 */
export const CPU_CHECKSUM_VARIANTS: readonly CpuChecksumVariant[] = [
  { typeName: 'CPUManagerCheckpoint', withPodEntries: false },
  { typeName: 'CPUManagerCheckpoint', withPodEntries: true },
  { typeName: 'CPUManagerCheckpointV2', withPodEntries: false },
  { typeName: 'CPUManagerCheckpointV3', withPodEntries: true },
  { typeName: 'CPUManagerCheckpointV1', withPodEntries: false },
  { typeName: 'CPUManagerCheckpointV3', withPodEntries: false },
  { typeName: 'CPUManagerCheckpointV2', withPodEntries: true },
  { typeName: 'CPUManagerCheckpointV1', withPodEntries: true },
];

/** The variant the kubelet that writes `version` uses (v4's legacy fields carry checksum 0). */
export function defaultCpuChecksumVariant(version: CpuCheckpointVersion): CpuChecksumVariant {
  return { typeName: 'CPUManagerCheckpoint', withPodEntries: version === 'v3' || version === 'v4' };
}

/**
 * The legacy struct as the kubelet holds it after json.Unmarshal, before parsing cpusets: raw
 * strings, and `null` for a nil map (JSON `null`) as opposed to an empty one (key absent or `{}`,
 * since the kubelet pre-allocates its maps). Checksums are over these raw strings.
 */
export interface LegacyCpuCheckpointFields {
  readonly policyName: string;
  readonly defaultCpuSet: string;
  readonly entries: LegacyCpuEntries;
  /** Parsed already: PodEntry unmarshals its cpuSet string into a cpuset.CPUSet. */
  readonly podEntries: ReadonlyMap<string, CpuSet> | null;
}

export type LegacyCpuEntries =
  | { readonly shape: 'flat'; readonly map: ReadonlyMap<string, string> | null }
  | {
      readonly shape: 'nested';
      readonly map: ReadonlyMap<string, ReadonlyMap<string, string> | null> | null;
    };

const FLAT_ENTRIES: GoType = goMap(GO_STRING, GO_STRING);
const NESTED_ENTRIES: GoType = goMap(GO_STRING, goMap(GO_STRING, GO_STRING));
const POD_CPU_ASSIGNMENTS: GoType = goMap(
  GO_STRING,
  goStruct('state.PodEntry', [['CPUSet', GO_CPUSET]]),
  'state.PodCPUAssignments',
);

/** The Go type of the checkpoint pointer that a legacy checksum is computed over. */
export function legacyCpuCheckpointGoType(shape: 'flat' | 'nested', variant: CpuChecksumVariant): GoType {
  const fields: [string, GoType][] = [
    ['PolicyName', GO_STRING],
    ['DefaultCPUSet', GO_STRING],
    ['Entries', shape === 'flat' ? FLAT_ENTRIES : NESTED_ENTRIES],
  ];
  if (variant.withPodEntries) fields.push(['PodEntries', POD_CPU_ASSIGNMENTS]);
  fields.push(['Checksum', GO_CHECKSUM]);
  return goPointer(goStruct(`state.${variant.typeName}`, fields));
}

/** FNV-1a 32 over `(*state.<typeName>){PolicyName:(string)… Checksum:(checksum.Checksum)0}`. */
export function legacyCpuCheckpointChecksum(
  fields: LegacyCpuCheckpointFields,
  variant: CpuChecksumVariant,
): number {
  const value: Record<string, GoValue> = {
    PolicyName: fields.policyName,
    DefaultCPUSet: fields.defaultCpuSet,
    Entries: fields.entries.map,
    Checksum: 0,
  };
  if (variant.withPodEntries) {
    value.PodEntries =
      fields.podEntries === null
        ? null
        : new Map([...fields.podEntries].map(([uid, set]) => [uid, { CPUSet: set }]));
  }
  return deepHashObject(legacyCpuCheckpointGoType(fields.entries.shape, variant), value);
}

/** The legacy struct a kubelet would build from `cp` (canonical cpuset strings, non-nil maps). */
export function toLegacyCpuCheckpointFields(cp: CpuCheckpoint): LegacyCpuCheckpointFields {
  let entries: LegacyCpuEntries;
  if (cp.version === 'v1') {
    const flat = new Map<string, string>();
    for (const [containerId, inner] of cp.entries)
      flat.set(containerId, formatCpuList(v1CpuSet(containerId, inner)));
    entries = { shape: 'flat', map: flat };
  } else {
    const nested = new Map<string, ReadonlyMap<string, string>>();
    for (const [podUid, inner] of cp.entries) {
      nested.set(podUid, new Map([...inner].map(([container, set]) => [container, formatCpuList(set)])));
    }
    entries = { shape: 'nested', map: nested };
  }
  return {
    policyName: cp.policyName,
    defaultCpuSet: formatCpuList(cp.defaultCpuSet),
    entries,
    podEntries: cp.podEntries,
  };
}

function v1CpuSet(containerId: string, inner: ReadonlyMap<string, CpuSet>): CpuSet {
  const set = inner.get(CPU_CHECKPOINT_V1_CONTAINER);
  if (inner.size !== 1 || set === undefined) {
    throw new RangeError(`v1 entry ${containerId} must hold exactly one cpuset under the key ""`);
  }
  return set;
}

/**
 * The legacy (v1–v3) checksum of `cp` for one variant (default: the one the kubelet writing
 * `cp.version` uses). A v1 checkpoint has no PodEntries variant.
 */
export function cpuCheckpointChecksum(
  cp: CpuCheckpoint,
  variant: CpuChecksumVariant = defaultCpuChecksumVariant(cp.version),
): number {
  if (cp.version === 'v1' && variant.withPodEntries) {
    throw new RangeError('a v1 checkpoint struct has no PodEntries field');
  }
  return legacyCpuCheckpointChecksum(toLegacyCpuCheckpointFields(cp), variant);
}

/** V4 `dataChecksum`: checksum.New(data) = FNV-1a 32 over `(string)` + data. */
export function cpuCheckpointDataChecksum(data: string): number {
  return deepHashObject(GO_STRING, data);
}

// ----- JSON, as Go's encoding/json writes it ---------------------------------------------------

/** A JSON string as encoding/json writes it (HTML-safe escapes, \b and \f as in Go ≥1.22). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/** A JSON object with Go's map key order (sorted byte-wise). */
function goJsonMap<V>(map: ReadonlyMap<string, V>, encode: (value: V) => string): string {
  const keys = [...map.keys()].sort(compareGoStrings);
  return `{${keys.map((k) => `${goJsonString(k)}:${encode(map.get(k) as V)}`).join(',')}}`;
}

function entriesJson(cp: CpuCheckpoint): string {
  if (cp.version === 'v1') {
    const flat = new Map(
      [...cp.entries].map(([containerId, inner]) => [containerId, v1CpuSet(containerId, inner)]),
    );
    return goJsonMap(flat, (set) => goJsonString(formatCpuList(set)));
  }
  return goJsonMap(cp.entries, (inner) => goJsonMap(inner, (set) => goJsonString(formatCpuList(set))));
}

function podEntriesJson(cp: CpuCheckpoint): string {
  // PodEntry.MarshalJSON writes {"cpuSet":"…"}; omitempty drops an empty cpuset string.
  return goJsonMap(cp.podEntries, (set) =>
    set.isEmpty() ? '{}' : `{"cpuSet":${goJsonString(formatCpuList(set))}}`,
  );
}

/** policyName, defaultCpuSet, entries (omitempty), podEntries (omitempty) — shared by v3 and v4 data. */
function v3Members(cp: CpuCheckpoint, withPodEntries: boolean): string[] {
  const members = [`"policyName":${goJsonString(cp.policyName)}`];
  members.push(`"defaultCpuSet":${goJsonString(formatCpuList(cp.defaultCpuSet))}`);
  if (cp.entries.size > 0) members.push(`"entries":${entriesJson(cp)}`);
  if (withPodEntries && cp.podEntries.size > 0) members.push(`"podEntries":${podEntriesJson(cp)}`);
  return members;
}

/** The V4 `data` string: json.Marshal(CPUManagerCheckpointData). */
export function formatCpuCheckpointData(cp: CpuCheckpoint): string {
  if (cp.version === 'v1')
    throw new RangeError('a v1 checkpoint (container ids only) cannot be written as v4');
  return `{${v3Members(cp, true).join(',')}}`;
}

/**
 * The file the kubelet writes for `cp` in `version` (MarshalCheckpoint: compact JSON, fields in
 * struct order, map keys sorted, empty entries/podEntries omitted, fresh checksum). Throws
 * RangeError when `version` cannot hold `cp` (v1 ⇄ v2+ need a container-id map; v1/v2 have no
 * podEntries).
 */
export function formatCpuCheckpointJson(
  cp: CpuCheckpoint,
  version: CpuCheckpointVersion = cp.version,
): string {
  if ((cp.version === 'v1') !== (version === 'v1')) {
    throw new RangeError(
      `cannot write a ${cp.version} checkpoint as ${version}: container ids and pod UIDs differ`,
    );
  }
  if ((version === 'v1' || version === 'v2') && cp.podEntries.size > 0) {
    throw new RangeError(
      `a ${version} checkpoint has no podEntries; ${cp.podEntries.size} pod pools would be lost`,
    );
  }
  const target: CpuCheckpoint = { ...cp, version };
  if (version === 'v4') {
    const data = formatCpuCheckpointData(target);
    const members = v3Members(target, true);
    members.push(
      '"checksum":0',
      `"data":${goJsonString(data)}`,
      `"dataChecksum":${cpuCheckpointDataChecksum(data)}`,
    );
    return `{${members.join(',')}}`;
  }
  const members = v3Members(target, version === 'v3');
  members.push(`"checksum":${cpuCheckpointChecksum(target)}`);
  return `{${members.join(',')}}`;
}

// ----- comparison ------------------------------------------------------------------------------

function cpuSetMapsEqual(a: ReadonlyMap<string, CpuSet>, b: ReadonlyMap<string, CpuSet>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, set] of a) {
    const other = b.get(k);
    if (other === undefined || !other.equals(set)) return false;
  }
  return true;
}

/** Same content (policy, cpusets, entries, pod entries); `version` is compared unless told not to. */
export function cpuCheckpointEquals(
  a: CpuCheckpoint,
  b: CpuCheckpoint,
  options: { ignoreVersion?: boolean } = {},
): boolean {
  if (options.ignoreVersion !== true && a.version !== b.version) return false;
  if (a.policyName !== b.policyName || !a.defaultCpuSet.equals(b.defaultCpuSet)) return false;
  if (!cpuSetMapsEqual(a.podEntries, b.podEntries) || a.entries.size !== b.entries.size) return false;
  for (const [k, inner] of a.entries) {
    const other = b.entries.get(k);
    if (other === undefined || !cpuSetMapsEqual(inner, other)) return false;
  }
  return true;
}
