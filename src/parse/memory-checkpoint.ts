// Parses /var/lib/kubelet/memory_manager_state in every version (v1–v3) the way the kubelet reads
// it: pkg/kubelet/cm/memorymanager/state/state_checkpoint.go (1.37 loadAndMigrateCheckpointV3 →
// V2 → V1; 1.36 loadAndMigrateCheckpointV2 / loadCheckpointV1 by feature gate), checkpoint.go
// (UnmarshalCheckpoint, VerifyChecksum) and the JSON shapes of state.go. JSON follows Go's
// encoding/json: struct field names match exactly or, failing that, case-insensitively; the last
// duplicate wins; unknown fields are ignored; NUMA ids are map[int] keys (strconv.ParseInt).
//
// Outcomes:
//   * not JSON, wrong types, a null NUMA node or memory table → InputError, one line naming the
//     source, the JSON path and the line:column (a kubelet fails to unmarshal the first, and
//     dereferences nil on the others);
//   * a checksum that does not reproduce → a warning `<source>: checksum mismatch (file N, computed M)`
//     (the kubelet would refuse the file; we still return its content).
// Stricter than Go in one respect, like the CPU reader: a JSON null where a string, a number or a
// block belongs is an error (Go would silently read a zero value there).
//
// The version comes from the shape (`data`/`dataChecksum` → v3, podEntries → v2) and, for a file
// without pod entries, from the checksum variant that reproduces it: a checksum that covers an empty
// PodEntries field was written by a 1.36 kubelet with PodLevelResourceManagers on (v2), and a
// ≤1.35 kubelet would reject that file.

import {
  defaultMemoryChecksumVariant,
  legacyMemoryCheckpointChecksum,
  MEMORY_CHECKSUM_VARIANTS,
  memoryCheckpointDataChecksum,
  memoryCheckpointEquals,
  type GoMemoryBlock,
  type GoNumaNodeState,
  type LegacyMemoryCheckpointFields,
  type MemoryCheckpoint,
  type MemoryCheckpointVersion,
  type MemoryChecksumVariant,
} from '../model/checkpoint/memory-checkpoint.js';
import type { MachineState, MemoryBlock, MemoryTable, NumaNodeState } from '../model/memory/state.js';
import {
  expectObject,
  expectString,
  fieldsOf,
  intOf,
  kindOf,
  parseDocument,
  semantic,
  structural,
  uint64Of,
  type Doc,
  type JsonNode,
  type JsonObject,
  type Path,
} from './json-with-positions.js';
import type { CheckpointChecksumResult, ParsedCheckpoint } from './checkpoint-result.js';

export type MemoryCheckpointChecksumResult = CheckpointChecksumResult<MemoryChecksumVariant>;
export type ParsedMemoryCheckpoint = ParsedCheckpoint<MemoryCheckpoint, MemoryChecksumVariant>;

// ----- decoding with paths ---------------------------------------------------------------------

/** A value and its Go form (what the checksum is computed over). */
interface Decoded<D, G> {
  readonly domain: D;
  readonly go: G;
}

const INT_KEY = /^[+-]?\d+$/;

function expectArray(doc: Doc, path: Path, node: JsonNode, what: string): readonly JsonNode[] {
  if (node.kind !== 'array') structural(doc, path, node, `expected ${what}, got ${kindOf(node)}`);
  return node.items;
}

/** []int: null is a nil slice. */
function decodeInts(doc: Doc, path: Path, node: JsonNode): readonly number[] | null {
  if (node.kind === 'null') return null;
  return expectArray(doc, path, node, 'an array of integers').map((item, i) =>
    intOf(doc, [...path, String(i)], item),
  );
}

const TABLE_FIELDS = ['total', 'systemReserved', 'allocatable', 'reserved', 'free'] as const;

function decodeTable(doc: Doc, path: Path, node: JsonNode): MemoryTable {
  const obj = expectObject(doc, path, node, 'an object {total, systemReserved, allocatable, reserved, free}');
  const fields = fieldsOf(obj, TABLE_FIELDS);
  const bytes = (name: (typeof TABLE_FIELDS)[number]): bigint => {
    const value = fields.get(name);
    return value === undefined ? 0n : uint64Of(doc, [...path, name], value);
  };
  return {
    total: bytes('total'),
    systemReserved: bytes('systemReserved'),
    allocatable: bytes('allocatable'),
    reserved: bytes('reserved'),
    free: bytes('free'),
  };
}

const NODE_FIELDS = ['numberOfAssignments', 'memoryMap', 'cells'] as const;

function decodeNode(doc: Doc, path: Path, node: JsonNode): Decoded<NumaNodeState, GoNumaNodeState> {
  const obj = expectObject(doc, path, node, 'an object {numberOfAssignments, memoryMap, cells}');
  const fields = fieldsOf(obj, NODE_FIELDS);
  const countNode = fields.get('numberOfAssignments');
  const numberOfAssignments =
    countNode === undefined ? 0 : intOf(doc, [...path, 'numberOfAssignments'], countNode);

  const mapNode = fields.get('memoryMap');
  let memoryMap: Map<string, MemoryTable> | null = null;
  if (mapNode !== undefined && mapNode.kind !== 'null') {
    memoryMap = new Map();
    const mapPath = [...path, 'memoryMap'];
    const map = expectObject(doc, mapPath, mapNode, 'an object of resource name → memory table');
    for (const { key, value } of map.members) {
      const p = [...mapPath, key];
      if (value.kind === 'null') {
        semantic(
          doc,
          p,
          value,
          'null memory table',
          'the kubelet dereferences every table of the machine state',
        );
        continue;
      }
      memoryMap.set(key, decodeTable(doc, p, value));
    }
  }
  const cellsNode = fields.get('cells');
  const cells = cellsNode === undefined ? null : decodeInts(doc, [...path, 'cells'], cellsNode);
  return {
    domain: { numberOfAssignments, memoryMap: memoryMap ?? new Map(), cells: cells ?? [] },
    go: { numberOfAssignments, memoryMap, cells },
  };
}

function decodeMachineState(
  doc: Doc,
  node: JsonNode | undefined,
): Decoded<MachineState, ReadonlyMap<number, GoNumaNodeState> | null> {
  const path = ['machineState'];
  if (node === undefined) return { domain: new Map(), go: new Map() };
  if (node.kind === 'null') return { domain: new Map(), go: null };
  const obj = expectObject(doc, path, node, 'an object of NUMA node id → node state');
  const domain = new Map<number, NumaNodeState>();
  const go = new Map<number, GoNumaNodeState>();
  for (const { key, value } of obj.members) {
    const p = [...path, key];
    const id = Number(key);
    if (!INT_KEY.test(key) || !Number.isSafeInteger(id)) {
      structural(doc, p, value, `NUMA node id ${JSON.stringify(key)} is not an integer`);
    }
    if (value.kind === 'null') {
      semantic(
        doc,
        p,
        value,
        'null NUMA node state',
        'the kubelet dereferences every node of the machine state',
      );
      continue;
    }
    const decoded = decodeNode(doc, p, value);
    domain.set(id, decoded.domain);
    go.set(id, decoded.go);
  }
  return { domain, go };
}

const BLOCK_FIELDS = ['numaAffinity', 'type', 'size'] as const;

function decodeBlock(doc: Doc, path: Path, node: JsonNode): Decoded<MemoryBlock, GoMemoryBlock> {
  const obj = expectObject(doc, path, node, 'a memory block {numaAffinity, type, size}');
  const fields = fieldsOf(obj, BLOCK_FIELDS);
  const affinityNode = fields.get('numaAffinity');
  const numaAffinity =
    affinityNode === undefined ? null : decodeInts(doc, [...path, 'numaAffinity'], affinityNode);
  const typeNode = fields.get('type');
  const type =
    typeNode === undefined ? '' : expectString(doc, [...path, 'type'], typeNode, 'a resource name');
  const sizeNode = fields.get('size');
  const size = sizeNode === undefined ? 0n : uint64Of(doc, [...path, 'size'], sizeNode);
  return { domain: { numaAffinity: numaAffinity ?? [], type, size }, go: { numaAffinity, type, size } };
}

/** []Block: null is a nil slice (no blocks). */
function decodeBlocks(
  doc: Doc,
  path: Path,
  node: JsonNode,
): Decoded<readonly MemoryBlock[], readonly GoMemoryBlock[] | null> {
  if (node.kind === 'null') return { domain: [], go: null };
  const items = expectArray(doc, path, node, 'an array of memory blocks');
  const decoded = items.map((item, i) => decodeBlock(doc, [...path, String(i)], item));
  return { domain: decoded.map((d) => d.domain), go: decoded.map((d) => d.go) };
}

type GoEntries = LegacyMemoryCheckpointFields['entries'];

function decodeEntries(
  doc: Doc,
  node: JsonNode | undefined,
): Decoded<ReadonlyMap<string, ReadonlyMap<string, readonly MemoryBlock[]>>, GoEntries> {
  const path = ['entries'];
  if (node === undefined) return { domain: new Map(), go: new Map() };
  if (node.kind === 'null') return { domain: new Map(), go: null };
  const obj = expectObject(doc, path, node, 'an object of pod UID → container → blocks');
  const domain = new Map<string, ReadonlyMap<string, readonly MemoryBlock[]>>();
  const go = new Map<string, ReadonlyMap<string, readonly GoMemoryBlock[] | null> | null>();
  for (const { key: podUid, value } of obj.members) {
    const p = [...path, podUid];
    if (value.kind === 'null') {
      domain.set(podUid, new Map());
      go.set(podUid, null);
      continue;
    }
    const inner = expectObject(doc, p, value, 'an object of container → blocks');
    const domainInner = new Map<string, readonly MemoryBlock[]>();
    const goInner = new Map<string, readonly GoMemoryBlock[] | null>();
    for (const { key: container, value: blocks } of inner.members) {
      const decoded = decodeBlocks(doc, [...p, container], blocks);
      domainInner.set(container, decoded.domain);
      goInner.set(container, decoded.go);
    }
    domain.set(podUid, domainInner);
    go.set(podUid, goInner);
  }
  return { domain, go };
}

function decodePodEntries(
  doc: Doc,
  node: JsonNode | undefined,
): Decoded<ReadonlyMap<string, readonly MemoryBlock[]>, LegacyMemoryCheckpointFields['podEntries']> {
  const path = ['podEntries'];
  if (node === undefined) return { domain: new Map(), go: new Map() };
  if (node.kind === 'null') return { domain: new Map(), go: null };
  const obj = expectObject(doc, path, node, 'an object of pod UID → {"memoryBlocks": [block]}');
  const domain = new Map<string, readonly MemoryBlock[]>();
  const go = new Map<string, readonly GoMemoryBlock[] | null>();
  for (const { key: podUid, value } of obj.members) {
    const p = [...path, podUid];
    const entry = expectObject(doc, p, value, 'an object {"memoryBlocks": [block]}');
    const blocksNode = fieldsOf(entry, ['memoryBlocks']).get('memoryBlocks');
    const decoded =
      blocksNode === undefined
        ? { domain: [], go: null } // memoryBlocks is omitempty: absent = nil
        : decodeBlocks(doc, [...p, 'memoryBlocks'], blocksNode);
    domain.set(podUid, decoded.domain);
    go.set(podUid, decoded.go);
  }
  return { domain, go };
}

interface DecodedFields {
  readonly policyName: string;
  readonly machineState: MachineState;
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, readonly MemoryBlock[]>>;
  readonly podEntries: ReadonlyMap<string, readonly MemoryBlock[]>;
  readonly go: LegacyMemoryCheckpointFields;
}

const STATE_FIELDS = ['policyName', 'machineState', 'entries', 'podEntries'] as const;

function decodeStateFields(doc: Doc, obj: JsonObject, fields: ReadonlyMap<string, JsonNode>): DecodedFields {
  const cpu = obj.members.some((m) => m.key.toLowerCase() === 'defaultcpuset');
  const required = (name: 'policyName' | 'machineState'): void => {
    if (fields.has(name)) return;
    const hint = cpu ? 'this looks like a cpu_manager_state file' : 'the kubelet always writes it';
    semantic(doc, [name], undefined, 'missing field', hint);
  };
  required('policyName');
  required('machineState');
  const policyNode = fields.get('policyName');
  const policyName = policyNode === undefined ? '' : expectString(doc, ['policyName'], policyNode);
  const machineState = decodeMachineState(doc, fields.get('machineState'));
  const entries = decodeEntries(doc, fields.get('entries'));
  const podEntries = decodePodEntries(doc, fields.get('podEntries'));
  return {
    policyName,
    machineState: machineState.domain,
    entries: entries.domain,
    podEntries: podEntries.domain,
    go: { policyName, machineState: machineState.go, entries: entries.go, podEntries: podEntries.go },
  };
}

function toCheckpoint(version: MemoryCheckpointVersion, f: DecodedFields): MemoryCheckpoint {
  return {
    version,
    policyName: f.policyName,
    machineState: f.machineState,
    entries: f.entries,
    podEntries: f.podEntries,
  };
}

// ----- versions --------------------------------------------------------------------------------

const TOP_FIELDS = [...STATE_FIELDS, 'checksum', 'data', 'dataChecksum'] as const;

/**
 * Parses a memory_manager_state file. `source` names it in errors and warnings. Throws InputError
 * when the kubelet could not read the file for reasons other than its checksum.
 */
export function parseMemoryCheckpoint(text: string, source: string): ParsedMemoryCheckpoint {
  const doc: Doc = { source, text, scope: '' };
  const top = expectObject(doc, [], parseDocument(doc), 'a JSON object');
  const fields = fieldsOf(top, TOP_FIELDS);
  const dataNode = fields.get('data');
  const data =
    dataNode === undefined
      ? ''
      : expectString(doc, ['data'], dataNode, 'a string holding the checkpoint JSON');
  const dataChecksumNode = fields.get('dataChecksum');
  const dataChecksum =
    dataChecksumNode === undefined ? 0n : uint64Of(doc, ['dataChecksum'], dataChecksumNode);
  // loadAndMigrateCheckpointV3: a failed v3 load falls back to v2/v1 only when data is empty and
  // dataChecksum is 0.
  if (data !== '' || dataChecksum !== 0n) return parseV3(doc, top, fields, data, dataChecksum);
  return parseLegacy(doc, top, fields);
}

interface LegacyResult {
  readonly version: MemoryCheckpointVersion;
  readonly checksum: MemoryCheckpointChecksumResult;
  readonly warnings: string[];
}

/** Verifies a v1/v2 `checksum` as the kubelet's v2 reader, then its v1 reader, would. */
function verifyLegacy(source: string, f: DecodedFields, file: bigint): LegacyResult {
  const hasPods = f.podEntries.size > 0;
  const shapeVersion: MemoryCheckpointVersion = hasPods ? 'v2' : 'v1';
  const primary = defaultMemoryChecksumVariant(shapeVersion);
  const warnings: string[] = [];
  const dropsPods = `a kubelet reads this file as v1 and drops its ${f.podEntries.size} podEntries`;

  if (file === 0n) {
    // MemoryManagerCheckpointV1.VerifyChecksum: "accept empty checksum for compatibility with old
    // file backend". The v2 reader has no such exception.
    if (hasPods) warnings.push(`${source}: checksum 0 is accepted only by the v1 reader; ${dropsPods}`);
    return {
      version: shapeVersion,
      warnings,
      checksum: {
        field: 'checksum',
        file,
        status: 'unverified',
        computed: legacyMemoryCheckpointChecksum(f.go, primary),
        variant: primary,
      },
    };
  }

  const variants = [...MEMORY_CHECKSUM_VARIANTS].sort(
    (a, b) => Number(hasPods && b.withPodEntries) - Number(hasPods && a.withPodEntries),
  );
  for (const variant of variants) {
    const computed = legacyMemoryCheckpointChecksum(f.go, variant);
    if (BigInt(computed) !== file) continue;
    if (hasPods && !variant.withPodEntries) {
      warnings.push(`${source}: the checksum does not cover podEntries; ${dropsPods}`);
    }
    if (variant.typeName === 'MemoryManagerCheckpointV1') {
      warnings.push(
        `${source}: the checksum is over the type name MemoryManagerCheckpointV1 (a 1.36 pre-release writer); ` +
          'only kubelet 1.36 with PodLevelResourceManagers off accepts it',
      );
    }
    return {
      version: hasPods || variant.withPodEntries ? 'v2' : 'v1',
      warnings,
      checksum: { field: 'checksum', file, status: 'verified', computed, variant },
    };
  }

  const computed = legacyMemoryCheckpointChecksum(f.go, primary);
  warnings.push(`${source}: checksum mismatch (file ${file.toString()}, computed ${computed})`);
  return {
    version: shapeVersion,
    warnings,
    checksum: { field: 'checksum', file, status: 'mismatch', computed, variant: primary },
  };
}

function checksumOf(doc: Doc, fields: ReadonlyMap<string, JsonNode>): bigint {
  const node = fields.get('checksum');
  return node === undefined ? 0n : uint64Of(doc, ['checksum'], node);
}

function parseLegacy(
  doc: Doc,
  top: JsonObject,
  fields: ReadonlyMap<string, JsonNode>,
): ParsedMemoryCheckpoint {
  const f = decodeStateFields(doc, top, fields);
  const result = verifyLegacy(doc.source, f, checksumOf(doc, fields));
  return {
    checkpoint: toCheckpoint(result.version, f),
    warnings: result.warnings,
    checksum: result.checksum,
  };
}

function parseV3(
  doc: Doc,
  top: JsonObject,
  fields: ReadonlyMap<string, JsonNode>,
  data: string,
  file: bigint,
): ParsedMemoryCheckpoint {
  if (!fields.has('data')) {
    return structural(
      doc,
      ['data'],
      undefined,
      'missing field',
      'a v3 checkpoint (it has dataChecksum) needs data',
    );
  }
  const dataDoc: Doc = { source: doc.source, text: data, scope: 'data' };
  const payload = expectObject(dataDoc, [], parseDocument(dataDoc), 'a JSON object');
  const f = decodeStateFields(dataDoc, payload, fieldsOf(payload, STATE_FIELDS));
  const checkpoint = toCheckpoint('v3', f);

  const computed = memoryCheckpointDataChecksum(data);
  const warnings: string[] = [];
  const verified = BigInt(computed) === file;
  if (!verified)
    warnings.push(`${doc.source}: data checksum mismatch (file ${file.toString()}, computed ${computed})`);

  // The legacy copy at the top level (the embedded MemoryManagerCheckpointV1) is what ≤1.36 kubelets
  // read; 1.37 unmarshals it (type errors fail) but uses only data.
  if (fields.has('policyName') || fields.has('machineState')) {
    const problems: string[] = [];
    const legacy = decodeStateFields({ ...doc, problems }, top, fields);
    const before = 'kubelets before 1.37';
    if (problems.length > 0) {
      warnings.push(
        `${doc.source}: the top-level copy that ${before} read is invalid: ${problems.join('; ')}`,
      );
    } else {
      const v1 = verifyLegacy(doc.source, { ...legacy, podEntries: new Map() }, checksumOf(doc, fields));
      if (v1.checksum.status === 'mismatch') {
        warnings.push(
          `${doc.source}: the top-level checksum does not verify (file ${v1.checksum.file.toString()}, computed ${v1.checksum.computed}); ${before} reject the file`,
        );
      }
      // The top-level copy has no pod entries by design (v1 struct).
      const same = memoryCheckpointEquals(
        toCheckpoint('v3', { ...legacy, podEntries: new Map() }),
        toCheckpoint('v3', { ...f, podEntries: new Map() }),
      );
      if (!same) {
        warnings.push(
          `${doc.source}: the top-level fields differ from data; kubelet 1.37 uses data, older kubelets the top-level fields`,
        );
      }
    }
  }
  return {
    checkpoint,
    warnings,
    checksum: { field: 'dataChecksum', file, status: verified ? 'verified' : 'mismatch', computed },
  };
}
