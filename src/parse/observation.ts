// The strict reader of a NodeObservation document (cli.md §8.6, what `collect` prints), JSON or
// YAML: text → NodeObservation, or an InputError (exit 2) naming the file, the field path and the
// line: `obs.json topology.cpus[3].numa: expected integer, got "a" (line 41)`.
//
// * The envelope is closed: an unknown field is an error. `kind` and `apiVersion` are checked
//   first, so that another podres document is named as such (cli.md §4).
// * `topology` is the explicit scenario-format form, bytes as integers; besides the types, it must
//   make a machine (scenario/topology.ts: no duplicate CPU, memory only for NUMA nodes with CPUs,
//   a square distance matrix …).
// * `podResources.list` / `allocatable` are kubelet responses, checked with the PodResources
//   reader (parse/podresources.ts: proto or lowerCamelCase names, integers as numbers or strings,
//   unknown fields ignored) and kept as they are.
// * Checkpoint `content` is kept as text: checkpoints are read (and checksums verified) by their
//   consumers, and a bad one is a source problem there, not a bad observation.
// * cpusets come back in canonical form; a nullable field may also be left out (= null).

import { InputError } from '../errors.js';
import { formatCpuList, parseCpuList } from '../model/cpuset.js';
import { DOCUMENT_API_VERSION } from '../schema/common.js';
import type {
  NodeObservation,
  ObservationError,
  ObservationErrorSource,
  ObservedCgroup,
  ObservedCheckpointFile,
  ObservedTopology,
  ObservedTopologyCpu,
  ObservedTopologyMemory,
} from '../schema/observation.js';
import {
  asEnum,
  asInt,
  asList,
  asMap,
  asName,
  asString,
  checkKeys,
  describeValue,
  isAbsent,
  isHugepagesName,
  optInt,
  optString,
} from '../scenario/fields.js';
import { toTopology } from '../scenario/topology.js';
import { Where } from '../scenario/where.js';
import { checkDocumentKind } from './document-kind.js';
import { toAllocatableResources, toPodResourcesList } from './podresources.js';
import { parseOneYamlDocument } from './yaml-document.js';

export const OBSERVATION_KIND = 'NodeObservation';

const FIELDS = [
  'apiVersion',
  'kind',
  'node',
  'collectedAt',
  'collectorVersion',
  'kubeletVersion',
  'hostRoot',
  'kubeletRootDir',
  'cgroupVersion',
  'topology',
  'podResources',
  'checkpoints',
  'cgroups',
  'errors',
];
const TOPOLOGY_FIELDS = ['cpus', 'memory', 'distances'];
const CPU_FIELDS = ['id', 'core', 'socket', 'numa', 'uncoreCache'];
const POD_RESOURCES_FIELDS = ['socket', 'list', 'allocatable'];
const CHECKPOINTS_FIELDS = ['cpuManager', 'memoryManager'];
const CHECKPOINT_FIELDS = ['path', 'content'];
const CGROUP_FIELDS = ['podUid', 'containerId', 'path', 'cpusetCpus', 'cpusetMems', 'cpuMax', 'cpuStat'];
const CPU_STAT_FIELDS = ['nrPeriods', 'nrThrottled', 'throttledUsec'];
const ERROR_FIELDS = ['source', 'path', 'message'];
const ERROR_SOURCES: readonly ObservationErrorSource[] = ['podresources', 'checkpoint', 'topology', 'cgroup'];

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;
const CONTAINER_ID = /^[0-9a-f]{64}$/;
/** cgroup cpu.max: "<quota|max> <period>" */
const CPU_MAX = /^(?:max|\d+) \d+$/;

/** Parses a NodeObservation (JSON or YAML); `file` names the input in errors ("-" is shown as "<stdin>"). */
export function parseObservation(text: string, file: string): NodeObservation {
  const display = file === '-' ? '<stdin>' : file;
  const { raw, lines } = parseOneYamlDocument(text, display, OBSERVATION_KIND);
  return toObservation(raw, Where.root(display, lines), display);
}

/** A validated NodeObservation from an already parsed value (e.g. the `observation` of a Snapshot). */
export function toObservation(raw: unknown, w: Where, source: string): NodeObservation {
  const o = asMap(raw, w);
  checkDocumentKind(o, w, source, OBSERVATION_KIND, 'collect it again with this version of kubectl podres');
  checkKeys(o, FIELDS, w);
  const collectedAt = asString(o.collectedAt, w.child('collectedAt'));
  if (!RFC3339.test(collectedAt) || Number.isNaN(Date.parse(collectedAt))) {
    w.child('collectedAt').fail(`expected an RFC 3339 time, got ${describeValue(collectedAt)}`);
  }
  const version = isAbsent(o.cgroupVersion) ? null : asInt(o.cgroupVersion, w.child('cgroupVersion'));
  if (version !== null && version !== 1 && version !== 2) {
    w.child('cgroupVersion').fail(`expected 1, 2 or null, got ${version}`);
  }
  const cgroupVersion = version as 1 | 2 | null;
  return {
    apiVersion: DOCUMENT_API_VERSION,
    kind: OBSERVATION_KIND,
    node: asName(o.node, w.child('node')),
    collectedAt,
    collectorVersion: asString(o.collectorVersion, w.child('collectorVersion')),
    kubeletVersion: optString(o.kubeletVersion, w.child('kubeletVersion')) ?? null,
    hostRoot: asString(o.hostRoot, w.child('hostRoot')),
    kubeletRootDir: asString(o.kubeletRootDir, w.child('kubeletRootDir')),
    cgroupVersion,
    topology: isAbsent(o.topology) ? null : topology(o.topology, w.child('topology')),
    podResources: podResources(o.podResources, w.child('podResources'), w),
    checkpoints: checkpoints(o.checkpoints, w.child('checkpoints')),
    cgroups: asList(o.cgroups, w.child('cgroups')).map((c, i) => cgroup(c, w.child('cgroups').child(i))),
    errors: asList(o.errors, w.child('errors')).map((e, i) =>
      observationError(e, w.child('errors').child(i)),
    ),
  };
}

function topology(raw: unknown, w: Where): ObservedTopology {
  const t = asMap(raw, w);
  checkKeys(t, TOPOLOGY_FIELDS, w);
  const cpus = asList(t.cpus, w.child('cpus')).map((item, i): ObservedTopologyCpu => {
    const cw = w.child('cpus').child(i);
    const c = asMap(item, cw);
    checkKeys(c, CPU_FIELDS, cw);
    const cpu = {
      id: asInt(c.id, cw.child('id')),
      core: asInt(c.core, cw.child('core')),
      socket: asInt(c.socket, cw.child('socket')),
      numa: asInt(c.numa, cw.child('numa')),
    };
    const uncore = optInt(c.uncoreCache, cw.child('uncoreCache'));
    return uncore === undefined ? cpu : { ...cpu, uncoreCache: uncore };
  });
  const memory = isAbsent(t.memory)
    ? []
    : asList(t.memory, w.child('memory')).map((item, i): ObservedTopologyMemory => {
        const mw = w.child('memory').child(i);
        const m = asMap(item, mw);
        const out: Record<string, number> = {};
        for (const [key, value] of Object.entries(m)) {
          if (key !== 'numa' && key !== 'memory' && !isHugepagesName(key)) {
            mw.child(key).fail('unknown field', 'known fields: numa, memory, hugepages-<size>');
          }
          // bytes as integers here, not quantities ("64Gi") as a scenario may write them
          out[key] = asInt(value, mw.child(key));
        }
        return out as ObservedTopologyMemory;
      });
  const distances = isAbsent(t.distances)
    ? undefined
    : asList(t.distances, w.child('distances')).map((row, i) =>
        asList(row, w.child('distances').child(i)).map((d, j) =>
          asInt(d, w.child('distances').child(i).child(j)),
        ),
      );
  // the same machine checks as a scenario's explicit topology
  toTopology(t, w);
  return distances === undefined ? { cpus, memory } : { cpus, memory, distances };
}

/** The source name the PodResources reader is given, so that its errors can be placed in this document. */
const NESTED = '\u0000observation';

function podResources(raw: unknown, w: Where, root: Where): NodeObservation['podResources'] {
  const p = asMap(raw, w);
  checkKeys(p, POD_RESOURCES_FIELDS, w);
  const response = (key: 'list' | 'allocatable'): object | null => {
    const value = p[key];
    if (isAbsent(value)) return null;
    const obj = asMap(value, w.child(key));
    const path = `podResources.${key}`;
    try {
      if (key === 'list') toPodResourcesList(obj, NESTED, path);
      else toAllocatableResources(obj, NESTED, path);
    } catch (e) {
      throw e instanceof InputError ? relocate(e, root) : e;
    }
    return obj;
  };
  return {
    socket: asString(p.socket, w.child('socket')),
    list: response('list'),
    allocatable: response('allocatable'),
  };
}

/**
 * An error of the PodResources reader (`<NESTED> <path>: <why>`, the path inside this document)
 * as an error of this document: its name, the same path and the line of the value (the reader
 * works on parsed values and knows no lines).
 */
function relocate(e: InputError, root: Where): InputError {
  if (!e.message.startsWith(`${NESTED} `)) return e;
  const rest = e.message.slice(NESTED.length + 1);
  const colon = rest.indexOf(': ');
  if (colon < 0) return e;
  let at = root;
  for (const token of rest
    .slice(0, colon)
    .matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    at = at.child(
      token[1] ?? (token[2] !== undefined ? Number(token[2]) : (JSON.parse(token[3] ?? '""') as string)),
    );
  }
  return at.error(rest.slice(colon + 2), e.hint, e);
}

function checkpointFile(raw: unknown, w: Where): ObservedCheckpointFile | null {
  if (isAbsent(raw)) return null;
  const c = asMap(raw, w);
  checkKeys(c, CHECKPOINT_FIELDS, w);
  return { path: asString(c.path, w.child('path')), content: asString(c.content, w.child('content')) };
}

function checkpoints(raw: unknown, w: Where): NodeObservation['checkpoints'] {
  const c = asMap(raw, w);
  checkKeys(c, CHECKPOINTS_FIELDS, w);
  return {
    cpuManager: checkpointFile(c.cpuManager, w.child('cpuManager')),
    memoryManager: checkpointFile(c.memoryManager, w.child('memoryManager')),
  };
}

function cpuSet(raw: unknown, w: Where): string | null {
  if (isAbsent(raw)) return null;
  const text = asString(raw, w);
  try {
    return formatCpuList(parseCpuList(text));
  } catch (e) {
    return w.fail(e instanceof Error ? e.message : String(e), undefined, e);
  }
}

function cgroup(raw: unknown, w: Where): ObservedCgroup {
  const c = asMap(raw, w);
  checkKeys(c, CGROUP_FIELDS, w);
  const containerId = asString(c.containerId, w.child('containerId'));
  if (containerId !== '' && !CONTAINER_ID.test(containerId)) {
    w.child('containerId').fail(
      `expected "" or a 64-digit hex container id, got ${describeValue(containerId)}`,
    );
  }
  const cpuMax = isAbsent(c.cpuMax) ? null : asString(c.cpuMax, w.child('cpuMax'));
  if (cpuMax !== null && !CPU_MAX.test(cpuMax)) {
    w.child('cpuMax').fail(`expected "<quota|max> <period>", got ${describeValue(cpuMax)}`);
  }
  let cpuStat: ObservedCgroup['cpuStat'] = null;
  if (!isAbsent(c.cpuStat)) {
    const sw = w.child('cpuStat');
    const s = asMap(c.cpuStat, sw);
    checkKeys(s, CPU_STAT_FIELDS, sw);
    cpuStat = {
      nrPeriods: asInt(s.nrPeriods, sw.child('nrPeriods')),
      nrThrottled: asInt(s.nrThrottled, sw.child('nrThrottled')),
      throttledUsec: asInt(s.throttledUsec, sw.child('throttledUsec')),
    };
  }
  return {
    podUid: asName(c.podUid, w.child('podUid')),
    containerId,
    path: asString(c.path, w.child('path')),
    cpusetCpus: cpuSet(c.cpusetCpus, w.child('cpusetCpus')),
    cpusetMems: cpuSet(c.cpusetMems, w.child('cpusetMems')),
    cpuMax,
    cpuStat,
  };
}

function observationError(raw: unknown, w: Where): ObservationError {
  const e = asMap(raw, w);
  checkKeys(e, ERROR_FIELDS, w);
  return {
    source: asEnum(e.source, ERROR_SOURCES, w.child('source')),
    path: isAbsent(e.path) ? null : asString(e.path, w.child('path')),
    message: asString(e.message, w.child('message')),
  };
}
