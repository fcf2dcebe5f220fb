/** @jest-config-loader esbuild-register */
export default require('../../jest.preset.cts').projectJestConfig(__dirname);
