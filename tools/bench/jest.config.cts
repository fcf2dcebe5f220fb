/** @jest-config-loader esbuild-register */
// Benchmarks are checked by running them; the tests cover the inputs, the baseline build and the comparison they share.
export default require('../../jest.preset.cts').projectJestConfig(__dirname, {
  collectCoverageFrom: [
    '<rootDir>/src/generate.ts',
    '<rootDir>/src/exports.ts',
    '<rootDir>/src/measure.ts',
    '<rootDir>/src/containers.ts',
    '<rootDir>/src/baseline.ts',
    '<rootDir>/src/compare.ts',
    '<rootDir>/src/side-by-side.ts',
    '<rootDir>/src/duckdb.ts',
    '<rootDir>/src/byte-scan.ts',
    '<rootDir>/src/trivial-writer.ts',
    '<rootDir>/src/processes.ts',
  ],
  // hyparquet ships ES modules only: compile it like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
});
