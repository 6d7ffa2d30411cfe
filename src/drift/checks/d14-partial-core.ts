// D14 (error, +topo): under `full-pcpus-only` an exclusive set holds part of a physical core
// (cli.md §7.2, model §1.4): the static policy takes whole free cores for every node-path
// container slice and for the pod total of a pod pool, so every CPU's hyperthread siblings are in
// the set too. Slices inside a pod pool are taken per container and may split cores (not checked).

import type { Finding } from '../../schema/reports.js';
import type { DriftCheck } from '../context.js';
import { cpusText, makeFinding } from '../findings.js';
import { allocatedSets, cpuOption, modelConfig, setLabel } from './common.js';

export const d14: DriftCheck = {
  code: 'D14',
  severity: 'error',
  evidence: ['podresources', 'checkpoint'],
  needsModel: true,
  needsTopology: true,
  podLevel: true,
  run(ctx) {
    const config = modelConfig(ctx);
    const topology = ctx.topology.topology;
    if (config === null || topology === null || !cpuOption(config, 'full-pcpus-only')) return [];
    if (topology.cpusPerCore < 2) return [];
    const out: Finding[] = [];
    for (const s of allocatedSets(ctx)) {
      const partial = s.cpus.filter((cpu) => {
        if (!topology.all.has(cpu)) return false;
        return !topology.cpusInCore(topology.info(cpu).core).isSubsetOf(s.cpus);
      });
      if (partial.isEmpty()) continue;
      const cores = [...new Set(partial.toArray().map((cpu) => topology.info(cpu).core))];
      const whole = cores.reduce((acc, core) => acc.union(topology.cpusInCore(core)), partial);
      out.push(
        makeFinding(ctx, {
          code: 'D14',
          severity: 'error',
          pod: s.pod,
          container: s.container,
          resource: 'cpu',
          evidence: [s.source, 'topology'],
          expected: cpusText(whole),
          observed: cpusText(partial),
          message: `${setLabel(s)} hold only part of the cores ${cpusText(whole)} under full-pcpus-only (CPUs ${cpusText(partial)})`,
        }),
      );
    }
    return out;
  },
};
