// Typed views of the kubelet's /metrics (allocator-model §8.2) and /metrics/cadvisor (§8.3)
// scrapes, extracted from the Prometheus text format (prometheus.ts).

import type { MetricsOut } from '../render/schema.js';

/** A line the Prometheus parser could not read; the rest of the scrape is still parsed. */
export interface MetricsParseIssue {
  /** 1-based line number */
  readonly line: number;
  readonly message: string;
}

/** /metrics reduced to the resource-manager families, in the scenario-format `metrics` shape. */
export interface KubeletMetrics {
  /** only the families present in the scrape (counter series appear after their first increment) */
  readonly values: Partial<MetricsOut>;
  /** names of the §8.2 families present (with # TYPE or samples) */
  readonly families: readonly string[];
  /** process_start_time_seconds (Unix seconds), null when absent */
  readonly processStartTimeSeconds: number | null;
  /** kubernetes_build_info{git_version}, e.g. "v1.36.2", null when absent */
  readonly buildVersion: string | null;
  readonly issues: readonly MetricsParseIssue[];
}

/** One cgroup's CPU series from /metrics/cadvisor (legacy pod_name/container_name mapped). */
export interface CadvisorCpuSeries {
  readonly namespace: string;
  readonly pod: string;
  /** "" = a pod-level (or sandbox/slice) cgroup series; "POD" = the pause container */
  readonly container: string;
  /** cgroup path label `id` */
  readonly id: string;
  readonly image: string;
  readonly name: string;
  readonly cfsPeriods: number | null;
  readonly cfsThrottledPeriods: number | null;
  readonly cfsThrottledSeconds: number | null;
  readonly specQuota: number | null;
  readonly specPeriod: number | null;
  readonly specShares: number | null;
  readonly usageSeconds: number | null;
}

export interface CadvisorCpu {
  readonly series: readonly CadvisorCpuSeries[];
  readonly issues: readonly MetricsParseIssue[];
}
