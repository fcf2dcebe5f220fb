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
  type KeptHour,
  type KeptMinute,
  type MinuteProfile,
  type MinuteProfiles,
  type QuietHours,
  type QuietMinutes,
  quietThresholds,
  sortMinuteProfiles,
} from '@finops/analyzers';
import { type AggregateRow, numberOf, textOf } from '../aggregates/aggregate';
import type { BoundQuery, CallWarehouse, QueryParams } from '../connection';
import { DIMENSION_SQL } from '../groupings';
import type { Scope } from '../scope';

/** The UTC minute of a call, the expression the `minute` dimension groups by (the in-process `minuteOf`). */
const MINUTE_SQL = (DIMENSION_SQL.minute.keys[0] as readonly [string, string])[0];

/**
 * Per customer × minute: calls, cost and input summed over the minute's
 * rows (a row of several calls counts as that many, its sums as they are,
 * as in-process) and the distinct models (provider and name) that had calls.
 */
function perMinuteSql(scope: Scope): string {
  return (
    `SELECT customer_id, ${MINUTE_SQL} AS call_minute, sum(calls) AS minute_calls, ` +
    'sum(cost_micros) AS minute_cost, sum(input_tokens) AS minute_input, ' +
    `uniqExact(provider, model) AS minute_models ${scope.from} GROUP BY customer_id, call_minute`
  );
}

/**
 * Per customer × hour, from its minutes: calls, cost and Σ calls² over the
 * minutes. The hour is ⌊minute / 60⌋ in doubles, as in-process (exact:
 * minutes are integers far below 2⁵³).
 */
function perHourSql(scope: Scope): string {
  return (
    'SELECT customer_id, toInt64(floor(call_minute / 60)) AS call_hour, sum(minute_calls) AS hour_calls, ' +
    'sum(minute_cost) AS hour_cost, sum(minute_calls * minute_calls) AS hour_squares ' +
    `FROM (${perMinuteSql(scope)}) GROUP BY customer_id, call_hour`
  );
}

/** The queries of the profiles: minutes, hours and each customer's distinct models. */
export interface MinuteProfileQueries {
  /** Kept minutes (`kept` 1, keyed by minute) and quiet ones (`kept` 0, keyed by their calls), per customer. */
  minutes: BoundQuery;
  /** Kept hours (keyed by hour) and quiet ones (keyed by hour of day and calls), per customer. */
  hours: BoundQuery;
  /** Distinct models per customer. */
  models: BoundQuery;
}

/**
 * The SQL of the profiles over a scope. The thresholds are bound; in each
 * reduction a kept minute or hour is a group of its own (its key is its
 * time), a quiet one joins the others of its number of calls.
 */
export function minuteProfileQueries(scope: Scope, settings: AbuseConfig): MinuteProfileQueries {
  const below = quietThresholds(settings);
  const params: QueryParams = {
    ...scope.params,
    quiet_minute_below: below.minute,
    quiet_hour_below: below.hour,
  };
  return {
    minutes: {
      sql:
        'SELECT customer_id, minute_calls >= {quiet_minute_below:UInt64} AS kept, ' +
        'if(kept, call_minute, toInt64(minute_calls)) AS minute_key, count() AS minutes, ' +
        'sum(minute_calls) AS calls, sum(minute_cost) AS cost, sum(minute_input) AS input, ' +
        `max(minute_models) AS models FROM (${perMinuteSql(scope)}) GROUP BY customer_id, kept, minute_key`,
      params,
    },
    hours: {
      sql:
        'SELECT customer_id, hour_calls >= {quiet_hour_below:UInt64} AS kept, ' +
        'if(kept, call_hour, ((call_hour % 24) + 24) % 24) AS hour_key, if(kept, 0, hour_calls) AS quiet_calls, ' +
        'count() AS hours, sum(hour_calls) AS calls, sum(hour_cost) AS cost, sum(hour_squares) AS squares ' +
        `FROM (${perHourSql(scope)}) GROUP BY customer_id, kept, hour_key, quiet_calls`,
      params,
    },
    models: {
      sql: `SELECT customer_id, uniqExact(provider, model) AS models ${scope.from} GROUP BY customer_id`,
      params: scope.params,
    },
  };
}

/** The profile of a row's customer, made when first seen. */
function profileOf(profiles: Map<string, MinuteProfile>, row: AggregateRow): MinuteProfile {
  const customer = textOf(row, 'customer_id');
  let profile = profiles.get(customer);
  if (profile === undefined) {
    profile = { customer, models: 0, quietMinutes: [], minutes: [], quietHours: [], hours: [] };
    profiles.set(customer, profile);
  }
  return profile;
}

/** Adds a row of the minutes query to its customer's profile. */
function foldMinute(profile: MinuteProfile, row: AggregateRow): void {
  const calls = numberOf(row, 'calls');
  const costMicros = numberOf(row, 'cost');
  const inputTokens = numberOf(row, 'input');
  const models = numberOf(row, 'models');
  if (numberOf(row, 'kept') === 1) {
    const minute: KeptMinute = {
      minute: numberOf(row, 'minute_key'),
      calls,
      costMicros,
      inputTokens,
      models,
    };
    profile.minutes.push(minute);
  } else {
    const quiet: QuietMinutes = {
      calls: numberOf(row, 'minute_key'),
      minutes: numberOf(row, 'minutes'),
      costMicros,
      inputTokens,
      peakModels: models,
    };
    profile.quietMinutes.push(quiet);
  }
}

/** Adds a row of the hours query to its customer's profile. */
function foldHour(profile: MinuteProfile, row: AggregateRow): void {
  if (numberOf(row, 'kept') === 1) {
    const hour: KeptHour = {
      hour: numberOf(row, 'hour_key'),
      calls: numberOf(row, 'calls'),
      costMicros: numberOf(row, 'cost'),
      squares: numberOf(row, 'squares'),
    };
    profile.hours.push(hour);
  } else {
    const quiet: QuietHours = {
      hourOfDay: numberOf(row, 'hour_key'),
      calls: numberOf(row, 'quiet_calls'),
      hours: numberOf(row, 'hours'),
    };
    profile.quietHours.push(quiet);
  }
}

/** Puts a profile's lists in the order the in-process builder gives them. */
function ordered(profile: MinuteProfile): MinuteProfile {
  profile.quietMinutes.sort((a, b) => a.calls - b.calls);
  profile.minutes.sort((a, b) => a.minute - b.minute);
  profile.quietHours.sort((a, b) => a.hourOfDay - b.hourOfDay || a.calls - b.calls);
  profile.hours.sort((a, b) => a.hour - b.hour);
  return profile;
}

/**
 * Every customer's minute profile over the calls of `scope`, built by the
 * engine: equal to `minuteProfilesOf` over the same calls in-process, with a
 * few rows per customer read instead of a cell per customer × minute × model.
 */
export async function minuteProfilesFromSql(
  warehouse: CallWarehouse,
  scope: Scope,
  settings: AbuseConfig,
): Promise<MinuteProfiles> {
  const queries = minuteProfileQueries(scope, settings);
  const profiles = new Map<string, MinuteProfile>();
  await Promise.all([
    warehouse.eachFlat(queries.models, (row) => {
      profileOf(profiles, row).models = numberOf(row, 'models');
    }),
    warehouse.eachFlat(queries.minutes, (row) => foldMinute(profileOf(profiles, row), row)),
    warehouse.eachFlat(queries.hours, (row) => foldHour(profileOf(profiles, row), row)),
  ]);
  const below = quietThresholds(settings);
  return {
    quietMinuteBelow: below.minute,
    quietHourBelow: below.hour,
    customers: sortMinuteProfiles([...profiles.values()].map(ordered)),
  };
}
