// Fluent builders for model inputs in tests: pods (aPod), nodes (aNode) and named machines.
// Quantities are written as users write them ("6", "12Gi", "1500m").

import type {
  Container,
  ContainerType,
  Pod,
  QosClass,
  ResourceAmounts,
  Resources,
} from '../../src/model/pod.js';
import { intValue, parseQuantity, toMilliCpu } from '../../src/model/quantity.js';
import type { KubeletVersion } from '../../src/model/kubelet-config.js';
import type { CpuStateInput, NodeInput, SimulationInput } from '../../src/model/simulation-input.js';
import type { GenerateSpec, Topology } from '../../src/model/topology.js';
import { buildTopology, generateCpuRecords } from '../../src/model/topology.js';
import { toKubeletConfig } from '../../src/scenario/kubelet-config.js';

export interface ResourceSpec {
  readonly cpu?: string;
  readonly memory?: string;
  readonly [hugepages: `hugepages-${string}`]: string | undefined;
}

function amounts(spec: ResourceSpec | undefined): ResourceAmounts {
  if (spec === undefined) return { hugepages: {} };
  const hugepages: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k.startsWith('hugepages-') && typeof v === 'string') hugepages[k] = intValue(parseQuantity(v));
  }
  return {
    cpu: spec.cpu === undefined ? undefined : toMilliCpu(parseQuantity(spec.cpu)),
    memory: spec.memory === undefined ? undefined : intValue(parseQuantity(spec.memory)),
    hugepages,
  };
}

/** requests = limits (Guaranteed-style) */
export function guaranteed(cpu: string, memory: string): Resources {
  const a = amounts({ cpu, memory });
  return { requests: a, limits: a };
}

export function resources(requests?: ResourceSpec, limits?: ResourceSpec): Resources {
  return { requests: amounts(requests), limits: amounts(limits) };
}

export const NONE: Resources = { requests: { hugepages: {} }, limits: { hugepages: {} } };

export class PodBuilder {
  private uidValue: string;
  private podRes: Resources | null = null;
  private qos: QosClass | null = null;
  private readonly inits: Container[] = [];
  private readonly apps: Container[] = [];

  constructor(
    private readonly name: string,
    private readonly namespace: string,
  ) {
    this.uidValue = `uid-${namespace}-${name}`;
  }

  uid(uid: string): this {
    this.uidValue = uid;
    return this;
  }

  /** spec.resources with requests = limits */
  podLevel(cpu: string, memory: string): this {
    this.podRes = guaranteed(cpu, memory);
    return this;
  }

  podResources(r: Resources): this {
    this.podRes = r;
    return this;
  }

  statusQos(q: QosClass): this {
    this.qos = q;
    return this;
  }

  private add(list: Container[], name: string, type: ContainerType, r: Resources): this {
    list.push({ name, type, resources: r });
    return this;
  }

  sidecar(name: string, r: Resources = NONE): this {
    return this.add(this.inits, name, 'sidecar', r);
  }

  init(name: string, r: Resources = NONE): this {
    return this.add(this.inits, name, 'init', r);
  }

  container(name: string, r: Resources = NONE): this {
    return this.add(this.apps, name, 'app', r);
  }

  build(): Pod {
    return {
      namespace: this.namespace,
      name: this.name,
      uid: this.uidValue,
      statusQosClass: this.qos,
      podResources: this.podRes,
      initContainers: [...this.inits],
      containers: [...this.apps],
    };
  }
}

export function aPod(name: string, namespace = 'default'): PodBuilder {
  return new PodBuilder(name, namespace);
}

/** Named machines (generator numbering as scenario-format.md: sibling of c is c + sockets*cores). */
export const machines = {
  /** allocator-model §11: 2 sockets × 16 cores × 2 threads; NUMA0 = 0-15,32-47 */
  dualSocketHT: {
    sockets: 2,
    numaNodesPerSocket: 1,
    coresPerSocket: 16,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  },
  /** scenario-format example: 2 × 8 × 2; NUMA0 = 0-7,16-23 */
  dualSocketHT32: {
    sockets: 2,
    numaNodesPerSocket: 1,
    coresPerSocket: 8,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  },
  singleSocketHT: {
    sockets: 1,
    numaNodesPerSocket: 1,
    coresPerSocket: 4,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  },
  /** sub-NUMA clustering: 2 sockets × 2 NUMA × 8 cores × 2 threads */
  snc2: {
    sockets: 2,
    numaNodesPerSocket: 2,
    coresPerSocket: 16,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 2,
  },
  /** AMD-like: 1 socket, 16 cores, SMT2, 4 L3 caches */
  amdUncore4: {
    sockets: 1,
    numaNodesPerSocket: 1,
    coresPerSocket: 16,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 4,
  },
  noSmt: {
    sockets: 2,
    numaNodesPerSocket: 1,
    coresPerSocket: 8,
    threadsPerCore: 1,
    uncoreCachesPerSocket: 1,
  },
} satisfies Record<string, GenerateSpec>;

export function machine(spec: GenerateSpec): Topology {
  return buildTopology(generateCpuRecords(spec));
}

export class NodeBuilder {
  private topo: Topology = machine(machines.dualSocketHT);
  private kubelet: Record<string, unknown> = {};
  private version: KubeletVersion = '1.36';
  private state: CpuStateInput | null = null;
  private perNuma: { memory: string; hugepages?: Record<string, string> } | null = null;

  topology(t: Topology | GenerateSpec): this {
    this.topo = 'cpus' in t ? t : machine(t);
    return this;
  }

  /** Raw KubeletConfiguration fields, as /configz shows them. */
  config(raw: Record<string, unknown>): this {
    this.kubelet = { ...this.kubelet, ...raw };
    return this;
  }

  kubeletVersion(v: KubeletVersion): this {
    this.version = v;
    return this;
  }

  /** The same memory on every NUMA node; hugepages as total bytes per page size ("hugepages-1Gi": "4Gi"). */
  memory(memory: string, hugepages: Record<string, string> = {}): this {
    this.perNuma = { memory, hugepages };
    return this;
  }

  cpuState(s: CpuStateInput): this {
    this.state = s;
    return this;
  }

  build(): NodeInput {
    const per = this.perNuma;
    const topology =
      per === null
        ? this.topo
        : buildTopology(this.topo.cpus, {
            distances: this.topo.distances,
            memory: this.topo.numaNodes.map((numa) => ({
              numa,
              memory: intValue(parseQuantity(per.memory)),
              hugepages: Object.fromEntries(
                Object.entries(per.hugepages ?? {}).map(([k, v]) => [k, intValue(parseQuantity(v))]),
              ),
            })),
          });
    return {
      name: 'worker-1',
      topology,
      config: toKubeletConfig(this.kubelet, this.version, 'test'),
      cpuState: this.state,
      memoryState: null,
    };
  }
}

export function aNode(): NodeBuilder {
  return new NodeBuilder();
}

/** Kubelet settings of allocator-model §11 (CPU side; memory manager None until the memory issue). */
export const seedKubelet = {
  featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
  cpuManagerPolicy: 'static',
  reservedSystemCPUs: '0',
  systemReserved: { memory: '500Mi' },
  kubeReserved: { memory: '500Mi' },
};

/** allocator-model §11 with the Static memory manager: 1100Mi reserved on NUMA 0. */
export const seedKubeletStatic = {
  ...seedKubelet,
  memoryManagerPolicy: 'Static',
  reservedMemory: [{ numaNode: 0, limits: { memory: '1100Mi' } }],
};

export function simulation(
  node: NodeInput,
  pods: readonly Pod[],
  name: string | null = null,
): SimulationInput {
  return { name, fidelity: 'source', node, pods, warnings: [] };
}

/** Seed 1 pod (allocator-model §11.1). */
export function seedDatabasePod(): Pod {
  return aPod('db-0', 'db')
    .podLevel('8', '16Gi')
    .sidecar('metrics-exporter')
    .sidecar('backup-agent')
    .container('database', guaranteed('6', '12Gi'))
    .build();
}

/** Seed 2 pod (allocator-model §11.2). */
export function seedMlPod(): Pod {
  return aPod('ml-0', 'ml')
    .podLevel('4', '8Gi')
    .sidecar('service-mesh-sidecar')
    .container('ml-training', guaranteed('3', '6Gi'))
    .build();
}
