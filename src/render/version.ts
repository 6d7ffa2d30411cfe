// `kubectl podres version` (cli.md §5.9): the Version document and its text form.

export interface VersionOut {
  readonly apiVersion: string;
  readonly kind: 'Version';
  /** Plugin version. */
  readonly version: string;
  /** Commit the plugin was built from, or "unknown" (a development tree). */
  readonly gitCommit: string;
  /** kubelet minor versions whose managers the model reproduces (scenario `node.kubeletVersion`). */
  readonly kubeletVersions: readonly string[];
  /** apiVersion of the documents it reads and writes. */
  readonly documentVersion: string;
  /** Default --collector-image. */
  readonly collectorImage: string;
}

/** One "key  value" line per field, in document order. */
export function renderVersionText(v: VersionOut): string {
  const rows: [string, string][] = [
    ['kubectl-podres', v.version],
    ['git commit', v.gitCommit],
    ['kubelet versions', v.kubeletVersions.join(', ')],
    ['document version', v.documentVersion],
    ['collector image', v.collectorImage],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, value]) => `${k.padEnd(width)}  ${value}\n`).join('');
}
