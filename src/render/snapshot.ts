// The Snapshot document (cli.md §8.7) from gathered NodeFacts, and its JSON text written in
// pieces: a snapshot of a big cluster is larger than one JavaScript string may be, so the pods
// and nodes are stringified one by one. The pieces joined are exactly renderJson(snapshot).

import type { NodeFacts } from '../drift/node-facts.js';
import { DOCUMENT_API_VERSION } from '../schema/common.js';
import type { Snapshot, SnapshotNode } from '../schema/snapshot.js';

export interface SnapshotMeta {
  readonly takenAt: string;
  readonly podresVersion: string;
  readonly cluster: { readonly context: string | null; readonly server: string | null };
}

function podKey(p: object): string {
  const meta = (p as { metadata?: { namespace?: unknown; name?: unknown } }).metadata;
  const ns = typeof meta?.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta?.name === 'string' ? meta.name : '';
  return `${ns}\u0000${name}`;
}

/** Nodes by name; every pod of those nodes, by namespace/name. */
export function buildSnapshot(facts: readonly NodeFacts[], meta: SnapshotMeta): Snapshot {
  const nodes = [...facts]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f): SnapshotNode => ({
      name: f.name,
      node: f.node,
      configz: f.configz,
      metrics: f.metrics,
      cadvisor: f.cadvisor,
      observation: f.observation,
      topology: f.topology,
      errors: f.errors,
    }));
  const pods = facts
    .flatMap((f) => f.pods)
    .map((p) => ({ key: podKey(p), p }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ p }) => p);
  return {
    apiVersion: DOCUMENT_API_VERSION,
    kind: 'Snapshot',
    takenAt: meta.takenAt,
    podresVersion: meta.podresVersion,
    cluster: { context: meta.cluster.context, server: meta.cluster.server },
    nodes,
    pods,
  };
}

/** A value as JSON.stringify(v, null, 2) writes it at nesting `depth`. */
function nested(v: unknown, depth: number): string {
  return JSON.stringify(v, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

function list(key: string, items: readonly unknown[], last: boolean): string[] {
  const end = last ? '' : ',';
  if (items.length === 0) return [`  ${JSON.stringify(key)}: []${end}\n`];
  const out = [`  ${JSON.stringify(key)}: [\n`];
  items.forEach((item, i) => out.push(`    ${nested(item, 2)}${i === items.length - 1 ? '' : ','}\n`));
  out.push(`  ]${end}\n`);
  return out;
}

/** The JSON text of a snapshot (2-space indentation, final newline), in pieces. */
export function renderSnapshotJson(s: Snapshot): string[] {
  const head = {
    apiVersion: s.apiVersion,
    kind: s.kind,
    takenAt: s.takenAt,
    podresVersion: s.podresVersion,
    cluster: s.cluster,
  };
  const out = ['{\n'];
  for (const [k, v] of Object.entries(head)) out.push(`  ${JSON.stringify(k)}: ${nested(v, 1)},\n`);
  // no spread: a big cluster's pods are more arguments than a call may take
  for (const piece of list('nodes', s.nodes, false)) out.push(piece);
  for (const piece of list('pods', s.pods, true)) out.push(piece);
  out.push('}\n');
  return out;
}
