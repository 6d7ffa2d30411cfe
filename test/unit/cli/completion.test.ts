// `kubectl podres completion bash|zsh|fish|powershell` (cli.md §5.9): prints the script; any
// other shell is a usage error. The scripts themselves run in their shells in
// test/e2e/completion.test.ts.

import { COMPLETION_SCRIPTS } from '../../../src/cli/completion-scripts.js';
import { runCli } from '../../helpers/run-cli.js';

describe('completion', () => {
  it.each(['bash', 'zsh', 'fish', 'powershell'] as const)('%s prints its script', async (shell) => {
    const r = await runCli(['completion', shell]);
    expect(r).toEqual({ code: 0, stdout: COMPLETION_SCRIPTS[shell], stderr: '' });
    // every script asks the plugin through the hidden __complete command
    expect(r.stdout).toContain('__complete');
    expect(r.stdout).toContain(`# ${shell} completion for kubectl-podres\n`);
  });

  it.each([
    [
      ['completion', 'tcsh'],
      'error: completion: unsupported shell "tcsh"; expected one of bash, zsh, fish, powershell',
    ],
    [['completion'], 'error: completion: missing shell; expected one of bash, zsh, fish, powershell'],
    [['completion', 'bash', 'zsh'], 'error: unexpected argument "zsh" for "completion"'],
  ])('%j: exit 2 with one error line', async (argv, line) => {
    expect(await runCli(argv)).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });
});
