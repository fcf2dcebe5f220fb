import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AbuseConfig,
  type MinuteProfiles,
  analyzeCosts,
  quietThresholds,
  resolveConfig,
} from '@finops/analyzers';
import { type CallRecord, csvHeaderLine, formatCsvRecords } from '@finops/schema';
import { type ScenarioChoice, simulate } from '@finops/simulator';
import {
  type AggregateRow,
  type BoundQuery,
  type CallFilter,
  type CallWarehouse,
  DIGEST_SUPPLIERS,
  DIMENSION_SQL,
  loadCalls,
  scopeOf,
} from '../src';
import {
  MASKED_MODELS,
  maskWidthFor,
  minuteProfileQueries,
  minuteProfilesFromSql,
  modelKeysOf,
  profileFormFor,
} from '../src/digests/minute-profiles';
import { freshWarehouse } from './engine';
// The analyzers' own fixture logs (rows of several calls, hostile ids), not copies of them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { randomLogV2 } from '../../analyzers/tests/fixtures';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { documentLog } from '../../analyzers/tests/documents/log';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ABUSE_DEFAULTS, probeOptions } from '../../analyzers/tests/minute-profile-probe';

const DEFAULTS = ABUSE_DEFAULTS;
/** Low thresholds: most minutes and hours kept, quiet ones of several sizes, and every flag raised somewhere. */
const LOW: AbuseConfig = {
  ...DEFAULTS,
  minuteBurstMinCalls: 4,
  batchMinCalls: 3,
  hoppingMinModels: 2,
  hourBurstMinCalls: 9,
  regularMinCalls: 6,
};

const folder = mkdtempSync(join(tmpdir(), 'finops-ch-minutes-'));
let warehouse: CallWarehouse | undefined;

afterAll(async () => {
  await warehouse?.close();
  rmSync(folder, { recursive: true, force: true });
});

function writeLog(name: string, records: readonly CallRecord[]): string {
  const path = join(folder, `${name}.csv`);
  writeFileSync(path, csvHeaderLine() + formatCsvRecords(records));
  return path;
}

async function scenarioRecords(scenario: ScenarioChoice): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  for await (const batch of simulate({ scenario, seed: 5, days: 7, customers: 8 })) records.push(...batch);
  return records;
}

/** The profiles the in-process engine builds over a log. */
async function inProcess(path: string, settings: AbuseConfig): Promise<MinuteProfiles> {
  const results = await analyzeCosts(path, probeOptions(settings));
  return results.minuteProfileProbe as MinuteProfiles;
}

/** Loads `records` into a fresh database; the profiles from SQL under `filter` equal those in-process over `kept`. */
async function expectSameProfiles(
  name: string,
  records: readonly CallRecord[],
  filter: CallFilter = {},
  kept: readonly CallRecord[] = records,
): Promise<MinuteProfiles[]> {
  await warehouse?.close();
  warehouse = await freshWarehouse('minutes');
  await loadCalls(warehouse, writeLog(name, records));
  const keptLog = kept === records ? join(folder, `${name}.csv`) : writeLog(`${name}-kept`, kept);
  const found: MinuteProfiles[] = [];
  for (const settings of [DEFAULTS, LOW]) {
    const expected = await inProcess(keptLog, settings);
    const actual = await minuteProfilesFromSql(warehouse, scopeOf(filter), settings);
    expect(actual).toEqual(expected);
    found.push(actual);
  }
  return found;
}

/** Minutes a profile stands for: its quiet ones counted, its kept ones. */
function minutesOf(profiles: MinuteProfiles): { quiet: number; kept: number; rows: number } {
  let quiet = 0;
  let kept = 0;
  let rows = 0;
  for (const profile of profiles.customers) {
    for (const entry of profile.quietMinutes) quiet += entry.minutes;
    kept += profile.minutes.length;
    rows += profile.quietMinutes.length + profile.minutes.length;
  }
  return { quiet, kept, rows };
}

describe('minute profiles from SQL', () => {
  it('bind the thresholds and the filter, and group minutes as the minute dimension does', () => {
    const hostile = "cust'); DROP TABLE finops_calls; --";
    const queries = minuteProfileQueries(
      scopeOf({ since: '2025-11-01', where: { customer_id: [hostile] } }),
      DEFAULTS,
    );
    const below = quietThresholds(DEFAULTS);
    // The least of the burst (30), batch (20) and hopping (10) thresholds; of the hour burst (60) and regular (20) ones.
    expect(below).toEqual({ minute: 10, hour: 20 });
    expect(queries.profiles.params).toMatchObject({
      quiet_minute_below: 10,
      quiet_hour_below: 20,
      since_ms: Date.UTC(2025, 10, 1),
      where_values_0: [hostile],
    });
    const { sql } = queries.profiles;
    expect(sql).toContain(`${DIMENSION_SQL.minute.keys[0]?.[0]} AS call_minute`);
    expect(sql).toContain('time_ms >= {since_ms:Int64}');
    expect(sql).toContain('minute_calls >= {quiet_minute_below:UInt64}');
    expect(sql).toContain('part_calls >= {quiet_hour_below:UInt64}');
    expect(sql).toContain('sum(minute_calls * minute_calls) AS part_squares');
    // One grouping of the calls by customer × minute, read once, the customer and the models hashed.
    expect(sql.match(/GROUP BY customer_key, call_minute/g)).toHaveLength(1);
    expect(sql).toContain('cityHash64(customer_id) AS customer_key');
    // A model's key hashes each low-cardinality column (its dictionary), never the pair per row;
    // the models query counts the same key, which is what finds two models of one key.
    const minuteModels = /uniqExact\((.+?)\) AS minute_models/.exec(sql)?.[1];
    expect(minuteModels).toBe('cityHash64(provider) * 3 + cityHash64(model)');
    expect(queries.models.sql).toContain(`uniqExact(${minuteModels}) AS model_keys`);
    expect(sql.match(/finops_calls/g)).toHaveLength(1);
    for (const query of [queries.profiles, queries.models]) {
      expect(query.sql).not.toContain('DROP');
      expect(query.sql).not.toContain('2025');
    }
    // The distinct models are the customer × model groups, counted per customer, with their keys.
    expect(queries.models.sql).toContain('count() AS models');
    expect(queries.models.sql).toContain(`groupUniqArray(${minuteModels}) AS model_key_list`);
    expect(queries.models.sql).toContain('GROUP BY customer_id, provider, model) GROUP BY customer_id');
    expect(queries.models.params).not.toHaveProperty('quiet_minute_below');
  });

  it("count a minute's models as bits of a mask over the model keys bound, when they fit it", () => {
    const keys = [3n, 18_000_000_000_000_000_001n, 7n];
    const masked = minuteProfileQueries(scopeOf(), DEFAULTS, keys).profiles;
    expect(masked.params).toMatchObject({ model_keys: keys, model_bits: [0, 1, 2] });
    expect(masked.sql).toContain(
      'groupBitOr(bitShiftLeft(toUInt64(1), transform(cityHash64(provider) * 3 + cityHash64(model), {model_keys:Array(UInt64)}, {model_bits:Array(UInt8)}, toUInt8(63)))) AS minute_mask',
    );
    expect(masked.sql).toContain('bitCount(minute_mask) AS minute_models');
    expect(masked.sql).not.toContain('uniqExact');
    // A model outside the keys (loaded after the models query) is told: the answer then is not used.
    expect(masked.sql).toContain('minute_mask >= bitShiftLeft(toUInt64(1), 63) AS minute_unseen');
    expect(masked.sql).toContain('max(part_unseen) AS unseen');
    // The narrowest mask with a bit for each key and the unseen bit, the highest.
    const many = Array.from({ length: MASKED_MODELS + 1 }, (_, index) => BigInt(index));
    for (const [models, width] of [
      [63, 64],
      [64, 128],
      [127, 128],
      [128, 256],
      [MASKED_MODELS, 256],
    ] as const) {
      expect(maskWidthFor(models)).toBe(width);
      const sql = minuteProfileQueries(scopeOf(), DEFAULTS, many.slice(0, models)).profiles.sql;
      expect(sql).toContain(`groupBitOr(bitShiftLeft(toUInt${width}(1), `);
      expect(sql).toContain(`toUInt8(${width - 1})))) AS minute_mask`);
      expect(sql).toContain(`minute_mask >= bitShiftLeft(toUInt${width}(1), ${width - 1}) AS minute_unseen`);
    }
    // No keys, or more than the mask holds: the keys counted distinct.
    expect(profileFormFor(many.slice(0, MASKED_MODELS))).toBe('masked');
    expect(profileFormFor(many)).toBe('hashed');
    expect(profileFormFor([])).toBe('hashed');
    const hashed = minuteProfileQueries(scopeOf(), DEFAULTS, many).profiles;
    expect(hashed.sql).toContain('AS minute_models');
    expect(hashed.sql).not.toContain('minute_mask');
    expect(hashed.params).not.toHaveProperty('model_keys');
    // The keys of a models answer: every customer's, once each, in order (64-bit, exact).
    expect(
      modelKeysOf([
        { model_key_list: ['18000000000000000001', '3'] },
        { model_key_list: ['3', '7'] },
        { model_key_list: [] },
      ]),
    ).toEqual([3n, 7n, 18_000_000_000_000_000_001n]);
  });

  it.each(['minute-flood', 'model-hopping', 'oversized-batch', 'off-hours', 'regional-latency'] as const)(
    'equal the in-process profiles on the %s scenario',
    async (scenario) => {
      const [defaults, low] = await expectSameProfiles(scenario, await scenarioRecords(scenario));
      // Most minutes are quiet under the defaults, and come back as a few counted rows.
      const counted = minutesOf(defaults as MinuteProfiles);
      expect(counted.quiet).toBeGreaterThan(counted.kept);
      expect(counted.rows).toBeLessThan((counted.quiet + counted.kept) / 5);
      expect(minutesOf(low as MinuteProfiles).kept).toBeGreaterThan(counted.kept);
      const hours = (defaults as MinuteProfiles).customers.filter(
        (profile) => profile.quietHours.length > 0 && profile.hours.length > 0,
      );
      expect(hours.length).toBeGreaterThan(0);
    },
  );

  it('equal the in-process profiles under --since', async () => {
    const records = await scenarioRecords('off-hours');
    const since = Math.min(...records.map((record) => record.timeMs)) + 3.5 * 86_400_000;
    const kept = records.filter((record) => record.timeMs >= since);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(records.length);
    await expectSameProfiles('off-hours-since', records, { since: new Date(since).toISOString() }, kept);
  });

  it('are asked for again by ids when two customers share a key or two models a hash, with the same result', async () => {
    const records = await scenarioRecords('model-hopping');
    const expected = (await expectSameProfiles('hopping-ids', records))[0] as MinuteProfiles;
    const scope = scopeOf();
    const answered: Record<string, AggregateRow[]> = {};
    await minuteProfilesFromSql(warehouse as CallWarehouse, scope, DEFAULTS, answered);
    expect(Object.keys(answered).sort()).toEqual(['models', 'profiles']);
    const models = answered.models as AggregateRow[];
    const [first, second] = models;
    expect(second).toBeDefined();
    // A collision is never seen for real (64-bit hashes of a few ids): the models' answer is made to show one.
    const shared = [{ ...first }, { ...second, customer_key: first?.customer_key }];
    const fewerKeys = [{ ...first, model_keys: String(Number(first?.model_keys) - 1) }];
    for (const collided of [shared, fewerKeys]) {
      const supplier = DIGEST_SUPPLIERS.find(({ digest }) => digest.name === 'minuteProfiles');
      const config = resolveConfig({ abuse: DEFAULTS });
      const asked = supplier?.queries(scope, config, { ...answered, models: collided }) ?? {};
      expect(Object.keys(asked)).toEqual(['profilesByIds']);
      expect(asked.profilesByIds?.sql).toContain('GROUP BY customer_id, call_minute');
      expect(asked.profilesByIds?.sql).toContain('uniqExact(provider, model) AS minute_models');
      const byIds = await (warehouse as CallWarehouse).rows<AggregateRow>(asked.profilesByIds as BoundQuery);
      // The profiles by ids replace the hashed ones: the same profiles as in-process.
      expect(supplier?.value({ models, profiles: [], profilesByIds: byIds }, config)).toEqual(expected);
    }
  });

  it('are asked for again, keys counted distinct, when the mask saw a model the models answer did not have', async () => {
    const records = await scenarioRecords('model-hopping');
    const expected = (await expectSameProfiles('hopping-mask', records))[0] as MinuteProfiles;
    const target = warehouse as CallWarehouse;
    const scope = scopeOf();
    const answered: Record<string, AggregateRow[]> = {};
    await minuteProfilesFromSql(target, scope, DEFAULTS, answered);
    // Masked (the scenario's models fit the mask), and every model was among the keys.
    expect(Object.keys(answered).sort()).toEqual(['models', 'profiles']);
    expect((answered.profiles ?? []).every((row) => String(row.unseen) === '0')).toBe(true);
    // A row per customer and part, its figures in lists of JSON numbers; the customer's 64-bit key as text.
    const [first] = answered.profiles ?? [];
    expect(typeof first?.customer_key).toBe('string');
    expect((first?.key_list as unknown[]).length).toBeGreaterThan(0);
    expect((first?.key_list as unknown[]).every((key) => typeof key === 'number')).toBe(true);
    const keys = (answered.profiles ?? []).map((row) => `${String(row.customer_key)} ${String(row.part)}`);
    expect(new Set(keys).size).toBe(keys.length);
    // As if two models had been loaded after the models query: two keys of one kept minute left out of the
    // answer, so the mask counts them as one (its unseen bit) and only the answer asked again is right.
    const [pair] = await target.rows<{ keys: string[] }>({
      sql: `SELECT groupUniqArray(cityHash64(provider) * 3 + cityHash64(model)) AS keys FROM {database:Identifier}.finops_calls GROUP BY customer_id, ${DIMENSION_SQL.minute.keys[0]?.[0]} HAVING sum(calls) >= {kept:UInt64} AND length(keys) >= 2 ORDER BY length(keys) DESC LIMIT 1`,
      params: { kept: quietThresholds(DEFAULTS).minute },
    });
    const dropped = new Set((pair?.keys ?? []).slice(0, 2));
    expect(dropped.size).toBe(2);
    const models = answered.models as AggregateRow[];
    const without = models.map((row) => ({
      ...row,
      model_key_list: (row.model_key_list as string[]).filter((key) => !dropped.has(key)),
    }));
    const again: Record<string, AggregateRow[]> = { models: without };
    expect(await minuteProfilesFromSql(target, scope, DEFAULTS, again)).toEqual(expected);
    expect(Object.keys(again).sort()).toEqual(['models', 'profiles', 'profilesDistinct']);
    expect((again.profiles ?? []).some((row) => String(row.unseen) === '1')).toBe(true);
    expect(again.profilesDistinct?.some((row) => 'unseen' in row)).toBe(false);
    const supplier = DIGEST_SUPPLIERS.find(({ digest }) => digest.name === 'minuteProfiles');
    const config = resolveConfig({ abuse: DEFAULTS });
    expect(supplier?.value({ models, profiles: again.profiles ?? [] }, config)).not.toEqual(expected);
  });

  it('are asked for by ids when an answer has a customer the models answer does not name', async () => {
    const records = await scenarioRecords('minute-flood');
    const expected = (await expectSameProfiles('flood-unnamed', records))[0] as MinuteProfiles;
    const answered: Record<string, AggregateRow[]> = {};
    await minuteProfilesFromSql(warehouse as CallWarehouse, scopeOf(), DEFAULTS, answered);
    const models = answered.models as AggregateRow[];
    expect(models.length).toBeGreaterThan(1);
    // As if a customer's first rows had been loaded after the models query.
    const later: Record<string, AggregateRow[]> = { models: models.slice(1) };
    expect(await minuteProfilesFromSql(warehouse as CallWarehouse, scopeOf(), DEFAULTS, later)).toEqual(
      expected,
    );
    expect(Object.keys(later).sort()).toEqual(['models', 'modelsAgain', 'profiles', 'profilesByIds']);
  });

  it.each([MASKED_MODELS, 127, 64, 63])(
    'equal the in-process profiles with %i models, as many as a mask holds or one more',
    async (models) => {
      const records = randomLogV2(1500, 3).map((record, index) => ({
        ...record,
        provider: 'openai',
        model: `model-${index % models}`,
      }));
      await expectSameProfiles(`mask-${models}`, records);
      const answered: Record<string, AggregateRow[]> = {};
      await minuteProfilesFromSql(warehouse as CallWarehouse, scopeOf(), DEFAULTS, answered);
      expect(modelKeysOf(answered.models ?? [])).toHaveLength(models);
      expect((answered.profiles ?? []).every((row) => String(row.unseen) === '0')).toBe(true);
    },
  );

  it('equal the in-process profiles with more models than the mask holds', async () => {
    const records = randomLogV2(1500, 3).map((record, index) => ({
      ...record,
      model: `model-${index % (MASKED_MODELS + 45)}`,
    }));
    await expectSameProfiles('many-models', records);
    const answered: Record<string, AggregateRow[]> = {};
    await minuteProfilesFromSql(warehouse as CallWarehouse, scopeOf(), DEFAULTS, answered);
    expect(modelKeysOf(answered.models ?? []).length).toBeGreaterThan(MASKED_MODELS);
    expect((answered.profiles ?? []).some((row) => 'unseen' in row)).toBe(false);
  });

  it('equal the in-process profiles on rows of several calls and on hostile ids', async () => {
    await expectSameProfiles('v2', randomLogV2(1500, 3));
    await expectSameProfiles('documents', documentLog(1500, 2));
  });
});
