// `kubectl podres completion bash|zsh|fish|powershell` (cli.md §5.9): prints the shell's
// completion script; any other shell is a usage error (exit 2).

import { UsageError } from '../../errors.js';
import { COMPLETION_SHELLS } from '../command-table.js';
import { COMPLETION_SCRIPTS } from '../completion-scripts.js';
import type { Shell } from '../completion-scripts.js';
import type { Io } from '../io.js';

const isShell = (s: string): s is Shell => (COMPLETION_SHELLS as readonly string[]).includes(s);

export function completionCommand(args: { readonly shell: string | undefined }, io: Io): number {
  const expected = `expected one of ${COMPLETION_SHELLS.join(', ')}`;
  if (args.shell === undefined || args.shell === '') {
    throw new UsageError(`completion: missing shell; ${expected}`);
  }
  if (!isShell(args.shell))
    throw new UsageError(`completion: unsupported shell "${args.shell}"; ${expected}`);
  io.stdout.write(COMPLETION_SCRIPTS[args.shell]);
  return 0;
}
