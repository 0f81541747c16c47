// Flat config: typescript-eslint's recommended rules over every area; build output and data ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'build/**', 'dist/**', 'appsscript/build/**', 'sheets-addon/build/**', 'artifacts/**', 'bench-results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // Statistics and models are pure: they may not import the server, the warehouse or the environment.
    files: ['scoring-service/src/model/**/*.ts', 'scoring-service/src/stats/**/*.ts', 'scoring-service/src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/http/**', '**/warehouse/**', 'express'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**/*.ts'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
