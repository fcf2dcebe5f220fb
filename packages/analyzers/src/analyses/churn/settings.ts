import { type SettingsSpec, integer, number, setting, share } from '../../settings/rules';

/** Settings of the churn analysis. */
export interface ChurnConfig {
  /** Days of the recent period, ending on the last day of the log. */
  recentDays: number;
  /** Days of the period before it, compared with it. */
  priorDays: number;
  /** Fewest calls in the period before for a customer's velocity to be judged (fewer: too noisy to flag). */
  minPriorCalls: number;
  /** Days without a call at which the silence signal is full. */
  silenceDays: number;
  /** Rise of the error share (recent against before, 0–1) at which the error signal is full. */
  errorRiseFull: number;
  /** Weight of the velocity drop in the churn-risk score. */
  dropWeight: number;
  /** Weight of the days since the last call. */
  silenceWeight: number;
  /** Weight of the features dropped. */
  diversityWeight: number;
  /** Weight of the rise of the error share. */
  errorWeight: number;
  /** Churn-risk score (0–100) from which a customer is at risk. */
  riskScore: number;
  /** Velocity from which a customer is growing fast (an expansion candidate). */
  expansionVelocity: number;
  /** Monthly calls, as a multiple of the median of the next plan's customers, from which a customer outgrows its plan. */
  outgrowRatio: number;
  /** Monthly calls, as a share of the median of its plan's customers, up to which a customer barely uses its plan. */
  downgradeShare: number;
  /** Fewest customers a plan needs for its median to be a reference. */
  minPeers: number;
  /** Candidates of each kind (at risk, expansion, downgrade) given a recommendation, by money first. */
  recommended: number;
}

const DAYS = integer({ min: 1, max: 366 });

/** The settings of {@link ChurnConfig}, with defaults and rules. */
export const CHURN_SETTINGS: SettingsSpec<ChurnConfig> = {
  recentDays: setting(14, DAYS, 'Days of the recent period, ending on the last day of the log.'),
  priorDays: setting(14, DAYS, 'Days of the period before it, compared with it.'),
  minPriorCalls: setting(
    20,
    integer({ min: 1 }),
    "Fewest calls in the period before for a customer's velocity to be judged.",
  ),
  silenceDays: setting(14, DAYS, 'Days without a call at which the silence signal is full.'),
  errorRiseFull: setting(
    0.2,
    number({ min: 0.001, max: 1 }),
    'Rise of the error share (recent against before) at which the error signal is full.',
  ),
  dropWeight: setting(0.55, share(), 'Weight of the velocity drop in the churn-risk score.'),
  silenceWeight: setting(0.2, share(), 'Weight of the days since the last call in the churn-risk score.'),
  diversityWeight: setting(0.1, share(), 'Weight of the features dropped in the churn-risk score.'),
  errorWeight: setting(0.15, share(), 'Weight of the rise of the error share in the churn-risk score.'),
  riskScore: setting(
    40,
    number({ min: 0, max: 100 }),
    'Churn-risk score (0–100) from which a customer is at risk.',
  ),
  expansionVelocity: setting(
    2,
    number({ min: 1 }),
    'Velocity from which a customer is growing fast (an expansion candidate).',
  ),
  outgrowRatio: setting(
    1,
    number({ min: 0.01 }),
    "Monthly calls, as a multiple of the next plan's median customer, from which a customer outgrows its plan.",
  ),
  downgradeShare: setting(
    0.25,
    number({ min: 0, max: 1 }),
    "Monthly calls, as a share of its plan's median customer, up to which a customer barely uses its plan.",
  ),
  minPeers: setting(
    3,
    integer({ min: 1 }),
    'Fewest customers a plan needs for its median to be a reference.',
  ),
  recommended: setting(
    5,
    integer({ min: 0 }),
    'Candidates of each kind (at risk, expansion, downgrade) given a recommendation, by money first.',
  ),
};
