// `npm run test:release`: the tests of the release artifacts under dist/release (built by
// `npm run release`; .ci/run runs both after `npm test`). Same ESM setup as jest.config.js.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['**/test/release/**/*.test.ts'],
  testTimeout: 60_000,
};
