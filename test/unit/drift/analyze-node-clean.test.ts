// A node that behaves exactly as the model predicts gives no drift error or warning: every example scenario,
// rendered by the fixture builder into every source (no false positives).

import { readdirSync } from 'node:fs';
import { analyzeNode } from '../../../src/drift/analyze-node.js';
import type { AnalysisOptions } from '../../../src/drift/node-facts.js';
import { nodeFixture } from '../../helpers/node-fixture.js';

const OPTIONS: AnalysisOptions = { fidelity: 'source', checks: null, skipChecks: [], requireSources: [] };

const examples = readdirSync('examples')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('clean nodes', () => {
  it.each(examples)('%s: no drift error or warning', (file) => {
    const report = analyzeNode(nodeFixture(`examples/${file}`).build(), OPTIONS);
    const drift = report.findings.filter((f) => f.code.startsWith('D') && f.severity !== 'info');
    expect(drift).toEqual([]);
    expect(report.status).toBe('ok');
  });
});
