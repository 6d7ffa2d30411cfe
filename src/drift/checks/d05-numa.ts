// D5 (error, +topo): wrong NUMA placement (cli.md §7.2, model §10), judged by the alignment rules,
// not by the ids of the fresh replay:
//   * single-numa-node: an exclusive CPU set (container slice or pod pool) or a memory block spans
//     more than one NUMA node;
//   * restricted / single-numa-node with the Static memory manager: a container's (or pod pool's)
//     exclusive CPUs lie outside the NUMA nodes of its memory blocks (both follow one merged hint,
//     and an admitted hint has enough CPUs on its nodes);
//   * one hint per pod (pod scope, and the pod pool of a pod-level pod): the pod's memory blocks
//     are not all on the same NUMA nodes, or a slice lies outside the pod's nodes;
//   * cgroup: a container with memory blocks has `cpuset.mems` other than their NUMA nodes.
// Sources: checkpoint entries and blocks, else PodResources ids and memory; cgroup cpuset.mems.

import type { CpuSet } from '../../model/cpuset.js';
import type { Topology } from '../../model/topology.js';
import type { Evidence } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { cpusText, makeFinding, numaText } from '../findings.js';
import { cgroupMems, comparedPods, cpuSetOfIds, isExclusive, modelConfig, numaOfCpus } from './common.js';

interface Placed {
  readonly cpus: CpuSet | null;
  readonly cpuSource: Evidence | null;
  /** NUMA nodes of each memory block */
  readonly blocks: readonly (readonly number[])[];
  readonly blockSource: Evidence | null;
}

function sameNodes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function subset(a: readonly number[], b: readonly number[]): boolean {
  return a.every((x) => b.includes(x));
}

function sorted(nodes: Iterable<number>): number[] {
  return [...new Set(nodes)].sort((x, y) => x - y);
}

/** Exclusive CPUs and memory blocks of one container, from the checkpoint else PodResources. */
function placed(ctx: DriftContext, pod: DriftPod, c: DriftContainer): Placed {
  let cpus: CpuSet | null = null;
  let cpuSource: Evidence | null = null;
  const entry = c.evidence.checkpointCpus;
  const exclusive = isExclusive(c.expected?.assignment.cpu);
  if (entry !== null) {
    if (entry !== undefined && exclusive) {
      cpus = entry;
      cpuSource = 'checkpoint';
    }
  } else {
    const pr = c.evidence.podResources;
    const poolPod = (pod.evidence.podResources?.cpuIds.length ?? 0) > 0;
    const reportsSlice = ctx.version?.model === '1.37' || !poolPod;
    if (pr !== null && pr !== undefined && pr.cpuIds.length > 0 && exclusive && reportsSlice) {
      cpus = cpuSetOfIds(pr.cpuIds);
      cpuSource = 'podresources';
    }
  }
  let blocks: (readonly number[])[] = [];
  let blockSource: Evidence | null = null;
  const mem = c.evidence.checkpointMemory;
  if (mem !== null) {
    if (mem !== undefined && mem.length > 0) {
      blocks = mem.map((b) => sorted(b.numaAffinity));
      blockSource = 'checkpoint';
    }
  } else {
    const pr = c.evidence.podResources;
    if (pr !== null && pr !== undefined && pr.memory.length > 0) {
      blocks = pr.memory.map((m) => sorted(m.numa));
      blockSource = 'podresources';
    }
  }
  return { cpus, cpuSource, blocks, blockSource };
}

function podPlaced(ctx: DriftContext, pod: DriftPod): Placed {
  const pool = pod.evidence.checkpointPool;
  const poolMem = pod.evidence.checkpointPoolMemory;
  const pr = pod.evidence.podResources;
  const prPool = ctx.version?.model === '1.37' && pr !== null && pr !== undefined;
  let cpus: CpuSet | null = null;
  let cpuSource: Evidence | null = null;
  if (pool !== null) {
    if (pool !== undefined) {
      cpus = pool;
      cpuSource = 'checkpoint';
    }
  } else if (prPool && pr.cpuIds.length > 0) {
    cpus = cpuSetOfIds(pr.cpuIds);
    cpuSource = 'podresources';
  }
  let blocks: (readonly number[])[] = [];
  let blockSource: Evidence | null = null;
  if (poolMem !== null) {
    if (poolMem !== undefined && poolMem.length > 0) {
      blocks = poolMem.map((b) => sorted(b.numaAffinity));
      blockSource = 'checkpoint';
    }
  } else if (prPool && pr.memory.length > 0) {
    blocks = pr.memory.map((m) => sorted(m.numa));
    blockSource = 'podresources';
  }
  return { cpus, cpuSource, blocks, blockSource };
}

function evidenceOf(...list: (Evidence | null)[]): Evidence[] {
  return list.filter((e): e is Evidence => e !== null);
}

export const d5: DriftCheck = {
  code: 'D5',
  severity: 'error',
  evidence: ['podresources', 'checkpoint', 'cgroup'],
  needsModel: true,
  needsTopology: true,
  podLevel: true,
  run(ctx) {
    const config = modelConfig(ctx);
    const topology: Topology | null = ctx.topology.topology;
    if (config === null || topology === null || config.topologyManagerPolicy === 'none') return [];
    const singleNuma = config.topologyManagerPolicy === 'single-numa-node';
    const aligned = singleNuma || config.topologyManagerPolicy === 'restricted';
    const memoryStatic = config.memoryManagerPolicy === 'Static';
    const out: Finding[] = [];
    const push = (
      pod: DriftPod,
      container: DriftContainer | null,
      resource: 'cpu' | 'memory',
      evidence: Evidence[],
      expected: string,
      observed: string,
      message: string,
    ) => {
      out.push(
        makeFinding(ctx, {
          code: 'D5',
          severity: 'error',
          pod,
          container,
          resource,
          evidence,
          expected,
          observed,
          message,
        }),
      );
    };

    for (const pod of comparedPods(ctx)) {
      const podScope = pod.expected?.path === 'pod' || pod.expected?.path === 'pod-level';
      const pp = podPlaced(ctx, pod);
      const poolNuma = pp.cpus === null ? null : numaOfCpus(topology, pp.cpus);
      const podBlockNuma = pp.blocks.length === 0 ? null : sorted(pp.blocks.flat());
      const poolName = `pod pool of ${pod.status.namespace}/${pod.status.name}`;

      // The pod pool itself.
      if (singleNuma && poolNuma !== null && poolNuma.length > 1 && pp.cpus !== null) {
        push(
          pod,
          null,
          'cpu',
          evidenceOf(pp.cpuSource),
          'single NUMA node',
          numaText(poolNuma),
          `the ${poolName} ${cpusText(pp.cpus)} spans NUMA nodes ${numaText(poolNuma)} under single-numa-node`,
        );
      }
      if (singleNuma && podBlockNuma !== null && pp.blocks.some((b) => b.length > 1)) {
        push(
          pod,
          null,
          'memory',
          evidenceOf(pp.blockSource),
          'single NUMA node',
          numaText(podBlockNuma),
          `the memory of the ${poolName} spans NUMA nodes ${numaText(podBlockNuma)} under single-numa-node`,
        );
      }
      if (
        aligned &&
        memoryStatic &&
        poolNuma !== null &&
        podBlockNuma !== null &&
        !subset(poolNuma, podBlockNuma)
      ) {
        push(
          pod,
          null,
          'cpu',
          evidenceOf(pp.cpuSource, pp.blockSource),
          numaText(podBlockNuma),
          numaText(poolNuma),
          `the ${poolName} CPUs are on NUMA ${numaText(poolNuma)} but its memory on NUMA ${numaText(podBlockNuma)}`,
        );
      }

      // One hint for the whole pod: the nodes of its first memory blocks (or of its pool's).
      let podNodes: { nodes: number[]; source: Evidence | null; owner: string } | null =
        podBlockNuma === null ? null : { nodes: podBlockNuma, source: pp.blockSource, owner: 'the pod pool' };
      for (const c of pod.containers) {
        const p = placed(ctx, pod, c);
        const cpuNuma = p.cpus === null ? null : numaOfCpus(topology, p.cpus);
        const memNuma = p.blocks.length === 0 ? null : sorted(p.blocks.flat());
        if (singleNuma && cpuNuma !== null && cpuNuma.length > 1 && p.cpus !== null) {
          push(
            pod,
            c,
            'cpu',
            evidenceOf(p.cpuSource),
            'single NUMA node',
            numaText(cpuNuma),
            `${c.name} CPUs ${cpusText(p.cpus)} span NUMA nodes ${numaText(cpuNuma)} under single-numa-node`,
          );
        }
        if (singleNuma && memNuma !== null && p.blocks.some((b) => b.length > 1)) {
          push(
            pod,
            c,
            'memory',
            evidenceOf(p.blockSource),
            'single NUMA node',
            numaText(memNuma),
            `${c.name} memory spans NUMA nodes ${numaText(memNuma)} under single-numa-node`,
          );
        }
        if (aligned && memoryStatic && cpuNuma !== null && memNuma !== null && !subset(cpuNuma, memNuma)) {
          push(
            pod,
            c,
            'cpu',
            evidenceOf(p.cpuSource, p.blockSource),
            numaText(memNuma),
            numaText(cpuNuma),
            `${c.name} CPUs are on NUMA ${numaText(cpuNuma)} but its memory on NUMA ${numaText(memNuma)}`,
          );
        }
        if (podScope) {
          if (memNuma !== null) {
            if (podNodes === null) podNodes = { nodes: memNuma, source: p.blockSource, owner: c.name };
            else if (!sameNodes(memNuma, podNodes.nodes)) {
              push(
                pod,
                c,
                'memory',
                evidenceOf(p.blockSource, podNodes.source),
                numaText(podNodes.nodes),
                numaText(memNuma),
                `${c.name} memory is on NUMA ${numaText(memNuma)} but ${podNodes.owner} of the same pod on NUMA ${numaText(podNodes.nodes)} (one hint per pod)`,
              );
            }
          }
          if (
            aligned &&
            memoryStatic &&
            cpuNuma !== null &&
            podNodes !== null &&
            memNuma === null &&
            !subset(cpuNuma, podNodes.nodes)
          ) {
            push(
              pod,
              c,
              'cpu',
              evidenceOf(p.cpuSource, podNodes.source),
              numaText(podNodes.nodes),
              numaText(cpuNuma),
              `${c.name} CPUs are on NUMA ${numaText(cpuNuma)} outside the pod's NUMA ${numaText(podNodes.nodes)}`,
            );
          }
        }
        const mems = cgroupMems(c);
        if (mems !== null && memNuma !== null && !sameNodes(sorted(mems), memNuma)) {
          push(
            pod,
            c,
            'memory',
            evidenceOf('cgroup', p.blockSource),
            numaText(memNuma),
            numaText(mems),
            `${c.name} cpuset.mems is ${numaText(mems)} but its memory blocks are on NUMA ${numaText(memNuma)}`,
          );
        }
      }
    }
    return out;
  },
};
