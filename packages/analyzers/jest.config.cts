/** @jest-config-loader esbuild-register */
// hyparquet ships ES modules only: compile it like our sources.
export default require('../../jest.preset.cts').projectJestConfig(__dirname, {
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'],
});
