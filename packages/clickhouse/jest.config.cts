/** @jest-config-loader esbuild-register */
// Every test here runs under a process zone west of UTC (workers inherit it): the engine and the
// in-process reader must still count days in UTC.
process.env.TZ = 'America/Los_Angeles';
export default require('../../jest.preset.cts').projectJestConfig(__dirname);
