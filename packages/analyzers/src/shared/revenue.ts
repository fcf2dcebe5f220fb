/**
 * Revenue over the window: each customer's monthly revenue (the customers
 * file's, else its plan's price shared equally among the plan's customers so
 * that the plan's total is exact) prorated to the window days, and the list
 * of plans. A shared computation: the finish context computes it once, and
 * the analyses below read `customerRevenue`, `customerRevenueKnown`,
 * `customerMonthlyRevenue` (the same rules over 30 days) and `plans` from there.
 */
import { type CustomerDirectory, UNATTRIBUTED, allocateMicros } from '@finops/schema';
import type { AnalysisName } from '../analyses/registry';
import { byKey } from '../context';

/** The analyses that read the prorated revenue (a test holds this list to their reads). */
export const REVENUE_USERS: readonly AnalysisName[] = ['profitability', 'pricing', 'features', 'churn'];

/**
 * Revenue of each customer over the window: its monthly revenue from the
 * customers file × days / 30, else its plan's price × days / 30 (one total
 * per plan, allocated equally among its customers so that the plan's total
 * is exact), else unknown.
 */
export function prorateRevenue(
  customers: readonly string[],
  customerTier: readonly string[],
  planPrices: Readonly<Record<string, number>>,
  days: number,
  directory: CustomerDirectory | undefined,
): { customerRevenue: number[]; customerRevenueKnown: boolean[] } {
  const customerRevenue = customers.map(() => 0);
  const customerRevenueKnown = customers.map(() => false);
  const membersByPlan = new Map<string, number[]>();
  customers.forEach((customer, id) => {
    const monthlyMicros = directory?.get(customer)?.monthlyRevenueMicros;
    if (monthlyMicros !== undefined) {
      customerRevenue[id] = Math.round((monthlyMicros * days) / 30);
      customerRevenueKnown[id] = true;
      return;
    }
    const plan = customerTier[id] as string;
    if (planPrices[plan] === undefined) return;
    const members = membersByPlan.get(plan) ?? [];
    members.push(id);
    membersByPlan.set(plan, members);
  });
  for (const [plan, members] of membersByPlan) {
    const total = Math.round(((planPrices[plan] as number) * members.length * days) / 30);
    const parts = allocateMicros(
      total,
      members.map(() => 1),
    );
    members.forEach((customer, index) => {
      customerRevenue[customer] = parts[index] as number;
      customerRevenueKnown[customer] = true;
    });
  }
  return { customerRevenue, customerRevenueKnown };
}

/** The priced plans cheapest first (ties by name), then the other plans customers are on, by name. */
export function planList(
  planPrices: Readonly<Record<string, number>>,
  customerTier: readonly string[],
): string[] {
  const priced = Object.keys(planPrices).sort(
    (a, b) => (planPrices[a] as number) - (planPrices[b] as number) || byKey(a, b),
  );
  const others = [...new Set(customerTier)]
    .filter((plan) => planPrices[plan] === undefined && plan !== UNATTRIBUTED)
    .sort(byKey);
  const unattributed = customerTier.includes(UNATTRIBUTED) ? [UNATTRIBUTED] : [];
  return [...priced, ...others, ...unattributed];
}
