// `simulate` output against golden files (test/golden/simulate/), byte for byte, for the table,
// wide and json formats of the CLI fixtures; then the facts the goldens must show, taken from the
// specs (allocator-model.md §11.1, scenario-format.md), so a wrong output cannot be blessed by
// UPDATE_GOLDEN=1 alone.

import { expectGolden } from '../../../helpers/golden.js';
import { fixture, linesOf, runCli } from '../../../helpers/run-cli.js';
import type { PodOut, SimulationOut } from '../../../../src/render/schema.js';

const FORMATS = [
  ['table', '.txt'],
  ['wide', '-wide.txt'],
  ['json', '.json'],
] as const;

const CASES = ['pod-level-db', 'two-scenarios', 'rejected'] as const;

async function simulate(...argv: string[]): Promise<string> {
  const r = await runCli(['simulate', ...argv]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('simulate golden files', () => {
  describe.each(CASES)('%s', (name) => {
    it.each(FORMATS)('-o %s', async (output, suffix) => {
      expectGolden(`simulate/${name}${suffix}`, await simulate('-f', fixture(`${name}.yaml`), '-o', output));
    });
  });

  it('pod-level-db --explain', async () => {
    expectGolden(
      'simulate/pod-level-db-explain.txt',
      await simulate('-f', fixture('pod-level-db.yaml'), '--explain'),
    );
  });

  it('two-scenarios --explain', async () => {
    expectGolden(
      'simulate/two-scenarios-explain.txt',
      await simulate('-f', fixture('two-scenarios.yaml'), '--explain'),
    );
  });

  it('two-scenarios -o wide --no-headers', async () => {
    expectGolden(
      'simulate/two-scenarios-wide-no-headers.txt',
      await simulate('-f', fixture('two-scenarios.yaml'), '-o', 'wide', '--no-headers'),
    );
  });
});

describe('what the golden outputs show', () => {
  const json = async (name: string): Promise<SimulationOut> =>
    JSON.parse(await simulate('-f', fixture(`${name}.yaml`), '-o', 'json')) as SimulationOut;
  const container = (pod: PodOut | undefined, name: string) => pod?.containers.find((c) => c.name === name);

  it('pod-level-db: the seed-1 placement (allocator-model.md §11.1)', async () => {
    const doc = await json('pod-level-db');
    const pod = doc.pods[0];
    expect(pod).toMatchObject({
      admitted: true,
      qosClass: 'Guaranteed',
      path: 'pod-level',
      numaAffinity: [0],
      podPool: { cpus: '1-4,33-36' },
      podSharedPool: { cpus: '4,36' },
      podCgroupCfsQuota: 'none',
    });
    expect(pod?.containers.map((c) => [c.name, c.type, c.assignment.cpu, c.cpus, c.isolation])).toEqual([
      ['metrics-exporter', 'sidecar', 'pod_shared', '4,36', 'pod'],
      ['backup-agent', 'sidecar', 'pod_shared', '4,36', 'pod'],
      ['database', 'app', 'pod_exclusive', '1-3,33-35', 'container'],
    ]);
    expect(container(pod, 'database')).toMatchObject({ cfsQuota: 'none', cfsQuotaMillicores: null });
    expect(container(pod, 'backup-agent')).toMatchObject({ cfsQuota: 'pod', cfsQuotaMillicores: 8000 });
    // 1.36 PodResources: no pod-level fields; the sidecars report the pod shared pool (Q2)
    expect(pod?.reported).toEqual({
      cpuIds: [],
      memory: [],
      containers: {
        'metrics-exporter': { cpuIds: [4, 36], memory: [] },
        'backup-agent': { cpuIds: [4, 36], memory: [] },
        database: { cpuIds: [1, 2, 3, 33, 34, 35], memory: [] },
      },
    });
    expect(doc).toMatchObject({ reservedCpus: '0', nodeSharedPool: { cpus: '0,5-32,37-63' } });
    expect(doc.metrics).toMatchObject({
      kubelet_cpu_manager_exclusive_cpu_allocation_count: 8,
      kubelet_cpu_manager_shared_pool_size_millicores: 55000,
      kubelet_cpu_manager_pinning_requests_total: 1,
      kubelet_topology_manager_admission_requests_total: 1,
      resource_manager_container_assignments: { cpu: { pod_exclusive: 1, pod_shared: 2, node_exclusive: 0 } },
    });
  });

  it('pod-level-db table: the seed-1 rows and pools', async () => {
    const lines = linesOf(await simulate('-f', fixture('pod-level-db.yaml')));
    expect(lines[0]).toBe(
      'SCENARIO pod-level-db  node worker-1 (kubelet 1.36)  reserved 0  node shared pool 0,5-32,37-63',
    );
    expect(lines.slice(2, 5).map((l) => l.trim().split(/ {2,}/).slice(-6))).toEqual([
      ['metrics-exporter', 'sidecar', 'pod_shared', 'node_shared', '4,36', 'pod 8000m'],
      ['backup-agent', 'sidecar', 'pod_shared', 'node_shared', '4,36', 'pod 8000m'],
      ['database', 'app', 'pod_exclusive', 'node_shared', '1-3,33-35', 'none'],
    ]);
    expect(lines[5]).toBe('db/db-0: admitted  numa 0  pod pool 1-4,33-36  pod shared pool 4,36');
  });

  it('two-scenarios: a classic exclusive pod, then shared pods without a topology manager', async () => {
    const docs = JSON.parse(
      await simulate('-f', fixture('two-scenarios.yaml'), '-o', 'json'),
    ) as SimulationOut[];
    const [first, second] = docs;
    expect(first?.pods[0]).toMatchObject({ path: 'container', qosClass: 'Guaranteed' });
    expect(first?.pods[0]?.containers[0]).toMatchObject({
      assignment: { cpu: 'node_exclusive' },
      cpus: '1,9',
      numaNodes: [0],
      isolation: 'container',
      cfsQuota: 'none',
    });
    expect(first?.nodeSharedPool.cpus).toBe('0,2-8,10-15');
    // 1.37 lists exclusive CPUs of the container only (no pod-level fields for a non-pod-level pod)
    expect(first?.pods[0]?.reported.containers.main?.cpuIds).toEqual([1, 9]);
    expect(second?.scenario).toBeNull();
    expect(second?.pods.map((p) => [p.name, p.qosClass, p.path, p.containers[0]?.cfsQuota])).toEqual([
      ['web', 'Burstable', 'none', 'unlimited'],
      ['batch', 'Guaranteed', 'none', 'container'],
    ]);
    // the node shared pool includes the reserved CPU (no strict-cpu-reservation)
    expect(second?.pods.map((p) => p.containers[0]?.cpus)).toEqual(['0-15', '0-15']);
    expect(second?.pods[1]).toMatchObject({ podCgroupCfsQuota: 1500 });
  });

  it('rejected: SMTAlignmentError leaves nothing behind for the next pod', async () => {
    const doc = await json('rejected');
    expect(doc.pods[0]).toMatchObject({
      admitted: false,
      reason: 'SMTAlignmentError',
      message: 'SMT Alignment Error: requested 3 cpus not multiple cpus per core = 2',
    });
    expect(doc.pods[1]).toMatchObject({ admitted: true });
    expect(doc.pods[1]?.containers[0]?.cpus).toBe('1,9');
    expect(doc.nodeSharedPool.cpus).toBe('0,2-8,10-15');
  });
});
