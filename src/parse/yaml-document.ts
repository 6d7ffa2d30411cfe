// One YAML (or JSON) document from a text, with the source line of every field for error
// messages (scenario/where.ts LineLookup). Errors are InputErrors naming the input:
// `topo.yaml: invalid YAML at line 3 column 5: <parser message>`.

import { isNode, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { InputError } from '../errors.js';
import type { LineLookup, PathKey } from '../scenario/where.js';

export interface LoadedDocument {
  readonly raw: unknown;
  readonly lines: LineLookup;
}

/** "Unexpected token." → "unexpected token" */
export function oneLine(message: string): string {
  const first = (message.split('\n')[0] ?? '').trim().replace(/\.$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** The single document of `text`; `what` names the expected kind of document ("Snapshot"). */
export function parseOneYamlDocument(text: string, display: string, what: string): LoadedDocument {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false }).filter(
    (d) => d.contents !== null || d.errors.length > 0,
  );
  if (docs.length === 0) throw new InputError(`${display}: no ${what} document found`);
  if (docs.length > 1)
    throw new InputError(`${display}: expected one ${what} document, found ${docs.length}`);
  const doc = docs[0] as Document.Parsed;
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const { line, col } = lineCounter.linePos(syntax.pos[0]);
    throw new InputError(
      `${display}: invalid YAML at line ${line} column ${col}: ${oneLine(syntax.message)}`,
      {
        cause: syntax,
      },
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw new InputError(`${display}: invalid YAML: ${oneLine(e instanceof Error ? e.message : String(e))}`, {
      cause: e,
    });
  }
  const lines: LineLookup = (keys: readonly PathKey[]) => {
    const node: unknown = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
    if (!isNode(node) || node.range === undefined || node.range === null) return undefined;
    return lineCounter.linePos(node.range[0]).line;
  };
  return { raw, lines };
}
