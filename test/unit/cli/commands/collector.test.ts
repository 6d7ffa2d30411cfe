// `--collector` (cli.md §5.8) through the CLI, in-process against the fake API server: a collector
// pod per node without an observation, its spec field by field, its log becoming the node's
// observation (coverage that needed it becomes checked), the pod deleted with grace 0 after
// success, failure (ImagePullBackOff), timeout and interruption (SIGINT/SIGTERM through the
// injected hook: exit 130/143, `error: interrupted`), a pod that cannot be deleted, the flag
// checks, and `snapshot --collector`.

import type { NodeFacts } from '../../../../src/drift/node-facts.js';
import type { AuditReport, NodeReport, PodReport } from '../../../../src/schema/reports.js';
import type { Snapshot } from '../../../../src/schema/snapshot.js';
import { BUILD_INFO } from '../../../../src/cli/build-info.js';
import type { ReadDeps } from '../../../../src/cli/read-command.js';
import { collectorPodName } from '../../../../src/sources/collector.js';
import type { InterruptSignal } from '../../../../src/sources/collector.js';
import { succeedingPod } from '../../../helpers/fake-apiserver.js';
import { fixtureCluster } from '../../../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../../../helpers/fixture-cluster.js';
import { DEFAULT_NOW, nodeFixture } from '../../../helpers/node-fixture.js';
import { linesOf, runCli, warningsOf } from '../../../helpers/run-cli.js';
import type { CliResult } from '../../../helpers/run-cli.js';

const DB = 'examples/tightly-coupled-database.yaml';
const ML = 'examples/ml-workload.yaml';

let worker1: NodeFacts;
let worker2: NodeFacts;
let cluster: FixtureCluster;

/** The suffix "x7k2q" of cli.md §4's example, from the alphabet of Kubernetes' generateName. */
function randomOf(suffix: string): () => number {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let i = 0;
  return () => (alphabet.indexOf(suffix[i++ % suffix.length] ?? 'b') + 0.5) / alphabet.length;
}

const POD_1 = collectorPodName('worker-1', randomOf('x7k2q'));

/** The fixture's observation as collect prints it, with the collector pod itself in the List. */
function collectorLog(f: NodeFacts, podName: string): string {
  const obs = f.observation as unknown as { podResources: { list: { pod_resources: object[] } } };
  const list = obs.podResources.list;
  const withSelf = {
    ...f.observation,
    podResources: {
      ...obs.podResources,
      list: {
        ...list,
        pod_resources: [
          ...list.pod_resources,
          { name: podName, namespace: 'kube-system', containers: [{ name: 'collect', cpu_ids: [] }] },
        ],
      },
    },
  };
  return `${JSON.stringify(withSelf, null, 2)}\n`;
}

beforeAll(async () => {
  worker1 = nodeFixture(DB, { nodeName: 'worker-1' }).build();
  worker2 = nodeFixture(ML, { nodeName: 'worker-2' }).build();
  cluster = await fixtureCluster([worker1, worker2], { namespace: 'db' });
  // loads the command's modules once, outside the time limit of the first test
  await runCli(['describe', 'node', 'worker-1'], { env: cluster.env });
}, 60_000);

afterAll(async () => {
  await cluster.close();
});

beforeEach(() => {
  cluster.server.clearRequests();
  cluster.server.createdPods.length = 0;
  cluster.server.deletedPods.length = 0;
  cluster.server.setPodLifecycle('worker-1', succeedingPod(collectorLog(worker1, POD_1)));
  cluster.server.setPodLifecycle(
    'worker-2',
    succeedingPod(collectorLog(worker2, collectorPodName('worker-2', randomOf('x7k2q')))),
  );
});

/** A clock that moves on by each sleep, and a signal hook the test fires. */
interface TestDeps extends ReadDeps {
  /** calls the registered handler (none registered: false) */
  fire(signal: InterruptSignal): boolean;
  readonly registrations: { added: number; removed: number };
  readonly sleeps: number[];
}

function testDeps(opts: { onSleep?: (n: number, d: TestDeps) => Promise<void> | null } = {}): TestDeps {
  let now = Date.parse(DEFAULT_NOW);
  let handler: ((s: InterruptSignal) => void) | null = null;
  const registrations = { added: 0, removed: 0 };
  const sleeps: number[] = [];
  const d: TestDeps = {
    clock: () => new Date(now),
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return opts.onSleep?.(sleeps.length, d) ?? Promise.resolve();
    },
    random: randomOf('x7k2q'),
    onSignal: (h) => {
      handler = h;
      registrations.added++;
      return () => {
        if (handler === h) registrations.removed++;
        handler = null;
      };
    },
    fire: (signal) => {
      if (handler === null) return false;
      handler(signal);
      return true;
    },
    registrations,
    sleeps,
  };
  return d;
}

const run = (args: readonly string[], deps: ReadDeps = testDeps()): Promise<CliResult> =>
  runCli(args, { env: cluster.env, deps });

describe('describe node --collector', () => {
  it('creates the collector pod of cli.md §5.8 on the node', async () => {
    const r = await run(['describe', 'node', 'worker-1', '--collector', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(cluster.server.createdPods).toHaveLength(1);
    const pod = cluster.server.createdPods[0] as {
      metadata: Record<string, unknown>;
      spec: Record<string, unknown> & { containers: Record<string, unknown>[] };
    };
    expect(pod.metadata).toEqual({
      name: POD_1,
      namespace: 'kube-system',
      labels: {
        'app.kubernetes.io/name': 'podres-collector',
        'app.kubernetes.io/managed-by': 'kubectl-podres',
      },
    });
    expect(POD_1).toBe('podres-collect-worker-1-x7k2q');
    expect(pod.spec.nodeName).toBe('worker-1');
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.activeDeadlineSeconds).toBe(60);
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.spec.containers).toHaveLength(1);
    const c = pod.spec.containers[0] ?? {};
    expect(c.image).toBe(`ghcr.io/kubectl-podres/kubectl-podres:${BUILD_INFO.version}`);
    expect(c.command).toEqual([
      'kubectl-podres',
      'collect',
      '--host-root',
      '/host',
      '--node-name',
      'worker-1',
      '--kubelet-version',
      'v1.36.2',
    ]);
    expect(c.securityContext).toEqual({ runAsUser: 0 });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } });
    expect(c.volumeMounts).toEqual([
      { name: 'host-sys', mountPath: '/host/sys', readOnly: true },
      { name: 'kubelet-root', mountPath: '/host/var/lib/kubelet', readOnly: true },
    ]);
    expect(pod.spec.volumes).toEqual([
      { name: 'host-sys', hostPath: { path: '/sys', type: 'Directory' } },
      { name: 'kubelet-root', hostPath: { path: '/var/lib/kubelet', type: 'Directory' } },
    ]);
  });

  it("uses the pod's log as the node observation and deletes the pod with grace 0", async () => {
    const without = JSON.parse(
      (await run(['describe', 'node', 'worker-1', '-o', 'json'])).stdout,
    ) as NodeReport;
    expect(without.sources.observation.status).toBe('absent');
    expect(without.coverage.find((c) => c.code === 'D3')?.status).toBe('not-checked');
    cluster.server.clearRequests();

    const deps = testDeps();
    const r = await run(['describe', 'node', 'worker-1', '--collector', '-o', 'json'], deps);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as NodeReport;
    expect(doc.sources.observation).toMatchObject({ status: 'ok', from: 'collector' });
    expect(doc.coverage.find((c) => c.code === 'D3')?.status).toBe('checked');
    expect(doc.coverage.find((c) => c.code === 'D7')?.status).toBe('checked');
    // the same findings as with the document given as --observation: the collector pod's own
    // PodResources List entry is left out (no D18 for it)
    const given = await run([
      'describe',
      'node',
      'worker-1',
      ...(await cluster.observationFlags()),
      '-o',
      'json',
    ]);
    expect(doc.findings).toEqual((JSON.parse(given.stdout) as NodeReport).findings);
    expect(doc.findings.map((f) => f.code)).not.toContain('D18');
    expect(JSON.stringify(doc)).not.toContain('podres-collect-');
    expect(cluster.server.deletedPods).toEqual([
      { namespace: 'kube-system', name: POD_1, gracePeriodSeconds: 0 },
    ]);
    expect(cluster.server.livePods()).toEqual([]);
    // created, polled until Succeeded (Pending, Running, Succeeded), log read, deleted
    const podRequests = cluster.server
      .requestLines()
      .filter((l) => l.includes('/namespaces/kube-system/pods'))
      .map((l) => l.replace(POD_1, 'POD'));
    expect(podRequests).toEqual([
      'POST /api/v1/namespaces/kube-system/pods',
      'GET /api/v1/namespaces/kube-system/pods/POD',
      'GET /api/v1/namespaces/kube-system/pods/POD',
      'GET /api/v1/namespaces/kube-system/pods/POD',
      'GET /api/v1/namespaces/kube-system/pods/POD/log?container=collect',
      'DELETE /api/v1/namespaces/kube-system/pods/POD?gracePeriodSeconds=0',
    ]);
    expect(deps.sleeps).toEqual([1000, 1000, 1000]);
    expect(deps.registrations).toEqual({ added: 1, removed: 1 });
  });

  it('--collector-image, --collector-namespace and --collector-timeout shape the pod', async () => {
    const r = await run([
      'describe',
      'node',
      'worker-1',
      '--collector',
      '--collector-image',
      'registry.example/podres:dev',
      '--collector-namespace',
      'db',
      '--collector-timeout',
      '90s',
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    const pod = cluster.server.createdPods[0] as {
      metadata: { namespace: string };
      spec: { activeDeadlineSeconds: number; containers: { image: string }[] };
    };
    expect(pod.metadata.namespace).toBe('db');
    expect(pod.spec.activeDeadlineSeconds).toBe(90);
    expect(pod.spec.containers[0]?.image).toBe('registry.example/podres:dev');
    expect(cluster.server.deletedPods.map((p) => p.namespace)).toEqual(['db']);
  });

  it('describe pod: a collector pod on the node the pod is bound to', async () => {
    const r = await run(['describe', 'pod', 'db-0', '-n', 'db', '--collector', '-o', 'json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as PodReport;
    expect(doc.coverage.find((c) => c.code === 'D3')?.status).toBe('checked');
    expect(cluster.server.createdPods.map((p) => (p.spec as { nodeName: string }).nodeName)).toEqual([
      'worker-1',
    ]);
    expect(cluster.server.livePods()).toEqual([]);
  });

  it('a node with an --observation gets no collector pod', async () => {
    const flags = await cluster.observationFlags();
    const r = await run(['describe', 'node', 'worker-1', '--collector', ...flags, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(cluster.server.createdPods).toEqual([]);
    expect((JSON.parse(r.stdout) as NodeReport).sources.observation.from).toBe('observation');
  });

  it('ImagePullBackOff: a warning, the node still reported without observation, the pod deleted', async () => {
    cluster.server.setPodLifecycle('worker-1', {
      steps: [
        { phase: 'Pending', waiting: 'ContainerCreating' },
        { phase: 'Pending', waiting: 'ErrImagePull' },
        { phase: 'Pending', waiting: 'ImagePullBackOff' },
      ],
      log: null,
    });
    const r = await run(['describe', 'node', 'worker-1', '--collector', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(warningsOf(r)).toEqual([
      `warning: node worker-1: collector pod kube-system/${POD_1} failed: ImagePullBackOff`,
    ]);
    const doc = JSON.parse(r.stdout) as NodeReport;
    expect(doc.status).toBe('partial');
    expect(doc.sources.observation).toMatchObject({
      status: 'unavailable',
      message: `collector pod kube-system/${POD_1} failed: ImagePullBackOff`,
    });
    expect(doc.coverage.find((c) => c.code === 'D3')?.status).toBe('not-checked');
    expect(doc.pods.length).toBeGreaterThan(0);
    expect(cluster.server.deletedPods.map((p) => [p.name, p.gracePeriodSeconds])).toEqual([[POD_1, 0]]);
  });

  it('a pod that fails names the reason, and the error line of its log', async () => {
    cluster.server.setPodLifecycle('worker-1', {
      steps: [{ phase: 'Running' }, { phase: 'Failed', exitCode: 3 }],
      log: 'error: no node source could be read under "/host"\n',
    });
    const r = await run(['describe', 'node', 'worker-1', '--collector']);
    expect(warningsOf(r)).toEqual([
      `warning: node worker-1: collector pod kube-system/${POD_1} failed: Error (exit code 3): no node source could be read under "/host"`,
    ]);
    expect(cluster.server.livePods()).toEqual([]);
  });

  it('a log that is no NodeObservation fails the observation source (invalid)', async () => {
    cluster.server.setPodLifecycle('worker-1', succeedingPod('{"kind": "NodeObservation"'));
    const r = await run(['describe', 'node', 'worker-1', '--collector', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(warningsOf(r)[0]).toMatch(
      new RegExp(`^warning: node worker-1: log of collector pod kube-system/${POD_1}\\b.*: invalid`),
    );
    expect((JSON.parse(r.stdout) as NodeReport).sources.observation.status).toBe('invalid');
    expect(cluster.server.livePods()).toEqual([]);
  });

  it('timeout: a pod that never completes is given up after --collector-timeout and deleted', async () => {
    cluster.server.setPodLifecycle('worker-1', { steps: [{ phase: 'Running' }], log: null });
    const deps = testDeps();
    const r = await run(
      ['describe', 'node', 'worker-1', '--collector', '--collector-timeout', '5s', '-o', 'json'],
      deps,
    );
    expect(r.code).toBe(0);
    expect(warningsOf(r)).toEqual([
      `warning: node worker-1: collector pod kube-system/${POD_1} timed out after 5s`,
    ]);
    expect((JSON.parse(r.stdout) as NodeReport).sources.observation.status).toBe('timeout');
    expect(deps.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(cluster.server.deletedPods.map((p) => p.name)).toEqual([POD_1]);
  });

  it('SIGINT mid-wait: the pod is deleted, then error: interrupted, exit 130, nothing on stdout', async () => {
    cluster.server.setPodLifecycle('worker-1', { steps: [{ phase: 'Running' }], log: null });
    let deletedBeforeEnd: number | null = null;
    const deps = testDeps({
      onSleep: (n, d) => {
        if (n < 2) return null;
        expect(d.fire('SIGINT')).toBe(true);
        // a wait that never ends on its own
        return new Promise<void>(() => undefined);
      },
    });
    const r = await run(['describe', 'node', 'worker-1', '--collector'], deps);
    deletedBeforeEnd = cluster.server.deletedPods.length;
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 130,
      stdout: '',
      stderr: 'error: interrupted\n',
    });
    expect(deletedBeforeEnd).toBe(1);
    expect(cluster.server.deletedPods).toEqual([
      { namespace: 'kube-system', name: POD_1, gracePeriodSeconds: 0 },
    ]);
    expect(cluster.server.livePods()).toEqual([]);
    expect(deps.registrations).toEqual({ added: 1, removed: 1 });
    // nothing after the interruption: no kubelet read
    expect(cluster.server.requestLines().some((l) => l.includes('/proxy/'))).toBe(false);
  });

  it('a pod that cannot be deleted: a warning to delete it by hand', async () => {
    cluster.server.deny({ verb: 'delete', resource: 'pods', namespace: 'kube-system' });
    try {
      const r = await run(['describe', 'node', 'worker-1', '--collector', '-o', 'json']);
      expect(r.code).toBe(0);
      expect(warningsOf(r)).toEqual([
        `warning: cannot delete collector pod kube-system/${POD_1}: forbidden (403); needs delete on pods in namespace "kube-system"; delete it by hand`,
      ]);
      expect(cluster.server.livePods()).toEqual([`kube-system/${POD_1}`]);
      // still bound to the node and listed with its pods: left out of the report all the same
      const doc = JSON.parse(r.stdout) as NodeReport;
      expect(doc.sources.observation.from).toBe('collector');
      expect(JSON.stringify(doc.pods)).not.toContain('podres-collect-');
    } finally {
      cluster.server.allow();
      cluster.server.removeCreatedPods();
    }
  });

  it('cannot create the pod (no RBAC): the observation source is forbidden, with the hint', async () => {
    cluster.server.deny({ verb: 'create', resource: 'pods', namespace: 'kube-system' });
    try {
      const r = await run(['describe', 'node', 'worker-1', '--collector', '-o', 'json']);
      expect(r.code).toBe(0);
      expect(warningsOf(r)).toEqual([
        `warning: node worker-1: cannot create collector pod kube-system/${POD_1}: forbidden (403); needs create on pods in namespace "kube-system"`,
      ]);
      expect((JSON.parse(r.stdout) as NodeReport).sources.observation.status).toBe('forbidden');
      expect(cluster.server.deletedPods).toEqual([]);
    } finally {
      cluster.server.allow();
    }
  });
});

describe('flags', () => {
  it.each([
    [['--snapshot', 'snap.json'], '--snapshot and --collector cannot be combined'],
    [['--collector-timeout', '0'], 'invalid value "0" for --collector-timeout'],
    [['--collector-timeout', 'soon'], 'invalid value "soon" for --collector-timeout'],
    [['--collector-namespace', 'Kube_System'], 'invalid value "Kube_System" for --collector-namespace'],
  ])('%j → exit 2 before anything is contacted', async (extra, message) => {
    const r = await run(['describe', 'node', 'worker-1', '--collector', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(`error: ${message}`)).toBe(true);
    expect(cluster.server.requests).toEqual([]);
  });

  it('audit and snapshot take --collector with --snapshot as a conflict too', async () => {
    const a = await run(['audit', '--collector', '--snapshot', 'snap.json']);
    expect([a.code, a.stderr]).toEqual([
      2,
      'error: --snapshot and --collector cannot be combined; collector pods need a cluster\n',
    ]);
  });
});

describe('audit and snapshot --collector', () => {
  it('audit: one pod per node, each deleted; both observations from the collector', async () => {
    const r = await run(['audit', '--collector', '-o', 'json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as AuditReport;
    expect(doc.nodes.map((n) => [n.name, n.sources.observation.from])).toEqual([
      ['worker-1', 'collector'],
      ['worker-2', 'collector'],
    ]);
    expect(cluster.server.createdPods.map((p) => (p.spec as { nodeName: string }).nodeName).sort()).toEqual([
      'worker-1',
      'worker-2',
    ]);
    expect(cluster.server.deletedPods).toHaveLength(2);
    expect(cluster.server.livePods()).toEqual([]);
  });

  it('audit: SIGTERM deletes every pod created so far, then exit 143', async () => {
    cluster.server.setPodLifecycle('worker-1', { steps: [{ phase: 'Running' }], log: null });
    cluster.server.setPodLifecycle('worker-2', { steps: [{ phase: 'Running' }], log: null });
    const deps = testDeps({
      onSleep: (n, d) => {
        if (n === 3) d.fire('SIGTERM');
        return n >= 3 ? new Promise<void>(() => undefined) : null;
      },
    });
    const r = await run(['audit', '--collector'], deps);
    expect([r.code, r.stdout, r.stderr]).toEqual([143, '', 'error: interrupted\n']);
    expect(cluster.server.deletedPods).toHaveLength(2);
    expect(cluster.server.livePods()).toEqual([]);
  });

  it('snapshot: the collected observation is the node observation of the Snapshot', async () => {
    const r = await run(['snapshot', '-o', '-', 'worker-1', '--collector']);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as Snapshot;
    const node = snap.nodes.find((n) => n.name === 'worker-1');
    expect(node?.errors).toEqual([]);
    expect(node?.observation?.node).toBe('worker-1');
    expect(JSON.stringify(node?.observation)).not.toContain('podres-collect-');
    expect(snap.pods.some((p) => JSON.stringify(p).includes('podres-collect-'))).toBe(false);
    expect(cluster.server.deletedPods.map((p) => p.name)).toEqual([POD_1]);
  });

  it('snapshot: a failed collector is the node observation error, warned; still exit 0', async () => {
    cluster.server.setPodLifecycle('worker-1', {
      steps: [{ phase: 'Failed', reason: 'DeadlineExceeded' }],
      log: null,
    });
    const r = await run(['snapshot', '-o', '-', 'worker-1', '--collector']);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as Snapshot;
    expect(snap.nodes[0]?.errors).toEqual([
      {
        source: 'observation',
        status: 'unavailable',
        httpStatus: null,
        message: `collector pod kube-system/${POD_1} failed: DeadlineExceeded`,
      },
    ]);
    expect(linesOf(r.stderr)).toContain(
      `warning: node worker-1: collector pod kube-system/${POD_1} failed: DeadlineExceeded`,
    );
  });
});
