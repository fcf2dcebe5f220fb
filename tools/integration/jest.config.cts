/** @jest-config-loader esbuild-register */
// Only tests live here: they check the libraries together, so no coverage of its own is measured.
export default require('../../jest.preset.cts').projectJestConfig(__dirname, {
  collectCoverage: false,
  coverageThreshold: undefined,
  // hyparquet ships ES modules only: compile it like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
});
