// D17: checkpoint format drift (cli.md §7.2, model §9, §10).
//   * warning: a checksum the file's own content does not reproduce (the kubelet would refuse the
//     file on restart; its content is still used here);
//   * error: a format the node's kubelet version and gates would not write: pod entries (or a
//     checksum covering them: CPU V3, memory V2) with PodLevelResourceManagers off, the 1.37
//     formats (CPU V4, memory V3) on a 1.36 kubelet.
// Needs no model: the version comes from the Node object, the gates from /configz when readable.

import type { Finding } from '../../schema/reports.js';
import type { DriftCheck, DriftContext } from '../context.js';
import { makeFinding } from '../findings.js';

interface FileFacts {
  readonly file: 'cpu_manager_state' | 'memory_manager_state';
  readonly resource: 'cpu' | 'memory';
  readonly version: string;
  readonly podEntries: number;
  readonly checksum: {
    readonly status: string;
    readonly field: string;
    readonly file: bigint;
    readonly computed: number;
  };
  /** the version a kubelet with pod entries writes on 1.36 (CPU V3, memory V2) */
  readonly podLevelVersion: string;
  /** the version only 1.37 writes (CPU V4, memory V3) */
  readonly version137: string;
}

function files(ctx: DriftContext): FileFacts[] {
  const out: FileFacts[] = [];
  const cpu = ctx.observation.cpuCheckpoint;
  if (cpu !== null) {
    out.push({
      file: 'cpu_manager_state',
      resource: 'cpu',
      version: cpu.checkpoint.version,
      podEntries: cpu.checkpoint.podEntries.size,
      checksum: cpu.checksum,
      podLevelVersion: 'v3',
      version137: 'v4',
    });
  }
  const memory = ctx.observation.memoryCheckpoint;
  if (memory !== null) {
    out.push({
      file: 'memory_manager_state',
      resource: 'memory',
      version: memory.checkpoint.version,
      podEntries: memory.checkpoint.podEntries.size,
      checksum: memory.checksum,
      podLevelVersion: 'v2',
      version137: 'v3',
    });
  }
  return out;
}

export const d17: DriftCheck = {
  code: 'D17',
  severity: 'warning',
  evidence: ['checkpoint'],
  needsModel: false,
  needsTopology: false,
  podLevel: false,
  run(ctx) {
    const out: Finding[] = [];
    const plrm = ctx.config?.gates?.plrm ?? null;
    const v = ctx.version;
    // kubelets before 1.37 (an unparsable version tells nothing)
    const before137 = v !== null && (v.range === 'older' || (v.range === 'modelled' && v.model === '1.36'));
    for (const f of files(ctx)) {
      const V = f.version.toUpperCase();
      const base = { code: 'D17', resource: f.resource, evidence: ['checkpoint' as const] };
      if (f.checksum.status === 'mismatch') {
        out.push(
          makeFinding(ctx, {
            ...base,
            severity: 'warning',
            expected: f.checksum.computed,
            observed: Number(f.checksum.file),
            message: `${f.file} ${f.checksum.field} is ${f.checksum.file.toString()} but its content gives ${f.checksum.computed}; the kubelet refuses the file on restart`,
          }),
        );
      }
      if (plrm === false && (f.podEntries > 0 || f.version === f.podLevelVersion)) {
        const what =
          f.podEntries > 0
            ? `has pod entries for ${f.podEntries} pod${f.podEntries === 1 ? '' : 's'}`
            : `is ${V}, the format of pod-level resource managers`;
        out.push(
          makeFinding(ctx, {
            ...base,
            severity: 'error',
            evidence: ['checkpoint', 'configz'],
            expected: 'PodLevelResourceManagers=true',
            observed: 'PodLevelResourceManagers=false',
            message: `${f.file} ${what} but PodLevelResourceManagers is off in /configz; a kubelet with this configuration does not write it`,
          }),
        );
      }
      if (before137 && f.version === f.version137) {
        out.push(
          makeFinding(ctx, {
            ...base,
            severity: 'error',
            evidence: ['checkpoint', 'node-object'],
            expected: `a format before ${V}`,
            observed: V,
            message: `${f.file} is ${V}, which only kubelet 1.37 writes, but the node runs kubelet ${v.reported ?? ''}`,
          }),
        );
      }
    }
    return out;
  },
};
