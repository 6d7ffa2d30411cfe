// Shared by the drift check tests: analyse a fixture node and pick findings.

import { analyzeNode } from '../../../../src/drift/analyze-node.js';
import type { AnalysisOptions } from '../../../../src/drift/node-facts.js';
import type { Finding, NodeReportBody } from '../../../../src/schema/reports.js';
import type { NodeFixture } from '../../../helpers/node-fixture.js';

export const OPTIONS: AnalysisOptions = {
  fidelity: 'source',
  checks: null,
  skipChecks: [],
  requireSources: [],
};

export const example = (name: string): string => `examples/${name}.yaml`;

export function analyze(fixture: NodeFixture, options: Partial<AnalysisOptions> = {}): NodeReportBody {
  return analyzeNode(fixture.build(), { ...OPTIONS, ...options });
}

export function findings(report: NodeReportBody, code: string): Finding[] {
  return report.findings.filter((f) => f.code === code);
}

export function coverageOf(report: NodeReportBody, code: string) {
  return report.coverage.find((c) => c.code === code);
}
