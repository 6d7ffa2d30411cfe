// Golden files: expected command output under test/golden/, compared byte for byte.
// `UPDATE_GOLDEN=1 npm test -- test/unit/cli` rewrites them; review the diff like code.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './run-cli.js';

const updating = process.env.UPDATE_GOLDEN === '1';

/** Asserts that `actual` equals test/golden/<relPath> exactly (or rewrites it with UPDATE_GOLDEN=1). */
export function expectGolden(relPath: string, actual: string): void {
  const file = join(REPO_ROOT, 'test', 'golden', relPath);
  if (updating) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(
      `golden file test/golden/${relPath} does not exist; create it with UPDATE_GOLDEN=1 npm test -- test/unit/cli and review it`,
    );
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
