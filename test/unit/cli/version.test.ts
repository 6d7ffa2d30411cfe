// `kubectl podres version [-o json|yaml]` (cli.md §5.9): what it prints, in every form, and that
// its facts come from the one place each is defined.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BUILD_INFO } from '../../../src/cli/build-info.js';
import { COLLECTOR_IMAGE_REPOSITORY, DOCUMENT_API_VERSION } from '../../../src/cli/release-info.js';
import { KUBELET_VERSIONS } from '../../../src/model/kubelet-config.js';
import { SCENARIO_API_VERSION } from '../../../src/scenario/parse-scenario.js';
import { REPO_ROOT, linesOf, runCli } from '../../helpers/run-cli.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

async function ok(...argv: string[]): Promise<string> {
  const r = await runCli(argv);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
}

describe('version', () => {
  it('prints one "key  value" line per fact', async () => {
    expect(linesOf(await ok('version'))).toEqual([
      `kubectl-podres    ${pkg.version}`,
      // a development tree (these tests run the sources) has no baked-in commit
      'git commit        unknown',
      'kubelet versions  1.36, 1.37',
      'document version  podres/v1alpha1',
      `collector image   ${COLLECTOR_IMAGE_REPOSITORY}:${pkg.version}`,
    ]);
  });

  it('-o json is a Version document', async () => {
    expect(JSON.parse(await ok('version', '-o', 'json'))).toEqual({
      apiVersion: 'podres/v1alpha1',
      kind: 'Version',
      version: pkg.version,
      gitCommit: 'unknown',
      kubeletVersions: ['1.36', '1.37'],
      documentVersion: 'podres/v1alpha1',
      collectorImage: `ghcr.io/kubectl-podres/kubectl-podres:${pkg.version}`,
    });
  });

  it.each([
    [['version', '-o', 'yaml']],
    [['version', '--output=yaml']],
    [['--no-color', 'version', '-o', 'yaml', '--debug']],
  ])('%j is the same document in YAML', async (argv) => {
    expect(parseYaml(await ok(...argv))).toEqual(JSON.parse(await ok('version', '-o', 'json')));
  });

  it.each([
    [['version', '-o', 'table'], 'error: invalid value "table" for --output: expected one of json, yaml'],
    [['version', 'extra'], 'error: unexpected argument "extra" for "version"'],
    [['version', '--foo'], 'error: unknown flag "--foo" for "version"'],
  ])('%j is a usage error (exit 2, one line, nothing on stdout)', async (argv, line) => {
    expect(await runCli(argv)).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('needs no cluster: no kubeconfig and no HOME do not matter', async () => {
    const r = await runCli(['version'], { env: { KUBECONFIG: '/nonexistent/config' } });
    expect(r.code).toBe(0);
  });
});

describe('where the facts come from', () => {
  it("the development fallback of the build info carries package.json's version", () => {
    // scripts/build.js bakes package.json's version into builds; keep the source in step
    expect(BUILD_INFO).toEqual({ version: pkg.version, gitCommit: 'unknown' });
  });

  it('the document version is the scenario apiVersion', () => {
    expect(DOCUMENT_API_VERSION).toBe(SCENARIO_API_VERSION);
  });

  it("the kubelet versions are the model's", async () => {
    expect(
      (JSON.parse(await ok('version', '-o', 'json')) as { kubeletVersions: unknown }).kubeletVersions,
    ).toEqual(KUBELET_VERSIONS);
  });
});
