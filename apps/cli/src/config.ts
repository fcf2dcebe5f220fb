import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type AnalysisConfigInput, checkSettings } from '@finops/analyzers';
import {
  type ColumnMapping,
  ColumnMappingError,
  defaultCatalog,
  parseCatalog,
  parseColumnMapping,
  type PriceCatalog,
} from '@finops/schema';
import { type ClickHouseSettings, checkClickHouseSection } from '@finops/clickhouse/settings';
import { UsageError } from './errors';

/** The config file's name looked for in the working folder. */
export const CONFIG_FILENAME = 'finops.config.json';

/** What a config file holds: analysis settings (thresholds, budgets, pricing models) and a price catalog. */
export interface CliConfig {
  /** Settings by analysis, over the defaults. */
  analysis: AnalysisConfigInput;
  /** The price catalog, when the file names one (a path relative to the file, or the catalog itself). */
  catalog?: PriceCatalog;
  /** Monthly price in USD of each plan, over the catalog's (`"plans": { "gold": 49 }`). */
  plans?: Record<string, number>;
  /** The log's own names of our columns (`"map": { "customer_id": "end_user" }`). */
  mapping?: ColumnMapping;
  /** A customers file (a path relative to the config file). */
  customers?: string;
  /** Where the calls table lives (`"clickhouse": { "url", "user", "password", "database", "timeoutSeconds" }`). */
  clickhouse?: Partial<ClickHouseSettings>;
  /** The file the settings came from. */
  path?: string;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Reads a config file: `{ "catalog": "rates.json" | {…}, "understanding": {…}, "realtime": {…}, … }`
 * — the analysis sections take the settings of the analyses' registry, checked
 * by the library's own rules (`checkSettings`): unknown keys, values of the
 * wrong type or out of range are errors that name the key.
 */
export async function loadConfigFile(path: string): Promise<CliConfig> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`config file ${path} not found`);
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`config file ${path} must hold a JSON object`);
  }
  const {
    catalog: catalogEntry,
    plans: plansEntry,
    map: mapEntry,
    customers: customersEntry,
    clickhouse: clickhouseEntry,
    $schema: _schema,
    ...analysis
  } = json as Record<string, unknown>;
  const clickhouse = checkClickHouseSection(clickhouseEntry);
  const problems = [
    ...checkSettings(analysis, 'config'),
    ...clickhouse.problems.map((problem) => `config.${problem}`),
    ...checkPlans(plansEntry),
    ...checkMapping(mapEntry),
  ];
  if (customersEntry !== undefined && typeof customersEntry !== 'string')
    problems.push(`config.customers: must be the path of a customers file, got ${describe(customersEntry)}`);
  if (problems.length > 0) {
    throw new UsageError(
      `config file ${path} has problems:\n${problems.map((problem) => `  - ${problem.replace(/^config\./, '')}`).join('\n')}`,
    );
  }
  let catalog: PriceCatalog | undefined;
  if (typeof catalogEntry === 'string') {
    const catalogPath = resolve(dirname(path), catalogEntry);
    catalog = parseCatalog(JSON.parse(await readFile(catalogPath, 'utf8')), catalogPath);
  } else if (catalogEntry !== undefined) {
    catalog = parseCatalog(catalogEntry, `${path} (catalog)`);
  }
  const config: CliConfig = { analysis: analysis as AnalysisConfigInput, catalog, path };
  if (plansEntry !== undefined) config.plans = plansEntry as Record<string, number>;
  if (mapEntry !== undefined) config.mapping = mapEntry as ColumnMapping;
  if (typeof customersEntry === 'string') config.customers = resolve(dirname(path), customersEntry);
  if (clickhouseEntry !== undefined) config.clickhouse = clickhouse.settings;
  return config;
}

function checkPlans(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`config.plans: must be an object of monthly USD prices by plan name, got ${describe(value)}`];
  return Object.entries(value).flatMap(([plan, price]) =>
    typeof price === 'number' && Number.isFinite(price) && price >= 0
      ? []
      : [`config.plans.${plan}: must be a non-negative number of USD a month, got ${describe(price)}`],
  );
}

function checkMapping(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`config.map: must be an object of the log's column names by our column, got ${describe(value)}`];
  try {
    parseColumnMapping(Object.entries(value).map(([ours, theirs]) => `${ours}=${String(theirs)}`));
    return [];
  } catch (error) {
    if (error instanceof ColumnMappingError) return error.issues.map((issue) => `config.map: ${issue}`);
    throw error;
  }
}

/** The catalog with the config's plan prices laid over its own. */
export function withPlans(
  catalog: PriceCatalog | undefined,
  plans: Record<string, number> | undefined,
): PriceCatalog | undefined {
  if (plans === undefined || Object.keys(plans).length === 0) return catalog;
  const data = (catalog ?? defaultCatalog()).toJSON();
  return parseCatalog({ ...data, plans: { ...data.tiers, ...data.plans, ...plans } }, 'config plans');
}

/** The config file's column mapping with `--map` pairs laid over it. */
export function mappingOf(config: CliConfig, flags: readonly string[]): ColumnMapping | undefined {
  if (config.mapping === undefined && flags.length === 0) return undefined;
  try {
    return { ...config.mapping, ...parseColumnMapping(flags) };
  } catch (error) {
    if (error instanceof ColumnMappingError) throw new UsageError(`--map: ${error.issues.join('; ')}`);
    throw error;
  }
}

/** The config of `--config`, else `finops.config.json` in the working folder, else the defaults. */
export async function resolveCliConfig(
  explicitPath: string | undefined,
  cwd = process.cwd(),
): Promise<CliConfig> {
  if (explicitPath) return loadConfigFile(explicitPath);
  const local = resolve(cwd, CONFIG_FILENAME);
  return existsSync(local) ? loadConfigFile(local) : { analysis: {} };
}

/**
 * Lays `--set section.key=value` flags over the file's settings. A value is
 * read as JSON when it parses (numbers, `null`, lists), as text otherwise,
 * and checked by the library's rules like the file's settings.
 */
export function applySettingFlags(
  analysis: AnalysisConfigInput,
  flags: readonly string[],
): AnalysisConfigInput {
  const merged = structuredClone(analysis) as Record<string, Record<string, unknown>>;
  const overrides: Record<string, Record<string, unknown>> = {};
  for (const flag of flags) {
    const match = /^([A-Za-z]+)\.([A-Za-z]+)=(.*)$/.exec(flag);
    if (!match)
      throw new UsageError(`--set takes section.setting=value, e.g. realtime.spikeMultiple=4; got "${flag}"`);
    const [, section = '', key = '', text = ''] = match;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    (overrides[section] ??= {})[key] = value;
  }
  const problems = checkSettings(overrides, 'config');
  if (problems.length > 0) {
    throw new UsageError(`--set: ${problems.map((problem) => problem.replace(/^config\./, '')).join('; ')}`);
  }
  for (const [section, values] of Object.entries(overrides))
    merged[section] = { ...merged[section], ...values };
  return merged as AnalysisConfigInput;
}
