// Which codes run (--checks / --skip-checks) and the coverage of each (cli.md §7): checked when the
// prerequisites (model; topology for "+topo") and every evidence source are available, partial
// with some evidence or when the check names a part it cannot judge (DriftCheck.limits),
// not-checked otherwise, skipped when excluded.

import type { Evidence } from '../schema/common.js';
import type { Coverage } from '../schema/reports.js';
import type { CoverageLimit, DriftCheck, DriftContext } from './context.js';
import { orderEvidence } from './findings.js';
import type { AnalysisOptions } from './node-facts.js';

/** Every C code then every D code, in report order. */
export const CONFIG_CODES: readonly string[] = Array.from({ length: 16 }, (_, i) => `C${i + 1}`);
export const DRIFT_CODES: readonly string[] = Array.from({ length: 20 }, (_, i) => `D${i + 1}`);
export const ALL_CODES: readonly string[] = [...CONFIG_CODES, ...DRIFT_CODES];

/** Codes carried by PodReport coverage (cli.md §7). */
export const POD_COVERAGE_CODES: readonly string[] = [
  'D1',
  'D2',
  'D3',
  'D4',
  'D5',
  'D6',
  'D7',
  'D8',
  'D10',
  'D12',
  'D14',
  'D15',
  'D19',
  'D20',
];

function matches(code: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const q = p.trim().toUpperCase();
    return q === code || (/^[CDT]$/.test(q) && code.startsWith(q));
  });
}

/** Whether a code runs under --checks / --skip-checks (codes or families such as "D"). */
export function isSelected(code: string, options: AnalysisOptions): boolean {
  if (options.checks !== null && !matches(code, options.checks)) return false;
  return !matches(code, options.skipChecks);
}

export function skippedCoverage(code: string, options: AnalysisOptions): Coverage {
  const excluded = options.checks !== null && !matches(code, options.checks);
  return {
    code,
    status: 'skipped',
    missing: [],
    reason: excluded ? 'not selected by --checks' : 'excluded by --skip-checks',
  };
}

export function notChecked(code: string, reason: string, missing: readonly Evidence[] = []): Coverage {
  return { code, status: 'not-checked', missing, reason };
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/**
 * Why the model cannot be used for D checks, or null when it can: no /configz, a configuration
 * the model cannot read, or one the kubelet would refuse to start with.
 */
export function modelUnavailable(ctx: DriftContext): string | null {
  if (ctx.config === null) return ctx.evidence.configz ?? 'no configz';
  if (ctx.config.model === null) return `configz: ${ctx.config.error ?? 'unreadable'}`;
  if (ctx.replay === null) return 'no replay';
  if (!ctx.replay.ok) return `kubelet would not start: ${ctx.replay.error}`;
  return null;
}

/** The coverage of a check before it runs (a code not selected is skipped). */
export function checkCoverage(check: DriftCheck, ctx: DriftContext): Coverage {
  if (!isSelected(check.code, ctx.options)) return skippedCoverage(check.code, ctx.options);
  if (check.needsModel) {
    const why = modelUnavailable(ctx);
    if (why !== null) return notChecked(check.code, why, ctx.evidence.configz === null ? [] : ['configz']);
  }
  if (check.needsTopology && ctx.topology.topology === null) {
    return notChecked(check.code, ctx.evidence.topology ?? 'no topology', ['topology']);
  }
  const missing = check.evidence.filter((e) => ctx.evidence[e] !== null);
  const reasons = unique(missing.map((e) => ctx.evidence[e] ?? e));
  if (missing.length === check.evidence.length) return notChecked(check.code, reasons.join('; '), missing);
  const base: Coverage =
    missing.length > 0
      ? { code: check.code, status: 'partial', missing, reason: reasons.join('; ') }
      : { code: check.code, status: 'checked', missing: [], reason: null };
  return withLimits(base, check.limits?.(ctx) ?? []);
}

/**
 * A runnable coverage narrowed by the check's own limits (DriftCheck.limits): `partial`, the
 * limits' sources added to `missing` (EVIDENCE order), their reasons appended after the base's.
 */
export function withLimits(base: Coverage, limits: readonly CoverageLimit[]): Coverage {
  if (limits.length === 0 || !runnable(base)) return base;
  const reasons = unique([...(base.reason === null ? [] : [base.reason]), ...limits.map((l) => l.reason)]);
  return {
    code: base.code,
    status: 'partial',
    missing: orderEvidence([...base.missing, ...limits.flatMap((l) => l.missing)]),
    reason: reasons.join('; '),
  };
}

/** Whether a check may run given its coverage. */
export function runnable(c: Coverage): boolean {
  return c.status === 'checked' || c.status === 'partial';
}
