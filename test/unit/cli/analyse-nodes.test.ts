// One node whose analysis throws (an engine bug) does not end the run (src/cli/read-command.ts
// analyseNodes/analyseOrFail): that node is reported unreachable with the error and a warning that
// asks for a snapshot, the other nodes are analysed as usual. The throw is provoked with an
// observation that skipped its reader (the reader would have refused it).

import type { NodeFacts, AnalysisOptions } from '../../../src/drift/node-facts.js';
import { analyseNodes, analyseOrFail } from '../../../src/cli/read-command.js';
import type { FactsProvider, GatheredNode } from '../../../src/cli/facts-provider.js';
import type { NodeAnalysis } from '../../../src/drift/analyze-node.js';
import { nodeFixture } from '../../helpers/node-fixture.js';

const OPTIONS: AnalysisOptions = { fidelity: 'source', checks: null, skipChecks: [], requireSources: [] };

/** worker-2's observation holds a cgroup entry no reader would pass: the engine throws on it. */
function nodes(): NodeFacts[] {
  const good = nodeFixture('examples/tightly-coupled-database.yaml', { nodeName: 'worker-1' }).build();
  const bad = nodeFixture('examples/ml-workload.yaml', { nodeName: 'worker-2' }).build();
  if (bad.observation === null) throw new Error('the fixture has an observation');
  return [
    good,
    { ...bad, observation: { ...bad.observation, cgroups: [null as never, ...bad.observation.cgroups] } },
  ];
}

describe('a node whose analysis throws', () => {
  it('analyseOrFail: the node unreachable with the error, nothing else from it', () => {
    const [, bad] = nodes();
    if (bad === undefined) throw new Error('two nodes');
    const { analysis, failure } = analyseOrFail(bad, OPTIONS);
    expect(failure).toMatch(
      /^cannot analyse the node: internal error \(.+\); please report it with a snapshot of the node \(kubectl podres snapshot -o FILE worker-2\)$/,
    );
    expect(analysis.report).toMatchObject({
      name: 'worker-2',
      status: 'unreachable',
      pods: [],
      findings: [],
    });
    expect(analysis.report.sources.node).toMatchObject({ status: 'invalid', message: failure });
  });

  it('analyseNodes: the other node is analysed, the failure is one warning', async () => {
    const facts = nodes();
    const provider = {
      gather: (_s: unknown, _r: unknown, onNode: (n: GatheredNode) => void) => {
        for (const f of facts) onNode({ facts: f, warnings: [] });
        return Promise.resolve({ proxyDenied: false });
      },
    } as unknown as FactsProvider;
    const analyses: NodeAnalysis[] = [];
    const run = await analyseNodes(
      provider,
      { nodes: [], clusterNodes: null, warnings: [] },
      { metrics: true, cadvisorScrapes: 1, intervalMs: 0 },
      OPTIONS,
      (a) => analyses.push(a),
    );
    expect(analyses.map((a) => [a.report.name, a.report.status])).toEqual([
      ['worker-1', 'ok'],
      ['worker-2', 'unreachable'],
    ]);
    expect(analyses[0]?.report.pods.length).toBeGreaterThan(0);
    expect(run.warnings.filter((w) => w.includes('internal error'))).toEqual([
      expect.stringMatching(/^node worker-2: cannot analyse the node: internal error /),
    ]);
  });
});
