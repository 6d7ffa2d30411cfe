// What the drift engine knows about one node: the raw material every read command gathers, live
// (API server, node proxy, collector/observation files) or offline (a Snapshot). It is exactly a
// Snapshot node plus the node's pods, so live and offline runs feed the engine the same data and
// a snapshot reproduces the report. The engine parses everything itself with the pure parsers.

import type { SourceStatus } from '../schema/common.js';
import type { NodeObservation } from '../schema/observation.js';
import type { ScrapedText, SnapshotNodeError } from '../schema/snapshot.js';

export interface NodeFacts {
  readonly name: string;
  /** RFC 3339: the time of the reading (a snapshot's takenAt) */
  readonly now: string;
  /** where node, configz, metrics and cadvisor came from */
  readonly from: 'live' | 'snapshot';
  /** v1 Node, null when it could not be read (see errors) */
  readonly node: object | null;
  /** /configz body: {"kubeletconfig": {…}} */
  readonly configz: object | null;
  readonly metrics: ScrapedText | null;
  /** 0, 1 or 2 scrapes, oldest first */
  readonly cadvisor: readonly ScrapedText[];
  readonly observation: NodeObservation | null;
  /** how the observation was obtained */
  readonly observationFrom: 'observation' | 'collector' | 'snapshot' | null;
  /** a scenario-format node.topology (from --topology), used when there is no observed topology */
  readonly topology: object | null;
  /** failed reads of node, configz, metrics, cadvisor, observation */
  readonly errors: readonly SnapshotNodeError[];
  /** every v1 Pod bound to the node (raw objects, possibly reduced as in a snapshot) */
  readonly pods: readonly object[];
}

export interface AnalysisOptions {
  readonly fidelity: 'source' | 'documented';
  /** codes or families ("D7", "C") to run; null = all */
  readonly checks: readonly string[] | null;
  readonly skipChecks: readonly string[];
  /** extra sources required for `reachable` (cli.md §6.1) */
  readonly requireSources: readonly ('metrics' | 'cadvisor' | 'observation')[];
}

export type { SourceStatus };
