// Test helper: krew's checks of a plugin manifest (krew internal/index/validation ValidatePlugin
// and validatePlatform), and krew's choice of a platform (matchLabels on os and arch).

export interface KrewPlatform {
  readonly selector?: {
    readonly matchLabels?: Record<string, string>;
    readonly matchExpressions?: unknown[];
  };
  readonly uri?: string;
  readonly sha256?: string;
  readonly bin?: string;
  readonly files?: unknown[];
}

export interface KrewPlugin {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly version?: string;
    readonly homepage?: string;
    readonly shortDescription?: string;
    readonly description?: string;
    readonly caveats?: string;
    readonly platforms?: readonly KrewPlatform[];
  };
}

const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The reasons krew would refuse the manifest of plugin `name` (empty: it accepts it). */
export function krewProblems(name: string, p: KrewPlugin): string[] {
  const problems: string[] = [];
  if (p.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2')
    problems.push(`apiVersion ${p.apiVersion}`);
  if (p.kind !== 'Plugin') problems.push(`kind ${p.kind}`);
  if (!/^[\w-]+$/.test(name)) problems.push(`unsafe name ${name}`);
  if (p.metadata?.name !== name) problems.push(`metadata.name ${p.metadata?.name} is not ${name}`);
  const spec = p.spec ?? {};
  if ((spec.shortDescription ?? '') === '') problems.push('no shortDescription');
  if (/[\r\n]/.test(spec.shortDescription ?? '')) problems.push('line break in shortDescription');
  if (!SEMVER.test(spec.version ?? '')) problems.push(`version ${spec.version} is not v<semver>`);
  const platforms = spec.platforms ?? [];
  if (platforms.length === 0) problems.push('no platforms');
  platforms.forEach((pl, i) => {
    if ((pl.uri ?? '') === '') problems.push(`platforms[${i}]: no uri`);
    if (!/^[a-f0-9]{64}$/.test(pl.sha256 ?? '')) problems.push(`platforms[${i}]: sha256 ${pl.sha256}`);
    if ((pl.bin ?? '') === '') problems.push(`platforms[${i}]: no bin`);
    if (pl.files !== undefined && pl.files.length === 0) problems.push(`platforms[${i}]: empty files`);
    const labels = pl.selector?.matchLabels;
    if (labels === undefined && (pl.selector?.matchExpressions ?? []).length === 0) {
      problems.push(`platforms[${i}]: empty selector`);
    }
    for (const key of Object.keys(labels ?? {})) {
      if (key !== 'os' && key !== 'arch') problems.push(`platforms[${i}]: selector key ${key}`);
    }
  });
  return problems;
}

/** The platform krew installs on os/arch: the first whose matchLabels all match. */
export function matchPlatform(p: KrewPlugin, os: string, arch: string): KrewPlatform | undefined {
  return p.spec?.platforms?.find((pl) =>
    Object.entries(pl.selector?.matchLabels ?? {}).every(
      ([k, v]) => (k === 'os' ? os : k === 'arch' ? arch : '') === v,
    ),
  );
}
