// The analysed node for config-check tests: NodeFacts made of a /configz answer, a v1 Node, v1
// Pods and a scenario-format topology (what `--topology` gives), run through the engine's own
// buildContext. Sources the config checks do not read are simply absent.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildContext } from '../../../src/drift/build-context.js';
import type { DriftContext } from '../../../src/drift/context.js';
import type { NodeFacts } from '../../../src/drift/node-facts.js';
import type { SnapshotNodeError } from '../../../src/schema/snapshot.js';

export const REAL_CONFIGZ = path.resolve(process.cwd(), '../shared/fixtures/real/configz');

/** The inner object of a real /configz answer. */
export function realKubeletConfig(file: string): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(path.join(REAL_CONFIGZ, file), 'utf8')) as {
    kubeletconfig: Record<string, unknown>;
  };
  return doc.kubeletconfig;
}

/** The EKS v1.30 node: static, single-numa-node, container scope, kubeReserved cpu 550m, memory 8362Mi. */
export const EKS = 'eks-outposts-1.30-static-single-numa-node.configz.json';
/** The kubeadm v1.28 node: every manager at its default (none / None / none). */
export const KUBEADM = 'kubeadm-1.28-ubuntu-containerd-none-policy.configz.json';

/** Scenario-format topology: 2 sockets × 16 cores × 2 threads (64 CPUs), 128 GiB over the NUMA nodes. */
export function dualSocket(numaNodesPerSocket = 1): Record<string, unknown> {
  const numaNodes = 2 * numaNodesPerSocket;
  return {
    generate: {
      sockets: 2,
      numaNodesPerSocket,
      coresPerSocket: 16,
      threadsPerCore: 2,
      uncoreCachesPerSocket: 1,
    },
    memory: Array.from({ length: numaNodes }, (_, numa) => ({ numa, memory: `${128 / numaNodes}Gi` })),
  };
}

export interface ConfigContextInput {
  /** the object inside "kubeletconfig"; null = /configz forbidden */
  readonly kubeletConfig: Record<string, unknown> | null;
  /** Node.status.nodeInfo.kubeletVersion; null = the node object was not found */
  readonly kubeletVersion: string | null;
  /** a scenario-format node.topology (as --topology gives it); capacity cpu follows its CPU count */
  readonly topology?: Record<string, unknown> | null;
  /** v1 Pods (status.phase defaults to Running) */
  readonly pods?: readonly Record<string, unknown>[];
  /** Node.status.capacity.memory */
  readonly capacityMemory?: string;
}

function cpuCount(topology: Record<string, unknown>): number {
  if (Array.isArray(topology.cpus)) return topology.cpus.length;
  const g = topology.generate as Record<string, number>;
  return (g.sockets ?? 1) * (g.coresPerSocket ?? 1) * (g.threadsPerCore ?? 1);
}

export function configContext(input: ConfigContextInput): DriftContext {
  const name = 'worker-1';
  const topology = input.topology ?? null;
  const errors: SnapshotNodeError[] = [];
  if (input.kubeletConfig === null) {
    errors.push({
      source: 'configz',
      status: 'forbidden',
      httpStatus: 403,
      message: 'cannot read /configz: forbidden (403)',
    });
  }
  if (input.kubeletVersion === null) {
    errors.push({
      source: 'node',
      status: 'not-found',
      httpStatus: 404,
      message: 'node "worker-1" not found',
    });
  }
  const node =
    input.kubeletVersion === null
      ? null
      : {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name, labels: { 'kubernetes.io/os': 'linux' } },
          status: {
            nodeInfo: { kubeletVersion: input.kubeletVersion },
            capacity: {
              cpu: String(topology === null ? 64 : cpuCount(topology)),
              ...(input.capacityMemory === undefined ? {} : { memory: input.capacityMemory }),
            },
          },
        };
  const pods = (input.pods ?? []).map((raw) => ({
    ...raw,
    spec: { nodeName: name, ...(raw.spec as object) },
    status: { phase: 'Running', ...(raw.status as object | undefined) },
  }));
  const facts: NodeFacts = {
    name,
    now: '2026-05-12T10:00:00Z',
    from: 'live',
    node,
    configz: input.kubeletConfig === null ? null : { kubeletconfig: input.kubeletConfig },
    metrics: null,
    cadvisor: [],
    observation: null,
    observationFrom: null,
    topology,
    errors,
    pods,
  };
  return buildContext(facts, { fidelity: 'source', checks: null, skipChecks: [], requireSources: [] });
}
