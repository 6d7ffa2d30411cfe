// JSON and YAML renderings of output documents: 2-space JSON, YAML of the same tree.

import { stringify } from 'yaml';

export function renderJson(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

export function renderYaml(doc: unknown): string {
  return stringify(doc, { lineWidth: 0 });
}
