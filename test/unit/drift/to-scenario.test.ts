// NodeFacts → Scenario (snapshot --as-scenario): the round trip through `kubectl podres simulate`
// gives the fixture's prediction for every document of every example scenario, plus the
// variations the drift replay makes (version mapping, refused options, admission order, skips).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { nodeFactsToScenario } from '../../../src/drift/to-scenario.js';
import type { NodeFacts } from '../../../src/drift/node-facts.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';
import type { SimulationOut } from '../../../src/render/schema.js';
import { nodeFixture } from '../../helpers/node-fixture.js';
import type { NodeFixture } from '../../helpers/node-fixture.js';
import { REPO_ROOT, runCli } from '../../helpers/run-cli.js';

const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => `examples/${f}`);

function documents(path: string) {
  return parseScenarios(readFileSync(join(REPO_ROOT, path), 'utf8'), path);
}

/** The prediction as simulate prints it for the exported scenario (named after the node). */
function expectedOut(fixture: NodeFixture, node: string): SimulationOut {
  return { ...fixture.prediction(), scenario: node };
}

async function simulate(scenarios: readonly object[]): Promise<unknown> {
  const text = scenarios.map((s) => stringify(s, { lineWidth: 0 })).join('---\n');
  const r = await runCli(['simulate', '-f', '-', '-o', 'json'], { stdin: text });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

function scenarioOf(facts: NodeFacts, fidelity?: 'source' | 'documented') {
  const out = nodeFactsToScenario(facts, fidelity === undefined ? {} : { fidelity });
  expect(out.warnings).toEqual([]);
  if (out.scenario === null) throw new Error(`no scenario for ${facts.name}`);
  return out.scenario;
}

describe('nodeFactsToScenario round trip through simulate', () => {
  it.each(EXAMPLES)('%s: every document replays to the fixture prediction', async (path) => {
    const docs = documents(path);
    const fixtures = docs.map((_, i) => nodeFixture(path, { scenarioIndex: i, nodeName: `node-${i}` }));
    const scenarios = fixtures.map((f, i) => scenarioOf(f.build(), docs[i]?.fidelity));
    const got = await simulate(scenarios);
    const want = fixtures.map((f, i) => expectedOut(f, `node-${i}`));
    expect(got).toEqual(want.length === 1 ? want[0] : want);
  });

  it.each(['1.37', 'v1.35.4', 'v1.38.0'])(
    'kubelet %s: version mapped and gates as the drift replay sets them',
    async (version) => {
      const path = 'examples/hugepages.yaml';
      const fixtures = [0, 1].map((i) => nodeFixture(path, { scenarioIndex: i, kubeletVersion: version }));
      const scenarios = fixtures.map((f) => scenarioOf(f.build()));
      const model = version === 'v1.35.4' ? '1.36' : '1.37';
      for (const s of scenarios) expect(s).toMatchObject({ node: { kubeletVersion: model } });
      if (version === 'v1.35.4') {
        for (const s of scenarios)
          expect(s).toMatchObject({
            node: { kubelet: { featureGates: { PodLevelResourceManagers: false } } },
          });
      }
      expect(await simulate(scenarios)).toEqual(
        fixtures.map((f, i) => expectedOut(f, documents(path)[i]?.node.name ?? '')),
      );
    },
  );

  it('a pod the kubelet rejected (Failed, TopologyAffinityError) is replayed in its place', async () => {
    const f = nodeFixture('examples/ml-workload.yaml');
    const facts = f.build();
    const first = facts.pods[0] as { metadata: { namespace: string; name: string } };
    const ref = `${first.metadata.namespace}/${first.metadata.name}`;
    const rejected = nodeFixture('examples/ml-workload.yaml').rejectPod(ref, 'TopologyAffinityError').build();
    const scenario = scenarioOf(rejected) as { pods: { metadata: { name: string } }[] };
    expect(scenario.pods.map((p) => p.metadata.name)).toEqual(
      (facts.pods as { metadata: { name: string } }[]).map((p) => p.metadata.name),
    );
    expect(await simulate([scenario])).toEqual(expectedOut(f, facts.name));
  });
});

describe('nodeFactsToScenario', () => {
  const base = () => nodeFixture('examples/tightly-coupled-database-static-memory.yaml').build();

  it('writes the scenario envelope, the explicit topology and only the fields the model reads', () => {
    const facts = base();
    const s = scenarioOf(facts) as Record<string, unknown>;
    expect(Object.keys(s)).toEqual(['apiVersion', 'kind', 'name', 'node', 'pods']);
    expect(s).toMatchObject({ apiVersion: 'podres/v1alpha1', kind: 'Scenario', name: facts.name });
    const node = s.node as { topology: { cpus: unknown[] }; kubelet: Record<string, unknown> };
    expect(node.topology.cpus[1]).toEqual({ id: 1, core: 1, socket: 0, numa: 0, uncoreCache: 0 });
    const configz = (facts.configz as { kubeletconfig: Record<string, unknown> }).kubeletconfig;
    expect(Object.keys(configz).length).toBeGreaterThan(Object.keys(node.kubelet).length);
    for (const [k, v] of Object.entries(node.kubelet)) expect(configz[k]).toEqual(v);
    expect(node.kubelet).toMatchObject({ cpuManagerPolicy: 'static', memoryManagerPolicy: 'Static' });
    expect(s).not.toHaveProperty('state');
    const pod = (s.pods as Record<string, unknown>[])[0];
    expect(Object.keys(pod ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(pod?.status).toEqual({ qosClass: 'Guaranteed' });
    expect(Object.keys(pod?.metadata as object)).toEqual(['name', 'namespace', 'uid']);
  });

  it('writes model.fidelity only when not the default', () => {
    expect(scenarioOf(base(), 'documented')).toMatchObject({ model: { fidelity: 'documented' } });
    expect(scenarioOf(base(), 'source')).not.toHaveProperty('model');
  });

  it('orders pods by admission (startTime, else creationTimestamp, then namespace/name)', () => {
    const facts = nodeFixture('examples/cross-numa-memory-group.yaml').build();
    const names = (f: NodeFacts) =>
      (scenarioOf(f) as { pods: { metadata: { name: string } }[] }).pods.map((p) => p.metadata.name);
    const inOrder = (facts.pods as { metadata: { name: string } }[]).map((p) => p.metadata.name);
    expect(inOrder.length).toBe(3);
    expect(names({ ...facts, pods: [...facts.pods].reverse() })).toEqual(inOrder);
    // no startTime: creationTimestamp decides; equal times: namespace/name
    const stamped = (facts.pods as Record<string, Record<string, unknown>>[]).map((p, i) => ({
      ...p,
      metadata: {
        ...p.metadata,
        creationTimestamp: i === 0 ? '2026-05-12T09:00:00Z' : '2026-05-12T08:00:00Z',
      },
      status: { ...p.status, startTime: undefined },
    }));
    const [a, b, c] = inOrder;
    const tail = [b, c].sort() as string[];
    expect(names({ ...facts, pods: stamped })).toEqual([...tail, a]);
  });

  it('leaves out finished pods, collector pods and pods the model cannot read (warning)', () => {
    const facts = base();
    const [first] = facts.pods as Record<string, unknown>[];
    const done = {
      ...first,
      metadata: { name: 'done', namespace: 'db', uid: 'u-1' },
      status: { phase: 'Succeeded' },
    };
    const collector = {
      ...first,
      metadata: {
        name: 'podres-collect-x',
        namespace: 'kube-system',
        labels: { 'app.kubernetes.io/name': 'podres-collector' },
      },
    };
    const broken = {
      metadata: { name: 'broken', namespace: 'db' },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: 'lots' } } }] },
      status: { phase: 'Pending' },
    };
    const out = nodeFactsToScenario({ ...facts, pods: [...facts.pods, done, collector, broken] });
    expect(out.pods).toBe(facts.pods.length);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(
      new RegExp(
        `^node ${facts.name}: cannot model pod db/broken: .*spec\\.containers\\[0\\]\\.resources.*; left out of the scenario$`,
      ),
    );
  });

  it('leaves out CPU options the kubelet refuses, as the replay does', () => {
    const f = nodeFixture('examples/full-pcpus-only-smt-rejection.yaml').configz({
      cpuManagerPolicyOptions: { 'full-pcpus-only': 'true', 'go-fast': 'true' },
    });
    const s = scenarioOf(f.build()) as { node: { kubelet: Record<string, unknown> } };
    expect(s.node.kubelet.cpuManagerPolicyOptions).toEqual({ 'full-pcpus-only': 'true' });
  });

  it('takes the --topology object when there is no observation, in the explicit form', () => {
    const facts = nodeFixture('examples/ml-workload.yaml').withoutObservation({ topologyFile: true }).build();
    const withObs = nodeFixture('examples/ml-workload.yaml').build();
    expect(facts.observation).toBeNull();
    expect(scenarioOf(facts)).toEqual(scenarioOf(withObs));
  });

  it('skips a node without topology, with unusable configz, or whose kubelet would not start', () => {
    const noTopo = nodeFixture('examples/ml-workload.yaml', { nodeName: 'worker-3' })
      .withoutObservation()
      .build();
    expect(nodeFactsToScenario(noTopo)).toEqual({
      scenario: null,
      pods: 0,
      warnings: ['node worker-3: no topology (no observation or --topology); not written as a scenario'],
    });
    const noConfigz = nodeFixture('examples/ml-workload.yaml').dropSource('configz', 'forbidden').build();
    expect(nodeFactsToScenario(noConfigz).warnings).toEqual([
      `node ${noConfigz.name}: no kubelet configuration (/configz could not be read); not written as a scenario`,
    ]);
    const badPolicy = nodeFixture('examples/ml-workload.yaml')
      .configz({ cpuManagerPolicy: 'dynamic' })
      .build();
    const bad = nodeFactsToScenario(badPolicy);
    expect(bad.scenario).toBeNull();
    expect(bad.warnings[0]).toMatch(/kubeletconfig\.cpuManagerPolicy.*; not written as a scenario$/);
    const notStarting = nodeFixture('examples/ml-workload.yaml')
      .configz({ reservedSystemCPUs: '0-9999' })
      .build();
    const ns = nodeFactsToScenario(notStarting);
    expect(ns.scenario).toBeNull();
    expect(ns.warnings[0]).toMatch(/: the kubelet would not start: .*; not written as a scenario$/);
    const wrongCount = { ...base(), node: { status: { capacity: { cpu: '3' } } } };
    expect(nodeFactsToScenario(wrongCount).warnings[0]).toMatch(
      /CPUs but the node reports capacity cpu 3; topology ignored; not written as a scenario$/,
    );
  });
});
