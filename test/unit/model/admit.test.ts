// admitPod never mutates the node it is given: the same node admits the same pod the same way.

import { admitPod, initNode } from '../../../src/model/admit.js';
import { aNode, machines, seedDatabasePod, seedKubelet } from '../../helpers/builders.js';

describe('admitPod', () => {
  it('returns the next state and leaves its input untouched', () => {
    const started = initNode(
      aNode()
        .topology(machines.dualSocketHT)
        .config({ ...seedKubelet, topologyManagerPolicy: 'single-numa-node', topologyManagerScope: 'pod' })
        .build(),
      'source',
    );
    if (!started.ok) throw new Error(started.error);
    const node = started.node;
    const first = admitPod(node, seedDatabasePod());
    const again = admitPod(node, seedDatabasePod());
    expect(node.cpu.defaultCpuSet.toString()).toBe('0-63');
    expect(node.cpu.entries.size).toBe(0);
    expect(node.counters.tmAdmissionRequests).toBe(0);
    expect(first.next.cpu.defaultCpuSet.toString()).toBe('0,5-32,37-63');
    expect(again.next.cpu.defaultCpuSet.toString()).toBe(first.next.cpu.defaultCpuSet.toString());
    expect(first.next.counters.tmAdmissionRequests).toBe(1);
  });

  it('a rejected pod leaves no allocation behind but keeps its counter increments', () => {
    const started = initNode(
      aNode()
        .topology(machines.dualSocketHT)
        .config({ ...seedKubelet, cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } })
        .build(),
      'source',
    );
    if (!started.ok) throw new Error(started.error);
    const { admission, next } = admitPod(started.node, {
      ...seedDatabasePod(),
      podResources: null,
      initContainers: [],
      containers: [
        {
          name: 'a',
          type: 'app',
          resources: {
            requests: { cpu: 2000, memory: 1n, hugepages: {} },
            limits: { cpu: 2000, memory: 1n, hugepages: {} },
          },
        },
        {
          name: 'b',
          type: 'app',
          resources: {
            requests: { cpu: 3000, memory: 1n, hugepages: {} },
            limits: { cpu: 3000, memory: 1n, hugepages: {} },
          },
        },
      ],
    });
    expect(admission.reason).toBe('SMTAlignmentError');
    expect(next.cpu.defaultCpuSet.toString()).toBe('0-63');
    expect(next.cpu.entries.size).toBe(0);
    expect(next.counters.cpuPinningRequests).toBe(2);
    expect(next.counters.cpuPinningErrors).toBe(1);
    expect(next.counters.allocations['cpu/node']).toBe(1);
  });
});
