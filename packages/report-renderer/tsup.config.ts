import { packageBuild } from '../../tsup.base';

// The stylesheet, the page script and the Handlebars templates are real files
// under src/ and are inlined into the bundle as strings: the published package
// reads no file of its own at run time.
export default packageBuild({
  loader: { '.css': 'text', '.hbs': 'text', '.browser.js': 'text' },
});
