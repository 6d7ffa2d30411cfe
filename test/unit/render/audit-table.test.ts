// `audit` table (src/render/audit-table.ts): cli.md §10 example 2 byte for byte, `-o wide` (info
// findings, evidence, the coverage table), `--no-headers`, colours, skipped nodes and the summary.

import { stripVTControlCharacters } from 'node:util';
import { auditSummaryLine, countPods, renderAuditTable } from '../../../src/render/audit-table.js';
import type { AuditTableOptions, NodePodCount } from '../../../src/render/audit-table.js';
import { PLAIN_OUTPUT } from '../../../src/render/terminal.js';
import type { AuditReport, NodeReportBody } from '../../../src/schema/reports.js';
import { expectGolden } from '../../helpers/golden.js';
import {
  C_CODES,
  D_CODES,
  D7_FINDING,
  config,
  coverage,
  coverageWithoutObservation,
  driftedDbPod,
  finding,
  healthyDbPod,
  nodeSources,
  sourcesWithoutObservation,
  status,
  worker1,
} from '../../helpers/report-builders.js';

const lines = (s: string) => s.replace(/\n$/, '').split('\n');

const c16 = (node: string) =>
  finding({
    code: 'C16',
    severity: 'info',
    node,
    evidence: ['configz', 'node-object'],
    observed: 'v1.36.2',
    message: `${node}: kubelet v1.36.2 with PodLevelResourceManagers on writes checkpoints v1.35 cannot read; drain and delete the state files before a downgrade`,
  });

const D11_FINDING = finding({
  code: 'D11',
  severity: 'warning',
  node: 'worker-1',
  resource: 'cpu',
  evidence: ['metrics'],
  expected: 2,
  observed: 1,
  message:
    'resource_manager_container_assignments{pod_shared,cpu} is 1; pods admitted since kubelet start need at least 2',
});

/** The three nodes of cli.md §10 example 2; pods only those with findings. */
function example2(): AuditReport {
  const w1 = worker1([driftedDbPod()]);
  const node1: NodeReportBody = { ...w1, findings: [D7_FINDING, D11_FINDING, c16('worker-1')] };
  const node2: NodeReportBody = {
    ...w1,
    name: 'worker-2',
    sources: sourcesWithoutObservation(),
    config: config({
      topologyManagerPolicy: 'best-effort',
      topologyManagerScope: 'container',
      podLevelManagers: 'container-scope',
    }),
    pods: [],
    findings: [
      c16('worker-2'),
      finding({
        code: 'C5',
        severity: 'info',
        node: 'worker-2',
        evidence: ['configz'],
        expected: null,
        observed: 'container',
        message:
          'worker-2: topologyManagerScope container with PodLevelResourceManagers on gives pods no pod pools',
      }),
    ],
    coverage: coverageWithoutObservation([...C_CODES, ...D_CODES]),
  };
  const node3: NodeReportBody = {
    ...w1,
    name: 'worker-3',
    status: 'unreachable',
    sources: sourcesWithoutObservation({
      configz: status('unavailable', 503),
      metrics: status('unavailable', 503),
      cadvisor: status('unavailable', 503),
      topology: status('absent'),
    }),
    config: null,
    topology: null,
    expected: null,
    pods: [],
    findings: [],
    coverage: coverage([...C_CODES, ...D_CODES], 'not-checked', 'configz: unavailable (503)'),
  };
  return {
    apiVersion: 'podres/v1alpha1',
    kind: 'AuditReport',
    generatedAt: '2026-05-12T10:01:07Z',
    failOn: 'error',
    nodes: [node1, node2, node3],
    summary: {
      nodes: 3,
      audited: 2,
      unreachable: 1,
      skipped: 0,
      nodesWithFindings: 2,
      findings: { error: 1, warning: 1, info: 3 },
      exitCode: 1,
    },
  };
}

const COUNTS: ReadonlyMap<string, NodePodCount> = new Map([
  ['worker-1', { pods: 12, podLevelPods: 1 }],
  ['worker-2', { pods: 9, podLevelPods: 1 }],
  ['worker-3', { pods: 7, podLevelPods: 0 }],
]);

const opts = (o: Partial<AuditTableOptions> = {}): AuditTableOptions => ({
  wide: false,
  noHeaders: false,
  podCounts: COUNTS,
  terminal: PLAIN_OUTPUT,
  ...o,
});

/** cli.md §10 example 2, as printed. */
const EXAMPLE_2 = `NODE      VERSION  CPU     MEMORY  TOPOLOGY               PLRM             PODS  SOURCES      E  W  I  STATUS
worker-1  v1.36.2  static  Static  single-numa-node/pod   active           12    cz m ca obs  1  1  1  ok
worker-2  v1.36.2  static  Static  best-effort/container  container-scope  9     cz m ca      0  0  2  ok
worker-3  v1.36.2  -       -       -                      -                7     cz! m! ca!   0  0  0  unreachable
FINDINGS
error    D7   worker-1  db/db-0  metrics-exporter  cpu  metrics-exporter runs on the node shared pool 0,5-32,37-63 instead of the pod shared pool 4,36
warning  D11  worker-1  -        -                 cpu  resource_manager_container_assignments{pod_shared,cpu} is 1; pods admitted since kubelet start need at least 2
not checked: D3,D4,D5,D6,D7,D8,D14,D15,D16,D17,D18,D20 on worker-2 (no node observation; pass --observation or --collector)
not checked: all checks on worker-3 (configz: unavailable (503))
3 nodes: 2 audited, 1 unreachable, 0 skipped; 1 error, 1 warning, 3 info
`;

describe('renderAuditTable', () => {
  it('reproduces cli.md §10 example 2 (drift and one NotReady node)', () => {
    expect(renderAuditTable(example2(), opts())).toBe(EXAMPLE_2);
  });

  it('an unreachable node without coverage: "all checks" for its failed required source', () => {
    const report = example2();
    const nodes = report.nodes.map((n) => (n.name === 'worker-3' ? { ...n, coverage: [] } : n));
    expect(renderAuditTable({ ...report, nodes }, opts())).toBe(EXAMPLE_2);
  });

  it('--no-headers: only the node rows', () => {
    expect(renderAuditTable(example2(), opts({ noHeaders: true }))).toBe(
      [
        'worker-1  v1.36.2  static  Static  single-numa-node/pod   active           12  cz m ca obs  1  1  1  ok',
        'worker-2  v1.36.2  static  Static  best-effort/container  container-scope  9   cz m ca      0  0  2  ok',
        'worker-3  v1.36.2  -       -       -                      -                7   cz! m! ca!   0  0  0  unreachable',
        '',
      ].join('\n'),
    );
  });

  it('-o wide: options, reserved, NUMA and pod-level pods; info findings with values; coverage', () => {
    const report = example2();
    const nodes = report.nodes.map((n) =>
      n.config === null
        ? n
        : { ...n, config: { ...n.config, cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } } },
    );
    const out = renderAuditTable({ ...report, nodes }, opts({ wide: true }));
    expectGolden('render/audit-example-2-wide.txt', out);
    const l = lines(out);
    expect(l[0]).toMatch(/ STATUS +CPU OPTIONS +RESERVED +NUMA +POD-LEVEL PODS$/);
    expect(l[1]).toMatch(/ ok +full-pcpus-only=true +0 +2 +1$/);
    expect(l[3]).toMatch(/ unreachable +- +- +- +0$/);
    const findings = l.slice(l.indexOf('FINDINGS') + 1, l.indexOf('COVERAGE'));
    expect(findings[0]).toMatch(
      /^SEVERITY +CODE +NODE +NAMESPACE\/POD +CONTAINER +RESOURCE +EXPECTED +OBSERVED +EVIDENCE +MESSAGE$/,
    );
    expect(findings.slice(1).map((f) => f.split(/ +/).slice(0, 3).join(' '))).toEqual([
      'error D7 worker-1',
      'warning D11 worker-1',
      'info C5 worker-2',
      'info C16 worker-1',
      'info C16 worker-2',
    ]);
    expect(findings[2]).toMatch(/^warning +D11 +worker-1 +- +- +cpu +2 +1 +metrics +resource_manager_/);
    expect(l).toContain('worker-2  D3    not-checked  podresources,checkpoint,cgroup  no node observation');
    expect(l).toContain(
      'worker-3  C1    not-checked  -                               configz: unavailable (503)',
    );
    expect(l.filter((x) => x.startsWith('not checked:'))).toEqual([]);
    expect(l.at(-1)).toBe('3 nodes: 2 audited, 1 unreachable, 0 skipped; 1 error, 1 warning, 3 info');
  });

  it('colours E, W and STATUS only when colours are on, and only non-zero counts', () => {
    const coloured = renderAuditTable(example2(), opts({ terminal: { width: undefined, color: true } }));
    expect(lines(coloured)[1]).toContain('\x1b[31m1\x1b[0m  \x1b[33m1\x1b[0m  1  \x1b[32mok\x1b[0m');
    expect(lines(coloured)[3]).toContain('0  0  0  \x1b[31munreachable\x1b[0m');
    expect(stripVTControlCharacters(coloured)).toBe(EXAMPLE_2);
  });

  it('a skipped node: a row of dashes, no not-checked line, counted in the summary', () => {
    const skipped: NodeReportBody = {
      ...worker1([]),
      name: 'win-1',
      status: 'skipped',
      kubeletVersion: 'v1.36.2',
      sources: nodeSources({
        configz: status('absent'),
        metrics: status('absent'),
        cadvisor: status('absent'),
        observation: status('absent'),
      }),
      config: null,
      topology: null,
      findings: [],
      coverage: coverage([...C_CODES, ...D_CODES], 'skipped', 'node is not linux'),
    };
    const report: AuditReport = {
      ...example2(),
      nodes: [skipped],
      summary: {
        nodes: 1,
        audited: 0,
        unreachable: 0,
        skipped: 1,
        nodesWithFindings: 0,
        findings: { error: 0, warning: 0, info: 0 },
        exitCode: 0,
      },
    };
    expect(renderAuditTable(report, opts({ podCounts: new Map() }))).toBe(
      [
        'NODE   VERSION  CPU  MEMORY  TOPOLOGY  PLRM  PODS  SOURCES  E  W  I  STATUS',
        'win-1  v1.36.2  -    -       -         -     -     -        0  0  0  skipped',
        '1 node: 0 audited, 0 unreachable, 1 skipped; 0 errors, 0 warnings, 0 info',
        '',
      ].join('\n'),
    );
  });

  it('on a narrow terminal leaves the wide columns out, with a note', () => {
    const out = lines(
      renderAuditTable(example2(), opts({ wide: true, terminal: { width: 110, color: false } })),
    );
    expect(out[0]).toBe(lines(EXAMPLE_2)[0]);
    expect(out[4]).toBe(
      '(CPU OPTIONS, RESERVED, NUMA, POD-LEVEL PODS left out to fit 110 columns; widen the terminal or pipe the output to see them)',
    );
  });
});

describe('countPods', () => {
  it('counts every pod and the Guaranteed pod-level ones', () => {
    const db = healthyDbPod();
    const burstable = { ...db, name: 'db-1', qosClass: 'Burstable' as const };
    const plain = { ...db, name: 'db-2', podLevel: false };
    expect(countPods(worker1([db, burstable, plain]))).toEqual({ pods: 3, podLevelPods: 1 });
  });
});

describe('auditSummaryLine', () => {
  it('singular and plural', () => {
    expect(
      auditSummaryLine({
        nodes: 2,
        audited: 2,
        unreachable: 0,
        skipped: 0,
        nodesWithFindings: 2,
        findings: { error: 2, warning: 1, info: 1 },
        exitCode: 1,
      }),
    ).toBe('2 nodes: 2 audited, 0 unreachable, 0 skipped; 2 errors, 1 warning, 1 info');
  });
});
