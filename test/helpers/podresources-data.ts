// PodResources data for the gRPC tests: the real `List` dump (OpenShift 4.11 must-gather) and a
// 1.37-shaped response with every field, both in the canonical form of src/model/pod-resources.ts.
// The 1.37 one is what a kubelet with pod scope, PLRM on and the memory manager reports on the
// machine of nto-bm-worker1 (80 CPUs, NUMA 0 = even CPUs, hyperthread sibling of c = c + 40,
// reservedSystemCPUs 0,40) for a pod like the seed pod `db/db-0` of allocator-model.md §11.1
// (pod pool 4,6,8,10,44,46,48,50 on NUMA 0, exclusive `db` container 6,8,10,46,48,50, sidecars
// empty), plus a container with a device-plugin NIC and a DRA GPU on NUMA 1.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AllocatableResources, PodResourcesList } from '../../src/model/pod-resources.js';
import { parsePodResourcesList } from '../../src/parse/podresources.js';

export const REAL_LIST_FILE = 'ocp-4.11-gcp-worker-memmgr.podresources-list.json';
export const REAL_LIST_PATH = path.resolve(
  process.cwd(),
  '../shared/fixtures/real/podresources',
  REAL_LIST_FILE,
);

export function realListText(): string {
  return readFileSync(REAL_LIST_PATH, 'utf8');
}

export function realList(): PodResourcesList {
  return parsePodResourcesList(realListText(), REAL_LIST_FILE);
}

const GiB = 1024n ** 3n;

const none = { cpuIds: [], memory: [], devices: [], dynamicResources: [] } as const;

/** A canonical 1.37 `List` (ids sorted, memory and devices in canonical order). */
export const LIST_137: PodResourcesList = {
  pods: [
    {
      name: 'db-0',
      namespace: 'db',
      cpuIds: [4, 6, 8, 10, 44, 46, 48, 50],
      memory: [{ type: 'memory', size: 16n * GiB, numa: [0] }],
      containers: [
        { name: 'metrics-exporter', ...none },
        { name: 'backup-agent', ...none },
        {
          name: 'db',
          cpuIds: [6, 8, 10, 46, 48, 50],
          memory: [{ type: 'memory', size: 12n * GiB, numa: [0] }],
          devices: [],
          dynamicResources: [],
        },
      ],
    },
    {
      name: 'trainer-0',
      namespace: 'ml',
      cpuIds: [],
      memory: [],
      containers: [
        {
          name: 'trainer',
          cpuIds: [3, 5, 43, 45],
          memory: [
            { type: 'hugepages-1Gi', size: 4n * GiB, numa: [1] },
            { type: 'memory', size: 8n * GiB, numa: [1] },
          ],
          devices: [{ resourceName: 'intel.com/sriov_netdevice', deviceIds: ['0000:3b:02.1'], numa: [1] }],
          dynamicResources: [
            {
              claimName: 'gpu-claim',
              claimNamespace: 'ml',
              claimResources: [
                {
                  driver: 'gpu.example.com',
                  pool: 'worker-1',
                  device: 'gpu-1',
                  cdiDevices: ['example.com/gpu=gpu-1'],
                  shareId: null,
                },
                {
                  driver: 'gpu.example.com',
                  pool: 'worker-1',
                  device: 'gpu-2',
                  cdiDevices: [],
                  shareId: '',
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

/** A canonical `GetAllocatableResources`: 80 CPUs minus reserved 0,40; memory per NUMA node. */
export const ALLOCATABLE_137: AllocatableResources = {
  cpuIds: Array.from({ length: 80 }, (_, i) => i).filter((i) => i !== 0 && i !== 40),
  memory: [
    { type: 'hugepages-1Gi', size: 8n * GiB, numa: [0] },
    { type: 'hugepages-1Gi', size: 8n * GiB, numa: [1] },
    { type: 'memory', size: 180n * GiB, numa: [0] },
    { type: 'memory', size: 181n * GiB, numa: [1] },
  ],
  devices: [
    { resourceName: 'intel.com/sriov_netdevice', deviceIds: ['0000:3b:02.1', '0000:3b:02.2'], numa: [1] },
  ],
};
