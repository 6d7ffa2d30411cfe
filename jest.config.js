// Jest runs in native ESM mode (node --experimental-vm-modules, see the "test" script) with
// ts-jest's ESM preset: @kubernetes/client-node and yargs are ESM-only, and jest's CommonJS
// transform path fails on them ("Unexpected token 'export'").
/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the release artifacts' tests need `npm run release` first: npm run test:release
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/release/'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};
