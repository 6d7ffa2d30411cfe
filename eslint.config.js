// ESLint flat config: typescript-eslint strict type-checked rules plus the folder boundaries of
// the design (docs in README "Development"): the allocator model imports no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noIo = {
  patterns: [
    {
      group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https'],
      message: 'model/ is pure: no I/O.',
    },
    {
      group: ['**/sources/**', '**/render/**', '**/cli/**', '**/parse/**', '**/scenario/**'],
      message: 'model/ depends on nothing outside model/.',
    },
    {
      group: ['@kubernetes/client-node', '@grpc/*', 'yargs', 'cli-table3', 'yaml'],
      message: 'model/ is pure: no libraries with I/O.',
      allowTypeImports: true,
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'jest.config.js',
      'jest.release.config.js',
      'eslint.config.js',
      '.tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      eqeqeq: 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        {
          selector: "MemberExpression[object.name='process'][property.name='exit']",
          message: 'Only cmd/ exits.',
        },
        {
          selector: "CallExpression[callee.object.name='console']",
          message: 'Write to the injected streams; only cmd/ and render/ print.',
        },
      ],
    },
  },
  { files: ['src/model/**/*.ts'], rules: { 'no-restricted-imports': ['error', noIo] } },
  {
    files: ['src/parse/**/*.ts', 'src/scenario/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs*',
                'node:net',
                'node:http*',
                'node:child_process',
                '**/sources/**',
                '**/cli/**',
                '**/render/**',
              ],
              message: 'parse/ and scenario/ are pure text → data.',
            },
          ],
        },
      ],
    },
  },
  {
    // the drift engine and the document types: pure (they may use the simulate document builder
    // in render/simulation.ts, whose output is the expected side of every report)
    files: ['src/drift/**/*.ts', 'src/schema/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '**/sources/**', '**/cli/**', '@kubernetes/client-node', '@grpc/*', 'yargs'],
              message: 'drift/ and schema/ are pure data → data: no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cmd/**/*.ts', 'test/**/*.ts', 'bench/**/*.js', 'scripts/**/*.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['bench/**/*.js', 'scripts/**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
