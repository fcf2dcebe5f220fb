/**
 * Attribution: which source value fills each of our business columns
 * (customer, plan, product, feature, task, environment, …). Every source has
 * a documented default map; a user's map file overrides it column by column.
 *
 * A map entry names where the value comes from, or several places tried in
 * order (the first non-empty value wins), or `null` to leave the column empty:
 *
 * - `"end_user"` — a column of the source record (a CSV column or a top-level JSON key);
 * - `"metadata.spend_logs_metadata.tier"` — a path into nested objects (an
 *   object written as a JSON string is read too, and keys that themselves
 *   contain dots, such as OpenTelemetry's `user.id`, are matched whole);
 * - `"tag:feature:"` — the rest of the first tag that starts with `feature:`.
 */
import { readFile } from 'node:fs/promises';
import { type MappableColumn, MAPPABLE_COLUMNS, isMappableColumn } from './columns';
import { isObject, objectOf, textOf } from './values';

/** Where an attribution column's value comes from: a path, a `tag:` prefix, several tried in order, or `null` for nothing. */
export type AttributionRule = string | readonly string[] | null;

/** Attribution rules by column. */
export type AttributionMap = Partial<Record<MappableColumn, AttributionRule>>;

/** What an attribution rule is evaluated against: the source record, and its tags where the source has a tag list. */
export interface AttributionView {
  record: Readonly<Record<string, unknown>>;
  tags?: readonly string[];
}

/** An attribution map file that cannot be used, with the file and the entry at fault. */
export class AttributionMapError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'AttributionMapError';
  }
}

const TAG_PREFIX = 'tag:';

/** For each segment a path can resume at, the keys to try there (longest first) and where each leaves off. */
type CompiledPath = readonly (readonly (readonly [key: string, next: number])[])[];

const compiledPaths = new Map<string, CompiledPath>();

function compilePath(path: string): CompiledPath {
  let compiled = compiledPaths.get(path);
  if (compiled) return compiled;
  const segments = (path.startsWith('$.') ? path.slice(2) : path).split('.');
  compiled = segments.map((_, from) => {
    const candidates: (readonly [string, number])[] = [];
    for (let to = segments.length; to > from; to--) candidates.push([segments.slice(from, to).join('.'), to]);
    return candidates;
  });
  compiledPaths.set(path, compiled);
  return compiled;
}

/**
 * The value at `path` in `root`: segments separated by dots, where a key
 * that contains dots itself is matched whole (the longest key first), and a
 * string holding a JSON object is read as that object.
 */
export function valueAtPath(root: unknown, path: string): unknown {
  return walk(root, compilePath(path), 0);
}

function walk(node: unknown, path: CompiledPath, from: number): unknown {
  if (from === path.length) return node;
  const object = isObject(node) ? node : objectOf(node);
  if (!object) return undefined;
  for (const [key, next] of path[from] as readonly (readonly [string, number])[]) {
    const value = object[key];
    if (value === undefined || !Object.prototype.hasOwnProperty.call(object, key)) continue;
    const found = walk(value, path, next);
    if (found !== undefined && found !== null) return found;
  }
  return undefined;
}

function valueOfSource(view: AttributionView, source: string): string | undefined {
  if (source.startsWith(TAG_PREFIX)) return tagValue(view.tags, source.slice(TAG_PREFIX.length));
  return textOf(valueAtPath(view.record, source));
}

/** Evaluates one rule against a record: the first non-empty value of its sources. */
export function evaluateRule(rule: AttributionRule | undefined, view: AttributionView): string | undefined {
  if (rule === undefined || rule === null) return undefined;
  const sources = typeof rule === 'string' ? [rule] : rule;
  for (const source of sources) {
    const value = valueOfSource(view, source);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The attribution values of one record under a map. */
export function attributionValues(
  map: AttributionMap,
  view: AttributionView,
): Partial<Record<MappableColumn, string>> {
  const values: Partial<Record<MappableColumn, string>> = {};
  for (const column of MAPPABLE_COLUMNS) {
    const value = evaluateRule(map[column], view);
    if (value !== undefined) values[column] = value;
  }
  return values;
}

/** One place a value may come from, ready to read: a compiled path or a tag prefix. */
type Accessor = { kind: 'path'; path: CompiledPath } | { kind: 'tag'; prefix: string };

/** An attribution map made ready for many records: the columns that have rules, each with its accessors. */
export type CompiledAttribution = readonly (readonly [MappableColumn, readonly Accessor[]])[];

/** Compiles a map once for an import, so that each record only reads values. */
export function compileAttribution(map: AttributionMap): CompiledAttribution {
  const compiled: [MappableColumn, Accessor[]][] = [];
  for (const column of MAPPABLE_COLUMNS) {
    const rule = map[column];
    if (rule === undefined || rule === null) continue;
    const sources = typeof rule === 'string' ? [rule] : rule;
    compiled.push([
      column,
      sources.map((source): Accessor =>
        source.startsWith(TAG_PREFIX)
          ? { kind: 'tag', prefix: source.slice(TAG_PREFIX.length) }
          : { kind: 'path', path: compilePath(source) },
      ),
    ]);
  }
  return compiled;
}

function tagValue(tags: readonly string[] | undefined, prefix: string): string | undefined {
  for (const tag of tags ?? []) {
    if (tag.startsWith(prefix) && tag.length > prefix.length)
      return tag.slice(prefix.length).trim() || undefined;
  }
  return undefined;
}

/** Sets on `row` each column of a compiled map whose sources give a value for the record (same result as {@link attributionValues}). */
export function applyAttribution(
  compiled: CompiledAttribution,
  view: AttributionView,
  row: Partial<Record<MappableColumn, unknown>>,
): void {
  for (const [column, accessors] of compiled) {
    for (const accessor of accessors) {
      const value =
        accessor.kind === 'tag'
          ? tagValue(view.tags, accessor.prefix)
          : textOf(walk(view.record, accessor.path, 0));
      if (value !== undefined) {
        row[column] = value;
        break;
      }
    }
  }
}

/** A source's default map with a user's overrides on top (an override of `null` clears the default). */
export function mergeAttribution(defaults: AttributionMap, overrides: AttributionMap = {}): AttributionMap {
  return { ...defaults, ...overrides };
}

/** Checks a parsed attribution map (a JSON object of column → rule) and returns it typed. */
export function parseAttributionMap(value: unknown, file = 'attribution map'): AttributionMap {
  if (!isObject(value))
    throw new AttributionMapError(file, 'an attribution map is a JSON object: { "column": "source" }');
  const map: AttributionMap = {};
  for (const [column, rule] of Object.entries(value)) {
    if (!isMappableColumn(column)) {
      throw new AttributionMapError(
        file,
        `"${column}" is not a column attribution can fill; use one of ${MAPPABLE_COLUMNS.join(', ')}`,
      );
    }
    map[column] = checkedRule(rule, column, file);
  }
  return map;
}

function checkedRule(rule: unknown, column: string, file: string): AttributionRule {
  if (rule === null) return null;
  const sources = typeof rule === 'string' ? [rule] : rule;
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new AttributionMapError(file, `"${column}": give a source as a string, a list of strings, or null`);
  }
  for (const source of sources) {
    if (typeof source !== 'string' || source.trim() === '' || source === TAG_PREFIX) {
      throw new AttributionMapError(
        file,
        `"${column}": ${JSON.stringify(source)} is not a source (a column, a.json.path or tag:prefix)`,
      );
    }
  }
  return typeof rule === 'string' ? rule : (sources as string[]);
}

/** Reads and checks an attribution map file. */
export async function loadAttributionMap(file: string): Promise<AttributionMap> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AttributionMapError(file, `cannot read it (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AttributionMapError(file, `not valid JSON (${(error as Error).message})`);
  }
  return parseAttributionMap(value, file);
}
