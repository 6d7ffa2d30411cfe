// The read commands of `npm run demo` on demo/snapshot.json, in-process: their output in every
// format is kept under test/golden/demo/ (`UPDATE_GOLDEN=1 npm test -- test/unit/demo` rewrites
// it), with the exit codes the demo script expects, and the diagnoses the demo is about checked
// field by field so a golden update cannot quietly lose them.

import { parse as parseYaml } from 'yaml';
import type { AuditReport, NodeReport, PodReport, ThrottleReport } from '../../../src/schema/reports.js';
import { DEMO_SNAPSHOT_PATH } from '../../helpers/demo-cluster.js';
import { expectGolden } from '../../helpers/golden.js';
import { linesOf, runCli } from '../../helpers/run-cli.js';
import type { CliResult } from '../../helpers/run-cli.js';

const FORMATS = [
  ['table', 'txt'],
  ['wide', 'wide.txt'],
  ['json', 'json'],
  ['yaml', 'yaml'],
] as const;

/** The demo's read commands (scripts/demo.js), their golden name and exit code. */
const COMMANDS = [
  { name: 'audit', args: ['audit'], exit: 1 },
  { name: 'describe-pod-db-0', args: ['describe', 'pod', 'db-0', '-n', 'db'], exit: 0 },
  { name: 'describe-node-worker-2', args: ['describe', 'node', 'worker-2'], exit: 0 },
  { name: 'throttle', args: ['throttle', '-A'], exit: 0 },
] as const;

const CASES = COMMANDS.flatMap((c) => FORMATS.map(([format, ext]) => ({ ...c, format, ext })));

/** Every case's result, run once (the first run also loads and compiles the command modules). */
const results = new Map<string, CliResult>();

function result(name: string, format: string): CliResult {
  const r = results.get(`${name} ${format}`);
  if (r === undefined) throw new Error(`no result for ${name} -o ${format}`);
  return r;
}

function json(name: string): unknown {
  return JSON.parse(result(name, 'json').stdout);
}

beforeAll(async () => {
  for (const c of CASES) {
    results.set(
      `${c.name} ${c.format}`,
      await runCli([...c.args, '--snapshot', DEMO_SNAPSHOT_PATH, '-o', c.format]),
    );
  }
}, 60_000);

describe('golden outputs', () => {
  it.each(CASES)('$name -o $format', ({ name, exit, format, ext }) => {
    const r = result(name, format);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: exit, stderr: '' });
    expectGolden(`demo/${name}.${ext}`, r.stdout);
  });

  it.each(COMMANDS)('$name: yaml is the json tree', ({ name }) => {
    expect(parseYaml(result(name, 'yaml').stdout)).toEqual(JSON.parse(result(name, 'json').stdout));
  });
});

describe('what the demo shows', () => {
  it('audit: D3 and D7 errors, C3 on worker-3, worker-3 not checked without an observation', () => {
    const audit = json('audit') as AuditReport;
    const all = audit.nodes.flatMap((n) => n.findings);
    expect(
      all
        .filter((f) => f.severity === 'error')
        .map((f) => [f.code, f.node, `${f.namespace}/${f.pod}`, f.container]),
    ).toEqual([
      ['D7', 'worker-1', 'db/db-0', 'metrics-exporter'],
      ['D3', 'worker-2', 'inference/triton-0', 'server'],
    ]);
    expect(all.filter((f) => f.code === 'C3').map((f) => [f.node, f.severity])).toEqual([
      ['worker-3', 'warning'],
    ]);
    expect(audit.summary).toMatchObject({ nodes: 3, audited: 3, unreachable: 0, exitCode: 1 });
    const worker3 = audit.nodes.find((n) => n.name === 'worker-3') as NodeReport;
    expect(worker3.config?.podLevelManagers).toBe('inactive-gate');
    expect(worker3.coverage.find((c) => c.code === 'D7')).toMatchObject({
      status: 'not-checked',
      reason: 'no node observation',
    });
    expect(linesOf(result('audit', 'table').stdout)).toContain(
      'not checked: D3,D4,D6,D7,D8,D16,D17,D18,D20 on worker-3 (no node observation; pass --observation or --collector)',
    );
  });

  it('describe pod db-0: metrics-exporter on the node shared pool instead of the pod shared pool 4,36', () => {
    const pod = json('describe-pod-db-0') as PodReport;
    const exporter = pod.containers.find((c) => c.name === 'metrics-exporter');
    expect(exporter?.expected?.cpus).toBe('4,36');
    expect(exporter?.observed.assignment.cpu).toBe('node_shared');
    expect(exporter?.placement).toBe('drift');
    expect(pod.findings.map((f) => [f.code, f.container, f.expected, f.observed])).toEqual([
      ['D7', 'metrics-exporter', '4,36', '0,8-32,40-63'],
    ]);
    expect(pod.containers.filter((c) => c.placement !== 'drift').map((c) => [c.name, c.placement])).toEqual([
      ['backup-agent', 'exact'],
      ['database', 'exact'],
    ]);
  });

  it('describe node worker-2: the overlapping exclusive sets', () => {
    const node = json('describe-node-worker-2') as NodeReport;
    const server = node.pods.find((p) => p.name === 'triton-0')?.containers[0];
    expect([server?.expected?.cpus, server?.observed.cpus]).toEqual(['2-3,34-35', '1-3,34']);
    const training = node.pods
      .find((p) => p.name === 'ml-0')
      ?.containers.find((c) => c.name === 'ml-training');
    expect([training?.observed.cpus, training?.placement]).toEqual(['1,32-33', 'exact']);
  });

  it('throttle: a cause and advice for each throttled or starved sidecar, T1 for the throttled ones', async () => {
    const report = json('throttle') as ThrottleReport;
    expect(report.window).toEqual({
      mode: 'interval',
      seconds: 30,
      from: '2026-05-12T10:00:37Z',
      to: '2026-05-12T10:01:07Z',
    });
    expect(
      report.rows.map((r) => [
        `${r.namespace}/${r.pod}`,
        r.container,
        r.cause,
        r.containerCfs?.throttledRatio ?? null,
        r.usageCores,
      ]),
    ).toEqual([
      ['ml/ml-0', 'service-mesh-sidecar', 'pod-limit-as-container-quota', 0.31, 3.97],
      ['shop/checkout-0', 'istio-proxy', 'pod-shared-pool-saturated', 0, 1.65],
      ['shop/checkout-0', 'log-shipper', 'own-limit', 0.42, 0.25],
    ]);
    for (const r of report.rows) expect(r.message).toMatch(/: (give|raise)|; raise/);
    expect(report.findings.map((f) => [f.code, f.severity, f.pod, f.container])).toEqual([
      ['T1', 'warning', 'checkout-0', 'log-shipper'],
      ['T1', 'warning', 'ml-0', 'service-mesh-sidecar'],
    ]);
    const failOn = await runCli(['throttle', '-A', '--snapshot', DEMO_SNAPSHOT_PATH, '--fail-on', 'warning']);
    expect(failOn.code).toBe(1);
  });
});
