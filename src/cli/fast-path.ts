// Command lines answered without building the yargs program, which costs more than the rest
// of a `version` run (yargs and its string-width tables load eagerly): `__complete` (shell
// completion, on every <TAB>), and `version [-o json]` and `completion SHELL` in their plain forms.
// Anything else, including every usage error and --help, returns undefined and goes through
// yargs, which stays the authority: a command line matched here means the same to yargs
// (test/unit/cli/fast-path.test.ts checks that). The npm package's launcher
// (cmd/kubectl-podres-launcher.ts) runs these without even loading the rest of the program.

import type { VersionOutput } from './commands/version.js';
import type { Io } from './io.js';

export type FastPath =
  | { readonly command: 'version'; readonly output: VersionOutput }
  | { readonly command: 'completion'; readonly shell: string };

const GLOBAL_BOOLEANS = new Set(['--debug', '--no-color', '--no-headers']);
// not yaml: it needs the yaml library, which the launcher does not carry
const VERSION_OUTPUTS = new Set(['json']);
const SHELLS = new Set(['bash', 'zsh', 'fish', 'powershell']);

export function matchFastPath(argv: readonly string[]): FastPath | undefined {
  const rest = argv.filter((a) => !GLOBAL_BOOLEANS.has(a));
  // each global flag at most once (yargs would make a repeated boolean an array)
  if (new Set(argv.filter((a) => GLOBAL_BOOLEANS.has(a))).size !== argv.length - rest.length)
    return undefined;
  // a flag right after -o/--output would be read as its missing value
  if (argv.some((a, i) => (a === '-o' || a === '--output') && GLOBAL_BOOLEANS.has(argv[i + 1] ?? ''))) {
    return undefined;
  }
  const [command, ...args] = rest;
  if (command === 'completion') {
    const [shell, ...extra] = args;
    return shell !== undefined && SHELLS.has(shell) && extra.length === 0 ? { command, shell } : undefined;
  }
  if (command !== 'version') return undefined;
  if (args.length === 0) return { command, output: 'text' };
  const output = outputValue(args);
  return output !== undefined && VERSION_OUTPUTS.has(output)
    ? { command, output: output as VersionOutput }
    : undefined;
}

/** The value of one -o/--output flag written in any of yargs' forms, if that is all of `args`. */
function outputValue(args: readonly string[]): string | undefined {
  const [first, second, ...extra] = args;
  if (first === undefined || extra.length > 0) return undefined;
  if (second !== undefined) return first === '-o' || first === '--output' ? second : undefined;
  const joined = /^(?:--output=|-o=?)(.+)$/.exec(first);
  return joined?.[1];
}

/** The hidden command shell completion runs (kubectl_complete-podres runs it too). */
export const COMPLETE_COMMAND = '__complete';

/**
 * Runs the command line if it is a fast one (`__complete …` included), else returns undefined.
 * None of them throws: completion never fails a shell, and version and `completion SHELL` have
 * nothing to fail on in the forms matched here.
 */
export function runFastPath(argv: readonly string[], io: Io): Promise<number> | undefined {
  if (argv[0] === COMPLETE_COMMAND) {
    return import('./commands/complete.js').then(({ completeCommand }) => completeCommand(argv.slice(1), io));
  }
  const fast = matchFastPath(argv);
  if (fast === undefined) return undefined;
  if (fast.command === 'version') {
    const { output } = fast;
    return import('./commands/version.js').then(({ versionCommand }) => versionCommand({ output }, io));
  }
  const { shell } = fast;
  return import('./commands/completion.js').then(({ completionCommand }) => completionCommand({ shell }, io));
}
