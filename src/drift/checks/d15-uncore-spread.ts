// D15 (warning, +topo): under `prefer-align-cpus-by-uncorecache` an exclusive set spans more
// uncore (L3) caches than its size needs, ceil(CPUs / CPUs per uncore cache) (cli.md §7.2, model
// §1.4, §3.5). A node with history may have had no better choice, hence a warning.

import type { Finding } from '../../schema/reports.js';
import type { DriftCheck } from '../context.js';
import { makeFinding } from '../findings.js';
import { allocatedSets, cpuOption, modelConfig, setLabel } from './common.js';

export const d15: DriftCheck = {
  code: 'D15',
  severity: 'warning',
  evidence: ['podresources', 'checkpoint'],
  needsModel: true,
  needsTopology: true,
  podLevel: true,
  run(ctx) {
    const config = modelConfig(ctx);
    const topology = ctx.topology.topology;
    if (config === null || topology === null || !cpuOption(config, 'prefer-align-cpus-by-uncorecache'))
      return [];
    if (topology.cpusPerUncore < 1) return [];
    const out: Finding[] = [];
    for (const s of allocatedSets(ctx)) {
      const uncores = new Set<number>();
      for (const cpu of s.cpus) if (topology.all.has(cpu)) uncores.add(topology.info(cpu).uncore);
      const needed = Math.ceil(s.cpus.size / topology.cpusPerUncore);
      if (uncores.size <= needed) continue;
      out.push(
        makeFinding(ctx, {
          code: 'D15',
          severity: 'warning',
          pod: s.pod,
          container: s.container,
          resource: 'cpu',
          evidence: [s.source, 'topology'],
          expected: needed,
          observed: uncores.size,
          message: `${setLabel(s)} span ${uncores.size} uncore caches where ${needed} would hold them`,
        }),
      );
    }
    return out;
  },
};
