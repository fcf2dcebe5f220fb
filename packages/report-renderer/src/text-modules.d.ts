/**
 * Files the build inlines as text (esbuild's `text` loader, and the package's
 * Jest transform under test): importing one gives its content as a string.
 * These declarations serve this package's sources only; the published types
 * declare the resulting constants as plain strings.
 */

declare module '*.css' {
  const text: string;
  export default text;
}

declare module '*.hbs' {
  const text: string;
  export default text;
}

declare module '*.browser.js' {
  const text: string;
  export default text;
}
