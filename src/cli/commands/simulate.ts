// `kubectl podres simulate -f FILE [-f FILE…] [--explain] [-o table|wide|json|yaml]`:
// scenario files → model → output. Reads no cluster.

import { InputError, UsageError } from '../../errors.js';
import { runSimulation } from '../../model/simulate.js';
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
}

export async function simulateCommand(args: SimulateArgs, io: Io): Promise<number> {
  if (args.files.some((f) => f.trim() === '')) {
    throw new UsageError('simulate: flag -f needs a file name ("-" reads stdin)');
  }
  const docs: SimulationOut[] = [];
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
      docs.push(toSimulationOut(outcome.result, { explain: args.explain, warnings: [] }));
    });
  }
  for (const doc of docs) for (const w of doc.warnings) io.stderr.write(`warning: ${w}\n`);
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
