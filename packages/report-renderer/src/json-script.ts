const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;

const ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Serialises a value as JSON that is safe inside an HTML
 * `<script type="application/json">` element: `<`, `>` and `&` become
 * `\u003c`, `\u003e` and `\u0026` (so no string can close the element, open
 * a comment or start a tag), and U+2028/U+2029 are escaped too. `JSON.parse`
 * of the element's text gives the value back unchanged.
 */
export function serializeJsonForScript(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('value cannot be serialised as JSON');
  return json.replace(UNSAFE_IN_SCRIPT, (character) => ESCAPES[character] ?? character);
}
