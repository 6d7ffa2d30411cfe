// `kubectl podres version [-o json|yaml]` (cli.md §5.9): plugin version, git commit, the kubelet
// versions the model covers, the document version and the default collector image. Contacts no
// cluster, and loads nothing heavy (it is the command people time).

import { KUBELET_VERSIONS } from '../../model/kubelet-config.js';
import { renderVersionText } from '../../render/version.js';
import type { VersionOut } from '../../render/version.js';
import { BUILD_INFO } from '../build-info.js';
import type { Io } from '../io.js';
import { DOCUMENT_API_VERSION, defaultCollectorImage } from '../release-info.js';

export type VersionOutput = 'text' | 'json' | 'yaml';

export interface VersionArgs {
  readonly output: VersionOutput;
}

export function versionDocument(): VersionOut {
  return {
    apiVersion: DOCUMENT_API_VERSION,
    kind: 'Version',
    version: BUILD_INFO.version,
    gitCommit: BUILD_INFO.gitCommit,
    kubeletVersions: KUBELET_VERSIONS,
    documentVersion: DOCUMENT_API_VERSION,
    collectorImage: defaultCollectorImage(BUILD_INFO.version),
  };
}

export async function versionCommand(args: VersionArgs, io: Io): Promise<number> {
  const doc = versionDocument();
  switch (args.output) {
    case 'text':
      io.stdout.write(renderVersionText(doc));
      break;
    case 'json':
      // as render/document.ts renderJson, which would also load the yaml library
      io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
      break;
    case 'yaml': {
      const { renderYaml } = await import('../../render/document.js');
      io.stdout.write(renderYaml(doc));
      break;
    }
  }
  return 0;
}
