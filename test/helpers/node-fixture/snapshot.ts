// Snapshot documents (cli.md §8.7) from fixture nodes, reduced and filtered with the code the
// `snapshot` command uses (src/sources/reduce-pod.ts, src/parse/prometheus.ts).

import type { NodeFacts } from '../../../src/drift/node-facts.js';
import {
  CADVISOR_SNAPSHOT_FAMILIES,
  KUBELET_SNAPSHOT_FAMILIES,
  filterFamilies,
} from '../../../src/parse/prometheus.js';
import type { Snapshot, SnapshotNode } from '../../../src/schema/snapshot.js';
import { reduceNode, reducePod } from '../../../src/sources/reduce-pod.js';

export interface SnapshotOptions {
  readonly context?: string | null;
  readonly server?: string | null;
  /** keep every metric family (`snapshot --raw-metrics`) */
  readonly rawMetrics?: boolean;
  readonly podresVersion?: string;
}

type RawObject = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function snapshotNode(n: NodeFacts, raw: boolean): SnapshotNode {
  return {
    name: n.name,
    node: isObject(n.node) ? reduceNode(n.node) : null,
    configz: n.configz,
    metrics:
      n.metrics === null
        ? null
        : {
            scrapedAt: n.metrics.scrapedAt,
            text: raw ? n.metrics.text : filterFamilies(n.metrics.text, KUBELET_SNAPSHOT_FAMILIES),
          },
    cadvisor: n.cadvisor.map((s) => ({
      scrapedAt: s.scrapedAt,
      text: raw ? s.text : filterFamilies(s.text, CADVISOR_SNAPSHOT_FAMILIES),
    })),
    observation: n.observation,
    topology: n.topology,
    errors: n.errors,
  };
}

/**
 * A Snapshot of fixture nodes taken at `takenAt` (nodes by name; pods of every node, reduced;
 * metrics filtered to the families a snapshot keeps unless `rawMetrics`).
 */
export function toSnapshot(
  nodes: readonly NodeFacts[],
  takenAt: string,
  options: SnapshotOptions = {},
): Snapshot {
  const sorted = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    apiVersion: 'podres/v1alpha1',
    kind: 'Snapshot',
    takenAt,
    podresVersion: options.podresVersion ?? '0.1.0',
    cluster: {
      context: options.context === undefined ? 'kind-podres' : options.context,
      server: options.server === undefined ? 'https://127.0.0.1:6443' : options.server,
    },
    nodes: sorted.map((n) => snapshotNode(n, options.rawMetrics === true)),
    pods: sorted.flatMap((n) => n.pods.map((p) => reducePod(isObject(p) ? p : {}))),
  };
}
