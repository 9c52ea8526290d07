// ESLint flat config. Layout (which folder may import which) is checked by dependency-cruiser
// (.dependency-cruiser.cjs) and formatting by Prettier; ESLint looks for bugs only.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TYPESCRIPT = ['src/**/*.ts', 'tests/**/*.ts', '*.ts'];

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'data/']),
  {
    linterOptions: {
      // An `eslint-disable` comment that disables nothing is an error, so each one stays meaningful.
      reportUnusedDisableDirectives: 'error',
    },
  },
  js.configs.recommended,
  {
    files: TYPESCRIPT,
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        // Type information for the few rules below that need it, from tsconfig.json.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          varsIgnorePattern: '^_',
        },
      ],
      // Cheap type-aware rules: a promise that is dropped or awaited wrongly is a real bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The config files and scripts/ run on Node.
    files: ['*.js', '*.cjs', '*.mjs', 'scripts/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
]);
