// Maps a CPU manager checkpoint object (the JSON of /var/lib/kubelet/cpu_manager_state, V2–V4,
// allocator-model.md §9.1) given in a scenario's `node.state.cpuManager` to the model's
// CpuStateInput. V4's `data` string, when present, is the authoritative content, as for a 1.37
// kubelet (the top-level copy is what older kubelets read). The object is read strictly here (unknown fields are errors, paths and
// lines name the scenario); when it carries a checksum (`checksum`, or `dataChecksum` with
// `data`) the kubelet's own reading of the same object (parse/cpu-checkpoint.ts, fed the object
// as JSON text) verifies it, and its findings (a mismatch, pod entries an older kubelet would
// drop) become warnings, as scenario-format.md asks. Without a checksum nothing is verified.
// The kubelet's start-up rules that need no allocator are applied: the checkpoint policy must be
// the configured one, an empty `defaultCpuSet` with no entries is a fresh state, an empty one
// with entries is invalid, and every cpu must exist on the machine.

import { InputError } from '../errors.js';
import { CpuSet, formatCpuList, parseCpuList } from '../model/cpuset.js';
import type { CpuManagerPolicy } from '../model/kubelet-config.js';
import type { CpuStateInput } from '../model/simulation-input.js';
import type { Topology } from '../model/topology.js';
import { parseCpuCheckpoint } from '../parse/cpu-checkpoint.js';
import { asInt, asMap, asString, checkKeys, isAbsent, optMap, type RawMap } from './fields.js';
import type { Where } from './where.js';

const CHECKPOINT_FIELDS = [
  'policyName',
  'defaultCpuSet',
  'entries',
  'podEntries',
  'checksum',
  'data',
  'dataChecksum',
];
const DATA_FIELDS = ['policyName', 'defaultCpuSet', 'entries', 'podEntries'];

export interface CpuStateResult {
  /** null for a fresh kubelet (no assignments, empty default set). */
  readonly state: CpuStateInput | null;
  /** Checksum findings, each naming the field ("<where>: checksum mismatch (file N, computed M)"). */
  readonly warnings: readonly string[];
}

export function toCpuState(
  raw: unknown,
  w: Where,
  topology: Topology,
  policy: CpuManagerPolicy,
): CpuStateResult {
  const state = readCpuState(raw, w, topology, policy);
  return { state, warnings: verifyChecksums(raw, w) };
}

/**
 * The kubelet reader's findings on the checkpoint, when it has a checksum to verify. Its
 * structural errors cannot occur after readCpuState accepted the object; should one, it is
 * reported at the checkpoint without the reader's positions (they point into generated JSON).
 */
function verifyChecksums(raw: unknown, w: Where): readonly string[] {
  const top = asMap(raw, w);
  const hasData = !isAbsent(top.data);
  if (hasData ? isAbsent(top.dataChecksum) : isAbsent(top.checksum)) return [];
  const source = w.toString();
  try {
    return parseCpuCheckpoint(JSON.stringify(raw), source).warnings;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const why = e.message
      .slice(e.message.startsWith(source) ? source.length : 0)
      .replace(/^[ :]+/, '')
      .replace(/ \((data )?line \d+ column \d+\)$/, '');
    return w.fail(why, e.hint, e);
  }
}

function readCpuState(
  raw: unknown,
  w: Where,
  topology: Topology,
  policy: CpuManagerPolicy,
): CpuStateInput | null {
  const top = asMap(raw, w);
  checkKeys(top, CHECKPOINT_FIELDS, w);
  if (!isAbsent(top.checksum)) asInt(top.checksum, w.child('checksum'));
  if (!isAbsent(top.dataChecksum)) asInt(top.dataChecksum, w.child('dataChecksum'));
  let body: RawMap = top;
  let bw = w;
  if (!isAbsent(top.data)) {
    bw = w.child('data');
    const text = asString(top.data, bw);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      bw.fail(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`, undefined, e);
    }
    body = asMap(parsed, bw);
    checkKeys(body, DATA_FIELDS, bw);
  }

  const policyName = asString(body.policyName, bw.child('policyName'));
  if (policyName !== policy) {
    bw.child('policyName').fail(
      `checkpoint policy "${policyName}" differs from the configured cpuManagerPolicy "${policy}"`,
      'the kubelet refuses to start with it; drop the state or change the policy',
    );
  }
  const cpus = (v: unknown, vw: Where): CpuSet => {
    const text = asString(v, vw);
    let set: CpuSet;
    try {
      set = parseCpuList(text);
    } catch (e) {
      return vw.fail(
        `invalid cpu list "${text}": ${e instanceof Error ? e.message : String(e)}`,
        undefined,
        e,
      );
    }
    const unknown = set.difference(topology.all);
    if (!unknown.isEmpty()) vw.fail(`cpus ${formatCpuList(unknown)} are not in the topology`);
    return set;
  };

  const defaultCpuSet = isAbsent(body.defaultCpuSet)
    ? CpuSet.empty
    : cpus(body.defaultCpuSet, bw.child('defaultCpuSet'));

  const entries = new Map<string, ReadonlyMap<string, CpuSet>>();
  const ew = bw.child('entries');
  for (const [podUid, containers] of Object.entries(optMap(body.entries, ew))) {
    const pw = ew.child(podUid);
    if (typeof containers === 'string') {
      pw.fail(
        'a V1 checkpoint (entries keyed by container id) is not supported; V2 or later keys them by pod uid',
      );
    }
    const byName = new Map<string, CpuSet>();
    for (const [name, set] of Object.entries(asMap(containers, pw)))
      byName.set(name, cpus(set, pw.child(name)));
    entries.set(podUid, byName);
  }

  const podEntries = new Map<string, CpuSet>();
  const pew = bw.child('podEntries');
  for (const [podUid, entry] of Object.entries(optMap(body.podEntries, pew))) {
    const pw = pew.child(podUid);
    const e = asMap(entry, pw);
    for (const key of Object.keys(e)) {
      if (key !== 'cpuSet') pw.child(key).fail('unknown field', 'known fields: cpuSet');
    }
    podEntries.set(podUid, cpus(e.cpuSet, pw.child('cpuSet')));
  }

  if (defaultCpuSet.isEmpty()) {
    if (entries.size === 0 && podEntries.size === 0) return null;
    bw.child('defaultCpuSet').fail('the default cpu set cannot be empty when there are entries');
  }
  return { defaultCpuSet, entries, podEntries };
}
