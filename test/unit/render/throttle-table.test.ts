// `throttle` table (src/render/throttle-table.ts): cli.md §10 example 4 byte for byte, `-o wide`,
// `--no-headers`, rows without /configz (blank expected columns) or without quota series.

import { stripVTControlCharacters } from 'node:util';
import { renderThrottleTable } from '../../../src/render/throttle-table.js';
import type { ThrottleTableOptions } from '../../../src/render/throttle-table.js';
import { PLAIN_OUTPUT } from '../../../src/render/terminal.js';
import type { CfsWindow, ThrottleReport, ThrottleRow } from '../../../src/schema/reports.js';
import { expectGolden } from '../../helpers/golden.js';
import { nodeSources } from '../../helpers/report-builders.js';

const lines = (s: string) => s.replace(/\n$/, '').split('\n');

/** A 30 s window at the kubelet's 100 ms period: 300 periods. */
function window(quotaMillicores: number | null, throttledPeriods: number, counterReset = false): CfsWindow {
  return {
    quotaMillicores,
    periods: 300,
    throttledPeriods,
    throttledRatio: throttledPeriods / 300,
    throttledSeconds: throttledPeriods * 0.0317,
    counterReset,
  };
}

const sidecar = (name: string, usageCores: number): ThrottleRow => ({
  node: 'worker-1',
  namespace: 'db',
  pod: 'db-0',
  container: name,
  type: 'sidecar',
  assignment: 'pod_shared',
  cpus: '4,36',
  cpuCount: 2,
  cfsQuota: 'pod',
  containerCfs: window(8000, 0),
  podCgroup: null,
  usageCores,
  cause: 'pod-shared-pool-saturated',
  message: `${name} uses ${usageCores.toFixed(2)} of the 2 CPUs of the pod shared pool 4,36 its pod's sidecars share`,
});

/** cli.md §10 example 4: the rows of seed 1 and seed 2 that show at the default threshold. */
function example4(): ThrottleReport {
  return {
    apiVersion: 'podres/v1alpha1',
    kind: 'ThrottleReport',
    window: { mode: 'interval', seconds: 30, from: '2026-05-12T10:00:37Z', to: '2026-05-12T10:01:07Z' },
    threshold: 0.25,
    nodes: [
      { name: 'worker-1', status: 'ok', sources: nodeSources() },
      { name: 'worker-2', status: 'ok', sources: nodeSources() },
    ],
    rows: [
      sidecar('metrics-exporter', 0.42),
      sidecar('backup-agent', 1.55),
      {
        node: 'worker-2',
        namespace: 'ml',
        pod: 'ml-0',
        container: 'service-mesh-sidecar',
        type: 'sidecar',
        assignment: 'node_shared',
        cpus: '0,9-31,41-63',
        cpuCount: 61,
        cfsQuota: 'pod',
        containerCfs: window(4000, 93),
        podCgroup: null,
        usageCores: 3.97,
        cause: 'pod-limit-as-container-quota',
        message:
          'service-mesh-sidecar has no CPU limit of its own: the pod-level limit 4000m is its quota and it was throttled in 31.0% of periods',
      },
    ],
    findings: [],
  };
}

const opts = (o: Partial<ThrottleTableOptions> = {}): ThrottleTableOptions => ({
  wide: false,
  noHeaders: false,
  terminal: PLAIN_OUTPUT,
  ...o,
});

/** cli.md §10 example 4, as printed. */
const EXAMPLE_4 = `NAMESPACE  POD   CONTAINER             CPU          CPUS  QUOTA      THROTTLED  POD THROTTLED  USAGE  CAUSE
db         db-0  metrics-exporter      pod_shared   2     pod 8000m  0.0%       -              0.42   pod-shared-pool-saturated
db         db-0  backup-agent          pod_shared   2     pod 8000m  0.0%       -              1.55   pod-shared-pool-saturated
ml         ml-0  service-mesh-sidecar  node_shared  61    pod 4000m  31.0%      -              3.97   pod-limit-as-container-quota
`;

describe('renderThrottleTable', () => {
  it('reproduces cli.md §10 example 4 (why are my sidecars slow?)', () => {
    expect(renderThrottleTable(example4(), opts())).toBe(EXAMPLE_4);
  });

  it('--no-headers: only the rows', () => {
    const out = lines(renderThrottleTable(example4(), opts({ noHeaders: true })));
    expect(out).toHaveLength(3);
    expect(out[2]).toBe(
      'ml  ml-0  service-mesh-sidecar  node_shared  61  pod 4000m  31.0%  -  3.97  pod-limit-as-container-quota',
    );
  });

  it('-o wide: node, type, cpuset, periods, throttled seconds and the message', () => {
    const out = renderThrottleTable(example4(), opts({ wide: true }));
    expectGolden('render/throttle-example-4-wide.txt', out);
    const l = lines(out);
    expect(l[0]).toMatch(/ CAUSE +NODE +TYPE +CPUSET +PERIODS +THROTTLED SECONDS +MESSAGE$/);
    expect(l[3]).toMatch(
      / pod-limit-as-container-quota +worker-2 +sidecar +0,9-31,41-63 +93\/300 +2\.95 +service-mesh-sidecar has no CPU limit/,
    );
  });

  it('blank expected columns without /configz; "-" where a cgroup has no quota series', () => {
    const row: ThrottleRow = {
      node: 'worker-4',
      namespace: 'batch',
      pod: 'etl-7',
      container: 'worker',
      type: 'app',
      assignment: null,
      cpus: null,
      cpuCount: null,
      cfsQuota: null,
      containerCfs: null,
      podCgroup: window(2000, 120, true),
      usageCores: null,
      cause: 'pod-quota-shared',
      message: 'the pod cgroup quota 2000m throttled 40.0% of periods',
    };
    const report: ThrottleReport = {
      ...example4(),
      window: { mode: 'cumulative', seconds: null, from: null, to: '2026-05-12T10:01:07Z' },
      rows: [row],
    };
    expect(renderThrottleTable(report, opts())).toBe(
      [
        'NAMESPACE  POD    CONTAINER  CPU  CPUS  QUOTA  THROTTLED  POD THROTTLED  USAGE  CAUSE',
        'batch      etl-7  worker                       -          40.0%          -      pod-quota-shared',
        '',
      ].join('\n'),
    );
    expect(lines(renderThrottleTable(report, opts({ wide: true })))[1]).toMatch(
      / pod-quota-shared +worker-4 +app +- +- +the pod cgroup quota/,
    );
    const exclusive: ThrottleRow = {
      ...row,
      assignment: 'pod_exclusive',
      cpus: '1-3,33-35',
      cpuCount: 6,
      cfsQuota: 'none',
      containerCfs: null,
      podCgroup: null,
      usageCores: 5.5,
      cause: 'none',
      message: '',
    };
    expect(lines(renderThrottleTable({ ...report, rows: [exclusive] }, opts({ wide: true })))[1]).toBe(
      'batch      etl-7  worker     pod_exclusive  6     none   -          -              5.50   none   worker-4  app   1-3,33-35  -        -                  -',
    );
  });

  it('a counter reset is marked in PERIODS', () => {
    const report = example4();
    const reset: ThrottleReport = {
      ...report,
      rows: report.rows.map((r) => ({
        ...r,
        containerCfs: r.containerCfs && { ...r.containerCfs, counterReset: true },
      })),
    };
    expect(lines(renderThrottleTable(reset, opts({ wide: true })))[1]).toMatch(/ 0\/300 \(reset\) +0\.00 /);
  });

  it('colours throttled ratios and causes only when colours are on', () => {
    const coloured = renderThrottleTable(example4(), opts({ terminal: { width: undefined, color: true } }));
    expect(lines(coloured)[3]).toContain('\x1b[33m31.0%\x1b[0m');
    expect(lines(coloured)[1]).toContain('0.0%');
    expect(lines(coloured)[1]).not.toContain('\x1b[33m0.0%');
    expect(stripVTControlCharacters(coloured)).toBe(EXAMPLE_4);
  });

  it('no rows: the header only; with --no-headers nothing', () => {
    const empty = { ...example4(), rows: [] };
    expect(renderThrottleTable(empty, opts())).toBe(
      'NAMESPACE  POD  CONTAINER  CPU  CPUS  QUOTA  THROTTLED  POD THROTTLED  USAGE  CAUSE\n',
    );
    expect(renderThrottleTable(empty, opts({ noHeaders: true }))).toBe('');
  });

  it('on a narrow terminal leaves wide columns out (the message first), with a note', () => {
    const out = lines(
      renderThrottleTable(example4(), opts({ wide: true, terminal: { width: 150, color: false } })),
    );
    for (const l of out.slice(0, 4)) expect(Array.from(l).length).toBeLessThanOrEqual(150);
    expect(out[0]).not.toContain('MESSAGE');
    expect(out.at(-1)).toMatch(/^\(.*MESSAGE.* left out to fit 150 columns; /);
  });
});
