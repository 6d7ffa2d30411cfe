// Parses /var/lib/kubelet/cpu_manager_state in every version (v1–v4) the way the kubelet reads it:
// pkg/kubelet/cm/cpumanager/state/state_checkpoint.go (loadAndMigrateCheckpointV4 → V3 → V2, and
// the V1 migration of ≤1.35), checkpoint.go (UnmarshalCheckpoint, VerifyChecksum), state.go
// (PodEntry.UnmarshalJSON), k8s.io/utils/cpuset.Parse and the empty-default check of
// policy_static.go validateState. JSON follows Go's encoding/json: field names match exactly or,
// failing that, case-insensitively; the last duplicate wins; unknown fields are ignored.
//
// Outcomes:
//   * not JSON, wrong types, invalid cpusets, an empty defaultCpuSet with entries → InputError,
//     one line naming the source, the JSON path and the line:column;
//   * a checksum that does not reproduce → a warning `<source>: checksum mismatch (file N, computed M)`
//     (the kubelet would refuse the file; we still return its content).
// The version comes from the shape (flat entries → v1, `data`/`dataChecksum` → v4, podEntries → v3)
// and, for shapes several versions share (no entries, no podEntries), from the checksum variant
// that reproduces the file's value: a file without podEntries whose checksum covers an empty
// PodEntries field was written by a v3 writer and a ≤1.35 kubelet would reject it.

import { CpuSet, parseCpuList } from '../model/cpuset.js';
import {
  CPU_CHECKPOINT_V1_CONTAINER,
  CPU_CHECKSUM_VARIANTS,
  cpuCheckpointDataChecksum,
  cpuCheckpointEquals,
  defaultCpuChecksumVariant,
  legacyCpuCheckpointChecksum,
  type CpuCheckpoint,
  type CpuCheckpointVersion,
  type CpuChecksumVariant,
  type LegacyCpuCheckpointFields,
  type LegacyCpuEntries,
} from '../model/checkpoint/cpu-checkpoint.js';
import {
  expectObject,
  expectString,
  fieldsOf,
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

export type CpuCheckpointChecksumResult = CheckpointChecksumResult<CpuChecksumVariant>;
export type ParsedCpuCheckpoint = ParsedCheckpoint<CpuCheckpoint, CpuChecksumVariant>;

// ----- decoding with paths ---------------------------------------------------------------------

const CPU_LIST = /^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$/;

/** k8s.io/utils/cpuset.Parse: "" is the empty set; no spaces, no strides. */
function cpuSetOf(doc: Doc, path: Path, node: JsonNode, raw: string): CpuSet {
  if (raw === '') return CpuSet.empty;
  try {
    if (!CPU_LIST.test(raw)) throw new RangeError('expected a cpu list such as "0-3,8"');
    return parseCpuList(raw);
  } catch (e) {
    const reason = e instanceof RangeError ? e.message : String(e);
    semantic(doc, path, node, `invalid cpuset ${JSON.stringify(raw)}: ${reason}`);
    return CpuSet.empty;
  }
}

interface DecodedEntries {
  readonly raw: LegacyCpuEntries;
  /** No value tells v1 (flat) from v2+ (nested): absent, null or `{}`. */
  readonly ambiguous: boolean;
  readonly domain: ReadonlyMap<string, ReadonlyMap<string, CpuSet>>;
}

function decodeEntries(doc: Doc, node: JsonNode | undefined, allowFlat: boolean): DecodedEntries {
  const path = ['entries'];
  if (node === undefined || node.kind === 'null') {
    return {
      raw: { shape: 'nested', map: node === undefined ? new Map() : null },
      ambiguous: true,
      domain: new Map(),
    };
  }
  const obj = expectObject(doc, path, node, 'an object of pod UID → container → cpuset');
  const decider = obj.members.find((m) => m.value.kind !== 'null');
  const flat = decider?.value.kind === 'string';
  if (flat && !allowFlat) {
    structural(
      doc,
      [...path, decider.key],
      decider.value,
      `expected an object of container → cpuset, got ${kindOf(decider.value)}`,
    );
  }
  const domain = new Map<string, ReadonlyMap<string, CpuSet>>();
  if (flat) {
    const raw = new Map<string, string>();
    for (const { key, value } of obj.members) {
      const p = [...path, key];
      const text = expectString(doc, p, value, 'a cpuset string (entries are v1: container id → cpuset)');
      raw.set(key, text);
      domain.set(key, new Map([[CPU_CHECKPOINT_V1_CONTAINER, cpuSetOf(doc, p, value, text)]]));
    }
    return { raw: { shape: 'flat', map: raw }, ambiguous: false, domain };
  }
  const raw = new Map<string, ReadonlyMap<string, string> | null>();
  for (const { key: podUid, value } of obj.members) {
    const p = [...path, podUid];
    if (value.kind === 'null') {
      raw.set(podUid, null);
      domain.set(podUid, new Map());
      continue;
    }
    const inner = expectObject(
      doc,
      p,
      value,
      'an object of container → cpuset (entries are v2+: pod UID → container → cpuset)',
    );
    const rawInner = new Map<string, string>();
    const domainInner = new Map<string, CpuSet>();
    for (const { key: container, value: cpus } of inner.members) {
      const q = [...p, container];
      const text = expectString(doc, q, cpus, 'a cpuset string');
      rawInner.set(container, text);
      domainInner.set(container, cpuSetOf(doc, q, cpus, text));
    }
    raw.set(podUid, rawInner);
    domain.set(podUid, domainInner);
  }
  return { raw: { shape: 'nested', map: raw }, ambiguous: decider === undefined, domain };
}

interface DecodedPodEntries {
  /** null: JSON null (a nil map); absent: an empty map, as the kubelet pre-allocates it. */
  readonly raw: ReadonlyMap<string, CpuSet> | null;
  readonly domain: ReadonlyMap<string, CpuSet>;
}

function decodePodEntries(doc: Doc, node: JsonNode | undefined): DecodedPodEntries {
  const path = ['podEntries'];
  if (node === undefined) return { raw: new Map(), domain: new Map() };
  if (node.kind === 'null') return { raw: null, domain: new Map() };
  const obj = expectObject(doc, path, node, 'an object of pod UID → {"cpuSet": cpuset}');
  const domain = new Map<string, CpuSet>();
  for (const { key: podUid, value } of obj.members) {
    const p = [...path, podUid];
    const entry = expectObject(doc, p, value, 'an object {"cpuSet": cpuset}');
    const cpuSetNode = fieldsOf(entry, ['cpuSet']).get('cpuSet');
    // PodEntry.UnmarshalJSON: a missing cpuSet is "" (omitempty), i.e. the empty set.
    if (cpuSetNode === undefined) domain.set(podUid, CpuSet.empty);
    else {
      const q = [...p, 'cpuSet'];
      domain.set(podUid, cpuSetOf(doc, q, cpuSetNode, expectString(doc, q, cpuSetNode, 'a cpuset string')));
    }
  }
  return { raw: domain, domain };
}

interface DecodedFields {
  readonly policyName: string;
  readonly defaultCpuSetRaw: string;
  readonly defaultCpuSet: CpuSet;
  readonly entries: DecodedEntries;
  readonly podEntries: DecodedPodEntries;
}

const STATE_FIELDS = ['policyName', 'defaultCpuSet', 'entries', 'podEntries'] as const;

function decodeStateFields(
  doc: Doc,
  obj: JsonObject,
  fields: ReadonlyMap<string, JsonNode>,
  allowFlat: boolean,
): DecodedFields {
  const required = (name: 'policyName' | 'defaultCpuSet'): JsonNode => {
    const node = fields.get(name);
    if (node !== undefined) return node;
    const memory = obj.members.some((m) => m.key.toLowerCase() === 'machinestate');
    const hint = memory ? 'this looks like a memory_manager_state file' : 'the kubelet always writes it';
    semantic(doc, [name], undefined, 'missing field', hint);
    return { kind: 'string', at: obj.at, value: '' }; // Go's zero value
  };
  const policyName = expectString(doc, ['policyName'], required('policyName'));
  const defaultNode = required('defaultCpuSet');
  const defaultCpuSetRaw = expectString(doc, ['defaultCpuSet'], defaultNode, 'a cpuset string');
  const defaultCpuSet = cpuSetOf(doc, ['defaultCpuSet'], defaultNode, defaultCpuSetRaw);
  const entries = decodeEntries(doc, fields.get('entries'), allowFlat);
  const podEntries = decodePodEntries(doc, fields.get('podEntries'));
  if (entries.raw.shape === 'flat' && podEntries.domain.size > 0) {
    semantic(
      doc,
      ['podEntries'],
      fields.get('podEntries'),
      'v1 entries (container id → cpuset) cannot have podEntries',
    );
  }
  if (defaultCpuSet.isEmpty() && entries.domain.size > 0) {
    semantic(
      doc,
      ['defaultCpuSet'],
      defaultNode,
      `empty while entries pin cpus for ${entries.domain.size} ${entries.raw.shape === 'flat' ? 'container(s)' : 'pod(s)'}`,
      'the kubelet refuses this state ("default cpuset cannot be empty")',
    );
  }
  return { policyName, defaultCpuSetRaw, defaultCpuSet, entries, podEntries };
}

function toCheckpoint(version: CpuCheckpointVersion, f: DecodedFields): CpuCheckpoint {
  return {
    version,
    policyName: f.policyName,
    defaultCpuSet: f.defaultCpuSet,
    entries: f.entries.domain,
    podEntries: f.podEntries.domain,
  };
}

// ----- versions --------------------------------------------------------------------------------

const TOP_FIELDS = [...STATE_FIELDS, 'checksum', 'data', 'dataChecksum'] as const;

/**
 * Parses a cpu_manager_state file. `source` names it in errors and warnings. Throws InputError
 * when the kubelet could not read the file for reasons other than its checksum.
 */
export function parseCpuCheckpoint(text: string, source: string): ParsedCpuCheckpoint {
  const doc: Doc = { source, text, scope: '' };
  const top = expectObject(doc, [], parseDocument(doc), 'a JSON object');
  const fields = fieldsOf(top, TOP_FIELDS);
  if (fields.has('data') || fields.has('dataChecksum')) return parseV4(doc, top, fields);
  return parseLegacy(doc, top, fields);
}

interface Candidate {
  readonly fields: LegacyCpuCheckpointFields;
  readonly variant: CpuChecksumVariant;
}

function legacyCandidates(f: DecodedFields): Candidate[] {
  const base = { policyName: f.policyName, defaultCpuSet: f.defaultCpuSetRaw, podEntries: f.podEntries.raw };
  const preferPods = f.podEntries.domain.size > 0;
  const variants = [...CPU_CHECKSUM_VARIANTS].sort(
    (a, b) => Number(preferPods && b.withPodEntries) - Number(preferPods && a.withPodEntries),
  );
  const out: Candidate[] = variants.map((variant) => ({
    fields: { ...base, entries: f.entries.raw },
    variant,
  }));
  if (f.entries.ambiguous) {
    // No entries to tell: the file may also be a v1 file (flat map[string]string).
    const flat: LegacyCpuEntries = { shape: 'flat', map: f.entries.raw.map === null ? null : new Map() };
    for (const variant of CPU_CHECKSUM_VARIANTS) {
      if (!variant.withPodEntries) out.push({ fields: { ...base, entries: flat }, variant });
    }
  }
  return f.entries.raw.shape === 'flat' ? out.filter((c) => !c.variant.withPodEntries) : out;
}

function parseLegacy(doc: Doc, top: JsonObject, fields: ReadonlyMap<string, JsonNode>): ParsedCpuCheckpoint {
  const f = decodeStateFields(doc, top, fields, true);
  const checksumNode = fields.get('checksum');
  const file = checksumNode === undefined ? 0n : uint64Of(doc, ['checksum'], checksumNode);
  const hasPods = f.podEntries.domain.size > 0;
  const shapeVersion: CpuCheckpointVersion = f.entries.raw.shape === 'flat' ? 'v1' : hasPods ? 'v3' : 'v2';
  const primary = defaultCpuChecksumVariant(shapeVersion);
  const primaryFields: LegacyCpuCheckpointFields = {
    policyName: f.policyName,
    defaultCpuSet: f.defaultCpuSetRaw,
    entries: f.entries.raw,
    podEntries: f.podEntries.raw,
  };
  const warnings: string[] = [];
  const dropsPods = `a kubelet reads this file as v2 and drops its ${f.podEntries.domain.size} podEntries`;

  if (file === 0n) {
    // VerifyChecksum of V1/V2: "accept empty checksum for compatibility with old file backend".
    if (hasPods)
      warnings.push(`${doc.source}: checksum 0 is accepted only by the v1/v2 readers; ${dropsPods}`);
    return {
      checkpoint: toCheckpoint(shapeVersion, f),
      warnings,
      checksum: {
        field: 'checksum',
        file,
        status: 'unverified',
        computed: legacyCpuCheckpointChecksum(primaryFields, primary),
        variant: primary,
      },
    };
  }

  for (const candidate of legacyCandidates(f)) {
    const computed = legacyCpuCheckpointChecksum(candidate.fields, candidate.variant);
    if (BigInt(computed) !== file) continue;
    let version: CpuCheckpointVersion;
    if (candidate.fields.entries.shape === 'flat') version = 'v1';
    else if (hasPods) {
      version = 'v3';
      if (!candidate.variant.withPodEntries) {
        warnings.push(`${doc.source}: the checksum does not cover podEntries; ${dropsPods}`);
      }
    } else version = candidate.variant.withPodEntries ? 'v3' : 'v2';
    return {
      checkpoint: toCheckpoint(version, f),
      warnings,
      checksum: { field: 'checksum', file, status: 'verified', computed, variant: candidate.variant },
    };
  }

  const computed = legacyCpuCheckpointChecksum(primaryFields, primary);
  warnings.push(`${doc.source}: checksum mismatch (file ${file.toString()}, computed ${computed})`);
  return {
    checkpoint: toCheckpoint(shapeVersion, f),
    warnings,
    checksum: { field: 'checksum', file, status: 'mismatch', computed, variant: primary },
  };
}

function parseV4(doc: Doc, top: JsonObject, fields: ReadonlyMap<string, JsonNode>): ParsedCpuCheckpoint {
  const dataNode = fields.get('data');
  if (dataNode === undefined) {
    return structural(
      doc,
      ['data'],
      undefined,
      'missing field',
      'a v4 checkpoint (it has dataChecksum) needs data',
    );
  }
  const data = expectString(doc, ['data'], dataNode, 'a string holding the checkpoint JSON');
  const dataDoc: Doc = { source: doc.source, text: data, scope: 'data' };
  const payload = expectObject(dataDoc, [], parseDocument(dataDoc), 'a JSON object');
  const f = decodeStateFields(dataDoc, payload, fieldsOf(payload, STATE_FIELDS), false);
  const checkpoint = toCheckpoint('v4', f);

  const checksumNode = fields.get('dataChecksum');
  const file = checksumNode === undefined ? 0n : uint64Of(doc, ['dataChecksum'], checksumNode);
  if (fields.has('checksum')) uint64Of(doc, ['checksum'], fields.get('checksum') as JsonNode);
  const computed = cpuCheckpointDataChecksum(data);
  const warnings: string[] = [];
  const verified = BigInt(computed) === file;
  if (!verified)
    warnings.push(`${doc.source}: data checksum mismatch (file ${file.toString()}, computed ${computed})`);

  // The legacy copy at the top level is what ≤1.36 kubelets read; 1.37 reads only data.
  if (fields.has('policyName') || fields.has('defaultCpuSet')) {
    const problems: string[] = [];
    const legacy = decodeStateFields({ ...doc, problems }, top, fields, false);
    if (problems.length > 0) {
      warnings.push(
        `${doc.source}: the top-level copy that kubelets before 1.37 read is invalid: ${problems.join('; ')}`,
      );
    } else if (!cpuCheckpointEquals(toCheckpoint('v4', legacy), checkpoint)) {
      warnings.push(
        `${doc.source}: the top-level fields differ from data; kubelet 1.37 uses data, older kubelets the top-level fields`,
      );
    }
  }
  return {
    checkpoint,
    warnings,
    checksum: { field: 'dataChecksum', file, status: verified ? 'verified' : 'mismatch', computed },
  };
}
