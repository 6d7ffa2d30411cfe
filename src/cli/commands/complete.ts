// `kubectl-podres __complete <words…> <partial>` (hidden), also what kubectl_complete-podres
// runs: prints the completion candidates and the Cobra directive (complete.ts). It must never
// fail a shell: no stderr, exit 0, and at worst the "error" directive.

import { complete, Directive, formatCompletion } from '../complete.js';
import type { NameSource } from '../complete.js';
import type { Io } from '../io.js';

export const COMPLETE_COMMAND = '__complete';

export async function completeCommand(argv: readonly string[], io: Io, names?: NameSource): Promise<number> {
  const words = argv.slice(0, -1);
  const partial = argv.at(-1) ?? '';
  try {
    io.stdout.write(formatCompletion(await complete(words, partial, names === undefined ? {} : { names })));
  } catch {
    io.stdout.write(formatCompletion({ candidates: [], directive: Directive.error }));
  }
  return 0;
}
