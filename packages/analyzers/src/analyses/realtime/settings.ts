import { type SettingsSpec, integer, number, setting, share } from '../../settings/rules';

/** Settings of analysis 3, real-time decision making. */
export interface RealtimeConfig {
  /** Percentile of a model × task type group's call cost that is its normal. */
  anomalyPercentile: number;
  /** A call costing more than this multiple of the normal is an anomaly. */
  anomalyMultiple: number;
  /** A customer's day above this multiple of its trailing average is a spike. */
  spikeMultiple: number;
  /** Days of the trailing average. */
  spikeTrailingDays: number;
  /** Fewest days of history before a day can be a spike. */
  spikeMinHistoryDays: number;
  /** Alert when a customer's monthly AI cost run-rate exceeds this share of its tier price. */
  tierCostShare: number;
  /** A customer's AI allocation = tier price × this share. */
  allocationShare: number;
  /** Alert when the projected month cost exceeds this share of the allocation. */
  projectedAllocationShare: number;
  /** Alert when a customer's day exceeds this multiple of its daily average. */
  dailyAverageMultiple: number;
  /** Projected cost / allocation from which a customer is medium, high, critical risk. */
  riskMedium: number;
  riskHigh: number;
  riskCritical: number;
  /** Days compared for the trend (the last N against the N before). */
  trendDays: number;
  /** Relative change beyond which the trend is accelerating or declining. */
  trendChange: number;
}

const positive = (): ReturnType<typeof number> => number({ min: 0 });

/** The settings of {@link RealtimeConfig}, with defaults and rules. */
export const REALTIME_SETTINGS: SettingsSpec<RealtimeConfig> = {
  anomalyPercentile: setting(
    0.99,
    share(),
    "Percentile of a model × task type group's call cost that is its normal.",
  ),
  anomalyMultiple: setting(
    3,
    positive(),
    'A call costing more than this multiple of the normal is an anomaly.',
  ),
  spikeMultiple: setting(
    5,
    positive(),
    "A customer's day above this multiple of its trailing average is a spike.",
  ),
  spikeTrailingDays: setting(7, integer({ min: 1 }), 'Days of the trailing average.'),
  spikeMinHistoryDays: setting(3, integer({ min: 0 }), 'Fewest days of history before a day can be a spike.'),
  tierCostShare: setting(
    0.3,
    positive(),
    "Alert when a customer's monthly AI cost run-rate exceeds this share of its plan's price.",
  ),
  allocationShare: setting(0.5, positive(), "A customer's AI allocation = plan price × this share."),
  projectedAllocationShare: setting(
    0.8,
    positive(),
    'Alert when the projected month cost exceeds this share of the allocation.',
  ),
  dailyAverageMultiple: setting(
    5,
    positive(),
    "Alert when a customer's day exceeds this multiple of its daily average.",
  ),
  riskMedium: setting(0.5, positive(), 'Projected cost / allocation from which a customer is medium risk.'),
  riskHigh: setting(0.8, positive(), 'Projected cost / allocation from which a customer is high risk.'),
  riskCritical: setting(1, positive(), 'Projected cost / allocation from which a customer is critical risk.'),
  trendDays: setting(
    7,
    integer({ min: 1 }),
    'Days compared for the trend (the last N against the N before).',
  ),
  trendChange: setting(
    0.2,
    positive(),
    'Relative change beyond which the trend is accelerating or declining.',
  ),
};
