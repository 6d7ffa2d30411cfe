// D9: a checkpoint or the pod-level counters contradict /configz (cli.md §7.2).

import { d9 } from '../../../../src/drift/checks/d09-behaviour-contradicts-config.js';
import { d11 } from '../../../../src/drift/checks/d11-counters-below-admissions.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { brief, coverageOf, findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';
const DB_MEMORY = 'examples/tightly-coupled-database-static-memory.yaml';
const CPU_POD = { resource_name: 'cpu', source: 'pod' };

describe('D9 behaviour contradicts /configz', () => {
  it('is clean on the seed nodes as the model leaves them', () => {
    expect(findingsOf(d9, nodeFixture(DB).build())).toEqual([]);
    expect(findingsOf(d9, nodeFixture(DB_MEMORY).build())).toEqual([]);
    expect(findingsOf(d9, nodeFixture(DB).kubeletVersion('1.37').build())).toEqual([]);
  });

  it('cpu_manager_state written by another CPU manager policy', () => {
    const [f, ...rest] = findingsOf(d9, nodeFixture(DB).checkpointPolicyName('cpu', 'none').build());
    expect(rest).toEqual([]);
    expect(f && brief(f)).toEqual({
      severity: 'error',
      pod: null,
      container: null,
      resource: 'cpu',
      expected: 'static',
      observed: 'none',
    });
    expect(f?.evidence).toEqual(['checkpoint', 'configz']);
    expect(f?.message).toBe(
      'cpu_manager_state has policyName "none" but /configz cpuManagerPolicy is "static"; a kubelet with this configuration refuses such a file',
    );
  });

  it('memory_manager_state written by another memory manager policy', () => {
    const found = findingsOf(d9, nodeFixture(DB_MEMORY).checkpointPolicyName('memory', 'None').build());
    expect(found.map(brief)).toEqual([
      {
        severity: 'error',
        pod: null,
        container: null,
        resource: 'memory',
        expected: 'Static',
        observed: 'None',
      },
    ]);
  });

  it('pod-level counters although /configz has PodLevelResourceManagers off', () => {
    const facts = nodeFixture(DB)
      .configz({ featureGates: { PodLevelResourceManagers: false } })
      .build();
    const found = findingsOf(d9, facts);
    expect(found.map((f) => [f.resource, f.expected, f.observed])).toEqual([
      ['cpu', 0, 3],
      ['cpu', 0, 1],
      ['cpu', 0, 2],
    ]);
    expect(found[0]?.message).toBe(
      'resource_manager_allocations_total{resource_name="cpu",source="pod"} is 3 although PodLevelResourceManagers is off in /configz (counters restart with the kubelet, so the running configuration made them)',
    );
  });

  it('no pod-level allocation counted although PLRM is on and a pod-level pod was admitted since start', () => {
    const facts = nodeFixture(DB).setMetric('resource_manager_allocations_total', CPU_POD, 0).build();
    const found = findingsOf(d9, facts);
    expect(found.map(brief)).toEqual([
      { severity: 'error', pod: null, container: null, resource: null, expected: 3, observed: 0 },
    ]);
    expect(found[0]?.message).toContain(
      'the 1 pod admitted since the kubelet started (2026-05-12T09:01:07Z) must have made 3 pod-level allocations',
    );
    // D11 leaves the pod-level series to D9
    expect(findingsOf(d11, facts)).toEqual([]);
  });

  it('says nothing about silence when no pod was admitted since the kubelet (re)started', () => {
    // the pod started ten minutes before the kubelet's last start
    const facts = nodeFixture(DB, { firstPodDelaySeconds: -600 })
      .setMetric('resource_manager_allocations_total', CPU_POD, 0)
      .build();
    expect(findingsOf(d9, facts)).toEqual([]);
  });

  it('runs partially on the checkpoint alone when /metrics is forbidden', () => {
    const facts = nodeFixture(DB)
      .checkpointPolicyName('cpu', 'none')
      .dropSource('metrics', 'forbidden')
      .build();
    expect(coverageOf(d9, facts)).toMatchObject({ status: 'partial', missing: ['metrics'] });
    expect(findingsOf(d9, facts).map((f) => f.observed)).toEqual(['none']);
  });
});
