// `kubectl-podres __complete <words…> <partial>` (hidden), also what kubectl_complete-podres
// runs: prints the completion candidates and the Cobra directive (complete.ts). It must never
// fail a shell: no stderr, exit 0, and at worst the "error" directive.
//
// Live names come from the cluster (src/sources/cluster/name-source.ts), imported only when a
// completion asks for names, so `__complete` without names loads no library.

import { complete, Directive, formatCompletion, NAME_BUDGET_MS } from '../complete.js';
import type { NameSource } from '../complete.js';
import type { Io } from '../io.js';

export const COMPLETE_COMMAND = '__complete';

/** The cluster's names, the module that lists them loaded on the first question. */
export function liveNames(io: Io, timeoutMs: number = NAME_BUDGET_MS): NameSource {
  return {
    names: async (query, signal) => {
      const { clusterNames } = await import('../../sources/cluster/name-source.js');
      return clusterNames({ env: io.env, readFile: (path) => io.readFile(path), timeoutMs }, query, signal);
    },
  };
}

export async function completeCommand(argv: readonly string[], io: Io, names?: NameSource): Promise<number> {
  const words = argv.slice(0, -1);
  const partial = argv.at(-1) ?? '';
  try {
    io.stdout.write(formatCompletion(await complete(words, partial, { names: names ?? liveNames(io) })));
  } catch {
    io.stdout.write(formatCompletion({ candidates: [], directive: Directive.error }));
  }
  return 0;
}
