// The memory manager checkpoint (/var/lib/kubelet/memory_manager_state) as a value, its checksums
// and its JSON form. Re-implements pkg/kubelet/cm/memorymanager/state/checkpoint.go
// (MemoryManagerCheckpointV1–V3: struct shapes, MarshalCheckpoint / VerifyChecksum) and the JSON
// shapes of state.go (NUMANodeMap, MemoryTable, Block, ContainerMemoryAssignments, PodEntry).
//
// Versions (see allocator-model.md §9.2):
//   v1  ≤1.35; 1.36 with PLRM off   policyName, machineState, entries (omitempty), checksum
//   v2  1.36 with PLRM on           v1 + podEntries {podUID: {"memoryBlocks": [Block]}} (omitempty)
//   v3  1.37                        v1 fields at top level with a valid v1 checksum (no pod entries),
//                                   plus `data` (JSON of {policyName, machineState, entries,
//                                   podEntries}) and `dataChecksum`
//
// Legacy checksum (v1, v2, v3's top-level copy) = FNV-1a 32 over spew `%#v` of the checkpoint struct
// pointer with the checksum field 0. Which struct the kubelet hashes (MEMORY_CHECKSUM_VARIANTS):
//   * `MemoryManagerCheckpoint` without PodEntries: ≤1.35 (the struct had that name), 1.36's v1
//     writer (it hashes `MemoryManagerCheckpointV1` and renames it for rollback compatibility), 1.37's
//     v3 top-level copy; every v1 reader accepts it.
//   * `MemoryManagerCheckpoint` with PodEntries: 1.36's v2 writer (V2 is a type alias of
//     `MemoryManagerCheckpoint`, so reflection names it so) and 1.37's v2 writer (renamed); the v2
//     readers accept only this one. It is written even when there are no pod entries.
//   * `MemoryManagerCheckpointV1` without PodEntries: 1.36 builds before the rollback fix hashed the v1
//     struct under its own name; only the 1.36 v1 reader with PLRM off accepts it.
// v1 readers accept checksum 0 ("compatibility with old file backend"); v2 readers do not.
// v3 `dataChecksum` = checksum.New(data) = FNV-1a 32 over `(string)` + data.
//
// JSON as the kubelet writes it: the state is cloned before every write, and the clones turn an
// empty block list and empty cells into non-nil empty slices (`append([]Block{}, blocks...)`), so
// both are written `[]`, never `null`. A block's numaAffinity comes from bitmask.GetBits (nil when
// empty) and is written `null` when empty. Map keys are sorted as strings: NUMA node 10 comes before
// node 2 in the JSON (but after it in the spew rendering, which sorts int keys numerically).

import type { MachineState, MemoryBlock, MemoryTable, NumaNodeState } from '../memory/state.js';
import { goJsonString } from './cpu-checkpoint.js';
import {
  compareGoStrings,
  deepHashObject,
  fnv1a32,
  goBasic,
  goMap,
  goPointer,
  goSlice,
  goStruct,
  GO_CHECKSUM,
  GO_INT,
  GO_STRING,
  GO_UINT64,
  spewSharpV,
  type GoMapKey,
  type GoType,
  type GoValue,
} from './spew.js';

export type MemoryCheckpointVersion = 'v1' | 'v2' | 'v3';

export interface MemoryCheckpoint {
  readonly version: MemoryCheckpointVersion;
  /** `Static` or `None` (the memory manager's policy names). */
  readonly policyName: string;
  readonly machineState: MachineState;
  /** podUID → container name → blocks (an empty list: a container entry without blocks). */
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, readonly MemoryBlock[]>>;
  /** podUID → the pod's blocks (v2/v3 only; empty otherwise). */
  readonly podEntries: ReadonlyMap<string, readonly MemoryBlock[]>;
}

export type MemoryCheckpointTypeName = 'MemoryManagerCheckpoint' | 'MemoryManagerCheckpointV1';

/** How a legacy checksum was computed: the struct's type name and whether it has PodEntries. */
export interface MemoryChecksumVariant {
  readonly typeName: MemoryCheckpointTypeName;
  readonly withPodEntries: boolean;
}

/** Every variant a kubelet writes or accepts, most common first (see the top of this file). */
export const MEMORY_CHECKSUM_VARIANTS: readonly MemoryChecksumVariant[] = [
  { typeName: 'MemoryManagerCheckpoint', withPodEntries: false },
  { typeName: 'MemoryManagerCheckpoint', withPodEntries: true },
  { typeName: 'MemoryManagerCheckpointV1', withPodEntries: false },
];

/** The variant of the legacy `checksum` field the kubelet writing `version` uses. */
export function defaultMemoryChecksumVariant(version: MemoryCheckpointVersion): MemoryChecksumVariant {
  return { typeName: 'MemoryManagerCheckpoint', withPodEntries: version === 'v2' };
}

// ----- the Go struct behind the legacy checksum ------------------------------------------------

/** state.Block as json.Unmarshal leaves it: `null` is a nil slice. */
export interface GoMemoryBlock {
  readonly numaAffinity: readonly number[] | null;
  readonly type: string;
  readonly size: bigint;
}

/** state.NUMANodeState as json.Unmarshal leaves it (`null` = nil map or slice). */
export interface GoNumaNodeState {
  readonly numberOfAssignments: number;
  readonly memoryMap: ReadonlyMap<string, MemoryTable> | null;
  readonly cells: readonly number[] | null;
}

/**
 * The legacy struct as the kubelet holds it after json.Unmarshal: `null` for a nil map or slice
 * (JSON `null`), as opposed to an empty one (`{}`/`[]`, or a top-level map whose key is absent,
 * since the kubelet pre-allocates those). Checksums are over these values, so a reader that keeps
 * the nil/empty distinction reproduces any file's checksum.
 */
export interface LegacyMemoryCheckpointFields {
  readonly policyName: string;
  readonly machineState: ReadonlyMap<number, GoNumaNodeState> | null;
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, readonly GoMemoryBlock[] | null> | null> | null;
  /** podUID → PodEntry.MemoryBlocks. */
  readonly podEntries: ReadonlyMap<string, readonly GoMemoryBlock[] | null> | null;
}

const RESOURCE_NAME = goBasic('string', 'v1.ResourceName');
const MEMORY_TABLE = goStruct('state.MemoryTable', [
  ['TotalMemSize', GO_UINT64],
  ['SystemReserved', GO_UINT64],
  ['Allocatable', GO_UINT64],
  ['Reserved', GO_UINT64],
  ['Free', GO_UINT64],
]);
const NUMA_NODE_MAP = goMap(
  GO_INT,
  goPointer(
    goStruct('state.NUMANodeState', [
      ['NumberOfAssignments', GO_INT],
      ['MemoryMap', goMap(RESOURCE_NAME, goPointer(MEMORY_TABLE))],
      ['Cells', goSlice(GO_INT)],
    ]),
  ),
  'state.NUMANodeMap',
);
const BLOCKS = goSlice(
  goStruct('state.Block', [
    ['NUMAAffinity', goSlice(GO_INT)],
    ['Type', RESOURCE_NAME],
    ['Size', GO_UINT64],
  ]),
);
const CONTAINER_MEMORY_ASSIGNMENTS = goMap(
  GO_STRING,
  goMap(GO_STRING, BLOCKS),
  'state.ContainerMemoryAssignments',
);
const POD_MEMORY_ASSIGNMENTS = goMap(
  GO_STRING,
  goStruct('state.PodEntry', [['MemoryBlocks', BLOCKS]]),
  'state.PodMemoryAssignments',
);

/** The Go type of the checkpoint pointer that a legacy checksum is computed over. */
export function legacyMemoryCheckpointGoType(variant: MemoryChecksumVariant): GoType {
  const fields: [string, GoType][] = [
    ['PolicyName', GO_STRING],
    ['MachineState', NUMA_NODE_MAP],
    ['Entries', CONTAINER_MEMORY_ASSIGNMENTS],
  ];
  if (variant.withPodEntries) fields.push(['PodEntries', POD_MEMORY_ASSIGNMENTS]);
  fields.push(['Checksum', GO_CHECKSUM]);
  return goPointer(goStruct(`state.${variant.typeName}`, fields));
}

function mapOf<K extends GoMapKey, V>(
  map: ReadonlyMap<K, V> | null,
  value: (v: V) => GoValue,
): ReadonlyMap<GoMapKey, GoValue> | null {
  return map === null ? null : new Map([...map].map(([k, v]) => [k, value(v)]));
}

function tableValue(t: MemoryTable): GoValue {
  return {
    TotalMemSize: t.total,
    SystemReserved: t.systemReserved,
    Allocatable: t.allocatable,
    Reserved: t.reserved,
    Free: t.free,
  };
}

function blocksValue(blocks: readonly GoMemoryBlock[] | null): GoValue {
  return blocks === null
    ? null
    : blocks.map((b) => ({ NUMAAffinity: b.numaAffinity, Type: b.type, Size: b.size }));
}

/** The spew `%#v` text a legacy checksum hashes: `(*state.<typeName>){PolicyName:(string)… Checksum:(checksum.Checksum)0}`. */
export function renderLegacyMemoryCheckpoint(
  fields: LegacyMemoryCheckpointFields,
  variant: MemoryChecksumVariant,
): string {
  const value: Record<string, GoValue> = {
    PolicyName: fields.policyName,
    MachineState: mapOf(fields.machineState, (n) => ({
      NumberOfAssignments: n.numberOfAssignments,
      MemoryMap: mapOf(n.memoryMap, tableValue),
      Cells: n.cells,
    })),
    Entries: mapOf(fields.entries, (pod) => mapOf(pod, blocksValue)),
    Checksum: 0,
  };
  if (variant.withPodEntries) {
    value.PodEntries = mapOf(fields.podEntries, (blocks) => ({ MemoryBlocks: blocksValue(blocks) }));
  }
  return spewSharpV(legacyMemoryCheckpointGoType(variant), value);
}

/** FNV-1a 32 over renderLegacyMemoryCheckpoint (checksum.New of the checkpoint pointer). */
export function legacyMemoryCheckpointChecksum(
  fields: LegacyMemoryCheckpointFields,
  variant: MemoryChecksumVariant,
): number {
  return fnv1a32(renderLegacyMemoryCheckpoint(fields, variant));
}

function goBlocks(blocks: readonly MemoryBlock[]): readonly GoMemoryBlock[] {
  return blocks.map((b) => ({
    numaAffinity: b.numaAffinity.length === 0 ? null : b.numaAffinity,
    type: b.type,
    size: b.size,
  }));
}

/** The struct a kubelet holding `cp`'s state would hash (non-nil maps; see the top of the file). */
export function toLegacyMemoryCheckpointFields(cp: MemoryCheckpoint): LegacyMemoryCheckpointFields {
  return {
    policyName: cp.policyName,
    machineState: new Map(
      [...cp.machineState].map(([node, s]) => [
        node,
        { numberOfAssignments: s.numberOfAssignments, memoryMap: s.memoryMap, cells: s.cells },
      ]),
    ),
    entries: new Map(
      [...cp.entries].map(([pod, inner]) => [
        pod,
        new Map([...inner].map(([container, blocks]) => [container, goBlocks(blocks)])),
      ]),
    ),
    podEntries: new Map([...cp.podEntries].map(([pod, blocks]) => [pod, goBlocks(blocks)])),
  };
}

/**
 * The legacy checksum of `cp` for one variant (default: the one the kubelet writing `cp.version`
 * stores in `checksum`; for v3 that is the top-level copy's, which has no PodEntries).
 */
export function memoryCheckpointChecksum(
  cp: MemoryCheckpoint,
  variant: MemoryChecksumVariant = defaultMemoryChecksumVariant(cp.version),
): number {
  return legacyMemoryCheckpointChecksum(toLegacyMemoryCheckpointFields(cp), variant);
}

/** V3 `dataChecksum`: checksum.New(data) = FNV-1a 32 over `(string)` + data. */
export function memoryCheckpointDataChecksum(data: string): number {
  return deepHashObject(GO_STRING, data);
}

// ----- JSON, as Go's encoding/json writes it ---------------------------------------------------

/** A JSON object with Go's map key order (keys sorted as strings, also for int keys). */
function goJsonMap<K extends string | number, V>(
  map: ReadonlyMap<K, V>,
  encode: (value: V) => string,
): string {
  const members = [...map].map(([k, v]) => [String(k), v] as const);
  members.sort(([a], [b]) => compareGoStrings(a, b));
  return `{${members.map(([k, v]) => `${goJsonString(k)}:${encode(v)}`).join(',')}}`;
}

function intsJson(ints: readonly number[]): string {
  return `[${ints.map((n) => String(n)).join(',')}]`;
}

function tableJson(t: MemoryTable): string {
  return (
    `{"total":${t.total.toString()},"systemReserved":${t.systemReserved.toString()},` +
    `"allocatable":${t.allocatable.toString()},"reserved":${t.reserved.toString()},"free":${t.free.toString()}}`
  );
}

function nodeJson(s: NumaNodeState): string {
  return `{"numberOfAssignments":${s.numberOfAssignments},"memoryMap":${goJsonMap(s.memoryMap, tableJson)},"cells":${intsJson(s.cells)}}`;
}

function blockJson(b: MemoryBlock): string {
  const affinity = b.numaAffinity.length === 0 ? 'null' : intsJson(b.numaAffinity);
  return `{"numaAffinity":${affinity},"type":${goJsonString(b.type)},"size":${b.size.toString()}}`;
}

function blocksJson(blocks: readonly MemoryBlock[]): string {
  return `[${blocks.map(blockJson).join(',')}]`;
}

/** policyName, machineState, entries (omitempty) and, when asked, podEntries (omitempty). */
function members(cp: MemoryCheckpoint, withPodEntries: boolean): string[] {
  const out = [
    `"policyName":${goJsonString(cp.policyName)}`,
    `"machineState":${goJsonMap(cp.machineState, nodeJson)}`,
  ];
  if (cp.entries.size > 0)
    out.push(`"entries":${goJsonMap(cp.entries, (inner) => goJsonMap(inner, blocksJson))}`);
  if (withPodEntries && cp.podEntries.size > 0) {
    // PodEntry{MemoryBlocks []Block `json:"memoryBlocks,omitempty"`}
    const podEntries = goJsonMap(cp.podEntries, (blocks) =>
      blocks.length === 0 ? '{}' : `{"memoryBlocks":${blocksJson(blocks)}}`,
    );
    out.push(`"podEntries":${podEntries}`);
  }
  return out;
}

/** The V3 `data` string: json.Marshal(MemoryManagerCheckpointData). */
export function formatMemoryCheckpointData(cp: MemoryCheckpoint): string {
  return `{${members(cp, true).join(',')}}`;
}

/**
 * The file the kubelet writes for `cp` in `version` (MarshalCheckpoint: compact JSON, fields in
 * struct order, map keys sorted, empty entries/podEntries omitted, fresh checksums). Throws a
 * RangeError when `version` is v1 and `cp` has pod entries (a v1 file cannot hold them).
 */
export function formatMemoryCheckpointJson(
  cp: MemoryCheckpoint,
  version: MemoryCheckpointVersion = cp.version,
): string {
  if (version === 'v1' && cp.podEntries.size > 0) {
    throw new RangeError(
      `a v1 checkpoint has no podEntries; ${cp.podEntries.size} pod entries would be lost`,
    );
  }
  const target: MemoryCheckpoint = { ...cp, version };
  const out = members(target, version === 'v2');
  out.push(`"checksum":${memoryCheckpointChecksum(target)}`);
  if (version === 'v3') {
    const data = formatMemoryCheckpointData(target);
    out.push(`"data":${goJsonString(data)}`, `"dataChecksum":${memoryCheckpointDataChecksum(data)}`);
  }
  return `{${out.join(',')}}`;
}

// ----- comparison ------------------------------------------------------------------------------

function intsEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function blocksEqual(a: readonly MemoryBlock[], b: readonly MemoryBlock[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return (
        y !== undefined && x.type === y.type && x.size === y.size && intsEqual(x.numaAffinity, y.numaAffinity)
      );
    })
  );
}

function tablesEqual(a: MemoryTable, b: MemoryTable): boolean {
  return (
    a.total === b.total &&
    a.systemReserved === b.systemReserved &&
    a.allocatable === b.allocatable &&
    a.reserved === b.reserved &&
    a.free === b.free
  );
}

function mapsEqual<K, V>(
  a: ReadonlyMap<K, V>,
  b: ReadonlyMap<K, V>,
  equal: (x: V, y: V) => boolean,
): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const other = b.get(k);
    if (other === undefined || !equal(v, other)) return false;
  }
  return true;
}

/** Same machine state (per node: assignments, cells in order, every table). */
export function machineStateEquals(a: MachineState, b: MachineState): boolean {
  return mapsEqual(
    a,
    b,
    (x, y) =>
      x.numberOfAssignments === y.numberOfAssignments &&
      intsEqual(x.cells, y.cells) &&
      mapsEqual(x.memoryMap, y.memoryMap, tablesEqual),
  );
}

/** Same content (policy, machine state, entries, pod entries); `version` is compared unless told not to. */
export function memoryCheckpointEquals(
  a: MemoryCheckpoint,
  b: MemoryCheckpoint,
  options: { ignoreVersion?: boolean } = {},
): boolean {
  if (options.ignoreVersion !== true && a.version !== b.version) return false;
  return (
    a.policyName === b.policyName &&
    machineStateEquals(a.machineState, b.machineState) &&
    mapsEqual(a.entries, b.entries, (x, y) => mapsEqual(x, y, blocksEqual)) &&
    mapsEqual(a.podEntries, b.podEntries, blocksEqual)
  );
}
