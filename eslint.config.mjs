import nx from '@nx/eslint-plugin';
import css from '@eslint/css';
import * as espree from 'espree';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * Module boundaries: each project carries a `type:` and a `scope:` tag in its
 * package.json `nx.tags`; the README has the table these constraints encode.
 */
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:schema', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:simulator', onlyDependOnLibsWithTags: ['scope:schema'] },
  { sourceTag: 'scope:analyzers', onlyDependOnLibsWithTags: ['scope:schema'] },
  { sourceTag: 'scope:report-renderer', onlyDependOnLibsWithTags: ['scope:schema'] },
  { sourceTag: 'scope:importers', onlyDependOnLibsWithTags: ['scope:schema'] },
  // The ClickHouse tests simulate their logs: hence the simulator.
  {
    sourceTag: 'scope:clickhouse',
    onlyDependOnLibsWithTags: ['scope:schema', 'scope:analyzers', 'scope:importers', 'scope:simulator'],
  },
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:*'] },
  { sourceTag: 'scope:viewer', onlyDependOnLibsWithTags: ['scope:*'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:*'] },
];

export default [
  { ignores: ['**/dist', '**/coverage', '**/node_modules', '**/.nx'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.cts', '**/*.mts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
          // The CLI checks ClickHouse options from the client-free `/settings` entry on every start and
          // imports the library itself only when a command uses a table (its `load` command does always).
          checkDynamicDependenciesExceptions: ['@finops/clickhouse', '@finops/clickhouse/settings'],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Build and test settings come from the workspace root by design.
    files: ['**/jest.config.cts', '**/tsup.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // The report renderer's page script ships to browsers as it is: an ES5 script (no module, no build
    // step) that may use only browser globals.
    files: ['packages/report-renderer/src/**/*.browser.js'],
    languageOptions: {
      parser: espree,
      ecmaVersion: 5,
      sourceType: 'script',
      globals: { ...globals.browser },
    },
    rules: { 'no-var': 'off', 'no-undef': 'error', strict: ['error', 'function'] },
  },
  {
    // The report renderer's stylesheet, shipped as it is: valid properties and values, no duplicate or
    // empty rules, widely available features only. `text-size-adjust` stands next to its -webkit- form
    // and is harmless where unsupported.
    files: ['packages/report-renderer/src/**/*.css'],
    plugins: { css },
    language: 'css/css',
    rules: {
      ...css.configs.recommended.rules,
      'css/use-baseline': ['error', { allowProperties: ['text-size-adjust'] }],
    },
  },
  {
    // Text-module declarations (.css, .hbs, .browser.js) reach the renderer's sources, and the programs of
    // the projects that type-check them, through a path reference: they cannot be imported.
    files: ['packages/report-renderer/src/**/*.ts'],
    rules: { '@typescript-eslint/triple-slash-reference': ['error', { path: 'always' }] },
  },
  prettier,
];
