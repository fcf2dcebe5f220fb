/**
 * Runs the analysis worker from its TypeScript source (tests only): compiles
 * on the fly and resolves the schema package to its source as well.
 */
const Module = require('node:module');
const path = require('node:path');
const { register } = require('esbuild-register/dist/node');

const schemaSource = path.join(__dirname, '../../schema/src/index.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, ...rest) {
  return resolve.call(this, request === '@finops/schema' ? schemaSource : request, ...rest);
};
register({ target: 'node20', hookIgnoreNodeModules: true });
require('../src/worker.ts');
