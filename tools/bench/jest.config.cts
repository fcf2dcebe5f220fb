/** @jest-config-loader esbuild-register */
// Benchmarks are checked by running them; the tests cover the input generator they share.
export default require('../../jest.preset.cts').projectJestConfig(__dirname, {
  collectCoverageFrom: ['<rootDir>/src/generate.ts', '<rootDir>/src/measure.ts'],
});
