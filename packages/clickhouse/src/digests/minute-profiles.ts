/**
 * The abuse analysis's minute profiles built by the engine: the calls are
 * summed per customer × UTC minute (over models, with the number of models
 * that had calls) and then, still in SQL, reduced to what the flags read —
 * the minutes with too few calls for any flag counted by their number of
 * calls, the others one by one, and the hours likewise — so that a few rows
 * per customer come back instead of about one per call.
 */
import {
  type AbuseConfig,
  type AnalysisConfig,
  MINUTE_PROFILES_DIGEST,
  type MinuteProfile,
  type MinuteProfiles,
  quietThresholds,
  resolveConfig,
  sortMinuteProfiles,
} from '@finops/analyzers';
import { type AggregateRow, flagOf, numberOf, textOf } from '../aggregates/aggregate';
import type { BoundQuery, CallWarehouse } from '../connection';
import { DIMENSION_SQL } from '../groupings';
import type { Scope } from '../scope';
import { answerQueries, type DigestAnswers, type DigestSupplier, type Naming } from './supplier';

/** The UTC minute of a call, the expression the `minute` dimension groups by (the in-process `minuteOf`). */
const MINUTE_SQL = (DIMENSION_SQL.minute.keys[0] as readonly [string, string])[0];

// How the profiles name a customer and tell models apart (see `ProfileForm`): by a 64-bit hash of the
// customer id (`customer_key`) and of the model's provider and name (a distinct count of numbers, or bits of
// a mask, instead of pairs of strings), or by the ids. The hashed and masked answers are used only when the
// `models` query shows that no two customers share a key and no two models of a customer share a hash (see
// `collides`).

/**
 * A model's 64-bit key: its provider's and its name's hashes combined. Each
 * column is low-cardinality, so the engine hashes its dictionary of a few
 * distinct values instead of every row; hashing the pair per row took about
 * a fifth of the customer-minute grouping at ten million calls. Two models of
 * a customer of one key are found exactly by the `models` query (see
 * `collides`).
 */
const MODEL_KEY_SQL = 'cityHash64(provider) * 3 + cityHash64(model)';

/**
 * A form of the profiles query: how it names customers and counts a
 * minute's distinct models. `hashed`: customers by key, models by their
 * keys counted distinct (`uniqExact`, a set per minute); `masked`: customers
 * by key, models as the bits of a mask ({@link maskedModelsSql}); `ids`: by
 * the ids themselves.
 */
export type ProfileForm = Naming | 'masked';

/**
 * The widths of the masks (in bits) of the masked form: the narrowest that
 * holds a bit for each model key of the scope and one more, the highest,
 * for a model the `models` query did not see. A narrower mask is cheaper to
 * or over ten million rows: at ten million calls of 75 models, the profiles
 * query took 3.0–3.8 s with 128-bit masks against 3.3–4.4 s with 256-bit
 * ones (five runs each, alternating, rows read as JSON).
 */
const MASK_WIDTHS = [64, 128, 256] as const;

/** A width of {@link MASK_WIDTHS}. */
type MaskWidth = (typeof MASK_WIDTHS)[number];

/** The most models the masked form counts: one bit fewer than the widest mask. */
export const MASKED_MODELS = 255;

/** The narrowest mask width of {@link MASK_WIDTHS} with a bit for each of `models` keys and the unseen bit. */
export function maskWidthFor(models: number): MaskWidth {
  return MASK_WIDTHS.find((width) => models < width) ?? 256;
}

/**
 * A minute's models as a mask of `width` bits: the bit of each model's key
 * among the keys bound (`model_keys`, each at its place in `model_bits`),
 * or-ed over the minute's rows; a model whose key is not among those bound
 * (rows loaded after the `models` query) sets the highest bit, so a mask
 * holds one when it is at least 2^(width − 1) (the engine tests no single
 * bit of a 256-bit number). A number per minute instead of a set: over about a
 * key per call (customer-minutes of one or two calls), the grouping took
 * 0.86–0.92 s instead of 1.0–1.2 s at ten million calls. The mask's bits are
 * the distinct models, as exactly as the keys are (see {@link MODEL_KEY_SQL}).
 */
function maskedModelsSql(width: MaskWidth): string {
  return `groupBitOr(bitShiftLeft(toUInt${width}(1), transform(${MODEL_KEY_SQL}, {model_keys:Array(UInt64)}, {model_bits:Array(UInt8)}, toUInt8(${width - 1}))))`;
}

/** The column a form's rows name their customer by. */
function customerColumn(form: ProfileForm): string {
  return form === 'ids' ? 'customer_id' : 'customer_key';
}

/**
 * A minute's distinct models in a form (`minute_models`), and in the masked
 * form (masks of `width` bits) the mask and whether it has an unseen model.
 */
function minuteModelsSql(form: ProfileForm, width: MaskWidth): string {
  if (form === 'ids') return 'uniqExact(provider, model) AS minute_models';
  if (form === 'hashed') return `uniqExact(${MODEL_KEY_SQL}) AS minute_models`;
  return `${maskedModelsSql(width)} AS minute_mask, bitCount(minute_mask) AS minute_models, minute_mask >= bitShiftLeft(toUInt${width}(1), ${width - 1}) AS minute_unseen`;
}

/**
 * Per customer × minute: calls, cost and input summed over the minute's
 * rows (a row of several calls counts as that many, its sums as they are,
 * as in-process) and the distinct models (provider and name) that had calls.
 */
function perMinuteSql(scope: Scope, form: ProfileForm, width: MaskWidth): string {
  const customer = form === 'ids' ? 'customer_id' : 'cityHash64(customer_id) AS customer_key';
  return (
    `SELECT ${customer}, ${MINUTE_SQL} AS call_minute, sum(calls) AS minute_calls, ` +
    'sum(cost_micros) AS minute_cost, sum(input_tokens) AS minute_input, ' +
    `${minuteModelsSql(form, width)} ${scope.from} GROUP BY ${customerColumn(form)}, call_minute`
  );
}

/**
 * What a row of the profiles query is, by its `part`: quiet minutes of one
 * number of calls, a kept minute, quiet hours of one number of calls, the
 * calls of the quiet hours at one hour of day, a kept hour.
 */
export const PROFILE_PARTS = {
  quietMinutes: 0,
  minute: 1,
  quietHours: 2,
  quietHourCalls: 3,
  hour: 4,
} as const;

/**
 * Each minute twice over (`ARRAY JOIN [0, 1]`): as a minute, in the group
 * of its number of calls when quiet, a group of its own when kept; and as a
 * part of its hour (part 4 for now, keyed by the hour, ⌊minute / 60⌋ in
 * doubles as in-process: exact, minutes being integers far below 2⁵³).
 * One grouping of the minutes serves both. The part and its key are grouped
 * as one number, `key × 8 + part` (`first_packed`): with the customer's
 * key that is two 64-bit numbers, which the engine groups about twice as
 * fast as three keys. It is exact: a key is a number of calls below the
 * quiet threshold, a minute or an hour since 1970, all far inside ±2⁶⁰, so
 * the product never overflows, and the part and key are read back from it
 * (the part as the product's remainder by 8 made positive, the key as the
 * exact quotient).
 */
function minutesAndHoursSql(scope: Scope, form: ProfileForm, width: MaskWidth): string {
  const kept = 'minute_calls >= {quiet_minute_below:UInt64}';
  const customer = customerColumn(form);
  const { quietMinutes, minute, hour } = PROFILE_PARTS;
  return (
    `SELECT ${customer}, multiIf(view = 1, toInt64(floor(call_minute / 60)) * 8 + ${hour}, ` +
    `${kept}, call_minute * 8 + ${minute}, toInt64(minute_calls) * 8 + ${quietMinutes}) AS first_packed, ` +
    '((first_packed % 8) + 8) % 8 AS first_part, intDiv(first_packed - first_part, 8) AS first_key, ' +
    'count() AS periods, sum(minute_calls) AS part_calls, sum(minute_cost) AS part_cost, ' +
    'sum(minute_input) AS part_input, max(minute_models) AS part_models, ' +
    'sum(minute_calls * minute_calls) AS part_squares ' +
    (form === 'masked' ? ', max(minute_unseen) AS part_unseen ' : '') +
    `FROM (${perMinuteSql(scope, form, width)}) ARRAY JOIN [0, 1] AS view GROUP BY ${customer}, first_packed`
  );
}

/**
 * The profiles' rows: the minutes' rows as they are, each hour kept
 * (part 4) or, when quiet, counted twice over — by its number of calls
 * (part 2) and its calls by hour of day (part 3). The thresholds are bound.
 */
function profilesSql(scope: Scope, form: ProfileForm, width: MaskWidth): string {
  const { quietHours, quietHourCalls, hour } = PROFILE_PARTS;
  const customer = customerColumn(form);
  const parts = `if(first_part < ${hour}, [first_part], if(part_calls >= {quiet_hour_below:UInt64}, [${hour}], [${quietHours}, ${quietHourCalls}]))`;
  return (
    `SELECT ${customer}, part, multiIf(part = ${quietHours}, toInt64(part_calls), part = ${quietHourCalls}, ` +
    '((first_key % 24) + 24) % 24, first_key) AS key, ' +
    `sum(if(first_part < ${hour}, periods, 1)) AS periods, sum(part_calls) AS calls, sum(part_cost) AS cost, ` +
    'sum(part_input) AS input, max(part_models) AS models, sum(part_squares) AS squares ' +
    (form === 'masked' ? ', max(part_unseen) AS unseen ' : '') +
    `FROM (${minutesAndHoursSql(scope, form, width)}) ARRAY JOIN ${parts} AS part GROUP BY ${customer}, part, key`
  );
}

/** The columns of a part's rows that {@link gatheredProfilesSql} gathers into lists, by their names in its answer. */
const GATHERED_COLUMNS = {
  key_list: 'key',
  periods_list: 'periods',
  calls_list: 'calls',
  cost_list: 'cost',
  input_list: 'input',
  models_list: 'models',
  squares_list: 'squares',
} as const;

/**
 * The rows of {@link profilesSql} gathered per customer and part: a row
 * each with the rows' figures as lists of numbers (`key_list`, …, in the
 * same order), the customer as text and, masked, whether any row had an
 * unseen model. Sent with 64-bit integers as JSON numbers
 * ({@link GATHERED_SETTINGS}), since every figure is read as a number: at ten
 * million calls the profiles are about 320,000 rows (one per busy hour),
 * which as rows of text to copy and convert cost about 0.8 s of processor
 * time beside the engine's; a few thousand rows of lists are parsed
 * in one step each.
 */
function gatheredProfilesSql(scope: Scope, form: ProfileForm, width: MaskWidth): string {
  const customer = customerColumn(form);
  const lists = Object.entries(GATHERED_COLUMNS)
    .map(([list, column]) => `groupArray(${column}) AS ${list}`)
    .join(', ');
  return (
    `SELECT toString(${customer}) AS ${customer}, part, ${lists}` +
    (form === 'masked' ? ', max(unseen) AS unseen' : '') +
    ` FROM (${profilesSql(scope, form, width)}) GROUP BY ${customer}, part`
  );
}

/**
 * The settings of the gathered profiles ({@link gatheredProfilesSql}):
 * 64-bit integers as JSON numbers, read as the same doubles as from their
 * text (`Number`); the customer's key, a 64-bit hash, is text.
 */
const GATHERED_SETTINGS = { output_format_json_quote_64bit_integers: 0 };

/** The queries of the profiles: their rows, and each customer's distinct models. */
export interface MinuteProfileQueries {
  /**
   * A row per customer (by `customer_key`) and {@link PROFILE_PARTS part},
   * with lists of its figures, each keyed by a number of calls, an hour of
   * day, a minute or an hour (`key_list`).
   */
  profiles: BoundQuery;
  /**
   * Per customer: its id, its key, its distinct models (`models`), the
   * distinct hashes of them (`model_keys`) and those hashes
   * (`model_key_list`).
   */
  models: BoundQuery;
}

/**
 * The profiles query of a form, with the quiet thresholds of `settings`
 * bound, and in the masked form the model keys (`modelKeys`) with their
 * bits.
 */
function boundProfiles(
  scope: Scope,
  settings: AbuseConfig,
  form: ProfileForm,
  modelKeys: readonly bigint[] = [],
): BoundQuery {
  const below = quietThresholds(settings);
  const masks =
    form === 'masked' ? { model_keys: [...modelKeys], model_bits: modelKeys.map((_, bit) => bit) } : {};
  return {
    sql: gatheredProfilesSql(scope, form, maskWidthFor(modelKeys.length)),
    params: { ...scope.params, quiet_minute_below: below.minute, quiet_hour_below: below.hour, ...masks },
    settings: GATHERED_SETTINGS,
  };
}

/** The form the profiles are first asked in, given the scope's model keys: masked when they fit the mask. */
export function profileFormFor(modelKeys: readonly bigint[]): ProfileForm {
  return modelKeys.length > 0 && modelKeys.length <= MASKED_MODELS ? 'masked' : 'hashed';
}

/**
 * The projection the `models` query is answered from over a whole table:
 * the customer × model pairs, a few thousand rows instead of a read of
 * three columns of every call.
 */
const CUSTOMER_MODELS_PROJECTION =
  'SELECT customer_id, provider, model, count() GROUP BY customer_id, provider, model';

/** The `models` query: per customer, its distinct models, their distinct keys and the keys. */
function modelsQuery(scope: Scope): BoundQuery {
  // The customer × model pairs first (a few thousand groups, the models' keys read as they are stored,
  // answered from CUSTOMER_MODELS_PROJECTION over a whole table), then counted per customer: about half the
  // work of counting distinct pairs over every call.
  return {
    sql:
      'SELECT customer_id, cityHash64(customer_id) AS customer_key, count() AS models, ' +
      `uniqExact(${MODEL_KEY_SQL}) AS model_keys, groupUniqArray(${MODEL_KEY_SQL}) AS model_key_list ` +
      `FROM (SELECT customer_id, provider, model ${scope.from} GROUP BY customer_id, provider, model) GROUP BY customer_id`,
    params: scope.params,
  };
}

/**
 * The SQL of the profiles over a scope, with the quiet thresholds of
 * `settings` bound: the `models` query, and the profiles in the form
 * {@link profileFormFor} gives for `modelKeys` (the scope's model keys, which
 * the `models` query answers; hashed without them).
 */
export function minuteProfileQueries(
  scope: Scope,
  settings: AbuseConfig,
  modelKeys: readonly bigint[] = [],
): MinuteProfileQueries {
  return {
    profiles: boundProfiles(scope, settings, profileFormFor(modelKeys), modelKeys),
    models: modelsQuery(scope),
  };
}

/**
 * Whether the hashed profiles may merge what the ids keep apart: two
 * customers of one key, or a customer whose models are more than their
 * hashes (two of its models of one hash). The `models` query groups by the
 * ids themselves, so this is known exactly, not by chance.
 */
function collides(models: readonly AggregateRow[]): boolean {
  const keys = new Set(models.map((row) => textOf(row, 'customer_key')));
  return (
    keys.size < models.length || models.some((row) => numberOf(row, 'models') !== numberOf(row, 'model_keys'))
  );
}

/** The distinct model keys of the `models` answer, over all its customers, in ascending order. */
export function modelKeysOf(models: readonly AggregateRow[]): bigint[] {
  const keys = new Set<bigint>();
  for (const row of models)
    for (const key of Array.isArray(row.model_key_list) ? row.model_key_list : [])
      keys.add(BigInt(String(key)));
  return [...keys].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
}

/** Whether a masked answer counted a model the `models` query had not seen (rows loaded in between). */
function sawUnseenModel(profiles: readonly AggregateRow[]): boolean {
  return profiles.some((row) => flagOf(row, 'unseen') === true);
}

/** Whether an answer keyed by customer keys has a customer the `models` answer does not name (rows loaded in between). */
function hasUnnamedCustomer(profiles: readonly AggregateRow[], models: readonly AggregateRow[]): boolean {
  const named = new Set(models.map((row) => textOf(row, 'customer_key')));
  return profiles.some((row) => !named.has(textOf(row, 'customer_key')));
}

/**
 * The queries, round by round: the `models` query first; then the profiles
 * by ids when the hashed ones may merge two customers or two models (never,
 * in practice: a 64-bit hash of a few thousand ids), else the profiles in
 * the form {@link profileFormFor} gives; when a masked answer saw a model
 * the `models` answer did not have, the hashed profiles
 * (`profilesDistinct`), which count every model whatever it is; and when an
 * answer keyed by customer keys has a customer the `models` answer does not
 * name, the profiles by ids and the `models` query again (`modelsAgain`).
 * The last two happen only on a server that loads rows between the queries.
 */
function profileQueries(
  scope: Scope,
  settings: AbuseConfig,
  answers: DigestAnswers,
): Record<string, BoundQuery> {
  const { models, profiles, profilesDistinct } = answers;
  if (models === undefined) return { models: modelsQuery(scope) };
  const profilesByIds = boundProfiles(scope, settings, 'ids');
  if (collides(models)) return { profilesByIds };
  if (profiles === undefined) {
    const keys = modelKeysOf(models);
    return { profiles: boundProfiles(scope, settings, profileFormFor(keys), keys) };
  }
  if (hasUnnamedCustomer(profilesDistinct ?? profiles, models))
    return { profilesByIds, modelsAgain: modelsQuery(scope) };
  if (profilesDistinct === undefined && sawUnseenModel(profiles))
    return { profilesDistinct: boundProfiles(scope, settings, 'hashed') };
  return {};
}

/** The profile of a customer, made when first seen. */
function profileOf(profiles: Map<string, MinuteProfile>, customer: string): MinuteProfile {
  let profile = profiles.get(customer);
  if (profile === undefined) {
    profile = {
      customer,
      models: 0,
      quietMinutes: [],
      minutes: [],
      quietHours: [],
      quietHourCalls: new Array<number>(24).fill(0),
      hours: [],
    };
    profiles.set(customer, profile);
  }
  return profile;
}

/** A list of numbers of a gathered row ({@link gatheredProfilesSql}). */
function listOf(row: AggregateRow, column: keyof typeof GATHERED_COLUMNS): number[] {
  const list = row[column];
  return Array.isArray(list) ? list.map(Number) : [];
}

/**
 * Adds a gathered row of the profiles query (one part of a customer's) to
 * its customer's profile: the part decided once per row, and only the lists
 * it reads converted.
 */
function foldGathered(profile: MinuteProfile, row: AggregateRow): void {
  const keys = listOf(row, 'key_list');
  const list = (column: keyof typeof GATHERED_COLUMNS) => {
    const values = listOf(row, column);
    return (index: number) => values[index] as number;
  };
  switch (numberOf(row, 'part')) {
    case PROFILE_PARTS.quietMinutes: {
      const [minutes, cost, input, models] = [
        list('periods_list'),
        list('cost_list'),
        list('input_list'),
        list('models_list'),
      ];
      keys.forEach((calls, at) =>
        profile.quietMinutes.push({
          calls,
          minutes: minutes(at),
          costMicros: cost(at),
          inputTokens: input(at),
          peakModels: models(at),
        }),
      );
      break;
    }
    case PROFILE_PARTS.minute: {
      const [calls, cost, input, models] = [
        list('calls_list'),
        list('cost_list'),
        list('input_list'),
        list('models_list'),
      ];
      keys.forEach((minute, at) =>
        profile.minutes.push({
          minute,
          calls: calls(at),
          costMicros: cost(at),
          inputTokens: input(at),
          models: models(at),
        }),
      );
      break;
    }
    case PROFILE_PARTS.quietHours: {
      const hours = list('periods_list');
      keys.forEach((calls, at) => profile.quietHours.push({ calls, hours: hours(at) }));
      break;
    }
    case PROFILE_PARTS.quietHourCalls: {
      const calls = list('calls_list');
      keys.forEach((hourOfDay, at) => (profile.quietHourCalls[hourOfDay] = calls(at)));
      break;
    }
    default: {
      const [calls, cost, squares] = [list('calls_list'), list('cost_list'), list('squares_list')];
      keys.forEach((hour, at) =>
        profile.hours.push({ hour, calls: calls(at), costMicros: cost(at), squares: squares(at) }),
      );
    }
  }
}

/** Puts a profile's lists in the order the in-process builder gives them. */
function ordered(profile: MinuteProfile): MinuteProfile {
  profile.quietMinutes.sort((a, b) => a.calls - b.calls);
  profile.minutes.sort((a, b) => a.minute - b.minute);
  profile.quietHours.sort((a, b) => a.calls - b.calls);
  profile.hours.sort((a, b) => a.hour - b.hour);
  return profile;
}

/**
 * The profiles from the answers of {@link profileQueries} (the profiles by
 * ids when asked for, else the hashed ones when asked for after a masked
 * answer, else the first ones, named through `models`; the customers' models
 * from `modelsAgain` when asked for), in the order the in-process builder
 * gives them.
 */
function profilesOf(answers: DigestAnswers, settings: AbuseConfig): MinuteProfiles {
  const profiles = new Map<string, MinuteProfile>();
  const names = new Map<string, string>();
  for (const row of answers.modelsAgain ?? answers.models ?? []) {
    const customer = textOf(row, 'customer_id');
    names.set(textOf(row, 'customer_key'), customer);
    profileOf(profiles, customer).models = numberOf(row, 'models');
  }
  const byIds = answers.profilesByIds;
  const customerOf = (row: AggregateRow): string =>
    byIds === undefined ? (names.get(textOf(row, 'customer_key')) ?? '') : textOf(row, 'customer_id');
  for (const row of byIds ?? answers.profilesDistinct ?? answers.profiles ?? [])
    foldGathered(profileOf(profiles, customerOf(row)), row);
  const below = quietThresholds(settings);
  return {
    quietMinuteBelow: below.minute,
    quietHourBelow: below.hour,
    customers: sortMinuteProfiles([...profiles.values()].map(ordered)),
  };
}

/**
 * The abuse analysis's {@link MINUTE_PROFILES_DIGEST} built by the engine:
 * a few rows per customer instead of a cell per customer × minute × model.
 */
export const minuteProfiles: DigestSupplier<MinuteProfiles> = {
  digest: MINUTE_PROFILES_DIGEST,
  queries: (scope: Scope, config: AnalysisConfig, answers: DigestAnswers) =>
    profileQueries(scope, config.abuse, answers),
  value: (answers: DigestAnswers, config: AnalysisConfig) => profilesOf(answers, config.abuse),
  projections: { models: CUSTOMER_MODELS_PROJECTION },
};

/**
 * Every customer's minute profile over the calls of `scope`, built by the
 * engine: equal to `minuteProfilesOf` over the same calls in-process, with a
 * few rows per customer read instead of a cell per customer × minute × model.
 * `answered` (filled here) receives the rows of each query sent, by name.
 */
export async function minuteProfilesFromSql(
  warehouse: CallWarehouse,
  scope: Scope,
  settings: AbuseConfig,
  answered: Record<string, AggregateRow[]> = {},
): Promise<MinuteProfiles> {
  // The settings as given (the queries read only the abuse settings), not validated again.
  const config: AnalysisConfig = { ...resolveConfig({}), abuse: settings };
  await answerQueries(warehouse, minuteProfiles, scope, config, answered);
  return profilesOf(answered, settings);
}
