/**
 * A customer's minutes and hours as the abuse analysis's minute-level flags
 * read them, kept small: the minutes and hours with too few calls for any
 * flag are counted by their number of calls instead of kept one by one.
 * Every minute-level figure of the analysis comes out of a profile exactly
 * as it would out of every minute; a SQL engine can build the same profile
 * without sending a row per minute.
 */
import { ColumnBlock } from '../../columns';
import { byKey } from '../../context';
import { defineDigest } from '../../digest';
import type { AggregateReader, GroupingReader } from '../../store/reader';
import { ABUSE_MINUTE_MODEL } from '../../store/builtin-groupings';
import { nearestRanks } from '../../shared/medians';
import type { AbuseConfig } from './settings';

/** The minutes of a customer with one same number of calls, too few for any minute flag: how many, and their sums. */
export interface QuietMinutes {
  /** The calls of each of these minutes (under {@link MinuteProfiles.quietMinuteBelow}). */
  calls: number;
  /** How many such minutes. */
  minutes: number;
  /** Their cost (integer micro-dollars) and input tokens, summed. */
  costMicros: number;
  inputTokens: number;
  /** The most distinct models one of them used. */
  peakModels: number;
}

/** A minute with enough calls to be flagged, with its own figures (summed over its models). */
export interface KeptMinute {
  /** Whole UTC minutes since 1970-01-01. */
  minute: number;
  calls: number;
  costMicros: number;
  inputTokens: number;
  /** Distinct models with calls in the minute. */
  models: number;
}

/** The hours of a customer with one same number of calls, too few for any hour flag: how many. */
export interface QuietHours {
  /** The calls of each of these hours (under {@link MinuteProfiles.quietHourBelow}). */
  calls: number;
  /** How many such hours. */
  hours: number;
}

/** An hour with enough calls to be flagged, with its own figures. */
export interface KeptHour {
  /** Whole UTC hours since 1970-01-01. */
  hour: number;
  calls: number;
  costMicros: number;
  /** Σ calls² over the hour's minutes (for the dispersion of its per-minute calls). */
  squares: number;
}

/** One customer's minutes and hours, as the minute-level flags read them. */
export interface MinuteProfile {
  customer: string;
  /** Distinct models the customer used over the window. */
  models: number;
  /** Its minutes under the quiet threshold, by number of calls ascending. */
  quietMinutes: QuietMinutes[];
  /** Its other minutes, one by one, in time order. */
  minutes: KeptMinute[];
  /** Its hours under the quiet threshold, by number of calls ascending. */
  quietHours: QuietHours[];
  /** The calls of those hours by UTC hour of day (24 entries, 0:00 first). */
  quietHourCalls: number[];
  /** Its other hours, one by one, in time order. */
  hours: KeptHour[];
}

/** Every customer's {@link MinuteProfile}: what the abuse analysis's minute-level flags read. */
export interface MinuteProfiles {
  /** Minutes with fewer calls are {@link QuietMinutes}. */
  quietMinuteBelow: number;
  /** Hours with fewer calls are {@link QuietHours}. */
  quietHourBelow: number;
  /** One profile per customer with calls, by customer name (code-unit order). */
  customers: MinuteProfile[];
}

/**
 * The least number of calls a minute needs to be flagged in any way, and
 * the same for an hour; minutes and hours under them are kept as counts.
 *
 * A burst minute has at least `minuteBurstMinCalls` calls (its threshold is
 * the greater of that and a multiple ≥ 1 of the median); a batch minute at
 * least `batchMinCalls` (the minutes under it enter the customer's usual
 * input only through their sums); a hopping minute uses at least
 * `hoppingMinModels` models, each with at least one call (a row stands for
 * a whole number of calls, at least one), so it has at least that many
 * calls. Of the other figures of a minute, the median and the peak need
 * only its number of calls, the hours its calls and cost, and the peak of
 * models its models. The settings' rules make each of the three an integer
 * of at least 1 (2 for the last two), so the threshold is one too, and at
 * 1 no minute is quiet. Likewise a burst hour has at least
 * `hourBurstMinCalls` calls and a machine-regular one at least
 * `regularMinCalls`; any other hour counts towards the median, the peak and
 * the irregular calls of its hour of day only.
 */
export function quietThresholds(settings: AbuseConfig): { minute: number; hour: number } {
  return {
    minute: Math.min(settings.minuteBurstMinCalls, settings.batchMinCalls, settings.hoppingMinModels),
    hour: Math.min(settings.hourBurstMinCalls, settings.regularMinCalls),
  };
}

/** The UTC hour of day of a whole hour since the epoch (any sign). */
export function hourOfDayOf(hour: number): number {
  return ((hour % 24) + 24) % 24;
}

/**
 * One customer's minutes, summed over models, in time order: a cell per
 * minute. One block serves every customer in turn (cleared between them)
 * and doubles when full, so that the finish allocates per kept minute and
 * hour, not per minute of the window.
 */
const MINUTE_FIGURES = ['minute', 'calls', 'cost', 'input', 'models'] as const;
type MinuteBlock = ColumnBlock<(typeof MINUTE_FIGURES)[number]>;

/** A customer's hours from its minutes, in time order, as {@link MinuteBlock}; `squares`: Σ calls² over the hour's minutes. */
const HOUR_FIGURES = ['hour', 'calls', 'cost', 'squares'] as const;
type HourBlock = ColumnBlock<(typeof HOUR_FIGURES)[number]>;

/**
 * The order to read a grouping's cells in: by customer, then minute (the
 * read interface's key order, checked rather than trusted); `undefined`
 * when the cells are in that order already, as they are from the store.
 */
function cellOrder(
  customers: readonly number[],
  minutes: readonly number[],
  size: number,
): Int32Array | undefined {
  for (let cell = 1; cell < size; cell++) {
    const customer = customers[cell] as number;
    const before = customers[cell - 1] as number;
    if (
      customer < before ||
      (customer === before && (minutes[cell] as number) < (minutes[cell - 1] as number))
    ) {
      const order = Array.from({ length: size }, (_, index) => index);
      order.sort(
        (a, b) =>
          (customers[a] as number) - (customers[b] as number) ||
          (minutes[a] as number) - (minutes[b] as number),
      );
      return Int32Array.from(order);
    }
  }
  return undefined;
}

/** Calls each customer makes per busy minute, summed over models, handed customer by customer to `visit`. */
function forEachCustomerMinutes(
  table: GroupingReader,
  visit: (customer: number, run: MinuteBlock) => void,
): void {
  const customers = table.keys('customer');
  const minutes = table.keys('minute');
  const calls = table.measure('calls');
  const cost = table.measure('cost');
  const input = table.measure('inputTokens');
  // The size once: a grouping may settle its cells each time it is asked.
  const size = table.size;
  const run = new ColumnBlock(MINUTE_FIGURES);
  const { width, index } = run;
  let current = -1;
  const flush = (): void => {
    if (current >= 0 && run.size > 0) visit(current, run);
    run.clear();
  };
  const order = cellOrder(customers, minutes, size);
  for (let position = 0; position < size; position++) {
    const cell = order === undefined ? position : (order[position] as number);
    const customer = customers[cell] as number;
    const minute = minutes[cell] as number;
    if (customer !== current) {
      flush();
      current = customer;
    }
    let at = (run.size - 1) * width;
    if (at < 0 || run.data[at + index.minute] !== minute) {
      at = run.append();
      run.data[at + index.minute] = minute;
    }
    const data = run.data;
    const cellCalls = calls[cell] as number;
    data[at + index.calls] = (data[at + index.calls] as number) + cellCalls;
    data[at + index.cost] = (data[at + index.cost] as number) + (cost[cell] as number);
    data[at + index.input] = (data[at + index.input] as number) + (input[cell] as number);
    if (cellCalls > 0) data[at + index.models] = (data[at + index.models] as number) + 1;
  }
  flush();
}

/** A customer's minutes under `below` calls counted by their calls, the others kept one by one. */
function splitMinutes(run: MinuteBlock, below: number): Pick<MinuteProfile, 'quietMinutes' | 'minutes'> {
  const quiet = new Map<number, QuietMinutes>();
  const minutes: KeptMinute[] = [];
  const { data, width, index } = run;
  for (let at = 0; at < run.size * width; at += width) {
    const calls = data[at + index.calls] as number;
    const costMicros = data[at + index.cost] as number;
    const inputTokens = data[at + index.input] as number;
    const models = data[at + index.models] as number;
    if (calls >= below) {
      minutes.push({ minute: data[at + index.minute] as number, calls, costMicros, inputTokens, models });
      continue;
    }
    const entry = quiet.get(calls);
    if (entry === undefined)
      quiet.set(calls, { calls, minutes: 1, costMicros, inputTokens, peakModels: models });
    else {
      entry.minutes++;
      entry.costMicros += costMicros;
      entry.inputTokens += inputTokens;
      entry.peakModels = Math.max(entry.peakModels, models);
    }
  }
  return { quietMinutes: [...quiet.values()].sort((a, b) => a.calls - b.calls), minutes };
}

/** Fills `hours` (cleared first) with a customer's hours from its minutes, each with its calls, cost and Σ calls². */
function hoursOf(run: MinuteBlock, hours: HourBlock): void {
  hours.clear();
  const { data, width, index } = run;
  const to = hours.index;
  let at = -1;
  for (let from = 0; from < run.size * width; from += width) {
    const hour = Math.floor((data[from + index.minute] as number) / 60);
    const calls = data[from + index.calls] as number;
    if (at < 0 || hours.data[at + to.hour] !== hour) {
      at = hours.append();
      hours.data[at + to.hour] = hour;
    }
    const sums = hours.data;
    sums[at + to.calls] = (sums[at + to.calls] as number) + calls;
    sums[at + to.cost] = (sums[at + to.cost] as number) + (data[from + index.cost] as number);
    sums[at + to.squares] = (sums[at + to.squares] as number) + calls * calls;
  }
}

/** A customer's hours under `below` calls counted by their calls and summed by hour of day, the others kept. */
function splitHours(
  run: MinuteBlock,
  below: number,
  hours: HourBlock,
): Pick<MinuteProfile, 'quietHours' | 'quietHourCalls' | 'hours'> {
  hoursOf(run, hours);
  const quiet = new Map<number, QuietHours>();
  const quietHourCalls = new Array<number>(24).fill(0);
  const kept: KeptHour[] = [];
  const { data, width, index } = hours;
  for (let at = 0; at < hours.size * width; at += width) {
    const hour = data[at + index.hour] as number;
    const calls = data[at + index.calls] as number;
    if (calls >= below) {
      kept.push({
        hour,
        calls,
        costMicros: data[at + index.cost] as number,
        squares: data[at + index.squares] as number,
      });
      continue;
    }
    const entry = quiet.get(calls);
    if (entry === undefined) quiet.set(calls, { calls, hours: 1 });
    else entry.hours++;
    const hourOfDay = hourOfDayOf(hour);
    quietHourCalls[hourOfDay] = (quietHourCalls[hourOfDay] as number) + calls;
  }
  return {
    quietHours: [...quiet.values()].sort((a, b) => a.calls - b.calls),
    quietHourCalls,
    hours: kept,
  };
}

/**
 * The number of distinct models each customer's cells name, by customer id:
 * a model is counted when its last mark is another customer's, over the
 * cells in customer order (a set per customer cost a lookup per cell).
 */
function distinctModelsOf(table: GroupingReader, customerCount: number, modelCount: number): Int32Array {
  const customers = table.keys('customer');
  const models = table.keys('model');
  const size = table.size;
  const counts = new Int32Array(customerCount);
  let sorted = true;
  for (let cell = 1; cell < size && sorted; cell++)
    sorted = (customers[cell] as number) >= (customers[cell - 1] as number);
  const order = sorted
    ? undefined
    : Array.from({ length: size }, (_, index) => index).sort(
        (a, b) => (customers[a] as number) - (customers[b] as number),
      );
  const markedBy = new Int32Array(modelCount).fill(-1);
  for (let position = 0; position < size; position++) {
    const cell = order === undefined ? position : (order[position] as number);
    const customer = customers[cell] as number;
    const model = models[cell] as number;
    if (markedBy[model] !== customer) {
      markedBy[model] = customer;
      counts[customer] = (counts[customer] as number) + 1;
    }
  }
  return counts;
}

/** Sorts profiles by customer name, the order every builder returns them in. */
export function sortMinuteProfiles(profiles: MinuteProfile[]): MinuteProfile[] {
  return profiles.sort((a, b) => byKey(a.customer, b.customer));
}

/**
 * Every customer's {@link MinuteProfile}, from the cells of
 * {@link ABUSE_MINUTE_MODEL} (customer × minute × model) the store filled.
 *
 * @throws FinopsError `grouping_not_filled` when the grouping was not declared.
 */
export function minuteProfilesOf(aggregates: AggregateReader, settings: AbuseConfig): MinuteProfiles {
  const names = aggregates.values('customer');
  const table = aggregates.grouping(ABUSE_MINUTE_MODEL.name);
  const models = distinctModelsOf(table, names.length, aggregates.values('model').length);
  const below = quietThresholds(settings);
  const customers: MinuteProfile[] = [];
  const hours = new ColumnBlock(HOUR_FIGURES);
  forEachCustomerMinutes(table, (customer, run) =>
    customers.push({
      customer: names[customer] as string,
      models: models[customer] as number,
      ...splitMinutes(run, below.minute),
      ...splitHours(run, below.hour, hours),
    }),
  );
  return {
    quietMinuteBelow: below.minute,
    quietHourBelow: below.hour,
    customers: sortMinuteProfiles(customers),
  };
}

/**
 * A customer's busy periods (minutes or hours) as a burst reads them: how
 * many, their lower median and peak of calls, and those that can be a burst
 * one by one (the others are counted by their calls in a profile).
 */
export interface Periods {
  count: number;
  median: number;
  peak: number;
  kept: readonly { calls: number; costMicros: number }[];
}

/**
 * The lower median of periods' calls: `counted` (calls → how many periods,
 * each fewer calls than any of `kept`) walked up from the fewest, then the
 * kept periods' calls — the value a sort of every period's calls puts at
 * rank ⌈n / 2⌉, as `lowerMedian` finds it.
 */
function countedLowerMedian(counted: ReadonlyMap<number, number>, kept: readonly number[]): number {
  let countedPeriods = 0;
  for (const periods of counted.values()) countedPeriods += periods;
  let rank = Math.ceil((countedPeriods + kept.length) / 2);
  for (const calls of [...counted.keys()].sort((a, b) => a - b)) {
    const periods = counted.get(calls) as number;
    if (rank <= periods) return calls;
    rank -= periods;
  }
  return kept.length === 0 ? 0 : lowerMedianAtRank(kept, rank);
}

/** The value of nearest rank `rank` (1-based) of `values`. */
function lowerMedianAtRank(values: readonly number[], rank: number): number {
  return nearestRanks(Float64Array.from(values), [rank])[0] as number;
}

/** Periods of `counted` (calls → how many) and of `kept`, as {@link Periods}. */
function periodsOf(
  counted: ReadonlyMap<number, number>,
  kept: readonly { calls: number; costMicros: number }[],
): Periods {
  let count = kept.length;
  let peak = 0;
  for (const [calls, periods] of counted) {
    count += periods;
    peak = Math.max(peak, calls);
  }
  for (const period of kept) peak = Math.max(peak, period.calls);
  const median = countedLowerMedian(
    counted,
    kept.map((period) => period.calls),
  );
  return { count, median, peak, kept };
}

/** A customer's minutes as {@link Periods}. */
export function minutePeriods(profile: MinuteProfile): Periods {
  const counted = new Map(profile.quietMinutes.map((quiet) => [quiet.calls, quiet.minutes]));
  return periodsOf(counted, profile.minutes);
}

/** A customer's hours as {@link Periods}. */
export function hourPeriods(profile: MinuteProfile): Periods {
  const counted = new Map(profile.quietHours.map((quiet) => [quiet.calls, quiet.hours]));
  return periodsOf(counted, profile.hours);
}

/**
 * The minute profiles as a digest: what the abuse analysis's finish reads,
 * computed here from {@link ABUSE_MINUTE_MODEL}, or supplied by an engine
 * that builds the same profiles where the calls are (the ClickHouse package
 * does, in SQL, so that the customer × minute × model cells never cross).
 */
export const MINUTE_PROFILES_DIGEST = defineDigest<MinuteProfiles>({
  name: 'minuteProfiles',
  groupings: [ABUSE_MINUTE_MODEL],
  compute: (aggregates, config) => minuteProfilesOf(aggregates, config.abuse),
});
