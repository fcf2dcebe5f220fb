import { BASE_GROUPINGS } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { abuseActions } from './actions';
import { ABOUT_ABUSE } from './about';
import { ABUSE_BUCKETED_LIMITS, abuseDocument } from './document';
import { type AbuseResult, finishAbuse } from './finish';
import { MINUTE_PROFILES_DIGEST } from './minute-profile';
import { type AbuseConfig, ABUSE_SETTINGS } from './settings';

/** The abuse analysis: {@link ABOUT_ABUSE}. */
export const ABUSE = defineAnalysis<'abuse', AbuseConfig, AbuseResult>({
  ...ABOUT_ABUSE,
  settings: ABUSE_SETTINGS,
  groupings: [...BASE_GROUPINGS],
  digests: [MINUTE_PROFILES_DIGEST],
  finish: finishAbuse,
  document: abuseDocument,
  bucketedLimits: ABUSE_BUCKETED_LIMITS,
  actions: abuseActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export {
  type KeptHour,
  type KeptMinute,
  type MinuteProfile,
  type MinuteProfiles,
  MINUTE_PROFILES_DIGEST,
  type QuietHours,
  type QuietMinutes,
  minuteProfilesOf,
  quietThresholds,
  sortMinuteProfiles,
} from './minute-profile';
export * from './settings';
