import { BASE_GROUPINGS, MODEL_TASK_DAY, MODEL_USAGE, TEAM_FEATURE } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { tokensActions } from './actions';
import { ABOUT_TOKENS } from './about';
import { TOKENS_BUCKETED_LIMITS, tokensDocument } from './document';
import { type TokensResult, TOKENS_CUSTOMER_FEATURE, TOKENS_MODEL_TASK, finishTokens } from './finish';
import { type TokensConfig, TOKENS_SETTINGS } from './settings';

/** The tokens analysis: {@link ABOUT_TOKENS}. */
export const TOKENS = defineAnalysis<'tokens', TokensConfig, TokensResult>({
  ...ABOUT_TOKENS,
  settings: TOKENS_SETTINGS,
  groupings: [
    ...BASE_GROUPINGS,
    MODEL_TASK_DAY,
    MODEL_USAGE,
    TEAM_FEATURE,
    TOKENS_MODEL_TASK,
    TOKENS_CUSTOMER_FEATURE,
  ],
  finish: finishTokens,
  document: tokensDocument,
  bucketedLimits: TOKENS_BUCKETED_LIMITS,
  actions: tokensActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
