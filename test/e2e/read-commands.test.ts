// End to end through the real kubectl: `kubectl podres describe pod`, `audit` and `throttle` run
// the built plugin (dist/, `npm run build`; npm test builds it first) against the fake API server
// serving fixture nodes, with its kubeconfig: worker-1 with the D7 drift of cli.md §10 example 2
// (its node observation passed with --observation), worker-2 with the throttled sidecar of
// example 4. Every run spawns kubectl and node: three runs only.

import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PodReport, ThrottleReport } from '../../src/schema/reports.js';
import { fixtureCluster } from '../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../helpers/fixture-cluster.js';
import { findKubectl, runKubectl } from '../helpers/kubectl.js';
import { nodeFixture } from '../helpers/node-fixture.js';
import { BUILT_PLUGIN } from '../helpers/run-cli.js';
import type { CliResult } from '../helpers/run-cli.js';

const PLUGIN = BUILT_PLUGIN;

describe('read commands through kubectl against the fake API server', () => {
  let fixture: FixtureCluster | undefined;
  let kubectl: string;
  let bin: string;
  let observation: string[];

  const cluster = (): FixtureCluster => {
    if (fixture === undefined) throw new Error('the cluster was not started (see the beforeAll error)');
    return fixture;
  };
  const podres = (...args: string[]): Promise<CliResult> =>
    runKubectl(kubectl, ['podres', ...args], {
      home: cluster().dir,
      kubeconfig: cluster().kubeconfig,
      path: bin,
      timeoutMs: 30_000,
    });

  beforeAll(async () => {
    if (!existsSync(PLUGIN)) {
      throw new Error(`${PLUGIN} does not exist: run \`npm run build\` first (npm test does it as pretest)`);
    }
    kubectl = findKubectl();
    const worker1 = nodeFixture('examples/tightly-coupled-database.yaml', { nodeName: 'worker-1' })
      .moveToNodeSharedPool('db/db-0', 'metrics-exporter')
      .build();
    // scrapes 1 s apart, as `--interval 1s` takes them
    const worker2 = nodeFixture('examples/ml-workload.yaml', { nodeName: 'worker-2' })
      .withoutObservation()
      .cadvisorScrapes(2, 1)
      .cpuUsage('ml/ml-0', 'service-mesh-sidecar', { cores: 3.97, throttledRatio: 0.31 })
      .build();
    fixture = await fixtureCluster([worker1, worker2], { namespace: 'db' });
    bin = join(fixture.dir, 'bin');
    await mkdir(bin);
    // installed as krew and npm do: a symlink to the executable script (its shebang runs node)
    await symlink(PLUGIN, join(bin, 'kubectl-podres'));
    await symlink(process.execPath, join(bin, 'node'));
    observation = await fixture.observationFlags();
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it("kubectl podres describe pod: the PodReport of the context namespace's pod, exit 0", async () => {
    const r = await podres('describe', 'pod', 'db-0', '-o', 'json', ...observation);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as PodReport;
    expect([doc.kind, doc.namespace, doc.node]).toEqual(['PodReport', 'db', 'worker-1']);
    expect(doc.containers.find((c) => c.name === 'metrics-exporter')?.placement).toBe('drift');
  }, 30_000);

  it('kubectl podres audit: the D7 error line and the summary, exit 1', async () => {
    const r = await podres('audit', ...observation);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.some((l) => /^error\s+D7\s+worker-1\s+db\/db-0\s+metrics-exporter\s+cpu\s/.test(l))).toBe(
      true,
    );
    expect(lines.at(-1)).toMatch(/^2 nodes: 2 audited, 0 unreachable, 0 skipped; 1 error, /);
  }, 30_000);

  it('kubectl podres throttle: two scrapes an interval apart, the throttled sidecar and its cause', async () => {
    // the runs above took the first scrapes
    cluster().resetScrapes();
    const r = await podres('throttle', '-A', '--interval', '1s', '-o', 'json');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as ThrottleReport;
    expect(doc.window.mode).toBe('interval');
    expect(doc.window.seconds).toBeGreaterThanOrEqual(1);
    const sidecar = doc.rows.find((row) => row.container === 'service-mesh-sidecar');
    // 10 CFS periods in 1 s: 3 of them throttled
    expect(sidecar?.containerCfs?.throttledRatio).toBeCloseTo(0.31, 1);
    expect(sidecar?.cause).toBe('pod-limit-as-container-quota');
    expect(doc.findings.map((f) => f.code)).toContain('T1');
  }, 30_000);
});
