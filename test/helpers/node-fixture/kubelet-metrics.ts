// /metrics of a fixture kubelet (allocator-model §8.2): the resource-manager families with the
// model's counters (labelled series only after their first increment, unlabelled counters from 0),
// the gauges derived from the CPU manager state as it is now (shared pool, exclusive count, per
// NUMA allocation), process_start_time_seconds, kubernetes_build_info, and a few unrelated kubelet
// families a real scrape also has. HELP texts carry component-base's stability prefix.

import { createHash } from 'node:crypto';
import { CpuSet } from '../../../src/model/cpuset.js';
import type { Family, MetricType, Sample } from './prometheus-text.js';
import { goFloat, insertLine, renderExposition, sortSamples } from './prometheus-text.js';
import type { MetricEdit, MetricSeries, World } from './world.js';
import { labelKey, modelVersionOf } from './world.js';

interface FamilyInfo {
  readonly type: MetricType;
  readonly help: string;
  /** label names in exposition order (sorted, as client_golang writes them) */
  readonly labels: readonly string[];
}

const ALPHA = '[ALPHA] ';

/** The families the fixture writes; `setMetric` and friends accept these names. */
export const KUBELET_FAMILIES: Readonly<Record<string, FamilyInfo>> = {
  kubelet_cpu_manager_pinning_requests_total: {
    type: 'counter',
    help: `${ALPHA}The number of cpu core allocations which required pinning.`,
    labels: [],
  },
  kubelet_cpu_manager_pinning_errors_total: {
    type: 'counter',
    help: `${ALPHA}The number of cpu core allocations which required pinning failed.`,
    labels: [],
  },
  kubelet_cpu_manager_shared_pool_size_millicores: {
    type: 'gauge',
    help: `${ALPHA}The size of the shared CPU pool for non-guaranteed QoS pods, in millicores.`,
    labels: [],
  },
  kubelet_cpu_manager_exclusive_cpu_allocation_count: {
    type: 'gauge',
    help: `${ALPHA}The total number of CPUs exclusively allocated to containers running on this node`,
    labels: [],
  },
  kubelet_cpu_manager_allocation_per_numa: {
    type: 'gauge',
    help: `${ALPHA}Number of CPUs allocated per NUMA node`,
    labels: ['numa_node'],
  },
  kubelet_memory_manager_pinning_requests_total: {
    type: 'counter',
    help: `${ALPHA}The number of memory pages allocations which required pinning.`,
    labels: [],
  },
  kubelet_memory_manager_pinning_errors_total: {
    type: 'counter',
    help: `${ALPHA}The number of memory pages allocations which required pinning that failed.`,
    labels: [],
  },
  kubelet_topology_manager_admission_requests_total: {
    type: 'counter',
    help: `${ALPHA}The number of admission requests where resources have to be aligned.`,
    labels: [],
  },
  kubelet_topology_manager_admission_errors_total: {
    type: 'counter',
    help: `${ALPHA}The number of admission request failures where resources could not be aligned.`,
    labels: [],
  },
  kubelet_container_aligned_compute_resources_count: {
    type: 'counter',
    help: `${ALPHA}Cumulative number of aligned compute resources allocated to containers by alignment type.`,
    labels: ['boundary', 'scope'],
  },
  kubelet_container_aligned_compute_resources_failure_count: {
    type: 'counter',
    help: `${ALPHA}Cumulative number of failures to allocate aligned compute resources to containers by alignment type.`,
    labels: ['boundary', 'scope'],
  },
  kubelet_admission_rejections_total: {
    type: 'counter',
    help: `${ALPHA}Cumulative number pod admission rejections by the Kubelet.`,
    labels: ['reason'],
  },
  resource_manager_allocations_total: {
    type: 'counter',
    help: `${ALPHA}Cumulative number of exclusive resource allocations performed by the resource managers, by resource and by source (node or pod pool).`,
    labels: ['resource_name', 'source'],
  },
  resource_manager_allocation_errors_total: {
    type: 'counter',
    help: `${ALPHA}Cumulative number of errors during exclusive resource allocation, by resource and by intended source (node or pod pool).`,
    labels: ['resource_name', 'source'],
  },
  resource_manager_container_assignments: {
    type: 'counter',
    help: `${ALPHA}Cumulative number of containers granted a resource assignment, by resource and assignment type.`,
    labels: ['assignment_type', 'resource_name'],
  },
  kubelet_pod_resources_endpoint_requests_total: {
    type: 'counter',
    help: `${ALPHA}Cumulative number of requests to the PodResource endpoint. Broken down by server api version.`,
    labels: ['server_api_version'],
  },
  kubelet_pod_resources_endpoint_requests_list: {
    type: 'counter',
    help: `${ALPHA}Number of requests to the PodResource List endpoint. Broken down by server api version.`,
    labels: ['server_api_version'],
  },
  kubelet_pod_resources_endpoint_requests_get_allocatable: {
    type: 'counter',
    help: `${ALPHA}Number of requests to the PodResource GetAllocatableResources endpoint. Broken down by server api version.`,
    labels: ['server_api_version'],
  },
  process_start_time_seconds: {
    type: 'gauge',
    help: `${ALPHA}Start time of the process since unix epoch in seconds.`,
    labels: [],
  },
  kubelet_node_name: {
    type: 'gauge',
    help: `${ALPHA}The node's name. The count is always 1.`,
    labels: ['node'],
  },
  kubelet_running_pods: {
    type: 'gauge',
    help: `${ALPHA}Number of pods that have a running pod sandbox`,
    labels: [],
  },
  kubelet_running_containers: {
    type: 'gauge',
    help: `${ALPHA}Number of containers currently running`,
    labels: ['container_state'],
  },
};

/** ExponentialBuckets(.05, 2, 15) of kubelet_topology_manager_admission_duration_ms. */
const ADMISSION_BUCKETS = Array.from({ length: 15 }, (_, i) => 0.05 * 2 ** i);

function info(name: string): FamilyInfo {
  const f = KUBELET_FAMILIES[name];
  if (f === undefined) {
    throw new RangeError(
      `node fixture: unknown metric family "${name}"; known: ${Object.keys(KUBELET_FAMILIES).join(', ')}`,
    );
  }
  return f;
}

/** Labels in the family's order; throws on missing or unknown label names. */
export function orderedLabels(
  name: string,
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  const f = info(name);
  const extra = Object.keys(labels).filter((k) => !f.labels.includes(k));
  const missing = f.labels.filter((k) => labels[k] === undefined);
  if (extra.length > 0 || missing.length > 0) {
    throw new RangeError(
      `node fixture: metric ${name} has labels [${f.labels.join(', ')}], got [${Object.keys(labels).join(', ')}]`,
    );
  }
  return Object.fromEntries(f.labels.map((k) => [k, labels[k] as string]));
}

function gaugeSeries(w: World): Map<string, Map<string, MetricSeries>> {
  const out = new Map<string, Map<string, MetricSeries>>();
  const put = (name: string, labels: Record<string, string>, value: number) => {
    let f = out.get(name);
    if (f === undefined) {
      f = new Map<string, MetricSeries>();
      out.set(name, f);
    }
    f.set(labelKey(labels), { labels, value });
  };
  const staticPolicy = w.config.cpuManagerPolicy === 'static';
  const allocatable = w.topology.all.difference(w.reserved).size;
  const shared = staticPolicy ? w.cpu.defaultCpuSet.difference(w.reserved).size : 0;
  put('kubelet_cpu_manager_shared_pool_size_millicores', {}, shared * 1000);
  put('kubelet_cpu_manager_exclusive_cpu_allocation_count', {}, staticPolicy ? allocatable - shared : 0);
  if (staticPolicy) {
    let assigned = CpuSet.empty;
    for (const m of w.cpu.entries.values()) for (const cpus of m.values()) assigned = assigned.union(cpus);
    for (const numa of w.topology.numaNodes) {
      const n = assigned.intersection(w.topology.cpusInNuma(numa)).size;
      if (n > 0) put('kubelet_cpu_manager_allocation_per_numa', { numa_node: String(numa) }, n);
    }
  }
  put('process_start_time_seconds', {}, w.kubeletStart / 1000);
  put('kubelet_node_name', { node: w.nodeName }, 1);
  const running = w.pods.filter((p) => p.admitted);
  put('kubelet_running_pods', {}, running.length);
  put(
    'kubelet_running_containers',
    { container_state: 'running' },
    running.reduce((s, p) => s + p.containers.filter((c) => c.running).length, 0),
  );
  put(
    'kubelet_running_containers',
    { container_state: 'exited' },
    running.reduce((s, p) => s + p.containers.filter((c) => !c.running).length, 0),
  );
  if (w.observation === 'present' && !w.observationErrors.some((e) => e.part === 'podresources')) {
    // the collector called List and GetAllocatableResources once
    put('kubelet_pod_resources_endpoint_requests_total', { server_api_version: 'v1' }, 2);
    put('kubelet_pod_resources_endpoint_requests_list', { server_api_version: 'v1' }, 1);
    put('kubelet_pod_resources_endpoint_requests_get_allocatable', { server_api_version: 'v1' }, 1);
  }
  return out;
}

function applyEdit(series: Map<string, Map<string, MetricSeries>>, e: MetricEdit): void {
  info(e.name);
  let family = series.get(e.name);
  if (e.op === 'drop') {
    if (e.labels === null) series.delete(e.name);
    else family?.delete(labelKey(orderedLabels(e.name, e.labels)));
    return;
  }
  if (e.labels === null) throw new RangeError(`node fixture: metric ${e.name}: ${e.op} needs labels`);
  const labels = orderedLabels(e.name, e.labels);
  if (family === undefined) {
    family = new Map<string, MetricSeries>();
    series.set(e.name, family);
  }
  const key = labelKey(labels);
  const current = family.get(key)?.value ?? 0;
  const value = e.op === 'set' ? e.value : current + e.value;
  if (value < 0) throw new RangeError(`node fixture: metric ${e.name} would become ${value}`);
  family.set(key, { labels, value });
}

function buildInfo(w: World): Family {
  const m = /^v(\d+)\.(\d+)/.exec(w.kubeletVersion);
  const labels = {
    build_date: '2026-04-21T09:14:31Z',
    compiler: 'gc',
    git_commit: createHash('sha1').update(w.kubeletVersion).digest('hex'),
    git_tree_state: 'clean',
    git_version: w.kubeletVersion,
    go_version: 'go1.25.9',
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '36',
    platform: 'linux/amd64',
  };
  return {
    name: 'kubernetes_build_info',
    type: 'gauge',
    help: `${ALPHA}A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.`,
    samples: [{ labels, value: 1 }],
  };
}

function admissionDuration(requests: number): Family {
  // every admission took 0.3 ms
  const samples: Sample[] = ADMISSION_BUCKETS.map((le) => ({
    labels: { le: goFloat(le) },
    value: le >= 0.3 ? requests : 0,
    suffix: '_bucket' as const,
  }));
  samples.push(
    { labels: { le: '+Inf' }, value: requests, suffix: '_bucket' },
    { labels: {}, value: Math.round(requests * 0.3 * 1000) / 1000, suffix: '_sum' },
    { labels: {}, value: requests, suffix: '_count' },
  );
  return {
    name: 'kubelet_topology_manager_admission_duration_ms',
    type: 'histogram',
    help: `${ALPHA}Duration in milliseconds to serve a pod admission request.`,
    samples,
  };
}

/** The /metrics text of the world's kubelet. */
export function kubeletMetricsText(w: World): string {
  const series = gaugeSeries(w);
  for (const [name, family] of w.counters)
    series.set(name, new Map([...family].map(([k, s]) => [k, { ...s }])));
  if (!modelVersionOf(w.kubeletVersion).plrmKnown) {
    for (const name of [...series.keys()]) if (name.startsWith('resource_manager_')) series.delete(name);
  }
  for (const e of w.metricEdits) applyEdit(series, e);
  const families: Family[] = [...series].map(([name, family]) => ({
    name,
    type: info(name).type,
    help: info(name).help,
    samples: sortSamples([...family.values()].map((s) => ({ labels: s.labels, value: s.value }))),
  }));
  const requests = series.get('kubelet_topology_manager_admission_requests_total')?.get('')?.value ?? 0;
  families.push(admissionDuration(requests), buildInfo(w));
  let text = renderExposition(families);
  for (const line of w.garbage.metrics) text = insertLine(text, line);
  return text;
}
