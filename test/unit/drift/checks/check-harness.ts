// Runs one drift check on a fixture node (test/helpers/node-fixture.ts) through the engine's own
// context builder, as analyzeNode does, and returns its findings or its coverage.

import { buildContext } from '../../../../src/drift/build-context.js';
import type { DriftCheck, DriftContext } from '../../../../src/drift/context.js';
import { checkCoverage } from '../../../../src/drift/coverage.js';
import type { AnalysisOptions, NodeFacts } from '../../../../src/drift/node-facts.js';
import type { Fidelity } from '../../../../src/model/simulation-input.js';
import type { Coverage, Finding } from '../../../../src/schema/reports.js';

export function analysisOptions(fidelity: Fidelity = 'source'): AnalysisOptions {
  return { fidelity, checks: null, skipChecks: [], requireSources: [] };
}

export function contextOf(facts: NodeFacts, fidelity: Fidelity = 'source'): DriftContext {
  return buildContext(facts, analysisOptions(fidelity));
}

/** The check's findings on the node, as analyzeNode would get them (only when it may run). */
export function findingsOf(
  check: DriftCheck,
  facts: NodeFacts | DriftContext,
  fidelity: Fidelity = 'source',
): Finding[] {
  const ctx = 'pods' in facts && 'replay' in facts ? facts : contextOf(facts, fidelity);
  const coverage = checkCoverage(check, ctx);
  if (coverage.status !== 'checked' && coverage.status !== 'partial') {
    throw new Error(`${check.code} would not run: ${coverage.status} (${coverage.reason ?? ''})`);
  }
  return [...check.run(ctx)];
}

export function coverageOf(check: DriftCheck, facts: NodeFacts, fidelity: Fidelity = 'source'): Coverage {
  return checkCoverage(check, contextOf(facts, fidelity));
}

/** code, severity and the few fields a test names, for compact assertions. */
export function brief(f: Finding): Record<string, unknown> {
  return {
    severity: f.severity,
    pod: f.pod === null ? null : `${f.namespace ?? ''}/${f.pod}`,
    container: f.container,
    resource: f.resource,
    expected: f.expected,
    observed: f.observed,
  };
}
