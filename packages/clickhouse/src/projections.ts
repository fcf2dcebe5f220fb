/**
 * Projections: the calls table keeps, part by part, the aggregates the
 * analyses ask for, pre-aggregated by the engine as rows are inserted and
 * merged. A query whose `GROUP BY` and aggregates match a projection reads
 * its few rows instead of every call; one that does not (a `--since`
 * window, a `--where` filter, a measure that binds a setting, a read with
 * `FINAL`) reads the calls as before. Either way the figures are the same
 * sums, so projections change speed only, never a result.
 */
import { createHash } from 'node:crypto';
import { type AnalyzeOptions, CostAnalyzer, type Dimension } from '@finops/analyzers';
import { AGGREGATES } from './aggregates/index';
import { digestSuppliersFor } from './analyze';
import type { CallWarehouse } from './connection';
import { GeneratedGrouping } from './groupings';
import { CALLS_TABLE } from './migrations';

/** One projection of the calls table: its name and the `SELECT … GROUP BY …` it keeps. */
export interface Projection {
  name: string;
  select: string;
  /** The groupings and figures whose queries it answers (a histogram's or bins' as `<grouping>_<kind>`). */
  serves: readonly string[];
}

/** Names of the projections the toolkit makes start with this; others on the table are left alone. */
export const PROJECTION_PREFIX = 'finops_';

/**
 * The engine takes no bound parameter for a projection's name, so names are
 * written into the statements: only names of this shape, which the toolkit
 * makes itself, ever are.
 */
const SAFE_NAME = /^[A-Za-z0-9_]+$/;

/** A projection's name: what it serves and a hash of its text, so a changed declaration gets a new one. */
function projectionNamed(serves: readonly string[], select: string): Projection {
  const hash = createHash('sha256').update(select).digest('hex').slice(0, 10);
  return {
    name: `${PROJECTION_PREFIX}${serves.join('_').replace(/[^A-Za-z0-9]/g, '_')}_${hash}`,
    select,
    serves,
  };
}

/**
 * Dimensions with nearly a value per call (or per busy minute): a projection
 * keyed by one holds about as many rows as the table, so it would double the
 * storage and the insert work without making its query faster. Groupings keyed
 * by them read the calls.
 */
export const UNPROJECTED_DIMENSIONS: readonly Dimension[] = ['session', 'trace', 'minute'];

/** A projection's body split into its `GROUP BY` keys' text and its aggregates (the text after the keys). */
interface ProjectionParts {
  keys: string;
  aggregates: string[];
}

/**
 * Splits `SELECT <keys>, <aggregates> GROUP BY <keys>` (the form every
 * projection body takes: its keys first, in the `GROUP BY`'s order);
 * `undefined` for any other text, which is then kept as it is.
 */
function partsOf(select: string): ProjectionParts | undefined {
  const at = select.lastIndexOf(' GROUP BY ');
  if (at < 0 || !select.startsWith('SELECT ')) return undefined;
  const keys = select.slice(at + ' GROUP BY '.length);
  const list = select.slice('SELECT '.length, at);
  if (!list.startsWith(`${keys}, `)) return undefined;
  return { keys, aggregates: splitTopLevel(list.slice(keys.length + 2)) };
}

/** The items of a comma-separated list, split at the commas outside parentheses, brackets and quotes. */
function splitTopLevel(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < list.length; index++) {
    const character = list[index];
    if (character === "'" && list[index - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (character === '(' || character === '[') depth++;
    else if (character === ')' || character === ']') depth--;
    else if (character === ',' && depth === 0) {
      items.push(list.slice(start, index).trim());
      start = index + 1;
    }
  }
  items.push(list.slice(start).trim());
  return items;
}

/** Bodies being merged: the keys' text, each key, the aggregates, what they serve. */
interface MergedBody {
  serves: string[];
  keys: string;
  keyList: string[];
  aggregates: string[];
}

function absorb(into: MergedBody, body: MergedBody): void {
  into.serves.push(...body.serves);
  for (const aggregate of body.aggregates)
    if (!into.aggregates.includes(aggregate)) into.aggregates.push(aggregate);
}

/**
 * The projection bodies as few projections: bodies with the same `GROUP BY`
 * keys become one body holding the aggregates of them all, each once; then
 * a body whose keys are all keys of another (`provider, model` of
 * `provider, model, task_type, day`) goes into the one with the fewest keys
 * that holds them. The engine answers a query from any projection whose
 * keys give the query's keys and whose aggregates include the query's,
 * summing its rows further, so every query still reads a projection (a few
 * more of its rows), and each part's rows are grouped once per key set
 * instead of once per body: filling the projections was the largest cost
 * of a load after the scan itself (see docs/clickhouse.md, "Load paths").
 */
export function mergeByKeys(bodies: readonly { serves: string; select: string }[]): Projection[] {
  const merged = new Map<string, MergedBody>();
  const kept: Projection[] = [];
  for (const body of bodies) {
    const parts = partsOf(body.select);
    if (parts === undefined) {
      kept.push(projectionNamed([body.serves], body.select));
      continue;
    }
    const entry: MergedBody = {
      serves: [body.serves],
      keys: parts.keys,
      keyList: splitTopLevel(parts.keys),
      aggregates: parts.aggregates,
    };
    const same = merged.get(parts.keys);
    if (same === undefined) merged.set(parts.keys, { ...entry, aggregates: [...entry.aggregates] });
    else absorb(same, entry);
  }
  // Fewest keys first, so that a body holds what it absorbed when it goes into a larger one.
  const entries = [...merged.values()].sort((left, right) => left.keyList.length - right.keyList.length);
  const gone = new Set<MergedBody>();
  for (const entry of entries) {
    const host = entries.find(
      (candidate) =>
        candidate.keyList.length > entry.keyList.length &&
        entry.keyList.every((key) => candidate.keyList.includes(key)),
    );
    if (host === undefined) continue;
    absorb(host, entry);
    gone.add(entry);
  }
  for (const entry of merged.values())
    if (!gone.has(entry))
      kept.push(
        projectionNamed(
          entry.serves,
          `SELECT ${entry.keys}, ${entry.aggregates.join(', ')} GROUP BY ${entry.keys}`,
        ),
      );
  return kept;
}

/**
 * The projections for the queries the selected analyses send (by default
 * all of them): one per `GROUP BY` key set of the groupings whose measures
 * query can be pre-aggregated (see `GeneratedGrouping.projectionSelect`),
 * their histograms and bins, and the figures outside groupings that declare
 * one, the aggregates of bodies with the same keys kept together
 * ({@link mergeByKeys}); and the projections the digests computed in SQL
 * declare, one each. Generated from the same declarations as the queries,
 * so they match them.
 */
export function projectionsFor(options: Pick<AnalyzeOptions, 'analyses' | 'registry'> = {}): Projection[] {
  const settings = new CostAnalyzer(options).storeSettings();
  const bodies = new Map<string, { serves: string; select: string }>();
  const add = (serves: string, select: string | undefined): void => {
    if (select === undefined || bodies.has(select)) return;
    bodies.set(select, { serves, select });
  };
  for (const aggregate of AGGREGATES) add(aggregate.name, aggregate.projection);
  for (const spec of settings.groupings ?? []) {
    if (spec.dimensions.some((dimension) => UNPROJECTED_DIMENSIONS.includes(dimension))) continue;
    const grouping = new GeneratedGrouping(spec, settings.parameters ?? {});
    add(spec.name, grouping.projectionSelect());
    for (const kind of spec.histograms ?? []) add(`${spec.name}_${kind}`, grouping.histogramProjection(kind));
    for (const bins of spec.bins ?? []) add(`${spec.name}_${bins.name}`, grouping.binsProjection(bins));
  }
  // A digest's projection stays apart: keyed by ids that can be many (customers), it would otherwise host
  // the bodies of fewer keys (provider and model), which then read more rows.
  const digests = digestSuppliersFor(options).flatMap((supplier) =>
    Object.entries(supplier.projections ?? {})
      .filter(([, body]) => !bodies.has(body))
      .map(([query, body]) => projectionNamed([`${supplier.digest.name}_${query}`], body)),
  );
  return [...mergeByKeys([...bodies.values()]), ...digests];
}

/** What {@link syncProjections} changed. */
export interface ProjectionChanges {
  added: string[];
  dropped: string[];
}

/**
 * Brings the calls table's projections to `wanted`: adds the missing ones
 * (and builds them over the rows already there), drops the toolkit's
 * projections no longer wanted. The table is told to rebuild projections
 * when its merges collapse rows of one call id, so they never count a row
 * the table no longer holds.
 */
export async function syncProjections(
  warehouse: CallWarehouse,
  wanted: readonly Projection[] = projectionsFor(),
): Promise<ProjectionChanges> {
  const table = `{database:Identifier}.${CALLS_TABLE}`;
  const existing = await warehouse.rows<{ name: string }>({
    sql: `SELECT name FROM system.projections WHERE database = {database:String} AND table = {table:String}`,
    params: { table: CALLS_TABLE },
  });
  const have = new Set(existing.map((row) => row.name));
  const names = new Set(wanted.map((projection) => projection.name));
  const dropped = [...have].filter(
    (name) => name.startsWith(PROJECTION_PREFIX) && SAFE_NAME.test(name) && !names.has(name),
  );
  const missing = wanted.filter((projection) => !have.has(projection.name));
  if (dropped.length === 0 && missing.length === 0) return { added: [], dropped };
  // One statement each for all drops, all additions and all builds: every ALTER is a round of the engine's own.
  const alter = async (clauses: string[]): Promise<void> => {
    if (clauses.length > 0)
      await warehouse.command({ sql: `ALTER TABLE ${table} ${clauses.join(', ')}`, params: {} });
  };
  // The engine refuses projections on a ReplacingMergeTree until told how its merges treat them.
  await alter(["MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild'"]);
  await alter([
    ...dropped.map((name) => `DROP PROJECTION IF EXISTS ${name}`),
    ...missing.map((projection) => `ADD PROJECTION IF NOT EXISTS ${projection.name} (${projection.select})`),
  ]);
  // Rows already there get the new projections built over them; rows written from now on get them as written.
  const [stored] = await warehouse.rows<{ rows: string }>({
    sql: `SELECT count() AS rows FROM ${table}`,
    params: {},
  });
  if (missing.length > 0 && Number(stored?.rows ?? 0) > 0)
    await warehouse.command({
      sql: `ALTER TABLE ${table} ${missing.map((projection) => `MATERIALIZE PROJECTION ${projection.name}`).join(', ')} SETTINGS mutations_sync = 2`,
      params: {},
    });
  return { added: missing.map((projection) => projection.name), dropped };
}
