// `kubectl podres snapshot --as-scenario` in-process against the fake API server serving fixture
// nodes: one Scenario per node with a topology (observation or --topology), a node without one
// skipped with a warning, and the file replayed by `simulate` to the fixtures' predictions.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fixtureCluster } from '../../../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../../../helpers/fixture-cluster.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import type { NodeFixture } from '../../../helpers/node-fixture.js';
import { runCli } from '../../../helpers/run-cli.js';

describe('kubectl podres snapshot --as-scenario', () => {
  let cluster: FixtureCluster;
  let fixtures: NodeFixture[];
  let observationFlags: string[];

  beforeAll(async () => {
    fixtures = [
      nodeFixture('examples/tightly-coupled-database-static-memory.yaml', { nodeName: 'worker-1' }),
      nodeFixture('examples/pod-vs-container-scope.yaml', { nodeName: 'worker-2' }),
      nodeFixture('examples/ml-workload.yaml', { nodeName: 'worker-3' }),
    ];
    // worker-2's topology comes from --topology, worker-3 has none
    const facts = [
      fixtures[0]!.build(),
      fixtures[1]!.withoutObservation().build(),
      fixtures[2]!.withoutObservation().build(),
    ];
    cluster = await fixtureCluster(facts);
    observationFlags = await cluster.observationFlags();
    const topology = nodeFixture('examples/pod-vs-container-scope.yaml').build().observation?.topology;
    expect(topology).toBeDefined();
    await writeFile(join(cluster.dir, 'topology-worker-2.json'), JSON.stringify(topology));
    await import('../../../../src/cli/commands/snapshot.js');
  }, 30_000);

  afterAll(async () => {
    await cluster.close();
  });

  const predictions = () =>
    fixtures.slice(0, 2).map((f, i) => ({ ...f.prediction(), scenario: `worker-${i + 1}` }));
  const args = () => [
    ...observationFlags,
    '--topology',
    `worker-2=${join(cluster.dir, 'topology-worker-2.json')}`,
    '--as-scenario',
  ];
  const SKIPPED =
    'warning: node worker-3: no topology (no observation or --topology); not written as a scenario\n';

  it('writes one Scenario per node with a topology; simulate replays them to the predictions', async () => {
    const out = join(cluster.dir, 'nodes.scenario.json');
    const r = await runCli(['snapshot', '-o', out, ...args()], { env: cluster.env });
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `${SKIPPED}wrote ${out}: 2 scenarios, 2 pods, 1 node skipped\n`,
    });
    const text = await readFile(out, 'utf8');
    // YAML whatever the file name, one document per node
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs.map((d) => [d.kind, d.name])).toEqual([
      ['Scenario', 'worker-1'],
      ['Scenario', 'worker-2'],
    ]);
    expect(docs.every((d) => !('state' in d))).toBe(true);
    expect((await readdir(cluster.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const sim = await runCli(['simulate', '-f', out, '-o', 'json']);
    expect(sim.stderr).toBe('');
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout)).toEqual(predictions());
  });

  it('-o - writes the scenarios to stdout', async () => {
    const r = await runCli(['snapshot', '-o', '-', 'worker-2', 'worker-3', ...args()], { env: cluster.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(SKIPPED);
    expect(r.stderr).toMatch(/wrote <stdout>: 1 scenario, 1 pod, 1 node skipped\n$/);
    const sim = await runCli(['simulate', '-f', '-', '-o', 'json'], { stdin: r.stdout });
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout)).toEqual(predictions()[1]);
  });

  it('an unknown flag value still fails before anything is written (exit 2)', async () => {
    const r = await runCli(['snapshot', '-o', '-', '--as-scenario', '--concurrency', '0'], {
      env: cluster.env,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*concurrency/);
  });
});
