import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The CommonJS build (and the test runner) define __filename; the ES module build has import.meta.url.
declare const __filename: string | undefined;

/** A `require` that resolves from this package's own location, whatever the working directory. */
function packageRequire(): NodeRequire {
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}

/**
 * The path of the installed Chart.js UMD bundle (`chart.js/dist/chart.umd.js`).
 * Chart.js's export map does not expose that file, so the path is found from
 * the package's main entry, which lives in the same `dist` folder.
 */
export function chartJsBundlePath(): string {
  const main = packageRequire().resolve('chart.js');
  return join(dirname(main), 'chart.umd.js');
}
