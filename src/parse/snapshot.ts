// The reader of a Snapshot file (cli.md §8.7), as written by `snapshot -o`: bytes → Snapshot, or
// an InputError (exit 2) naming the file, the field path and the line:
// `snap.json nodes[2].cadvisor[0].scrapedAt: expected an RFC 3339 time, got "yesterday" (line 41)`.
//
// * Compression and format are found from the content, whatever the file is called: gzip by its
//   magic bytes (1f 8b), JSON when the text starts with "{" (JSON.parse: fast for big clusters;
//   positions are computed only to report an error), else YAML (one document).
// * The envelope is closed: an unknown field is an error. `kind` and `apiVersion` are checked
//   first, so that another podres document is named as such (cli.md §4).
// * Embedded Kubernetes objects (node, pods) and kubelet responses (configz, metrics text) are
//   kept as they are, unknown fields ignored; a pod needs a metadata name and namespace. Node
//   observations are checked with the NodeObservation reader (observation.ts).

import { gunzipSync } from 'node:zlib';
import { InputError, isPodresError } from '../errors.js';
import { DOCUMENT_API_VERSION } from '../schema/common.js';
import type { SourceStatusValue } from '../schema/common.js';
import type {
  ScrapedText,
  Snapshot,
  SnapshotErrorSource,
  SnapshotNode,
  SnapshotNodeError,
} from '../schema/snapshot.js';
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
  type RawMap,
} from '../scenario/fields.js';
import { Where, type LineLookup } from '../scenario/where.js';
import { checkDocumentKind } from './document-kind.js';
import { lineColumn, parseDocument, type JsonNode } from './json-with-positions.js';
import { toObservation } from './observation.js';
import { oneLine, parseOneYamlDocument } from './yaml-document.js';

export const SNAPSHOT_KIND = 'Snapshot';

const FIELDS = ['apiVersion', 'kind', 'takenAt', 'podresVersion', 'cluster', 'nodes', 'pods'];
const CLUSTER_FIELDS = ['context', 'server'];
const NODE_FIELDS = ['name', 'node', 'configz', 'metrics', 'cadvisor', 'observation', 'topology', 'errors'];
const SCRAPE_FIELDS = ['scrapedAt', 'text'];
const ERROR_FIELDS = ['source', 'status', 'httpStatus', 'message'];
const ERROR_SOURCES: readonly SnapshotErrorSource[] = [
  'node',
  'configz',
  'metrics',
  'cadvisor',
  'observation',
];
const STATUSES: readonly SourceStatusValue[] = [
  'ok',
  'absent',
  'forbidden',
  'not-found',
  'unavailable',
  'timeout',
  'invalid',
];

/** What other podres documents are for, when one is passed where a snapshot belongs. */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** gzip (by magic bytes) → text; UTF-8, a byte order mark dropped. */
function decode(data: Uint8Array, display: string): string {
  let bytes = data;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      bytes = gunzipSync(data);
    } catch (e) {
      throw new InputError(
        `${display}: invalid gzip data: ${oneLine(e instanceof Error ? e.message : String(e))}`,
        {
          cause: e,
        },
      );
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new InputError(`${display}: not UTF-8 text`, { cause: e });
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

interface Loaded {
  readonly raw: unknown;
  readonly lines: LineLookup;
}

function loadJson(text: string, display: string): Loaded {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(message);
    const pos = at === null ? text.length : Number(at[1]);
    const why = oneLine(
      message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, ''),
    );
    throw new InputError(`${display}: invalid JSON at ${lineColumn(text, pos)}: ${why}`, { cause: e });
  }
  // positions only when an error needs one: a second, slower parse of the same text
  let tree: JsonNode | null = null;
  const lines: LineLookup = (keys) => {
    tree ??= parseDocument({ source: display, text, scope: '' });
    let node: JsonNode | undefined = tree;
    for (const k of keys) {
      if (node?.kind === 'object') node = node.members.find((m) => m.key === k)?.value;
      else if (node?.kind === 'array' && typeof k === 'number') node = node.items[k];
      else return undefined;
    }
    return node === undefined ? undefined : Number(/^line (\d+)/.exec(lineColumn(text, node.at))?.[1]);
  };
  return { raw, lines };
}

/** Reads a snapshot; `file` names the input in errors ("-" is shown as "<stdin>"). */
export function parseSnapshot(data: Uint8Array, file: string): Snapshot {
  const display = file === '-' ? '<stdin>' : file;
  const text = decode(data, display);
  const { raw, lines } = /^\s*\{/.test(text)
    ? loadJson(text, display)
    : parseOneYamlDocument(text, display, SNAPSHOT_KIND);
  return toSnapshot(raw, Where.root(display, lines), display);
}

function rfc3339(v: unknown, w: Where): string {
  const s = asString(v, w);
  if (!RFC3339.test(s) || Number.isNaN(Date.parse(s)))
    w.fail(`expected an RFC 3339 time, got ${describeValue(s)}`);
  return s;
}

function nullableString(v: unknown, w: Where): string | null {
  return isAbsent(v) ? null : asString(v, w);
}

/** A mapping or null (an embedded object whose own fields are not checked). */
function objectOrNull(v: unknown, w: Where): object | null {
  return isAbsent(v) ? null : asMap(v, w);
}

function scrape(v: unknown, w: Where): ScrapedText {
  const m = asMap(v, w);
  checkKeys(m, SCRAPE_FIELDS, w);
  return { scrapedAt: rfc3339(m.scrapedAt, w.child('scrapedAt')), text: asString(m.text, w.child('text')) };
}

function nodeError(v: unknown, w: Where): SnapshotNodeError {
  const m = asMap(v, w);
  checkKeys(m, ERROR_FIELDS, w);
  return {
    source: asEnum(m.source, ERROR_SOURCES, w.child('source')),
    status: asEnum(m.status, STATUSES, w.child('status')),
    httpStatus: isAbsent(m.httpStatus) ? null : asInt(m.httpStatus, w.child('httpStatus'), 100),
    message: asString(m.message, w.child('message')),
  };
}

function snapshotNode(v: unknown, w: Where, display: string): SnapshotNode {
  const m = asMap(v, w);
  checkKeys(m, NODE_FIELDS, w);
  const name = asName(m.name, w.child('name'));
  const cadvisor = isAbsent(m.cadvisor) ? [] : asList(m.cadvisor, w.child('cadvisor'));
  if (cadvisor.length > 2) w.child('cadvisor').fail(`expected at most 2 scrapes, got ${cadvisor.length}`);
  let observation = null;
  if (!isAbsent(m.observation)) {
    const ow = w.child('observation');
    try {
      observation = toObservation(m.observation, ow, display);
    } catch (e) {
      // the observation reader names its document by file only; inside a snapshot, say where
      if (isPodresError(e) && e.message.startsWith(`${display}: `)) {
        throw new InputError(`${String(ow)}: ${e.message.slice(display.length + 2)}`, {
          hint: e.hint,
          cause: e,
        });
      }
      throw e;
    }
    if (observation.node !== name) {
      ow.child('node').fail(`the observation is of node "${observation.node}", not "${name}"`);
    }
  }
  return {
    name,
    node: objectOrNull(m.node, w.child('node')),
    configz: objectOrNull(m.configz, w.child('configz')),
    metrics: isAbsent(m.metrics) ? null : scrape(m.metrics, w.child('metrics')),
    cadvisor: cadvisor.map((c, i) => scrape(c, w.child('cadvisor').child(i))),
    observation,
    topology: objectOrNull(m.topology, w.child('topology')),
    errors: isAbsent(m.errors)
      ? []
      : asList(m.errors, w.child('errors')).map((e, i) => nodeError(e, w.child('errors').child(i))),
  };
}

function pod(v: unknown, w: Where): object {
  const p = asMap(v, w);
  const mw = w.child('metadata');
  const meta = asMap(p.metadata, mw);
  asName(meta.name, mw.child('name'));
  asName(meta.namespace, mw.child('namespace'));
  return p;
}

/** A validated Snapshot from an already parsed value; `display` names the file. */
export function toSnapshot(raw: unknown, w: Where, display: string): Snapshot {
  const o: RawMap = asMap(raw, w);
  checkDocumentKind(
    o,
    w,
    display,
    SNAPSHOT_KIND,
    'take the snapshot again with this version of kubectl podres',
  );
  checkKeys(o, FIELDS, w);
  const cw = w.child('cluster');
  const cluster = asMap(o.cluster, cw);
  checkKeys(cluster, CLUSTER_FIELDS, cw);
  const nw = w.child('nodes');
  const nodes = asList(o.nodes, nw).map((n, i) => snapshotNode(n, nw.child(i), display));
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    if (seen.has(n.name)) nw.child(i).child('name').fail(`node "${n.name}" appears twice`);
    seen.add(n.name);
  });
  const pw = w.child('pods');
  return {
    apiVersion: DOCUMENT_API_VERSION,
    kind: SNAPSHOT_KIND,
    takenAt: rfc3339(o.takenAt, w.child('takenAt')),
    podresVersion: asString(o.podresVersion, w.child('podresVersion')),
    cluster: {
      context: nullableString(cluster.context, cw.child('context')),
      server: nullableString(cluster.server, cw.child('server')),
    },
    nodes,
    pods: asList(o.pods, pw).map((p, i) => pod(p, pw.child(i))),
  };
}
