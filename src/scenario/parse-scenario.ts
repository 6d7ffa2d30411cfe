// Scenario files (scenario-format.md, the input half) → SimulationInput, one per document of a
// YAML stream (JSON is YAML too). Empty documents are skipped but still counted, so "doc N" is
// the N-th document of the file as a reader counts them. Every error names the file, the
// document and the field path, plus the source line: `scenario.yaml doc 1
// pods[2].spec.containers[0].resources.limits.cpu: invalid quantity "2x" (line 40)`.
//
// Decisions where the format is silent: `name` and `node.name` are optional (node name
// "node"); `pods` may be absent (nothing to admit); two pods with the same uid or the same
// namespace/name are an error; reservedSystemCPUs must be CPUs of the topology (the kubelet's
// getReservedCPUs check). Checkpoint checksum findings become the input's warnings.
// `node.state.memoryManager` is read with the kubelet's checkpoint reader (memory-state.ts).

import { isNode, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { InputError } from '../errors.js';
import { formatCpuList } from '../model/cpuset.js';
import { KUBELET_VERSIONS, type KubeletVersion } from '../model/kubelet-config.js';
import type { Pod } from '../model/pod.js';
import type { Fidelity, SimulationInput } from '../model/simulation-input.js';
import { toCpuState } from './cpu-state.js';
import { toMemoryState } from './memory-state.js';
import {
  asEnum,
  asList,
  asMap,
  asString,
  checkKeys,
  describeValue,
  isAbsent,
  optMap,
  optString,
} from './fields.js';
import { toKubeletConfig } from './kubelet-config.js';
import { toTopology } from './topology.js';
import { toPod } from './v1-pod.js';
import { Where, type PathKey } from './where.js';

export const SCENARIO_API_VERSION = 'podres/v1alpha1';
export const SCENARIO_KIND = 'Scenario';

const SCENARIO_FIELDS = ['apiVersion', 'kind', 'name', 'model', 'node', 'pods'];
const MODEL_FIELDS = ['fidelity'];
const NODE_FIELDS = ['name', 'kubeletVersion', 'topology', 'kubelet', 'state'];
const STATE_FIELDS = ['cpuManager', 'memoryManager'];
const FIDELITIES: readonly Fidelity[] = ['source', 'documented'];
const DEFAULT_KUBELET_VERSION: KubeletVersion = '1.36';
const DEFAULT_NODE_NAME = 'node';

/** The source text of a scalar at a key path, when the document has one (YAML `1.370` stays "1.370"). */
type ScalarSource = (keys: readonly PathKey[]) => string | undefined;

/** `file` is the display name of the input; "-" is shown as "<stdin>". */
export function parseScenarios(text: string, file: string): SimulationInput[] {
  const display = file === '-' ? '<stdin>' : file;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const out: SimulationInput[] = [];
  docs.forEach((doc, i) => {
    const head = `${display} doc ${i + 1}`;
    const syntax = doc.errors[0];
    if (syntax !== undefined) {
      const { line, col } = lineCounter.linePos(syntax.pos[0]);
      throw new InputError(`${head} line ${line} column ${col}: invalid YAML: ${oneLine(syntax.message)}`, {
        cause: syntax,
      });
    }
    let raw: unknown;
    try {
      raw = doc.toJS();
    } catch (e) {
      throw new InputError(`${head}: invalid YAML: ${oneLine(e instanceof Error ? e.message : String(e))}`, {
        cause: e,
      });
    }
    if (isAbsent(raw)) return;
    const lines = (keys: readonly PathKey[]) => lineOf(doc, lineCounter, keys);
    const source: ScalarSource = (keys) => {
      const node: unknown = doc.getIn(keys, true);
      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
    };
    out.push(toScenario(raw, Where.root(head, lines), source));
  });
  if (out.length === 0) throw new InputError(`${display}: no scenario documents found`);
  return out;
}

function oneLine(message: string): string {
  const first = (message.split('\n')[0] ?? '').trim().replace(/\.$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

function lineOf(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  keys: readonly PathKey[],
): number | undefined {
  let node: unknown;
  try {
    node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
  } catch {
    return undefined;
  }
  if (!isNode(node) || node.range === undefined || node.range === null) return undefined;
  return lineCounter.linePos(node.range[0]).line;
}

function toScenario(raw: unknown, w: Where, source: ScalarSource): SimulationInput {
  const s = asMap(raw, w);
  checkKeys(s, SCENARIO_FIELDS, w);
  const apiVersion = asString(s.apiVersion, w.child('apiVersion'));
  if (apiVersion !== SCENARIO_API_VERSION) {
    w.child('apiVersion').fail(`apiVersion "${apiVersion}" is not "${SCENARIO_API_VERSION}"`);
  }
  const kind = asString(s.kind, w.child('kind'));
  if (kind !== SCENARIO_KIND) w.child('kind').fail(`kind "${kind}" is not "${SCENARIO_KIND}"`);
  const name = optString(s.name, w.child('name')) ?? null;

  const mw = w.child('model');
  const model = optMap(s.model, mw);
  checkKeys(model, MODEL_FIELDS, mw);
  const fidelity = isAbsent(model.fidelity)
    ? 'source'
    : asEnum(model.fidelity, FIDELITIES, mw.child('fidelity'));

  const nw = w.child('node');
  const node = asMap(s.node, nw);
  checkKeys(node, NODE_FIELDS, nw);
  const nodeName = optString(node.name, nw.child('name')) ?? DEFAULT_NODE_NAME;
  const version = kubeletVersion(
    node.kubeletVersion,
    nw.child('kubeletVersion'),
    source(['node', 'kubeletVersion']),
  );
  const topology = toTopology(node.topology, nw.child('topology'));

  const kw = nw.child('kubelet');
  const config = toKubeletConfig(node.kubelet, version, kw);
  const reserved = config.reservedSystemCPUs;
  if (reserved !== null) {
    const missing = reserved.difference(topology.all);
    if (!missing.isEmpty()) {
      kw.child('reservedSystemCPUs').fail(
        `cpus ${formatCpuList(missing)} are not in the topology (cpus ${formatCpuList(topology.all)})`,
      );
    }
  }

  const stw = nw.child('state');
  const state = optMap(node.state, stw);
  checkKeys(state, STATE_FIELDS, stw);
  const cpu = isAbsent(state.cpuManager)
    ? { state: null, warnings: [] }
    : toCpuState(state.cpuManager, stw.child('cpuManager'), topology, config.cpuManagerPolicy);
  const memory = isAbsent(state.memoryManager)
    ? { state: null, warnings: [] }
    : toMemoryState(state.memoryManager, stw.child('memoryManager'), config.memoryManagerPolicy);

  const pw = w.child('pods');
  const pods = isAbsent(s.pods)
    ? []
    : asList(s.pods, pw).map((p, i) => toPod(p, pw.child(i), config.featureGates));
  checkUniquePods(pods, pw);

  return {
    name,
    fidelity,
    node: { name: nodeName, topology, config, cpuState: cpu.state, memoryState: memory.state },
    pods,
    warnings: [...cpu.warnings, ...memory.warnings],
  };
}

/**
 * "1.36" | "1.37". An unquoted YAML number is read from its source text, so `1.37` is accepted
 * and `1.370` or `1.4` are not mistaken for a version.
 */
function kubeletVersion(v: unknown, w: Where, sourceText: string | undefined): KubeletVersion {
  if (isAbsent(v)) return DEFAULT_KUBELET_VERSION;
  const text = typeof v === 'number' ? (sourceText ?? String(v)) : typeof v === 'string' ? v : undefined;
  if (text === undefined) return w.fail(`expected string, got ${describeValue(v)}`);
  const found = KUBELET_VERSIONS.find((known) => known === text);
  if (found !== undefined) return found;
  return w.fail(
    `unsupported kubelet version "${text}"; expected ${KUBELET_VERSIONS.map((k) => `"${k}"`).join(' or ')}`,
  );
}

function checkUniquePods(pods: readonly Pod[], w: Where): void {
  const byUid = new Map<string, number>();
  const byName = new Map<string, number>();
  pods.forEach((p, i) => {
    const key = `${p.namespace}/${p.name}`;
    const sameName = byName.get(key);
    if (sameName !== undefined)
      w.child(i).child('metadata').child('name').fail(`duplicate pod ${key} (also pods[${sameName}])`);
    const sameUid = byUid.get(p.uid);
    if (sameUid !== undefined)
      w.child(i).child('metadata').child('uid').fail(`duplicate pod uid "${p.uid}" (also pods[${sameUid}])`);
    byName.set(key, i);
    byUid.set(p.uid, i);
  });
}
