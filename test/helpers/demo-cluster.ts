// The demo cluster of `npm run demo` (scripts/demo.js): three fixture nodes built from the scenario
// files under demo/cluster/ with the node-fixture builder, the drifts each file's header announces
// planted by the builder's knobs, and the Snapshot of them that ships as demo/snapshot.json.
// test/unit/demo/demo-snapshot.test.ts rebuilds the snapshot from here and compares it with the
// committed file (UPDATE_GOLDEN=1 rewrites it); everything is deterministic (fixed clock, ids
// derived from names).

import type { NodeFacts } from '../../src/drift/node-facts.js';
import type { Snapshot } from '../../src/schema/snapshot.js';
import { DEFAULT_NOW, nodeFixture, toSnapshot } from './node-fixture.js';

/** The snapshot's takenAt, the readings' time ("now" of every demo command). */
export const DEMO_TAKEN_AT = DEFAULT_NOW;

/** The committed snapshot, relative to the repository root. */
export const DEMO_SNAPSHOT_PATH = 'demo/snapshot.json';

/** Seconds between the two cAdvisor scrapes of every node (`throttle` interval mode). */
export const DEMO_SCRAPE_INTERVAL = 30;

/**
 * worker-1 (scope pod, single-numa-node, Static memory): D7 on db/db-0 metrics-exporter; in
 * shop/checkout-0 the log-shipper throttled by its own limit and the istio-proxy filling the pod
 * shared pool.
 */
export function demoWorker1(): NodeFacts {
  return nodeFixture('demo/cluster/worker-1.yaml', { now: DEMO_TAKEN_AT })
    .cadvisorScrapes(2, DEMO_SCRAPE_INTERVAL)
    .moveToNodeSharedPool('db/db-0', 'metrics-exporter')
    .cpuUsage('web/frontend-7c9d5', 'nginx', { cores: 0.31 })
    .cpuUsage('db/db-0', 'metrics-exporter', { cores: 0.12 })
    .cpuUsage('db/db-0', 'backup-agent', { cores: 0.38 })
    .cpuUsage('db/db-0', 'database', { cores: 4.62 })
    .cpuUsage('cache/redis-0', 'redis', { cores: 1.18 })
    .cpuUsage('shop/checkout-0', 'istio-proxy', { cores: 1.65 })
    .cpuUsage('shop/checkout-0', 'log-shipper', { cores: 0.25, throttledRatio: 0.42 })
    .cpuUsage('shop/checkout-0', 'checkout', { cores: 1.34 })
    .cpuUsage('batch/report-29120401-k7d2x', 'report', { cores: 0.88 })
    .build();
}

/**
 * worker-2 (scope container, best-effort, Static memory): D3 between ml/ml-0 ml-training and
 * inference/triton-0 server, the ml-0 service-mesh-sidecar throttled under the pod limit.
 */
export function demoWorker2(): NodeFacts {
  return nodeFixture('demo/cluster/worker-2.yaml', { now: DEMO_TAKEN_AT })
    .cadvisorScrapes(2, DEMO_SCRAPE_INTERVAL)
    .overlapExclusive('ml/ml-0', 'ml-training', 'inference/triton-0', 'server', 1)
    .cpuUsage('ml/ml-0', 'service-mesh-sidecar', { cores: 3.97, throttledRatio: 0.31 })
    .cpuUsage('ml/ml-0', 'ml-training', { cores: 2.91 })
    .cpuUsage('inference/triton-0', 'server', { cores: 3.46 })
    .cpuUsage('web/api-5b7f9', 'api', { cores: 0.64 })
    .cpuUsage('batch/cleanup-29120398-r2m8w', 'cleanup', { cores: 0.07 })
    .build();
}

/** worker-3 (PodLevelResourceManagers missing): C3; no node observation. */
export function demoWorker3(): NodeFacts {
  return nodeFixture('demo/cluster/worker-3.yaml', { now: DEMO_TAKEN_AT })
    .cadvisorScrapes(2, DEMO_SCRAPE_INTERVAL)
    .withoutObservation()
    .cpuUsage('db/db-1', 'metrics-exporter', { cores: 0.11 })
    .cpuUsage('db/db-1', 'backup-agent', { cores: 0.46 })
    .cpuUsage('db/db-1', 'database', { cores: 4.2 })
    .cpuUsage('web/frontend-7c9d5-x4q2m', 'nginx', { cores: 0.27 })
    .build();
}

/** The three demo nodes, by name. */
export function demoNodes(): NodeFacts[] {
  return [demoWorker1(), demoWorker2(), demoWorker3()];
}

/** The demo Snapshot (cli.md §8.7). */
export function demoSnapshot(): Snapshot {
  return toSnapshot(demoNodes(), DEMO_TAKEN_AT, { context: 'kind-podres-demo', server: null });
}

/** The snapshot as written to demo/snapshot.json: JSON, 2-space indentation, final newline. */
export function demoSnapshotText(): string {
  return `${JSON.stringify(demoSnapshot(), null, 2)}\n`;
}
