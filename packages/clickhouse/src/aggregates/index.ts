import type { Aggregate } from './aggregate';
import { customerPlans } from './customer-plans';
import { totals } from './totals';

export type { Aggregate, AggregateRow } from './aggregate';

/**
 * The figures of the analyses' state that are no grouping — the totals and
 * span of the scope, and each customer's plans — one query each. Every
 * grouping the selected analyses declare is filled by SQL generated from its
 * declaration (see `GeneratedGrouping`).
 */
export const AGGREGATES: readonly Aggregate[] = [totals, customerPlans];
