/** @jest-config-loader esbuild-register */
// The generator's tests read the installed price package's bundled data: no network.
export default require('../../jest.preset.cts').projectJestConfig(__dirname, {
  collectCoverageFrom: ['<rootDir>/src/generate.ts', '<rootDir>/src/selection.ts'],
});
