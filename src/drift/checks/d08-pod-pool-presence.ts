// D8 (error): a pod holds a pod pool the model does not give it, or lacks one it does (model §6.1),
// per resource: CPU (checkpoint podEntries cpuSet; PodResources 1.37 pod cpu_ids) and memory
// (memory checkpoint podEntries; PodResources 1.37 pod memory). PodResources 1.36 has no pod-level
// fields and says nothing here. Presence does not depend on the machine, so count mode checks too.

import type { Evidence } from '../../schema/common.js';
import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContext, DriftPod } from '../context.js';
import { makeFinding, podName } from '../findings.js';
import { comparedPods } from './common.js';

interface Presence {
  readonly present: boolean | null;
  readonly evidence: Evidence[];
}

function observedPresence(ctx: DriftContext, pod: DriftPod, resource: 'cpu' | 'memory'): Presence {
  const ck = resource === 'cpu' ? pod.evidence.checkpointPool : pod.evidence.checkpointPoolMemory;
  const memoryStatic = ctx.config?.model?.memoryManagerPolicy === 'Static';
  // Without the Static memory manager there is no memory pool; its checkpoint has nothing to say.
  const ckUsable = ck !== null && (resource === 'cpu' || memoryStatic);
  const pr = pod.evidence.podResources;
  const prUsable = ctx.version?.model === '1.37' && pr !== null && pr !== undefined;
  const prPresent = !prUsable ? null : resource === 'cpu' ? pr.cpuIds.length > 0 : pr.memory.length > 0;
  const ckPresent = !ckUsable ? null : ck !== undefined;
  const present = ckPresent ?? prPresent;
  if (present === null) return { present: null, evidence: [] };
  const evidence: Evidence[] = [];
  if (ckPresent === present) evidence.push('checkpoint');
  if (prPresent === present) evidence.push('podresources');
  return { present, evidence };
}

export const d8: DriftCheck = {
  code: 'D8',
  severity: 'error',
  evidence: ['podresources', 'checkpoint'],
  needsModel: true,
  needsTopology: false,
  podLevel: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const pod of comparedPods(ctx)) {
      const exp = pod.expected;
      if (exp === null) continue;
      for (const resource of ['cpu', 'memory'] as const) {
        const expected =
          resource === 'cpu' ? exp.podPool?.cpus !== undefined : exp.podPool?.memory !== undefined;
        const obs = observedPresence(ctx, pod, resource);
        if (obs.present === null || obs.present === expected) continue;
        const what = resource === 'cpu' ? 'CPU' : 'memory';
        const message = expected
          ? `${podName(pod)} has no ${what} pod pool although the model gives it one (path ${exp.path})`
          : `${podName(pod)} holds a ${what} pod pool the model does not give it (path ${exp.path})`;
        out.push(
          makeFinding(ctx, {
            code: 'D8',
            severity: 'error',
            pod,
            resource,
            evidence: obs.evidence,
            expected,
            observed: obs.present,
            message,
          }),
        );
      }
    }
    return out;
  },
};
