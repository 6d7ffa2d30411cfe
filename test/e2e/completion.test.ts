// Shell completion end to end, with the built plugin (dist/cmd, `npm run build`):
// - through the real kubectl (1.26+), which runs kubectl_complete-podres from the PATH on
//   `kubectl podres …<TAB>`: `kubectl __complete podres …` is what its shell scripts call;
// - the scripts of `kubectl-podres completion SHELL`, run in the real shells: bash always, fish
//   and zsh when installed (otherwise those cases are skipped, and say so).
// Sealed PATH: the plugin, its completion helper, node and kubectl, and `ls` (fish lists files
// with it); nothing else.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { BUILT, linesOf } from '../helpers/run-cli.js';
import { describeWithTool } from '../helpers/optional-tool.js';

const DIST = BUILT;
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

/** A program on the PATH the tests run with (not the sealed one). */
function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}
const bash = which('bash') ?? '/bin/bash';
const fish = which('fish');
const zsh = which('zsh');

let root = '';
let bin = '';
let work = '';
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  if (!existsSync(join(DIST, 'cmd', 'kubectl-podres.js'))) {
    throw new Error(`${DIST}/cmd does not exist: run \`npm run build\` first (npm test does it as pretest)`);
  }
  root = await mkdtemp(join(tmpdir(), 'podres-completion-'));
  bin = join(root, 'bin');
  work = join(root, 'work');
  await Promise.all([mkdir(bin), mkdir(join(work, 'sub'), { recursive: true }), mkdir(join(root, 'home'))]);
  await symlink(join(DIST, 'cmd', 'kubectl-podres.js'), join(bin, 'kubectl-podres'));
  await symlink(join(DIST, 'cmd', 'kubectl_complete-podres.js'), join(bin, 'kubectl_complete-podres'));
  await symlink(process.execPath, join(bin, 'node'));
  await symlink(KUBECTL, join(bin, 'kubectl'));
  const ls = which('ls');
  if (ls !== undefined) await symlink(ls, join(bin, 'ls'));
  for (const f of ['a.yaml', 'b.txt', 'c.json']) await writeFile(join(work, f), '');
  env = { PATH: bin, HOME: join(root, 'home'), KUBECONFIG: join(root, 'no-such-kubeconfig'), LANG: 'C' };
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** `kubectl __complete podres <args>`: what kubectl's shell completion asks. */
function kubectlComplete(...args: string[]): { lines: string[]; code: number | null } {
  const r = spawnSync(join(bin, 'kubectl'), ['__complete', 'podres', ...args], {
    cwd: work,
    env,
    encoding: 'utf8',
  });
  return { lines: linesOf(r.stdout), code: r.status };
}

describe('through kubectl (kubectl_complete-podres)', () => {
  it('completes commands', () => {
    const r = kubectlComplete('si');
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['simulate\treplay scenario files through the allocator model', ':4']);
  });

  it('completes flags and their values', () => {
    expect(kubectlComplete('simulate', '--ex').lines).toEqual([
      '--explain\tshow the topology hints behind each admission',
      ':4',
    ]);
    expect(kubectlComplete('simulate', '-o', '').lines).toEqual(['table', 'wide', 'json', 'yaml', ':4']);
    expect(kubectlComplete('version', '-o', 'y').lines).toEqual(['yaml', ':4']);
  });

  it('-f completes file names by extension (the shell lists the files)', () => {
    expect(kubectlComplete('simulate', '-f', '').lines).toEqual(['yaml', 'yml', 'json', ':8']);
  });
});

/** Runs `line<TAB>` through the bash script, with readline's state set as bash sets it. */
function bashComplete(line: string): string[] {
  const script = `
source <(kubectl-podres completion bash)
COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'
COMP_LINE=$1; COMP_POINT=\${#COMP_LINE}
__kubectl_podres_complete
(( \${#COMPREPLY[@]} == 0 )) || printf '%s\\n' "\${COMPREPLY[@]}"
`;
  return linesOf(
    execFileSync(bash, ['-c', script, 'bash', line], { cwd: work, env, encoding: 'utf8' }),
  ).sort();
}

describe('completion bash', () => {
  it.each([
    ['kubectl-podres si', ['simulate']],
    [
      'kubectl-podres ',
      ['audit', 'collect', 'completion', 'describe', 'simulate', 'snapshot', 'throttle', 'version'],
    ],
    ['kubectl-podres simulate --ou', ['--output']],
    ['kubectl-podres simulate -o ', ['json', 'table', 'wide', 'yaml']],
    // readline replaces only what follows the "=": the candidates are cut to that
    ['kubectl-podres simulate --output=j', ['json']],
    ['kubectl-podres simulate --output=', ['json', 'table', 'wide', 'yaml']],
    ['kubectl-podres simulate -f ', ['a.yaml', 'c.json', 'sub']],
    ['kubectl-podres simulate -f a', ['a.yaml']],
    ['kubectl-podres completion ', ['bash', 'fish', 'powershell', 'zsh']],
    ['kubectl-podres frobnicate ', []],
  ])('%j', (line, expected) => {
    expect(bashComplete(line)).toEqual(expected);
  });
});

describeWithTool('fish', fish !== undefined, 'completion fish (fish installed)', () => {
  function fishComplete(line: string): string[] {
    const out = execFileSync(
      fish ?? 'fish',
      ['--no-config', '-c', 'kubectl-podres completion fish | source; complete -C $argv[1]', line],
      { cwd: work, env, encoding: 'utf8' },
    );
    return linesOf(out)
      .map((l) => l.split('\t')[0] ?? '')
      .sort();
  }
  it.each([
    ['kubectl-podres si', ['simulate']],
    ['kubectl-podres simulate -o ', ['json', 'table', 'wide', 'yaml']],
    ['kubectl-podres simulate --output=j', ['--output=json']],
    ['kubectl-podres simulate -f ', ['a.yaml', 'c.json', 'sub/']],
  ])('%j', (line, expected) => {
    expect(fishComplete(line)).toEqual(expected);
  });
});

describeWithTool('zsh', zsh !== undefined, 'completion zsh (zsh installed)', () => {
  it('is valid zsh', () => {
    const script = execFileSync(join(bin, 'kubectl-podres'), ['completion', 'zsh'], {
      env,
      encoding: 'utf8',
    });
    expect(spawnSync(zsh ?? 'zsh', ['-n'], { input: script, env, encoding: 'utf8' }).status).toBe(0);
  });
});

if (fish === undefined || zsh === undefined) {
  it('notes skipped shells', () => {
    process.stderr.write(
      `note: ${[fish === undefined ? 'fish' : '', zsh === undefined ? 'zsh' : ''].filter((s) => s !== '').join(' and ')} not installed: their completion tests were skipped\n`,
    );
  });
}
