// D7 (error): a container of a pool-holding pod runs outside the pod pool, e.g. a sidecar left on
// the node shared pool (cli.md §7.2, model §10; cli.md §10 examples 2 and 3). Pool-holding: the
// checkpoint has a CPU pod entry (else PodResources 1.37 lists pod CPUs); every container of such a
// pod has an entry inside the pool (model §6.4). Sources:
//   * checkpoint: no entry for the container (it runs on the node shared pool), or an entry that
//     leaves the pool;
//   * cgroup: its cpuset is not inside the pool; without any observed pool, a cpuset larger than
//     the whole pool the model gives the pod;
//   * podresources: 1.36 lists a pod shared container without CPUs (it has no entry); 1.37 lists
//     container CPUs outside the pod's. With the container's checkpoint entry observed, PodResources
//     only corroborates what the checkpoint shows: a report contradicting the state (e.g. a 1.36
//     kubelet answering with 1.37 semantics) is D20's, not a placement drift.
// Expected value: the pod shared pool for shared containers, the pod pool for slices. A cgroup
// cpuset that is a superset of defaultCpuSet within the reconcile grace is not used (cli.md §6.3).

import { parseCpuList, type CpuSet } from '../../model/cpuset.js';
import type { Evidence } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContainer, DriftContext, DriftPod } from '../context.js';
import { cpusText, makeFinding } from '../findings.js';
import { cgroupCpus, comparedPods, cpuSetOfIds, defaultCpuSet, staleSharedCpuset } from './common.js';

interface ObservedPool {
  readonly pool: CpuSet;
  readonly shared: CpuSet | null;
  readonly source: Evidence;
}

function observedPool(ctx: DriftContext, pod: DriftPod): ObservedPool | null {
  const ck = pod.evidence.checkpointPool;
  if (ck !== null && ck !== undefined) {
    const sharedText = pod.observed.podSharedPool?.cpus;
    return {
      pool: ck,
      shared: sharedText === undefined || sharedText === null ? null : parseCpuList(sharedText),
      source: 'checkpoint',
    };
  }
  const pr = pod.evidence.podResources;
  if (
    ck === null &&
    ctx.version?.model === '1.37' &&
    pr !== null &&
    pr !== undefined &&
    pr.cpuIds.length > 0
  ) {
    const pool = cpuSetOfIds(pr.cpuIds);
    let shared = pool;
    for (const c of pr.containers) shared = shared.difference(cpuSetOfIds(c.cpuIds));
    return { pool, shared, source: 'podresources' };
  }
  return null;
}

function finding(
  ctx: DriftContext,
  pod: DriftPod,
  c: DriftContainer,
  evidence: Evidence[],
  expected: CpuSet | number,
  expectedName: string,
  runsOn: CpuSet | null,
  onNodeShared: boolean,
): Finding {
  const expText = typeof expected === 'number' ? `(${expected} CPUs)` : cpusText(expected);
  const where =
    runsOn === null
      ? 'runs outside the pod pool'
      : onNodeShared
        ? `runs on the node shared pool ${cpusText(runsOn)}`
        : `runs on CPUs ${cpusText(runsOn)} outside the pod pool`;
  return makeFinding(ctx, {
    code: 'D7',
    severity: 'error',
    pod,
    container: c,
    resource: 'cpu',
    evidence,
    expected: typeof expected === 'number' ? expected : cpusText(expected),
    observed: runsOn === null ? null : cpusText(runsOn),
    message: `${c.name} ${where} instead of the ${expectedName} ${expText}`,
  });
}

export const d7: DriftCheck = {
  code: 'D7',
  severity: 'error',
  evidence: ['podresources', 'checkpoint', 'cgroup'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const out: Finding[] = [];
    const nodeShared = defaultCpuSet(ctx);
    for (const pod of comparedPods(ctx)) {
      const obs = observedPool(ctx, pod);
      const expectedPoolCpus = pod.expected?.podPool?.cpus;
      for (const c of pod.containers) {
        const slice = c.expected?.assignment.cpu === 'pod_exclusive';
        const cg = cgroupCpus(c);
        const cgUsable = cg !== null && !staleSharedCpuset(ctx, cg);
        if (obs !== null) {
          const evidence: Evidence[] = [];
          let runsOn: CpuSet | null = null;
          const entry = c.evidence.checkpointCpus;
          if (obs.source === 'checkpoint' && entry !== null) {
            if (entry === undefined) {
              evidence.push('checkpoint');
              runsOn = nodeShared;
            } else if (!entry.isSubsetOf(obs.pool)) {
              evidence.push('checkpoint');
              runsOn = entry;
            }
          }
          if (cgUsable && !cg.isSubsetOf(obs.pool)) {
            evidence.push('cgroup');
            runsOn = cg;
          }
          const pr = c.evidence.podResources;
          const stateObserved = obs.source === 'checkpoint' && entry !== null;
          if (
            pr !== null &&
            pr !== undefined &&
            c.type !== 'init' &&
            (!stateObserved || evidence.includes('checkpoint'))
          ) {
            const ids = cpuSetOfIds(pr.cpuIds);
            if (
              ctx.version?.model === '1.37'
                ? !ids.isSubsetOf(obs.pool)
                : ids.isEmpty() && !slice && obs.source === 'checkpoint'
            ) {
              evidence.push('podresources');
              runsOn ??= ids.isEmpty() ? nodeShared : ids;
            }
          }
          if (evidence.length === 0) continue;
          const expected = slice || obs.shared === null ? obs.pool : obs.shared;
          const onNodeShared = runsOn !== null && nodeShared !== null && nodeShared.isSubsetOf(runsOn);
          out.push(
            finding(
              ctx,
              pod,
              c,
              evidence,
              expected,
              slice || obs.shared === null ? 'pod pool' : 'pod shared pool',
              runsOn,
              onNodeShared,
            ),
          );
        } else if (pod.evidence.checkpointPool === null && cgUsable && expectedPoolCpus !== undefined) {
          // No observed pool: a cpuset larger than the whole expected pool cannot lie inside it.
          const size = parseCpuList(expectedPoolCpus).size;
          if (cg.size > size) out.push(finding(ctx, pod, c, ['cgroup'], size, 'pod pool', cg, false));
        }
      }
    }
    return out;
  },
};
