// The built executables as users run them, against the fake API server (test/helpers/
// fake-apiserver.ts): the single-file bundle the single-executable binaries embed
// (dist/sea/kubectl-podres.cjs, run with node) for `describe pod` and `audit --snapshot`, and
// live names in shell completion from each executable: the tsc build (dist/cmd), the npm
// package's launcher (dist/bundle, which imports dist/bundle/live-names.mjs for names) and the
// single-file bundle. dist/ is built by `npm run build` (npm test does it first); PODRES_DIST
// selects another build. The release binaries are checked the same way in test/release.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditReport, PodReport } from '../../src/schema/reports.js';
import { fixtureCluster } from '../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../helpers/fixture-cluster.js';
import { nodeFixture } from '../helpers/node-fixture.js';
import { BUILT, REPO_ROOT, linesOf } from '../helpers/run-cli.js';
import type { CliResult } from '../helpers/run-cli.js';

const DIST = BUILT;
const SEA = join(DIST, 'sea', 'kubectl-podres.cjs');

/** `node <script> <args>`, asynchronously (the fake API server answers from this process). */
function runNode(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CliResult & { ms: number }> {
  const start = Date.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [script, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr, ms: Date.now() - start });
      },
    );
  });
}

let fixture: FixtureCluster | undefined;
const cluster = (): FixtureCluster => {
  if (fixture === undefined) throw new Error('the cluster was not started (see the beforeAll error)');
  return fixture;
};

beforeAll(async () => {
  if (!existsSync(SEA)) {
    throw new Error(`${SEA} does not exist: run \`npm run build\` first (npm test does it as pretest)`);
  }
  const worker1 = nodeFixture('examples/tightly-coupled-database.yaml', { nodeName: 'worker-1' })
    .moveToNodeSharedPool('db/db-0', 'metrics-exporter')
    .build();
  const worker2 = nodeFixture('examples/ml-workload.yaml', { nodeName: 'worker-2' })
    .withoutObservation()
    .build();
  fixture = await fixtureCluster([worker1, worker2], { namespace: 'ml' });
}, 60_000);

afterAll(async () => {
  await fixture?.close();
});

describe('the single-file bundle (dist/sea/kubectl-podres.cjs, what the binaries embed)', () => {
  it('describe pod db-0 -n db -o json: the PodReport, with the D7 drift of its observation', async () => {
    const observation = await cluster().observationFlags();
    const r = await runNode(SEA, ['describe', 'pod', 'db-0', '-n', 'db', '-o', 'json', ...observation], {
      ...cluster().env,
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as PodReport;
    expect([doc.kind, doc.namespace, doc.name, doc.node, doc.path]).toEqual([
      'PodReport',
      'db',
      'db-0',
      'worker-1',
      'pod-level',
    ]);
    const exporter = doc.containers.find((c) => c.name === 'metrics-exporter');
    expect(exporter?.placement).toBe('drift');
    expect(exporter?.findings.map((f) => f.code)).toContain('D7');
    expect(doc.containers.find((c) => c.name === 'database')?.expected?.cpus).toBe('1-3,33-35');
  }, 30_000);

  it('audit --snapshot demo/snapshot.json -o json: the demo drifts, exit 1, no cluster', async () => {
    // no kubeconfig anywhere: the snapshot replaces the cluster
    const r = await runNode(SEA, ['audit', '--snapshot', 'demo/snapshot.json', '-o', 'json'], {
      HOME: cluster().dir,
      KUBECONFIG: join(cluster().dir, 'none'),
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    const doc = JSON.parse(r.stdout) as AuditReport;
    expect(doc.kind).toBe('AuditReport');
    expect(doc.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(doc.summary).toMatchObject({ nodes: 3, audited: 3, unreachable: 0, exitCode: 1 });
    expect(doc.summary.findings.error).toBeGreaterThan(0);
    const codes = doc.nodes.flatMap((n) => n.findings.map((f) => `${n.name} ${f.code}`));
    expect(codes).toEqual(expect.arrayContaining(['worker-1 D7', 'worker-2 D3', 'worker-3 C3']));
  }, 30_000);
});

describe('live names in completion, from every executable', () => {
  // what users run: the npm package's and the binaries' programs
  const helpers: readonly (readonly [string, string, readonly string[]])[] = [
    ['the npm launcher', join(DIST, 'bundle', 'kubectl_complete-podres.cjs'), []],
    ['the single-file bundle', SEA, ['__complete']],
  ];
  // The tsc build (development and tests only) loads @kubernetes/client-node file by file, which
  // alone takes about the whole budget: it is only checked for ending in time.
  const withTsc = [
    ...helpers,
    ['the tsc build', join(DIST, 'cmd', 'kubectl_complete-podres.js'), []] as const,
  ];

  it.each(helpers)(
    '%s: describe node <TAB>, describe pod <TAB> of the context namespace',
    async (_n, script, pre) => {
      const nodes = await runNode(script, [...pre, 'describe', 'node', ''], cluster().env);
      expect(nodes).toMatchObject({ code: 0, stdout: 'worker-1\nworker-2\n:4\n', stderr: '' });
      const pods = await runNode(script, [...pre, 'describe', 'pod', ''], cluster().env);
      expect(pods).toMatchObject({ code: 0, stdout: 'ml-0\n:4\n', stderr: '' });
    },
    20_000,
  );

  it.each(withTsc)(
    '%s: a server that never answers: nothing, and the process ends after the 2 s budget',
    async (_n, script, pre) => {
      const removeFault = cluster().server.inject({ path: '/api/v1/nodes', hang: true });
      try {
        const r = await runNode(script, [...pre, 'describe', 'node', ''], cluster().env);
        expect(r).toMatchObject({ code: 0, stdout: ':4\n', stderr: '' });
        expect(r.ms).toBeLessThan(2000 + 2500);
      } finally {
        removeFault();
      }
    },
    20_000,
  );

  it('describe <TAB> offers the resource types without asking the cluster', async () => {
    cluster().server.clearRequests();
    const r = await runNode(
      join(DIST, 'bundle', 'kubectl_complete-podres.cjs'),
      ['describe', ''],
      cluster().env,
    );
    expect(linesOf(r.stdout)).toEqual(['pod', 'node', ':4']);
    expect(cluster().server.requestLines()).toEqual([]);
  });
});
