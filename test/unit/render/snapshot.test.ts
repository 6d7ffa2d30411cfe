// The snapshot JSON written in pieces is exactly the document's 2-space JSON.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSnapshot } from '../../../src/parse/snapshot.js';
import { renderJson } from '../../../src/render/document.js';
import { renderSnapshotJson } from '../../../src/render/snapshot.js';
import { REPO_ROOT } from '../../helpers/run-cli.js';

describe('renderSnapshotJson', () => {
  const snap = parseSnapshot(
    readFileSync(join(REPO_ROOT, 'test/fixtures/snapshot/snap-3-nodes.json')),
    'snap.json',
  );

  it('joins to renderJson of the same document', () => {
    const pieces = renderSnapshotJson(snap);
    expect(pieces.length).toBeGreaterThan(snap.nodes.length + snap.pods.length);
    expect(pieces.join('')).toBe(renderJson(snap));
  });

  it('empty node and pod lists too', () => {
    const empty = { ...snap, nodes: [], pods: [] };
    expect(renderSnapshotJson(empty).join('')).toBe(renderJson(empty));
  });
});
