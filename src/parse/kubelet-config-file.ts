// Reads a kubelet configuration from any of the three documents users have at hand and returns the
// KubeletConfiguration object inside (v1beta1 field names, without kind/apiVersion, exactly what
// /configz shows under "kubeletconfig"), ready for toKubeletConfig (src/scenario/kubelet-config.ts):
//
// * a /configz answer `{"kubeletconfig": {…}}` (compact from the kubelet, or pretty-printed);
// * a kubelet config file (`--config`), YAML or JSON, `kind: KubeletConfiguration`,
//   `apiVersion: kubelet.config.k8s.io/v1beta1`;
// * an OpenShift `KubeletConfig` (machineconfiguration.openshift.io/v1), whose
//   `spec.kubeletConfig` embeds the configuration.
//
// Text that starts with `{` or `[` is read as strict JSON (what Go's encoding/json accepts), with
// line and column in its syntax errors: a JSON file that is not valid JSON is a broken file, even
// where YAML's flow syntax would stretch to read it. Everything else is YAML, one document
// (yaml-document.ts). Errors name the file and the position: line and column for syntax errors and
// for JSON values, the line for YAML values.
// The returned `where` carries the source lines of the inner object, so that toKubeletConfig's
// field errors point into the file: `cfg.yaml spec.kubeletConfig.cpuManagerPolicy: … (line 130)`.

import { InputError } from '../errors.js';
import { describeValue, isAbsent, isMap, type RawMap } from '../scenario/fields.js';
import { Where, type PathKey } from '../scenario/where.js';
import { lineColumn, nodeAt, parseDocument, type JsonNode } from './json-with-positions.js';
import { parseOneYamlDocument } from './yaml-document.js';

export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';
export const KUBELET_CONFIG_KIND = 'KubeletConfiguration';
export const OPENSHIFT_KUBELETCONFIG_API_VERSION = 'machineconfiguration.openshift.io/v1';
export const OPENSHIFT_KUBELETCONFIG_KIND = 'KubeletConfig';

export type KubeletConfigFormat = 'configz' | 'kubelet-config-file' | 'openshift-kubeletconfig';

export interface KubeletConfigDocument {
  /** the KubeletConfiguration object, v1beta1 field names, without kind and apiVersion */
  readonly kubeletconfig: Record<string, unknown>;
  readonly format: KubeletConfigFormat;
  /** where `kubeletconfig` is in the file, with source lines: pass it to toKubeletConfig */
  readonly where: Where;
}

/** A /configz answer: `{"kubeletconfig": {…}}`. */
export function isConfigzEnvelope(raw: unknown): raw is { readonly kubeletconfig: RawMap } {
  return isMap(raw) && isMap(raw.kubeletconfig);
}

/** Detects the format of `text` and returns the configuration inside; InputError names `source` and the position. */
export function readKubeletConfigDocument(text: string, source: string): KubeletConfigDocument {
  const doc = load(text, source);
  const { raw } = doc;
  const root = Where.root(source, (keys) => doc.position(keys)?.line);
  if (!isMap(raw)) {
    throw doc.error(
      [],
      `expected a KubeletConfiguration, KubeletConfig or /configz body, got ${describeValue(raw)}`,
    );
  }
  if ('kubeletconfig' in raw) {
    const inner = raw.kubeletconfig;
    if (!isMap(inner)) {
      throw doc.error(
        ['kubeletconfig'],
        `expected the KubeletConfiguration mapping, got ${describeValue(inner)}`,
      );
    }
    return { kubeletconfig: { ...inner }, format: 'configz', where: root.child('kubeletconfig') };
  }
  const kind = raw.kind;
  if (kind === KUBELET_CONFIG_KIND) {
    checkApiVersion(doc, raw, [], KUBELET_CONFIG_API_VERSION);
    return { kubeletconfig: withoutTypeMeta(raw), format: 'kubelet-config-file', where: root };
  }
  if (kind === OPENSHIFT_KUBELETCONFIG_KIND) {
    checkApiVersion(doc, raw, [], OPENSHIFT_KUBELETCONFIG_API_VERSION);
    const spec = raw.spec;
    if (!isMap(spec)) throw doc.error(['spec'], requiredMapping(spec));
    const embedded = spec.kubeletConfig;
    const at = ['spec', 'kubeletConfig'];
    if (!isMap(embedded)) throw doc.error(at, requiredMapping(embedded));
    // The MCO decodes the embedded object as a KubeletConfiguration; kind/apiVersion are optional.
    if (!isAbsent(embedded.kind) && embedded.kind !== KUBELET_CONFIG_KIND) {
      throw doc.error(
        [...at, 'kind'],
        `kind ${describeValue(embedded.kind)} is not "${KUBELET_CONFIG_KIND}"`,
      );
    }
    if (!isAbsent(embedded.apiVersion)) checkApiVersion(doc, embedded, at, KUBELET_CONFIG_API_VERSION);
    return {
      kubeletconfig: withoutTypeMeta(embedded),
      format: 'openshift-kubeletconfig',
      where: root.child('spec').child('kubeletConfig'),
    };
  }
  if (isAbsent(kind)) {
    throw doc.error(
      [],
      'no kind and no "kubeletconfig" key: not a KubeletConfiguration, KubeletConfig or /configz body',
      `a config file needs kind: ${KUBELET_CONFIG_KIND} and apiVersion: ${KUBELET_CONFIG_API_VERSION}`,
    );
  }
  throw doc.error(
    ['kind'],
    `kind ${describeValue(kind)} is not a KubeletConfiguration, KubeletConfig or /configz body`,
  );
}

function requiredMapping(v: unknown): string {
  return isAbsent(v) ? 'required' : `expected a mapping, got ${describeValue(v)}`;
}

function checkApiVersion(doc: Loaded, obj: RawMap, at: readonly PathKey[], expected: string): void {
  const v = obj.apiVersion;
  if (v === expected) return;
  throw doc.error(
    [...at, 'apiVersion'],
    isAbsent(v)
      ? `apiVersion is required (${expected})`
      : `apiVersion ${describeValue(v)} is not "${expected}"`,
  );
}

function withoutTypeMeta(obj: RawMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== 'kind' && k !== 'apiVersion'));
}

// ----- loading with positions ---------------------------------------------------------------------

interface Position {
  readonly line: number;
  /** "line L column C" for JSON, "line L" for YAML (the shared YAML loader keeps lines only) */
  readonly text: string;
}

/** A parsed document and the positions of its values by key path. */
interface Loaded {
  readonly raw: unknown;
  position(keys: readonly PathKey[]): Position | undefined;
  /** InputError `<source>[ <path>]: <why> (<position>)` at the nearest existing value of `keys`. */
  error(keys: readonly PathKey[], why: string, hint?: string): InputError;
}

function loaded(raw: unknown, source: string, position: Loaded['position']): Loaded {
  return {
    raw,
    position,
    error(keys, why, hint) {
      let pos: Position | undefined;
      for (let n = keys.length; n >= 0 && pos === undefined; n--) pos = position(keys.slice(0, n));
      const path = keys.map(String).join('.');
      const at = pos === undefined ? '' : ` (${pos.text})`;
      return new InputError(`${source}${path === '' ? '' : ` ${path}`}: ${why}${at}`, { hint });
    },
  };
}

function load(text: string, source: string): Loaded {
  if (!/^\s*[{[]/.test(text)) return loadYaml(text, source);
  let node: JsonNode;
  try {
    node = parseDocument({ source, text, scope: '' });
  } catch (e) {
    throw asInvalid(e, source, 'JSON');
  }
  return loaded(JSON.parse(text) as unknown, source, (keys) => jsonPosition(text, node, keys));
}

/** parseDocument's `<source>: line L column C: <why>` as `<source>: invalid JSON at line L column C: <why>`. */
function asInvalid(e: unknown, source: string, what: string): unknown {
  if (!(e instanceof InputError) || !e.message.startsWith(`${source}: `)) return e;
  return new InputError(`${source}: invalid ${what} at ${e.message.slice(source.length + 2)}`, {
    hint: e.hint,
    cause: e,
  });
}

function jsonPosition(text: string, root: JsonNode, keys: readonly PathKey[]): Position | undefined {
  const node = nodeAt(root, keys);
  if (node === undefined) return undefined;
  return { line: text.slice(0, node.at).split('\n').length, text: lineColumn(text, node.at) };
}

function loadYaml(text: string, source: string): Loaded {
  const { raw, lines } = parseOneYamlDocument(text, source, 'kubelet configuration');
  return loaded(raw, source, (keys) => {
    const line = lines(keys);
    return line === undefined ? undefined : { line, text: `line ${line}` };
  });
}
