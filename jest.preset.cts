/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';
import * as path from 'node:path';

const workspaceRoot = __dirname;

/**
 * Jest settings shared by every project: TypeScript through SWC, sibling
 * packages resolved to their source (no build needed before testing), V8
 * coverage with an 80 % line threshold, and a generous time limit per test.
 */
export function projectJestConfig(projectDir: string, overrides: Config = {}): Config {
  return {
    displayName: path.basename(projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
    transform: {
      // Files that the report renderer's build inlines as text; before the SWC entry, which matches .js too.
      '^.+\\.(css|hbs|browser\\.js)$': `${workspaceRoot}/packages/report-renderer/jest-text-transform.cjs`,
      '^.+\\.(t|j)s$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
      ],
    },
    moduleNameMapper: {
      '^@finops/analyzers/internal$': `${workspaceRoot}/packages/analyzers/src/internal.ts`,
      '^@finops/clickhouse/settings$': `${workspaceRoot}/packages/clickhouse/src/settings.ts`,
      '^@finops/(schema|simulator|analyzers|report-renderer|importers|clickhouse)$': `${workspaceRoot}/packages/$1/src/index.ts`,
    },
    coverageProvider: 'v8',
    collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/**/*.test.ts'],
    coverageReporters: ['text-summary', 'lcov'],
    coverageThreshold: { global: { lines: 80 } },
    // Projects' tests run side by side on two cores: a test's time says nothing of its correctness, and
    // speed is measured by the benchmarks, so a slow moment must not fail a test.
    testTimeout: 60_000,
    ...overrides,
  };
}
