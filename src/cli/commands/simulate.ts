// `kubectl podres simulate -f FILE [-f FILE…] [--explain] [-o table|wide|json|yaml]`:
// scenario files → model → output. Reads no cluster.

import { InputError, UsageError } from '../../errors.js';
import { checkpointFilesFromState } from '../../model/checkpoint/write-state.js';
import { initialCpuState } from '../../model/cpu/state.js';
import { CpuSet } from '../../model/cpuset.js';
import { emptyMemoryState } from '../../model/memory/state.js';
import { runSimulation } from '../../model/simulate.js';
import type { SimulationResult } from '../../model/simulate.js';
import { renderJson, renderYaml } from '../../render/document.js';
import type { SimulationOut } from '../../render/schema.js';
import { toSimulationOut } from '../../render/simulation.js';
import { renderSimulationTable } from '../../render/simulate-table.js';
import { parseScenarios } from '../../scenario/parse-scenario.js';
import type { Io } from '../io.js';
import { readInput } from '../read-input.js';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';

export interface SimulateArgs {
  readonly files: readonly string[];
  readonly output: OutputFormat;
  readonly explain: boolean;
  readonly noHeaders: boolean;
  /** Directory for the predicted checkpoint files, or null. */
  readonly writeCheckpoints: string | null;
}

export async function simulateCommand(args: SimulateArgs, io: Io): Promise<number> {
  if (args.files.some((f) => f.trim() === '')) {
    throw new UsageError('simulate: flag -f needs a file name ("-" reads stdin)');
  }
  const docs: SimulationOut[] = [];
  const results: SimulationResult[] = [];
  for (const file of args.files) {
    const text = await readInput(io, file, 'scenario');
    const display = file === '-' ? '<stdin>' : file;
    const inputs = parseScenarios(text, display);
    inputs.forEach((input, i) => {
      const outcome = runSimulation(input);
      if (!outcome.ok) {
        throw new InputError(
          `${display} doc ${i + 1} ${outcome.field}: the kubelet would not start: ${outcome.error}`,
        );
      }
      results.push(outcome.result);
      docs.push(toSimulationOut(outcome.result, { explain: args.explain, warnings: [] }));
    });
  }
  for (const doc of docs) for (const w of doc.warnings) io.stderr.write(`warning: ${w}\n`);
  if (args.writeCheckpoints !== null) await writeCheckpoints(io, args.writeCheckpoints, results);
  const single = docs.length === 1 ? docs[0] : docs;
  switch (args.output) {
    case 'json':
      io.stdout.write(renderJson(single));
      break;
    case 'yaml':
      io.stdout.write(renderYaml(single));
      break;
    default:
      io.stdout.write(
        renderSimulationTable(docs, {
          wide: args.output === 'wide',
          noHeaders: args.noHeaders,
          explain: args.explain,
        }),
      );
  }
  return 0;
}

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on device',
};

/**
 * `--write-checkpoints DIR`: the files a kubelet of the scenario's version would have written
 * after these admissions. One scenario → DIR/cpu_manager_state and DIR/memory_manager_state;
 * several → DIR/<n>-<scenario name>/… (n counts the scenarios of all -f files from 1).
 */
async function writeCheckpoints(io: Io, dir: string, results: readonly SimulationResult[]): Promise<void> {
  const base = dir.replace(/\/+$/, '') || '/';
  for (const [i, result] of results.entries()) {
    const { node, input } = result;
    const sub =
      results.length === 1
        ? base
        : `${base}/${i + 1}-${(input.name ?? input.node.name).replace(/[^A-Za-z0-9._-]+/g, '_')}`;
    // policy none: the kubelet never fills the default set; memory None: an empty machine state
    const cpu = node.ctx.cpuPolicy === null ? initialCpuState(CpuSet.empty) : node.cpu;
    const files = checkpointFilesFromState(cpu, node.memory ?? emptyMemoryState(new Map()), {
      kubeletVersion: node.ctx.config.kubeletVersion,
      plrmEnabled: node.ctx.gates.plrm,
      cpuPolicyName: node.ctx.config.cpuManagerPolicy,
      memoryPolicyName: node.ctx.config.memoryManagerPolicy,
    });
    for (const [name, text] of Object.entries(files)) {
      const path = `${sub}/${name}`;
      try {
        await io.writeFile(path, text);
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        const why = WRITE_ERRORS[code] ?? (e instanceof Error ? e.message : String(e));
        throw new InputError(`cannot write checkpoint "${path}": ${why}`, { cause: e });
      }
    }
  }
}
