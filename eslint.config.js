// @ts-check
// ESLint flat config: typescript-eslint's type-checked rules on every .ts file (through the
// TypeScript project service, so tsconfig.json decides what each file sees), ESLint's own
// recommended rules on the few plain .js/.cjs files, and Prettier owns all layout (last entry).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node's globals for the plain JavaScript files (the .ts files get theirs from @types/node).
const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
  require: 'readonly',
  module: 'writable',
  URL: 'readonly',
};

export default defineConfig(
  globalIgnores([
    'dist/',
    'release/',
    '.cache/',
    'test/output/',
    'test/cluster/logs-tmp/',
    'test/cluster/k8s/',
    'test/cluster/coredns/',
    'test/cluster/etcd/',
    'test/cluster/local-path/',
    'scripts/tools/',
  ]),
  { name: 'project/linter-options', linterOptions: { reportUnusedDisableDirectives: 'error' } },

  {
    name: 'project/javascript',
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: nodeGlobals },
  },
  { name: 'project/commonjs', files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },

  {
    name: 'project/typescript',
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promises: the bugs this setup is mostly for. node:test's top-level test()/describe()/it()
      // are run by the runner and need no await (a subtest's t.test() still does).
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // An async function without await is how this code satisfies a Promise-returning interface.
      '@typescript-eslint/require-await': 'off',
      // Rejecting with the unknown a catch received passes the original error on, as it should.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],

      // Type-only imports spelled `import type` (what verbatimModuleSyntax and type stripping need).
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',

      // Cheap checks that catch real mistakes.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowRegExp: true, allowArray: true },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // String(x) of an unknown narrowed to {} (a yargs value, an error's cause) is the intended
      // conversion; {} is treated like unknown, which the rule does not check either.
      '@typescript-eslint/no-base-to-string': [
        'error',
        { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] },
      ],

      // tsc already reports these (noUnusedLocals, noUnusedParameters): a second report is noise.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },

  {
    // Tests, scripts and benchmarks read untyped JSON (kubectl -o json, the CLI's --json,
    // DevTools messages) and probe it field by field: `any` there is the point, not a slip.
    name: 'project/untyped-json',
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tests match ANSI escapes (\x1b[) on purpose.
    name: 'project/tests',
    files: ['test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },

  // Turns off every rule that would fight Prettier's layout.
  prettier,
  {
    // Prettier wraps code at 120 columns; what it cannot wrap, comments, must be wrapped by hand.
    // A message stays one string literal, so that grep finds what a user read.
    name: 'project/line-length',
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
);
