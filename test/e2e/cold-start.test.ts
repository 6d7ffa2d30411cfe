// Cold start (issue 7): commands load only what they use. The built CLI runs under a module
// loader hook (node --import, module.register) that logs the URL of every ES module it loads:
// `version` and shell completion must load no library at all (no yargs, yaml, client-node), and
// no command may load the cluster client before the cluster commands exist. For the bundles,
// esbuild's metafiles (dist/meta/) show what each executable pulls in statically.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILT, REPO_ROOT, linesOf } from '../helpers/run-cli.js';

const DIST = BUILT;

let dir = '';
beforeAll(async () => {
  if (!existsSync(join(DIST, 'cmd', 'kubectl-podres.js'))) {
    throw new Error(`${DIST} is not built: run \`npm run build\` first (npm test does it as pretest)`);
  }
  dir = await mkdtemp(join(tmpdir(), 'podres-loads-'));
  await writeFile(
    join(dir, 'hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function load(url, context, next) {\n' +
      '  appendFileSync(process.env.PODRES_LOAD_LOG, url + "\\n");\n' +
      '  return next(url, context);\n' +
      '}\n',
  );
  await writeFile(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

let runs = 0;
/** The ES modules `node <script> <args>` loads, as paths relative to the repository. */
function loadedModules(script: string, ...args: string[]): string[] {
  const log = join(dir, `loads-${++runs}.txt`);
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), script, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, NO_COLOR: '1', PODRES_LOAD_LOG: log },
    encoding: 'utf8',
  });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  return linesOf(readFileSync(log, 'utf8'))
    .filter((u) => u.startsWith('file:'))
    .map((u) => relative(REPO_ROOT, fileURLToPath(u)));
}

const libraries = (mods: readonly string[]) =>
  [...new Set(mods.flatMap((m) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m)?.[1] ?? []))].sort();

describe('the tsc build (dist/cmd)', () => {
  const cli = () => join(DIST, 'cmd', 'kubectl-podres.js');

  it('version loads no library, no model beyond the kubelet versions, no renderer of tables', () => {
    const mods = loadedModules(cli(), 'version');
    expect(libraries(mods)).toEqual([]);
    expect(mods.filter((m) => m.includes('/model/'))).toEqual([
      expect.stringMatching(/model\/kubelet-config\.js$/),
    ]);
    expect(mods.filter((m) => /scenario|render\/(table|simulate|document)/.test(m))).toEqual([]);
  });

  it('version -o json loads no library either', () => {
    expect(libraries(loadedModules(cli(), 'version', '-o', 'json'))).toEqual([]);
  });

  it('shell completion (__complete) loads no library', () => {
    expect(libraries(loadedModules(cli(), '__complete', 'simulate', '-o', ''))).toEqual([]);
  });

  it('simulate loads yargs and yaml, and not the cluster client', () => {
    const libs = libraries(loadedModules(cli(), 'simulate', '-f', 'examples/tightly-coupled-database.yaml'));
    expect(libs).toEqual(expect.arrayContaining(['yaml', 'yargs']));
    expect(libs).not.toContain('@kubernetes/client-node');
  });
});

interface Metafile {
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<
    string,
    { entryPoint?: string; imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }
  >;
}
const meta = (name: string) =>
  JSON.parse(readFileSync(join(DIST, 'meta', `${name}.json`), 'utf8')) as Metafile;

/** The source files an output and the outputs it imports statically bring in. */
function staticInputs(m: Metafile, output: string, seen = new Set<string>()): Set<string> {
  if (seen.has(output)) return new Set();
  seen.add(output);
  const out = m.outputs[output];
  const inputs = new Set(Object.keys(out?.inputs ?? {}));
  for (const i of out?.imports ?? []) {
    if (i.kind === 'import-statement' && m.outputs[i.path] !== undefined) {
      for (const x of staticInputs(m, i.path, seen)) inputs.add(x);
    }
  }
  return inputs;
}

describe('the bundles (dist/bundle, the npm package)', () => {
  it('the launcher (kubectl-podres.cjs: version, completion, <TAB>) holds no library and no model', () => {
    const m = meta('launcher');
    const inputs = Object.keys(m.inputs);
    expect(libraries(inputs)).toEqual([]);
    expect(inputs.filter((i) => i.includes('src/model/'))).toEqual(['src/model/kubelet-config.ts']);
  });

  it('the program (kubectl-podres.mjs) loads yargs, yaml and the model only when a command imports them', () => {
    const m = meta('bundle');
    const entry = Object.keys(m.outputs).find((o) => m.outputs[o]?.entryPoint === 'cmd/kubectl-podres.ts');
    expect(entry).toBeDefined();
    const eager = [...staticInputs(m, entry ?? '')];
    expect(libraries(eager)).toEqual([]);
    expect(
      eager.filter((i) => /src\/(model|scenario)\//.test(i) && !i.endsWith('kubelet-config.ts')),
    ).toEqual([]);
  });

  it('version through the launcher loads nothing but the launcher (not the program)', () => {
    // (with a loader hook registered, node loads the main file through the hooks too)
    expect(loadedModules(join(DIST, 'bundle', 'kubectl-podres.cjs'), 'version')).toEqual([
      relative(REPO_ROOT, join(DIST, 'bundle', 'kubectl-podres.cjs')),
    ]);
  });

  it('simulate through the launcher imports the program', () => {
    const mods = loadedModules(
      join(DIST, 'bundle', 'kubectl-podres.cjs'),
      'simulate',
      '-f',
      'examples/tightly-coupled-database.yaml',
    );
    expect(mods).toContain(relative(REPO_ROOT, join(DIST, 'bundle', 'kubectl-podres.mjs')));
  });
});
