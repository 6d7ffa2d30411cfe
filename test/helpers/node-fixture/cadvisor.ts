// /metrics/cadvisor of a fixture node (allocator-model §8.3, shaped like the real cgroup v2 scrape
// in fixtures/real/cadvisor/): labels container, id, image, name, namespace, pod; pod cgroups with
// container="" image="" name=""; the pause sandbox as a deeper container="" series; the CFS counters
// and container_spec_cpu_quota only for cgroups with a quota, container_spec_cpu_period and _shares
// for every cgroup (as cAdvisor does: the period is reported whenever the CPU controller is on);
// samples carry cAdvisor's millisecond timestamps.

import type { ScrapedText } from '../../../src/schema/snapshot.js';
import type { CgroupView } from './cgroups.js';
import { countersAt, nodeCgroupPaths, podCgroups } from './cgroups.js';
import { fullImageName } from './kube-objects.js';
import type { Family, Sample } from './prometheus-text.js';
import { insertLine, renderExposition, sortSamples } from './prometheus-text.js';
import type { World } from './world.js';
import { iso } from './world.js';

const HELP = {
  cadvisor_version_info:
    "A metric with a constant '1' value labeled by kernel version, OS version, docker version, cadvisor version & cadvisor revision.",
  container_cpu_cfs_periods_total: 'Number of elapsed enforcement period intervals.',
  container_cpu_cfs_throttled_periods_total: 'Number of throttled period intervals.',
  container_cpu_cfs_throttled_seconds_total: 'Total time duration the container has been throttled.',
  container_cpu_system_seconds_total: 'Cumulative system cpu time consumed in seconds.',
  container_cpu_usage_seconds_total: 'Cumulative cpu time consumed in seconds.',
  container_cpu_user_seconds_total: 'Cumulative user cpu time consumed in seconds.',
  container_spec_cpu_period: 'CPU period of the container.',
  container_spec_cpu_quota: 'CPU quota of the container.',
  container_spec_cpu_shares: 'CPU share of the container.',
  machine_cpu_cores: 'Number of logical CPU cores.',
  machine_cpu_physical_cores: 'Number of physical CPU cores.',
  machine_cpu_sockets: 'Number of CPU sockets.',
  machine_memory_bytes: 'Amount of memory installed on the machine.',
} as const;

interface Series {
  readonly labels: {
    container: string;
    id: string;
    image: string;
    name: string;
    namespace: string;
    pod: string;
  };
  readonly quota: number | null;
  readonly shares: number;
  readonly cores: number;
  readonly throttledRatio: number;
  readonly sinceMs: number;
}

function seriesOf(w: World, views: readonly CgroupView[]): Series[] {
  const out: Series[] = nodeCgroupPaths(w).map((id) => ({
    labels: { container: '', id, image: '', name: '', namespace: '', pod: '' },
    quota: null,
    shares: id === '/' ? 1024 : 2,
    cores: views.reduce((s, v) => s + (v.kind === 'pod' ? v.usage.cores : 0), 0) + (id === '/' ? 0.4 : 0),
    throttledRatio: 0,
    sinceMs: w.kubeletStart,
  }));
  for (const v of views) {
    const pod = v.pod.pod;
    out.push({
      labels: {
        container: v.container?.name ?? '',
        id: v.path,
        image:
          v.kind === 'pod'
            ? ''
            : v.kind === 'sandbox'
              ? 'registry.k8s.io/pause:3.10'
              : fullImageName(v.container?.image ?? ''),
        name: v.containerId,
        namespace: pod.namespace,
        pod: pod.name,
      },
      quota: v.quotaMillicores,
      shares: v.shares,
      cores: v.usage.cores,
      throttledRatio: v.usage.throttledRatio,
      sinceMs: v.pod.startTime,
    });
  }
  return out;
}

function machineLabels(w: World): Record<string, string> {
  return {
    boot_id: '5d2c8f0e-3b1a-4c6e-9f47-0a8b7c6d5e4f',
    machine_id: w.nodeName
      .replace(/[^a-z0-9]/g, '')
      .padEnd(32, '0')
      .slice(0, 32),
    system_uuid: 'ec2f7a31-6b8e-4d1c-a5f2-9e3d7c1b8a60',
  };
}

/** One /metrics/cadvisor scrape taken at `atMs`. */
function scrape(w: World, views: readonly CgroupView[], atMs: number): string {
  const periodUs = w.config.cpuCFSQuotaPeriodUs;
  const ts = atMs - 250;
  const all = seriesOf(w, views);
  const fam = (name: keyof typeof HELP, type: Family['type'], samples: Sample[]): Family => ({
    name,
    type,
    help: HELP[name],
    samples: sortSamples(samples),
  });
  const counters = all.map((s) => ({
    s,
    c: countersAt({ cores: s.cores, throttledRatio: s.throttledRatio }, s.quota, periodUs, s.sinceMs, atMs),
  }));
  const withQuota = counters.filter(({ s }) => s.quota !== null);
  const usage = (share: number) =>
    counters.map(({ s, c }) => ({
      labels: s.labels,
      value: Math.round(c.usageSeconds * share * 1e6) / 1e6,
      timestampMs: ts,
    }));
  const topo = w.topology;
  const memory = topo.memory.reduce((s, m) => s + Number(m.memory), 0);
  const families: Family[] = [
    fam('cadvisor_version_info', 'gauge', [
      {
        labels: {
          cadvisorRevision: '',
          cadvisorVersion: '',
          dockerVersion: '',
          kernelVersion: '6.8.0-60-generic',
          osVersion: 'Ubuntu 24.04.2 LTS',
        },
        value: 1,
      },
    ]),
    fam(
      'container_cpu_cfs_periods_total',
      'counter',
      withQuota.map(({ s, c }) => ({ labels: s.labels, value: c.periods, timestampMs: ts })),
    ),
    fam(
      'container_cpu_cfs_throttled_periods_total',
      'counter',
      withQuota.map(({ s, c }) => ({ labels: s.labels, value: c.throttledPeriods, timestampMs: ts })),
    ),
    fam(
      'container_cpu_cfs_throttled_seconds_total',
      'counter',
      withQuota.map(({ s, c }) => ({ labels: s.labels, value: c.throttledSeconds, timestampMs: ts })),
    ),
    fam('container_cpu_system_seconds_total', 'counter', usage(0.3)),
    fam(
      'container_cpu_usage_seconds_total',
      'counter',
      counters.map(({ s, c }) => ({
        labels: {
          container: s.labels.container,
          cpu: 'total',
          id: s.labels.id,
          image: s.labels.image,
          name: s.labels.name,
          namespace: s.labels.namespace,
          pod: s.labels.pod,
        },
        value: c.usageSeconds,
        timestampMs: ts,
      })),
    ),
    fam('container_cpu_user_seconds_total', 'counter', usage(0.7)),
    fam(
      'container_spec_cpu_period',
      'gauge',
      all.map((s) => ({ labels: s.labels, value: periodUs })),
    ),
    fam(
      'container_spec_cpu_quota',
      'gauge',
      all.flatMap((s) =>
        s.quota === null ? [] : [{ labels: s.labels, value: (s.quota * periodUs) / 1000 }],
      ),
    ),
    fam(
      'container_spec_cpu_shares',
      'gauge',
      all.map((s) => ({ labels: s.labels, value: s.shares })),
    ),
    fam('machine_cpu_cores', 'gauge', [{ labels: machineLabels(w), value: topo.cpus.length }]),
    fam('machine_cpu_physical_cores', 'gauge', [{ labels: machineLabels(w), value: topo.cores.length }]),
    fam('machine_cpu_sockets', 'gauge', [{ labels: machineLabels(w), value: topo.sockets.length }]),
    fam('machine_memory_bytes', 'gauge', [{ labels: machineLabels(w), value: memory }]),
  ];
  let text = renderExposition(families);
  for (const line of w.garbage.cadvisor) text = insertLine(text, line);
  return text;
}

/** One or two scrapes, oldest first; the newest is taken at `now`. */
export function cadvisorScrapes(w: World): ScrapedText[] {
  const views = podCgroups(w);
  const times = w.cadvisor.scrapes === 2 ? [w.now - w.cadvisor.intervalSeconds * 1000, w.now] : [w.now];
  return times.map((t) => ({ scrapedAt: iso(t), text: scrape(w, views, t) }));
}
