// krew/podres.yaml, the krew manifest template that `npm run release` fills (the filled one is
// checked against the built archives in test/release/). Here: its structure, the placeholders
// the release script fills, and krew-index's rules for the texts (krew's plugin-manifest and
// naming guides; krew-index reviews: shortDescription at most 50 characters, description
// wrapped at 80, no usage examples or command lists; caveats only for extra steps).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { krewProblems, matchPlatform } from '../helpers/krew.js';
import type { KrewPlugin } from '../helpers/krew.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const template = readFileSync(join(REPO_ROOT, 'krew', 'podres.yaml'), 'utf8');
const parsed = parseYaml(template) as KrewPlugin;
const spec = parsed.spec ?? {};

/** The template with placeholder values, as the release fills it. */
function filled(version: string): KrewPlugin {
  return parseYaml(
    template
      .replaceAll('{{ .TagName }}', `v${version}`)
      .replaceAll('{{ .Version }}', version)
      .replaceAll('{{ .Sha256 }}', '0'.repeat(64)),
  ) as KrewPlugin;
}

describe('krew/podres.yaml', () => {
  it('is a krew Plugin named podres that krew accepts once filled', () => {
    expect(parsed).toMatchObject({
      apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
      kind: 'Plugin',
      metadata: { name: 'podres' },
    });
    expect(krewProblems('podres', filled('0.1.0'))).toEqual([]);
  });

  it('takes its version from the release tag', () => {
    expect(spec.version).toBe('{{ .TagName }}');
  });

  it('has linux/amd64, linux/arm64 and windows/amd64, each with a release archive, its sha256 and bin', () => {
    const platforms = (spec.platforms ?? []).map((p) => ({
      labels: p.selector?.matchLabels,
      uri: p.uri,
      sha256: p.sha256,
      bin: p.bin,
    }));
    const release = 'https://github.com/kubectl-podres/kubectl-podres/releases/download/{{ .TagName }}';
    expect(platforms).toEqual([
      {
        labels: { os: 'linux', arch: 'amd64' },
        uri: `${release}/kubectl-podres_{{ .Version }}_linux_amd64.tar.gz`,
        sha256: '{{ .Sha256 }}',
        bin: 'kubectl-podres',
      },
      {
        labels: { os: 'linux', arch: 'arm64' },
        uri: `${release}/kubectl-podres_{{ .Version }}_linux_arm64.tar.gz`,
        sha256: '{{ .Sha256 }}',
        bin: 'kubectl-podres',
      },
      {
        labels: { os: 'windows', arch: 'amd64' },
        uri: `${release}/kubectl-podres_{{ .Version }}_windows_amd64.zip`,
        sha256: '{{ .Sha256 }}',
        // krew runs only .exe entry points on Windows
        bin: 'kubectl-podres.exe',
      },
    ]);
    // https only: krew downloads what uri says
    for (const p of platforms) expect(p.uri).toMatch(/^https:\/\//);
  });

  it('has no platform for macOS (npm there) and says so', () => {
    expect(matchPlatform(filled('0.1.0'), 'darwin', 'arm64')).toBeUndefined();
    expect(spec.description).toContain('npm install -g kubectl-podres');
  });

  it('follows krew-index text rules', () => {
    expect((spec.shortDescription ?? '').length).toBeLessThanOrEqual(50);
    expect(spec.shortDescription).not.toMatch(/kubectl|plugin/i);
    for (const field of [spec.description, spec.caveats]) {
      for (const line of (field ?? '').split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
    // no usage examples or command list in the description (those are for --help)
    expect(spec.description).not.toMatch(/kubectl podres \w|--\w/);
    expect(spec.homepage).toMatch(/^https:\/\//);
  });

  it('caveats: the RBAC it needs and the kubelet it needs for pod-level resource managers', () => {
    const caveats = spec.caveats ?? '';
    expect(caveats).toMatch(/simulate\) needs no cluster access/);
    expect(caveats).toMatch(/get and list on pods and nodes, and get on nodes\/proxy/);
    expect(caveats).toMatch(/kubelet 1\.36 or later/);
    expect(caveats).toMatch(/PodLevelResources and PodLevelResourceManagers/);
    expect(caveats).toContain('kubectl_complete-podres');
  });
});
