// Check codes as the spec writes them, for tests to compare the reports with: literal here (not
// imported from src/drift/coverage.ts) so that a wrong list in the code fails the tests.

/** The codes of a PodReport's coverage, in report order (cli.md §7: "D1–D8, D10, D12, D14, D15, D19, D20"). */
export const SPEC_POD_COVERAGE_CODES: readonly string[] = [
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
