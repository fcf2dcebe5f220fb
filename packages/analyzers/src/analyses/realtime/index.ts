import { BASE_GROUPINGS, MODEL_TASK_COST } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { realtimeActions } from './actions';
import { ABOUT_REALTIME } from './about';
import { REALTIME_BUCKETED_LIMITS, realtimeDocument } from './document';
import { type RealtimeResult, finishRealtime } from './finish';
import { type RealtimeConfig, REALTIME_SETTINGS } from './settings';

/** The realtime analysis: {@link ABOUT_REALTIME}. */
export const REALTIME = defineAnalysis<'realtime', RealtimeConfig, RealtimeResult>({
  ...ABOUT_REALTIME,
  settings: REALTIME_SETTINGS,
  groupings: [...BASE_GROUPINGS, MODEL_TASK_COST],
  finish: (context) => finishRealtime(context),
  document: realtimeDocument,
  bucketedLimits: REALTIME_BUCKETED_LIMITS,
  actions: realtimeActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
