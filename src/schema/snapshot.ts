// The Snapshot document written by `snapshot` and read by every read command's --snapshot
// (cli.md §8.7).

import type { SourceStatusValue } from './common.js';
import type { NodeObservation } from './observation.js';

export interface ScrapedText {
  /** RFC 3339 UTC */
  readonly scrapedAt: string;
  readonly text: string;
}

export type SnapshotErrorSource = 'node' | 'configz' | 'metrics' | 'cadvisor' | 'observation';

export interface SnapshotNodeError {
  readonly source: SnapshotErrorSource;
  readonly status: SourceStatusValue;
  readonly httpStatus: number | null;
  readonly message: string;
}

export interface SnapshotNode {
  readonly name: string;
  /** v1 Node without managedFields and status.images */
  readonly node: object | null;
  /** /configz body: {"kubeletconfig": {…}} */
  readonly configz: object | null;
  readonly metrics: ScrapedText | null;
  /** 0, 1 or 2 scrapes, oldest first */
  readonly cadvisor: readonly ScrapedText[];
  readonly observation: NodeObservation | null;
  /** a scenario-format node.topology given with --topology when there is no observation */
  readonly topology: object | null;
  readonly errors: readonly SnapshotNodeError[];
}

export interface Snapshot {
  readonly apiVersion: 'podres/v1alpha1';
  readonly kind: 'Snapshot';
  readonly takenAt: string;
  readonly podresVersion: string;
  /** never credentials */
  readonly cluster: { readonly context: string | null; readonly server: string | null };
  readonly nodes: readonly SnapshotNode[];
  /** every pod bound to these nodes, reduced (cli.md §8.7) */
  readonly pods: readonly object[];
}
