// End to end through the real kubectl: the built plugin (dist/, `npm run build`; npm test builds it
// first) is put on a sealed PATH as `kubectl-podres`, and `kubectl podres …` is run as a user would.
// Sealed like krew's integration tests: a temp PATH holding only the plugin and node, a temp HOME,
// KUBECONFIG pointing at a file that does not exist (simulate must never need a cluster), NO_COLOR.
// Every run spawns kubectl and node, so keep the number of runs small.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findKubectl } from '../helpers/kubectl.js';
import { REPO_ROOT, fixture, linesOf, BUILT_PLUGIN } from '../helpers/run-cli.js';
import type { CliResult } from '../helpers/run-cli.js';
import type { SimulationOut } from '../../src/render/schema.js';

const PLUGIN = BUILT_PLUGIN;
const RUN_TIMEOUT_MS = 20_000;

/** One command line to run, configured fluently, then `run()`. */
class Invocation {
  private stdinText: string | undefined;

  constructor(
    private readonly harness: KubectlHarness,
    private readonly args: readonly string[],
  ) {}

  withStdin(text: string): this {
    this.stdinText = text;
    return this;
  }

  run(): Promise<CliResult> {
    return this.harness.exec(this.args, this.stdinText);
  }

  /** Runs and fails the test unless the exit code is 0 and stderr is empty. */
  async runOk(): Promise<string> {
    const r = await this.run();
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    return r.stdout;
  }
}

/** A sealed environment with the built plugin installed next to nothing else. */
class KubectlHarness {
  private constructor(
    readonly root: string,
    readonly kubectlPath: string,
    readonly pluginDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(): Promise<KubectlHarness> {
    if (!existsSync(PLUGIN)) {
      throw new Error(
        `${PLUGIN} does not exist: the e2e tests run the built plugin; run \`npm run build\` first (npm test does it as pretest)`,
      );
    }
    const kubectlPath = findKubectl();
    const root = await mkdtemp(join(tmpdir(), 'podres-e2e-'));
    const bin = join(root, 'bin');
    const home = join(root, 'home');
    await Promise.all([mkdir(bin), mkdir(home)]);
    // installed as krew and npm do: a symlink to the executable script (its shebang runs node)
    await symlink(PLUGIN, join(bin, 'kubectl-podres'));
    await symlink(process.execPath, join(bin, 'node'));
    const env: NodeJS.ProcessEnv = {
      PATH: bin,
      HOME: home,
      KUBECONFIG: join(root, 'no-such-kubeconfig'),
      NO_COLOR: '1',
      LANG: 'C',
    };
    return new KubectlHarness(root, kubectlPath, bin, env);
  }

  /** `kubectl <args>` */
  kubectl(...args: string[]): Invocation {
    return new Invocation(this, args);
  }

  /** `kubectl podres <args>` */
  podres(...args: string[]): Invocation {
    return new Invocation(this, ['podres', ...args]);
  }

  exec(args: readonly string[], stdin: string | undefined): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.kubectlPath,
        [...args],
        { cwd: REPO_ROOT, env: this.env, timeout: RUN_TIMEOUT_MS, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== 'number') {
            reject(new Error(`kubectl ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
            return;
          }
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
      child.stdin?.end(stdin ?? '');
    });
  }

  async cleanup(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

describe('kubectl podres (the built plugin through the real kubectl)', () => {
  let harness: KubectlHarness | undefined;
  const h = (): KubectlHarness => {
    if (harness === undefined) throw new Error('the harness was not created (see the beforeAll error)');
    return harness;
  };

  beforeAll(async () => {
    harness = await KubectlHarness.create();
  });

  afterAll(async () => {
    await harness?.cleanup();
  });

  it('kubectl plugin list shows kubectl-podres', async () => {
    const r = await h().kubectl('plugin', 'list').run();
    expect(r.code).toBe(0);
    expect(linesOf(r.stdout)).toContain(join(h().pluginDir, 'kubectl-podres'));
  });

  it(
    'simulate -f <fixture> -o json exits 0 with the pod-level placement',
    async () => {
      const doc = JSON.parse(
        await h().podres('simulate', '-f', fixture('pod-level-db.yaml'), '-o', 'json').runOk(),
      ) as SimulationOut;
      expect(doc).toMatchObject({
        scenario: 'pod-level-db',
        node: 'worker-1',
        nodeSharedPool: { cpus: '0,5-32,37-63' },
        pods: [{ name: 'db-0', admitted: true, path: 'pod-level', podPool: { cpus: '1-4,33-36' } }],
      });
      expect(doc.pods[0]?.containers.map((c) => [c.name, c.cpus])).toEqual([
        ['metrics-exporter', '4,36'],
        ['backup-agent', '4,36'],
        ['database', '1-3,33-35'],
      ]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'simulate -f - reads stdin passed through kubectl',
    async () => {
      const text = await readFile(join(REPO_ROOT, fixture('two-scenarios.yaml')), 'utf8');
      const out = await h().podres('simulate', '-f', '-', '--no-headers').withStdin(text).runOk();
      expect(linesOf(out).map((l) => l.split(/ +/)[0])).toEqual(['default/app', 'shop/web', 'shop/batch']);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'simulate -f missing.yaml exits 2 with one error line and nothing on stdout',
    async () => {
      const r = await h().podres('simulate', '-f', 'missing.yaml').run();
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: 'error: cannot read scenario "missing.yaml": no such file or directory\n',
      });
    },
    RUN_TIMEOUT_MS,
  );
});
