// Runs the real kubectl for end-to-end tests, sealed off from the developer's configuration: a
// temp HOME (so no ~/.kube/config and no discovery cache is shared), an explicit KUBECONFIG, the
// PATH given (default: only node's directory), LANG=C and NO_COLOR.

import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { CliResult } from './run-cli.js';

/** kubectl from $KUBECTL, else the first one on the PATH jest runs with. */
export function findKubectl(): string {
  const fromEnv = process.env.KUBECTL;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error('kubectl not found on PATH (or set KUBECTL=/path/to/kubectl)');
}

export interface KubectlEnv {
  readonly home: string;
  readonly kubeconfig: string;
  /** default: the directory of the node running the tests */
  readonly path?: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export function runKubectl(kubectl: string, args: readonly string[], env: KubectlEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      kubectl,
      [...args],
      {
        cwd: env.cwd,
        env: {
          PATH: env.path ?? dirname(process.execPath),
          HOME: env.home,
          KUBECONFIG: env.kubeconfig,
          NO_COLOR: '1',
          LANG: 'C',
        },
        timeout: env.timeoutMs ?? 20_000,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`kubectl ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}
