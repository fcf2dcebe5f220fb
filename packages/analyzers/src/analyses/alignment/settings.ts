import { type SettingsSpec, integer, setting } from '../../settings/rules';

/** Settings of analysis 5, organizational alignment. */
export interface AlignmentConfig {
  /** Organizations named best and worst in the cross-team comparison need at least this many calls. */
  minCalls: number;
}

/** The settings of {@link AlignmentConfig}, with defaults and rules. */
export const ALIGNMENT_SETTINGS: SettingsSpec<AlignmentConfig> = {
  minCalls: setting(
    1,
    integer({ min: 0 }),
    'Organizations named best and worst in the cross-team comparison need at least this many calls.',
  ),
};
