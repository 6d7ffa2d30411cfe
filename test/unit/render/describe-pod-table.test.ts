// `describe pod` table (src/render/describe-pod-table.ts): cli.md §10 example 1 byte for byte,
// drift and missing observations in the comparing cells, `-o wide`, `--no-headers`, an unbound
// pod, colours and fitting to a terminal.

import { stripVTControlCharacters } from 'node:util';
import { renderDescribePodTable, shortContainerId } from '../../../src/render/describe-pod-table.js';
import type { DescribePodTableOptions } from '../../../src/render/describe-pod-table.js';
import { PLAIN_OUTPUT } from '../../../src/render/terminal.js';
import type { ContainerReport, PodReportBody } from '../../../src/schema/reports.js';
import { expectGolden } from '../../helpers/golden.js';
import {
  GI,
  POD_CODES,
  coverage,
  coverageWithoutObservation,
  driftedDbPod,
  healthyDbPod,
  nodeSources,
  sourcesWithoutObservation,
  status,
  NOTHING_OBSERVED,
} from '../../helpers/report-builders.js';

const WORKER_1 = {
  kubeletVersion: 'v1.36.2',
  sources: nodeSources({ observation: status('ok', null, 'collector') }),
};
const opts = (o: Partial<DescribePodTableOptions> = {}): DescribePodTableOptions => ({
  wide: false,
  noHeaders: false,
  node: WORKER_1,
  terminal: PLAIN_OUTPUT,
  ...o,
});
const lines = (s: string) => s.replace(/\n$/, '').split('\n');

/** cli.md §10 example 1, as printed. */
const EXAMPLE_1 = `POD      db/db-0  node worker-1 (v1.36.2)  Guaranteed  path pod-level  numa 0  admitted
POOLS    pod: cpus 1-4,33-36 memory 16Gi@0 | pod shared: cpus 4,36 memory 4Gi@0 | pod cfs quota: none
SOURCES  cz m ca obs
CONTAINER         TYPE     CPU            MEMORY         CPUS       NUMA  CFS        THROTTLED  FINDINGS
metrics-exporter  sidecar  pod_shared     pod_shared     4,36       0     pod 8000m  0.0%       -
backup-agent      sidecar  pod_shared     pod_shared     4,36       0     pod 8000m  0.0%       -
database          app      pod_exclusive  pod_exclusive  1-3,33-35  0     none       -          -
`;

function withContainer(
  pod: PodReportBody,
  name: string,
  f: (c: ContainerReport) => ContainerReport,
): PodReportBody {
  return { ...pod, containers: pod.containers.map((c) => (c.name === name ? f(c) : c)) };
}

describe('renderDescribePodTable', () => {
  it('reproduces cli.md §10 example 1 (a healthy pod-scope pod)', () => {
    expect(renderDescribePodTable(healthyDbPod(), opts())).toBe(EXAMPLE_1);
  });

  it('--no-headers: only the container rows', () => {
    // as kubectl: the columns as wide as the rows need
    expect(renderDescribePodTable(healthyDbPod(), opts({ noHeaders: true }))).toBe(
      [
        'metrics-exporter  sidecar  pod_shared     pod_shared     4,36       0  pod 8000m  0.0%  -',
        'backup-agent      sidecar  pod_shared     pod_shared     4,36       0  pod 8000m  0.0%  -',
        'database          app      pod_exclusive  pod_exclusive  1-3,33-35  0  none       -     -',
        '',
      ].join('\n'),
    );
  });

  it('shows drift as expected→observed, the codes per container and the FINDINGS line (example 3)', () => {
    const out = lines(renderDescribePodTable(driftedDbPod(), opts()));
    expect(out[3]).toMatch(/^CONTAINER +TYPE +CPU +MEMORY +CPUS +NUMA +CFS +THROTTLED +FINDINGS$/);
    expect(out[4]).toMatch(
      /^metrics-exporter {2}sidecar {2}pod_shared→node_shared {2}pod_shared +4,36→0,5-32,37-63 {2}0→0,1 {2}pod 8000m {2}0\.0% +D7$/,
    );
    expect(out[6]).toMatch(/^database +app +pod_exclusive +pod_exclusive +1-3,33-35 +0 +none +- +-$/);
    expect(out.slice(7)).toEqual([
      'FINDINGS',
      'error  D7  worker-1  db/db-0  metrics-exporter  cpu  metrics-exporter runs on the node shared pool 0,5-32,37-63 instead of the pod shared pool 4,36',
    ]);
  });

  it('X→? where nothing was observed, grouped not-checked codes with the remedy', () => {
    const healthy = healthyDbPod();
    const pod: PodReportBody = {
      ...healthy,
      observed: {
        ...healthy.observed,
        podPool: null,
        podSharedPool: null,
        podCgroupCfsQuota: 'none',
        source: { admitted: 'pod-status', podCgroupCfsQuota: 'cadvisor' },
      },
      containers: healthy.containers.map((c) => ({
        ...c,
        observed: {
          ...c.observed,
          assignment: { cpu: null, memory: null },
          cpus: null,
          numaNodes: null,
          memory: null,
          source: { cfsQuota: 'cadvisor', cfs: 'cadvisor' },
        },
        placement: 'unknown',
      })),
      coverage: coverageWithoutObservation(POD_CODES),
    };
    const out = lines(
      renderDescribePodTable(
        pod,
        opts({ node: { kubeletVersion: 'v1.36.2', sources: sourcesWithoutObservation() } }),
      ),
    );
    expect(out[1]).toBe(
      'POOLS    pod: cpus 1-4,33-36 memory 16Gi@0→? | pod shared: cpus 4,36 memory 4Gi@0→? | pod cfs quota: none',
    );
    expect(out[2]).toBe('SOURCES  cz m ca');
    expect(out[4]).toMatch(
      /^metrics-exporter +sidecar +pod_shared→\? +pod_shared→\? +4,36→\? +0→\? +pod 8000m +0\.0% +-$/,
    );
    expect(out.slice(7)).toEqual([
      'not checked: D3,D4,D5,D6,D7,D8,D14,D15,D20 (no node observation; pass --observation or --collector)',
    ]);
  });

  it('an equivalent placement shows the observed ids, an exact one the expected', () => {
    const healthy = healthyDbPod();
    const moved = (c: ContainerReport): ContainerReport => ({
      ...c,
      observed: {
        ...c.observed,
        cpus: c.name === 'database' ? '5-7,37-39' : '8,40',
        memory: [{ type: 'memory', numa: [0], size: (c.name === 'database' ? 12 : 4) * GI }],
      },
      placement: 'equivalent',
    });
    const pod: PodReportBody = {
      ...healthy,
      observed: {
        ...healthy.observed,
        podPool: { cpus: '5-8,37-40', memory: [{ type: 'memory', numa: [0], size: 16 * GI }] },
        podSharedPool: { cpus: '8,40', memory: [{ type: 'memory', numa: [0], size: 4 * GI }] },
      },
      containers: healthy.containers.map(moved),
    };
    const out = lines(renderDescribePodTable(pod, opts({ wide: true })));
    expect(out[1]).toBe(
      'POOLS    pod: cpus 5-8,37-40 memory 16Gi@0 | pod shared: cpus 8,40 memory 4Gi@0 | pod cfs quota: none',
    );
    expect(out[6]).toMatch(
      /^database +app +pod_exclusive +pod_exclusive +5-7,37-39 +0 +none +- +- +container +12Gi@0 +7e6d5c4b3a29 +equivalent +checkpoint,cadvisor,cgroup$/,
    );
    // the same ids without an equivalent placement are drift
    const drifted = lines(
      renderDescribePodTable(
        { ...pod, containers: pod.containers.map((c) => ({ ...c, placement: 'drift' })) },
        opts(),
      ),
    );
    expect(drifted[1]).toBe(
      'POOLS    pod: cpus 1-4,33-36→5-8,37-40 memory 16Gi@0 | pod shared: cpus 4,36→8,40 memory 4Gi@0 | pod cfs quota: none',
    );
    expect(drifted[6]).toMatch(/ 1-3,33-35→5-7,37-39 /);
  });

  it('CFS: observed none matches expected unlimited; other quotas differ with their kind', () => {
    const pod = withContainer(
      withContainer(healthyDbPod(), 'backup-agent', (c) => ({
        ...c,
        expected:
          c.expected === null ? null : { ...c.expected, cfsQuota: 'unlimited', cfsQuotaMillicores: null },
        observed: { ...c.observed, cfsQuota: 'none', cfsQuotaMillicores: null },
      })),
      'database',
      (c) => ({ ...c, observed: { ...c.observed, cfsQuota: 'set', cfsQuotaMillicores: 3000 } }),
    );
    const out = lines(renderDescribePodTable(pod, opts()));
    expect(out[5]).toMatch(/^backup-agent +sidecar .* unlimited +0\.0%/);
    expect(out[6]).toMatch(/^database +app .* none→set 3000m +- +-$/);
  });

  it('a rejected pod: the verdicts compared, expected and observed', () => {
    const healthy = healthyDbPod();
    const pod: PodReportBody = {
      ...healthy,
      expected: healthy.expected && {
        ...healthy.expected,
        admitted: false,
        reason: 'TopologyAffinityError',
        numaAffinity: null,
      },
    };
    expect(lines(renderDescribePodTable(pod, opts()))[0]).toBe(
      'POD      db/db-0  node worker-1 (v1.36.2)  Guaranteed  path pod-level  rejected (TopologyAffinityError)→admitted',
    );
  });

  it('an unbound pod: node and expected null, every check not checked', () => {
    const pod: PodReportBody = {
      namespace: 'web',
      name: 'web-0',
      uid: '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b',
      node: null,
      phase: 'Pending',
      qosClass: 'Burstable',
      podLevel: false,
      path: null,
      admissionOrder: null,
      expected: null,
      observed: {
        admitted: null,
        reason: null,
        message: null,
        podPool: null,
        podSharedPool: null,
        podCgroupCfsQuota: null,
        podCgroupCfs: null,
        reported: null,
        source: {},
      },
      containers: [
        {
          name: 'nginx',
          type: 'app',
          containerId: null,
          expected: null,
          observed: NOTHING_OBSERVED,
          placement: 'unknown',
          findings: [],
        },
      ],
      findings: [],
      coverage: coverage(POD_CODES, 'not-checked', 'pod is not bound to a node'),
    };
    expect(renderDescribePodTable(pod, opts({ node: null }))).toBe(
      [
        'POD      web/web-0  not bound to a node  Burstable  Pending',
        'POOLS    -',
        'SOURCES  -',
        'CONTAINER  TYPE  CPU  MEMORY  CPUS  NUMA  CFS  THROTTLED  FINDINGS',
        'nginx      app   ?    ?       ?     ?     ?    -          -',
        'not checked: all checks (pod is not bound to a node)',
        '',
      ].join('\n'),
    );
    expect(lines(renderDescribePodTable(pod, opts({ node: null, wide: true })))[4]).toBe(
      'nginx      app   ?    ?       ?     ?     ?    -          -         ?          ?              -             unknown    -',
    );
  });

  it('-o wide: isolation, memory blocks, container id, placement, sources; full coverage table', () => {
    const out = renderDescribePodTable(driftedDbPod(), opts({ wide: true }));
    expectGolden('render/describe-pod-drift-wide.txt', out);
    const l = lines(out);
    expect(l[3]).toMatch(/ FINDINGS +ISOLATION +MEMORY BLOCKS +CONTAINER ID +PLACEMENT +SOURCES$/);
    expect(l[4]).toMatch(/ D7 +pod +4Gi@0 +9f3a6c1e2b7d +drift +checkpoint,cadvisor,cgroup$/);
    expect(l).toContain('FINDINGS');
    expect(l.find((x) => x.startsWith('error'))).toMatch(
      /^error +D7 +worker-1 +db\/db-0 +metrics-exporter +cpu +4,36 +0,5-32,37-63 +checkpoint,cgroup +metrics-exporter runs on/,
    );
    expect(l.filter((x) => /^D\d+ +checked +- +-$/.test(x))).toHaveLength(POD_CODES.length);
    expect(l.indexOf('COVERAGE')).toBeGreaterThan(l.indexOf('FINDINGS'));
  });

  it('colours the drift, finding codes and severities only when colours are on', () => {
    const plain = renderDescribePodTable(driftedDbPod(), opts());
    expect(plain).not.toContain('\x1b[');
    const coloured = renderDescribePodTable(
      driftedDbPod(),
      opts({ terminal: { width: undefined, color: true } }),
    );
    expect(coloured).toContain('\x1b[31mD7\x1b[0m');
    expect(coloured).toContain('\x1b[31merror\x1b[0m');
    expect(stripVTControlCharacters(coloured)).toBe(plain);
  });

  it('on a narrow terminal shortens cpusets and leaves wide columns out, with a note', () => {
    const out = renderDescribePodTable(
      driftedDbPod(),
      opts({ wide: true, terminal: { width: 120, color: false } }),
    );
    const l = lines(out);
    const table = l.slice(3, 7);
    for (const row of table) expect(Array.from(row).length).toBeLessThanOrEqual(120);
    expect(l[7]).toMatch(
      /^\(.*SOURCES.* left out to fit 120 columns; widen the terminal or pipe the output to see them\)$/,
    );
    // off a terminal nothing is shortened
    expect(renderDescribePodTable(driftedDbPod(), opts({ wide: true }))).toContain('4,36→0,5-32,37-63');
  });
});

describe('shortContainerId', () => {
  it.each([
    ['containerd://9f3a6c1e2b7d4a5f8e9c', '9f3a6c1e2b7d'],
    ['cri-o://abc', 'abc'],
    ['0123456789abcdef', '0123456789ab'],
    [null, '-'],
  ])('%j → %j', (id, short) => {
    expect(shortContainerId(id)).toBe(short);
  });
});
