// The reduced pod and node of a snapshot (cli.md §8.7): exactly the listed fields survive.

import { reduceNode, reducePod } from '../../../src/sources/reduce-pod.js';
import { podObject, realNode } from '../../helpers/k8s-objects.js';

describe('reducePod', () => {
  const full = podObject('db-0', { namespace: 'db', node: 'worker-1', sidecar: true });
  (full.metadata as Record<string, unknown>).annotations = {
    'kubernetes.io/config.source': 'api',
    'kubernetes.io/config.hash': 'abc',
    'kubernetes.io/config.mirror': 'abc',
    'kubernetes.io/config.seen': '2026-05-12T09:00:00Z',
    'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}',
  };
  (full.spec as Record<string, unknown>).ephemeralContainers = [
    { name: 'debugger', image: 'busybox', command: ['sh'] },
  ];
  (full.status as Record<string, unknown>).reason = 'Evicted';
  const r = reducePod(full);

  it('keeps the listed metadata, and only the kubernetes.io/config.{mirror,hash,source} annotations', () => {
    expect(Object.keys(r.metadata as object).sort()).toEqual(
      ['annotations', 'creationTimestamp', 'labels', 'name', 'namespace', 'ownerReferences', 'uid'].sort(),
    );
    expect((r.metadata as { annotations: unknown }).annotations).toEqual({
      'kubernetes.io/config.mirror': 'abc',
      'kubernetes.io/config.hash': 'abc',
      'kubernetes.io/config.source': 'api',
    });
  });

  it('keeps containers as name, image, resources, restartPolicy; ephemeral ones by name', () => {
    const spec = r.spec as Record<string, unknown>;
    expect(Object.keys(spec).sort()).toEqual([
      'containers',
      'ephemeralContainers',
      'initContainers',
      'nodeName',
    ]);
    expect(spec.initContainers).toEqual([
      {
        name: 'log-shipper',
        image: 'registry.example.com/shipper:0.9',
        resources: { requests: { cpu: '100m', memory: '64Mi' } },
        restartPolicy: 'Always',
      },
    ]);
    expect(spec.containers).toEqual([
      {
        name: 'app',
        image: 'registry.example.com/app:1.4.2',
        resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      },
    ]);
    expect(spec.ephemeralContainers).toEqual([{ name: 'debugger' }]);
  });

  it('keeps the listed status, container statuses trimmed', () => {
    const status = r.status as Record<string, unknown>;
    expect(Object.keys(status).sort()).toEqual(
      ['containerStatuses', 'initContainerStatuses', 'phase', 'qosClass', 'reason', 'startTime'].sort(),
    );
    expect(Object.keys((status.containerStatuses as object[])[0] ?? {}).sort()).toEqual(
      ['containerID', 'lastState', 'name', 'ready', 'restartCount', 'state'].sort(),
    );
  });

  it('no env, commands, args, volumes, mounts, secrets, probes, service account, managedFields', () => {
    const text = JSON.stringify(r);
    for (const gone of [
      'env',
      'command',
      'args',
      'volumes',
      'volumeMounts',
      'secret',
      'imagePullSecrets',
      'livenessProbe',
      'serviceAccountName',
      'managedFields',
      'tolerations',
      'podIP',
      'conditions',
      'hunter2',
      'last-applied',
    ]) {
      expect(text).not.toContain(gone);
    }
    expect([r.apiVersion, r.kind]).toEqual(['v1', 'Pod']);
  });

  it('absent fields stay absent; a pending pod has no container statuses', () => {
    const pending = reducePod(podObject('p', { node: null }));
    expect((pending.spec as Record<string, unknown>).nodeName).toBeUndefined();
    expect(Object.keys(pending.status as object).sort()).toEqual(['phase', 'qosClass']);
  });
});

describe('reduceNode', () => {
  it('a real Node loses managedFields and status.images, and nothing else', () => {
    const node = realNode('nto-bm-master.internal.node.yaml');
    const r = reduceNode(node) as { metadata: Record<string, unknown>; status: Record<string, unknown> };
    expect('managedFields' in r.metadata).toBe(false);
    expect('images' in r.status).toBe(false);
    const full = node as { metadata: Record<string, unknown>; status: Record<string, unknown> };
    expect(Object.keys(r.metadata).length).toBe(Object.keys(full.metadata).length - 1);
    expect(Object.keys(r.status).length).toBe(Object.keys(full.status).length - 1);
    expect(r.status.nodeInfo).toEqual(full.status.nodeInfo);
    // the input is not changed
    expect('managedFields' in full.metadata).toBe(true);
  });
});
