import { type SettingsSpec, integer, number, share, setting } from '../../settings/rules';

/** Settings of the abuse analysis: every threshold of every flag. */
export interface AbuseConfig {
  /** A burst minute has at least this many calls… */
  minuteBurstMinCalls: number;
  /** …and at least this multiple of the customer's median busy minute. */
  minuteBurstFactor: number;
  /** A burst hour has at least this many calls… */
  hourBurstMinCalls: number;
  /** …and at least this multiple of the customer's median busy hour. */
  hourBurstFactor: number;
  /** Length of a customer's working window: the consecutive hours of day with the most of its irregular calls. */
  workingHours: number;
  /** Fewest calls an hour needs for its regularity to be judged. */
  regularMinCalls: number;
  /** An hour is machine-regular when the variance / mean of its per-minute calls is at most this (1 for random arrivals, 0 for an even schedule). */
  regularMaxDispersion: number;
  /** Off-hours automation: machine-regular hours outside the working window on at least this many days. */
  offHoursMinDays: number;
  /** A hopping minute uses at least this many distinct models… */
  hoppingMinModels: number;
  /** …and at least this many distinct models per call of the minute. */
  hoppingMinModelShare: number;
  /** Model hopping: at least this many hopping minutes. */
  hoppingMinMinutes: number;
  /** A batch minute has at least this many calls… */
  batchMinCalls: number;
  /** …with a mean input per call at least this multiple of the customer's usual (its other minutes' mean). */
  batchInputFactor: number;
  /** Plan gaming: calls at least this multiple of the median customer's of the next dearer plan. */
  planGamingFactor: number;
  /** Fewest customers a plan needs for its median to be a yardstick. */
  planMinPeers: number;
  /** Cost and volume outliers: robust z-score (of log₁₀ figures) from which a customer is an outlier. */
  outlierZ: number;
  /** The least spread (log₁₀ units) a robust z-score divides by, so that a tight crowd does not make everyone an outlier. */
  outlierMinSpread: number;
  /** Fewest customers for cost and volume outliers to be judged. */
  outlierMinCustomers: number;
  /** A flag whose excess (its figure / its threshold) reaches this is of severity 2… */
  severityMedium: number;
  /** …and of severity 3 from this excess. */
  severityHigh: number;
}

/** The settings of {@link AbuseConfig}, with defaults and rules. */
export const ABUSE_SETTINGS: SettingsSpec<AbuseConfig> = {
  minuteBurstMinCalls: setting(30, integer({ min: 1 }), 'A burst minute has at least this many calls…'),
  minuteBurstFactor: setting(
    10,
    number({ min: 1 }),
    "…and at least this multiple of the customer's median busy minute.",
  ),
  hourBurstMinCalls: setting(60, integer({ min: 1 }), 'A burst hour has at least this many calls…'),
  hourBurstFactor: setting(
    10,
    number({ min: 1 }),
    "…and at least this multiple of the customer's median busy hour.",
  ),
  workingHours: setting(
    12,
    integer({ min: 1, max: 23 }),
    "Hours of a customer's working window: the consecutive hours with most of its irregular calls.",
  ),
  regularMinCalls: setting(
    20,
    integer({ min: 2 }),
    'Fewest calls an hour needs for its regularity to be judged.',
  ),
  regularMaxDispersion: setting(
    0.6,
    number({ min: 0 }),
    'An hour is machine-regular when the variance / mean of its per-minute calls is at most this.',
  ),
  offHoursMinDays: setting(
    5,
    integer({ min: 1 }),
    'Off-hours automation: machine-regular hours outside the working window on this many days.',
  ),
  hoppingMinModels: setting(
    10,
    integer({ min: 2 }),
    'A hopping minute uses at least this many distinct models…',
  ),
  hoppingMinModelShare: setting(
    0.5,
    share(),
    '…and at least this many distinct models per call of the minute.',
  ),
  hoppingMinMinutes: setting(3, integer({ min: 1 }), 'Model hopping: at least this many hopping minutes.'),
  batchMinCalls: setting(20, integer({ min: 2 }), 'A batch minute has at least this many calls…'),
  batchInputFactor: setting(
    3,
    number({ min: 1 }),
    "…with a mean input per call this multiple of the customer's usual (its other minutes').",
  ),
  planGamingFactor: setting(
    2,
    number({ min: 0 }),
    "Plan gaming: calls at least this multiple of the next dearer plan's median customer's.",
  ),
  planMinPeers: setting(
    3,
    integer({ min: 1 }),
    'Fewest customers a plan needs for its median to be a yardstick.',
  ),
  outlierZ: setting(
    6,
    number({ min: 0 }),
    'Cost and volume outliers: robust z-score of log₁₀ monthly figures from which a customer is one.',
  ),
  outlierMinSpread: setting(
    0.1,
    number({ min: 0.001 }),
    'Least spread (log₁₀ units) a robust z-score divides by.',
  ),
  outlierMinCustomers: setting(
    5,
    integer({ min: 3 }),
    'Fewest customers for cost and volume outliers to be judged.',
  ),
  severityMedium: setting(
    2,
    number({ min: 1 }),
    "A flag's excess (figure / threshold) from which it is severity 2…",
  ),
  severityHigh: setting(4, number({ min: 1 }), '…and from which it is severity 3.'),
};
