/**
 * The forms a model id takes in logs, from the most to the least specific:
 * gateway prefixes (`bedrock/…`, `openai/…`, `models/…`), Bedrock regional
 * inference profiles (`us.anthropic.…`) and version suffixes (`-v1:0`),
 * Vertex `@` versions and release dates (`-20250929`, `-2024-08-06`).
 */

const REGION_PREFIX = /^(?:us|eu|apac|au|jp|ca|in|sa|us-gov)\./;
const VERSION_SUFFIX = /(?:-v\d+(?::\d+)?|:\d+)$/;
const AT_VERSION = /@[\w.-]+$/;
const DATE_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{2}-\d{4})$/;

function stripped(name: string, pattern: RegExp): string {
  return name.replace(pattern, '');
}

/**
 * Names to look a model up by, after the exact id: lower-cased, without a
 * gateway prefix, a region prefix, a version suffix and a release date, each
 * step applied on top of the previous one. Duplicates are left out.
 */
export function modelNameCandidates(model: string): string[] {
  const candidates: string[] = [];
  const add = (name: string): void => {
    if (name.length > 0 && name !== model && !candidates.includes(name)) candidates.push(name);
  };
  let name = model.trim().toLowerCase();
  add(name);
  name = name.slice(name.lastIndexOf('/') + 1);
  add(name);
  name = stripped(name, REGION_PREFIX);
  add(name);
  name = stripped(name, VERSION_SUFFIX);
  add(name);
  name = stripped(name, AT_VERSION);
  add(name);
  name = stripped(name, DATE_SUFFIX);
  add(name);
  return candidates;
}
