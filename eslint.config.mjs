// Lint: typescript-eslint's recommended rules; formatting is prettier's (eslint-config-prettier turns off rules it owns).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', '.test-build/**', 'node_modules/**', '.bench/**', '.scratch/**', 'out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The web app's pages (ES modules in the browser).
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'document',
          'window',
          'location',
          'history',
          'fetch',
          'FormData',
          'URL',
          'URLSearchParams',
          'EventSource',
          'setTimeout',
          'clearTimeout',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // require() in TypeScript only to load our own modules and zod lazily (start-up time) and to read packages' versions.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^\\.\\.?/', '/package\\.json$', '^zod$'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Chinese text sets the ideographic space (U+3000) in strings and templates on purpose (blanks, 年　月　日).
    rules: { 'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true }] },
  },
  prettier,
);
