// A node that behaves exactly as the model predicts gives no error or warning (no false positives):
// every scenario document of every example, rendered by the fixture builder into every source, in
// three variants — with the node observation, without it (count mode: no topology, no checkpoints,
// PodResources or cgroups) and on a v1.37 kubelet — analysed with the scenario's own fidelity.
// Info findings are allowed; the config warning C7 too where the example's configuration earns it
// (PodLevelResourceManagers on with memoryManagerPolicy None: a config check, not drift).

import { readFileSync, readdirSync } from 'node:fs';
import { analyzeNode } from '../../../src/drift/analyze-node.js';
import type { AnalysisOptions } from '../../../src/drift/node-facts.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';
import type { Finding, NodeReportBody } from '../../../src/schema/reports.js';
import { nodeFixture, type NodeFixture } from '../../helpers/node-fixture.js';

const VARIANTS: Record<string, (f: NodeFixture) => NodeFixture> = {
  observed: (f) => f,
  'count mode': (f) => f.withoutObservation(),
  'kubelet 1.37': (f) => f.kubeletVersion('1.37'),
};

const cases = readdirSync('examples')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) => {
    const path = `examples/${file}`;
    return parseScenarios(readFileSync(path, 'utf8'), path).flatMap((input, index) =>
      Object.keys(VARIANTS).map((variant) => ({
        name: `${file}#${index} (${input.name ?? 'unnamed'}), ${variant}`,
        path,
        index,
        variant,
        fidelity: input.fidelity,
        plrmWithoutMemoryManager:
          input.node.config.featureGates.PodLevelResourceManagers === true &&
          input.node.config.memoryManagerPolicy !== 'Static',
      })),
    );
  });

const reports = new Map<string, NodeReportBody>();
function reportOf(c: (typeof cases)[number]): NodeReportBody {
  let report = reports.get(c.name);
  if (report === undefined) {
    const fixture = VARIANTS[c.variant]?.(nodeFixture(c.path, { scenarioIndex: c.index }));
    if (fixture === undefined) throw new Error(`no variant ${c.variant}`);
    const options: AnalysisOptions = {
      fidelity: c.fidelity,
      checks: null,
      skipChecks: [],
      requireSources: [],
    };
    report = analyzeNode(fixture.build(), options);
    reports.set(c.name, report);
  }
  return report;
}

const brief = (f: Finding) => `${f.severity} ${f.code} ${f.message}`;

describe('clean nodes', () => {
  it('covers every scenario document of every example in three variants', () => {
    const files = readdirSync('examples').filter((f) => f.endsWith('.yaml'));
    expect(new Set(cases.map((c) => c.path)).size).toBe(files.length);
    expect(cases.filter((c) => c.index > 0).length).toBeGreaterThan(0);
    expect(cases.length % Object.keys(VARIANTS).length).toBe(0);
  });

  it.each(cases)('$name: no drift error or warning', (c) => {
    const report = reportOf(c);
    expect(report.findings.filter((f) => f.code.startsWith('D') && f.severity !== 'info').map(brief)).toEqual(
      [],
    );
    const config = report.findings.filter((f) => f.code.startsWith('C') && f.severity !== 'info');
    expect(config.map((f) => `${f.severity} ${f.code}`)).toEqual(
      c.plrmWithoutMemoryManager ? ['warning C7'] : [],
    );
    expect(report.status).toBe('ok');
  });

  it('info findings only where the example shows a predicted rejection, Q1 or a config note', () => {
    const codes = new Set(
      cases.flatMap((c) => reportOf(c).findings.filter((f) => f.severity === 'info')).map((f) => f.code),
    );
    expect([...codes].sort()).toEqual(['C16', 'C5', 'D10', 'D19']);
  });
});

describe('count mode: what the synthetic replay cannot know is coverage', () => {
  const countMode = (file: string) => {
    const c = cases.find(
      (x) => x.path === `examples/${file}.yaml` && x.index === 0 && x.variant === 'count mode',
    );
    if (c === undefined) throw new Error(`no case for ${file}`);
    return reportOf(c);
  };

  it.each(['full-pcpus-only-smt-rejection', 'pod-vs-container-scope', 'single-numa-node-rejection'])(
    '%s: D10, D11 and D13 are partial, the admissions not being replayable',
    (file) => {
      const coverage = countMode(file).coverage.filter((c) => ['D10', 'D11', 'D13'].includes(c.code));
      expect(coverage.map((c) => [c.code, c.status, c.missing.includes('topology')])).toEqual([
        ['D10', 'partial', true],
        ['D11', 'partial', true],
        ['D13', 'partial', true],
      ]);
      for (const c of coverage) expect(c.reason).toContain('no topology: admissions not replayable');
    },
  );
});
