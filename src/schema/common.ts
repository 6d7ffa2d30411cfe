// Types shared by the podres/v1alpha1 documents of cli.md §8.1: cpusets, assignments, evidence,
// source statuses, CFS counters. Every field name here is part of the JSON contract.

import type { AssignmentType, MemoryBlockOut, ReportedOut, MetricsOut } from '../render/schema.js';

export const DOCUMENT_API_VERSION = 'podres/v1alpha1';

/** Canonical cpu list ("1-3,33-35"), "" = empty. */
export type CpuSetText = string;
export type Assignment = AssignmentType;
export type MemoryBlock = MemoryBlockOut;
/** Scenario-format podPool; `cpus` is null in count mode (cli.md §6.2 point 5, §8.1). */
export interface Pool {
  readonly cpus?: CpuSetText | null;
  readonly memory?: readonly MemoryBlock[];
}
export type Reported = ReportedOut;

/** Scenario-format `metrics` (the gauges shared-pool size and exclusive count included). */
export type Metrics = MetricsOut;

/** Sources of evidence, in the order findings list them (cli.md §8.1). */
export const EVIDENCE = [
  'podresources',
  'checkpoint',
  'configz',
  'metrics',
  'cadvisor',
  'cgroup',
  'pod-status',
  'node-object',
  'topology',
] as const;
export type Evidence = (typeof EVIDENCE)[number];

export type SourceStatusValue =
  'ok' | 'absent' | 'forbidden' | 'not-found' | 'unavailable' | 'timeout' | 'invalid';

export interface SourceStatus {
  readonly status: SourceStatusValue;
  readonly from: 'live' | 'snapshot' | 'observation' | 'collector' | 'file' | null;
  readonly httpStatus: number | null;
  readonly message: string | null;
}

/** The per-node sources of a NodeReport (cli.md §8.3). */
export const NODE_SOURCES = [
  'node',
  'configz',
  'metrics',
  'cadvisor',
  'observation',
  'podresources',
  'checkpoint',
  'topology',
  'cgroup',
] as const;
export type NodeSource = (typeof NODE_SOURCES)[number];

export interface Cfs {
  readonly quotaMillicores: number | null;
  readonly periods: number;
  readonly throttledPeriods: number;
  /** in [0, 1] */
  readonly throttledRatio: number;
  readonly throttledSeconds: number;
}

export type Severity = 'error' | 'warning' | 'info';
export type FailOn = Severity | 'none';
