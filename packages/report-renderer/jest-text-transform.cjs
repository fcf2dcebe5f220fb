/**
 * Jest transform for the files the package build inlines as text (the
 * stylesheet, the page script and the Handlebars templates): under test, as in
 * the bundle, importing one gives its content as the module's default export.
 *
 * @type {import('@jest/transform').SyncTransformer}
 */
module.exports = {
  process(sourceText) {
    return {
      code: `Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = ${JSON.stringify(sourceText)};\n`,
    };
  },
};
