// The read commands when the cluster misbehaves, through the real kubectl and the built plugin
// (dist/, or PODRES_DIST) against the fake API server: get nodes/proxy denied by RBAC, a kubelet
// answering 503, one that does not answer in --request-timeout, a garbled /metrics line, a node
// that disappears between the node list and its reads. Each gets one warning line naming node,
// endpoint and cause (no stack trace), the other nodes are still audited, and the exit code is
// cli.md's.

import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditReport } from '../../src/schema/reports.js';
import { fixtureCluster } from '../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../helpers/fixture-cluster.js';
import { findKubectl, runKubectl } from '../helpers/kubectl.js';
import { GARBAGE_LINES, nodeFixture } from '../helpers/node-fixture.js';
import { BUILT_PLUGIN, linesOf } from '../helpers/run-cli.js';
import type { CliResult } from '../helpers/run-cli.js';

const PLUGIN = BUILT_PLUGIN;

const worker1 = () => nodeFixture('examples/tightly-coupled-database.yaml', { nodeName: 'worker-1' }).build();
const worker2 = () =>
  nodeFixture('examples/ml-workload.yaml', { nodeName: 'worker-2' }).garbageLine('metrics').build();

/** A fresh cluster of worker-1 and worker-2 (faults cannot all be undone), kubectl-podres on PATH. */
async function withCluster(
  test: (podres: (...args: string[]) => Promise<CliResult>, c: FixtureCluster) => Promise<void>,
) {
  const cluster = await fixtureCluster([worker1(), worker2()], { namespace: 'db' });
  try {
    const bin = join(cluster.dir, 'bin');
    await mkdir(bin);
    await symlink(PLUGIN, join(bin, 'kubectl-podres'));
    await symlink(process.execPath, join(bin, 'node'));
    const kubectl = findKubectl();
    await test(
      (...args) =>
        runKubectl(kubectl, ['podres', ...args], {
          home: cluster.dir,
          kubeconfig: cluster.kubeconfig,
          path: bin,
          timeoutMs: 30_000,
        }),
      cluster,
    );
  } finally {
    await cluster.close();
  }
}

const warnings = (r: CliResult): string[] => linesOf(r.stderr).filter((l) => l.startsWith('warning: '));

describe('read commands through kubectl when the cluster misbehaves', () => {
  beforeAll(() => {
    if (!existsSync(PLUGIN)) {
      throw new Error(`${PLUGIN} does not exist: run \`npm run build\` first (npm test does it as pretest)`);
    }
  });

  it('get nodes/proxy denied: one warning for all nodes, no kubelet read, exit 3', async () => {
    await withCluster(async (podres, cluster) => {
      cluster.server.deny({ verb: 'get', resource: 'nodes', subresource: 'proxy' });
      const r = await podres('audit');
      expect(r.code).toBe(3);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const w = warnings(r);
      expect(w).toHaveLength(1);
      expect(w[0]).toMatch(
        /^warning: cannot read the kubelets' .*: forbidden \(403\); needs get on nodes\/proxy; not checked or partial: C1,/,
      );
      expect(cluster.server.requestLines().filter((l) => l.includes('/proxy/'))).toEqual([]);
      // the pods and Node objects are still read: a row per node, both unreachable
      const rows = linesOf(r.stdout).filter((l) => /^worker-\d/.test(l));
      expect(rows.map((l) => [l.split(/\s+/)[0], l.trimEnd().split(/\s+/).at(-1)])).toEqual([
        ['worker-1', 'unreachable'],
        ['worker-2', 'unreachable'],
      ]);
    });
  }, 60_000);

  it('a 503 kubelet, a hanging one and a garbled /metrics line: a warning each, the rest still used', async () => {
    await withCluster(async (podres, cluster) => {
      cluster.server.inject({ node: 'worker-1', proxy: 'configz', status: 503 });
      cluster.server.inject({ node: 'worker-2', proxy: 'metrics/cadvisor', hang: true });
      const r = await podres('audit', '-o', 'json', '--fail-on', 'none', '--request-timeout', '2s');
      // worker-1 without /configz cannot be checked: unreachable, exit 3
      expect(r.code).toBe(3);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // the line as the kubelet served it, though the audit keeps only some families
      const served = worker2().metrics?.text ?? '';
      const line = linesOf(served).indexOf(GARBAGE_LINES.metrics) + 1;
      expect(line).toBeGreaterThan(0);
      expect(warnings(r).sort()).toEqual([
        'warning: node worker-1: cannot read /configz: unavailable (503)',
        expect.stringMatching(new RegExp(`^warning: node worker-2: cannot parse /metrics line ${line}: `)),
        expect.stringMatching(/^warning: node worker-2: cannot read \/metrics\/cadvisor: timeout/),
      ]);
      const doc = JSON.parse(r.stdout) as AuditReport;
      expect(
        doc.nodes.map((n) => [
          n.name,
          n.status,
          n.sources.configz.status,
          n.sources.metrics.status,
          n.sources.cadvisor.status,
        ]),
      ).toEqual([
        ['worker-1', 'unreachable', 'unavailable', 'ok', 'ok'],
        ['worker-2', 'partial', 'ok', 'invalid', 'timeout'],
      ]);
      expect(doc.summary).toMatchObject({ nodes: 2, audited: 1, unreachable: 1, exitCode: 3 });
    });
  }, 60_000);

  it('a node that disappears mid-audit: its warnings, the other node audited, exit 3', async () => {
    await withCluster(async (podres, cluster) => {
      cluster.server.vanishNode('worker-2');
      const r = await podres('audit', '-o', 'json', '--fail-on', 'none');
      expect(r.code).toBe(3);
      expect(warnings(r)).toEqual([
        'warning: node worker-2: cannot read /configz: not found (404)',
        'warning: node worker-2: cannot read /metrics: not found (404)',
        'warning: node worker-2: cannot read /metrics/cadvisor: not found (404)',
      ]);
      const doc = JSON.parse(r.stdout) as AuditReport;
      expect(doc.nodes.map((n) => [n.name, n.status])).toEqual([
        ['worker-1', 'ok'],
        ['worker-2', 'unreachable'],
      ]);
    });
  }, 60_000);
});
