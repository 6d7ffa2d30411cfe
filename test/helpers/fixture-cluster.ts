// A live cluster and a snapshot made from the same fixture nodes (test/helpers/node-fixture.ts),
// for tests of the read commands: the fake API server (fake-apiserver.ts) serves each node's
// Node object, pods, /configz, /metrics and /metrics/cadvisor (successive scrapes when the fixture
// has two), a kubeconfig for it is written to a temp directory, and the nodes' observations and a
// Snapshot of the same facts can be written there too. A live run and an offline run then read
// the same data.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeFacts } from '../../src/drift/node-facts.js';
import { FakeApiServer } from './fake-apiserver.js';
import type { KubeletEndpoints } from './fake-apiserver.js';
import { toSnapshot } from './node-fixture.js';
import type { SnapshotOptions } from './node-fixture.js';

export interface FixtureClusterOptions {
  /** further objects served by the API server (nodes without a kubelet, unbound pods) */
  readonly extraNodes?: readonly object[];
  readonly extraPods?: readonly object[];
  /** the context's namespace in the kubeconfig */
  readonly namespace?: string;
}

export interface FixtureCluster {
  readonly server: FakeApiServer;
  readonly dir: string;
  readonly kubeconfig: string;
  /** the environment of a run against the cluster: KUBECONFIG, HOME in the temp dir, NO_COLOR */
  readonly env: Readonly<Record<string, string>>;
  /** writes each node's observation to the temp dir: `--observation FILE` flags for them */
  observationFlags(): Promise<string[]>;
  /** writes a Snapshot of the nodes (taken at `takenAt`) to the temp dir; its path */
  writeSnapshot(
    takenAt: string,
    name?: string,
    options?: SnapshotOptions,
    extraPods?: readonly object[],
  ): Promise<string>;
  /** the cAdvisor scrapes start again from each node's first one */
  resetScrapes(): void;
  close(): Promise<void>;
}

function endpoints(f: NodeFacts): KubeletEndpoints {
  return {
    ...(f.configz === null ? {} : { configz: f.configz }),
    ...(f.metrics === null ? {} : { metrics: f.metrics.text }),
    ...(f.cadvisor.length === 0 ? {} : { cadvisor: f.cadvisor.map((s) => s.text) }),
  };
}

export async function fixtureCluster(
  nodes: readonly NodeFacts[],
  opts: FixtureClusterOptions = {},
): Promise<FixtureCluster> {
  const server = await FakeApiServer.start({
    nodes: [...nodes.flatMap((f) => (f.node === null ? [] : [f.node])), ...(opts.extraNodes ?? [])],
    pods: [...nodes.flatMap((f) => f.pods), ...(opts.extraPods ?? [])],
    kubelet: Object.fromEntries(nodes.map((f) => [f.name, endpoints(f)])),
  });
  const dir = await mkdtemp(join(tmpdir(), 'podres-read-'));
  const kubeconfig = join(dir, 'config');
  await server.writeKubeconfig(kubeconfig, opts.namespace === undefined ? {} : { namespace: opts.namespace });
  return {
    server,
    dir,
    kubeconfig,
    env: { KUBECONFIG: kubeconfig, HOME: dir, NO_COLOR: '1' },
    async observationFlags() {
      const flags: string[] = [];
      for (const f of nodes) {
        if (f.observation === null) continue;
        const file = join(dir, `obs-${f.name}.json`);
        await writeFile(file, JSON.stringify(f.observation));
        flags.push('--observation', file);
      }
      return flags;
    },
    async writeSnapshot(takenAt, name = 'snap.json', options = {}, extraPods = []) {
      const snap = toSnapshot(nodes, takenAt, options);
      const file = join(dir, name);
      await writeFile(file, JSON.stringify({ ...snap, pods: [...snap.pods, ...extraPods] }));
      return file;
    },
    resetScrapes() {
      for (const f of nodes) server.setKubelet(f.name, endpoints(f));
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A report's JSON with every source `from` made equal, to compare live and offline runs. */
export function withoutFrom(json: string): unknown {
  return JSON.parse(json.replace(/"from": "(live|snapshot|observation)"/g, '"from": "*"'));
}
