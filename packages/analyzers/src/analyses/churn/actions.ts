import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { ChurnResult } from './finish';

/**
 * The churn analysis's candidate actions, with money that is already monthly:
 * the subscriptions of the customers at churn risk (revenue to keep) and the
 * next plans' price over the current of the expansion candidates (revenue to
 * win). Downgrade candidates propose nothing: acting on them earns nothing.
 */
export function churnActions(result: ChurnResult): ActionCandidate[] {
  const actions: ActionCandidate[] = [];
  const [riskiest] = result.atRisk;
  if (riskiest !== undefined && result.totals.monthlyRevenueAtRiskMicros > 0)
    actions.push(
      proposeAction(
        'Reach out to customers at churn risk',
        '{customers} customers are at churn risk, the highest {customer} on {plan} (score {score}): their subscriptions bring {monthlyMicros} a month.',
        {
          customers: result.atRisk.length,
          customer: riskiest.customer,
          plan: riskiest.plan,
          score: riskiest.score,
          monthlyMicros: result.totals.monthlyRevenueAtRiskMicros,
        },
        result.totals.monthlyRevenueAtRiskMicros,
        'Churn risk',
      ),
    );
  const [largest] = [...result.expansion].sort(
    (a, b) => b.expansionMicros - a.expansionMicros || a.customer.localeCompare(b.customer),
  );
  if (largest !== undefined && result.totals.monthlyExpansionMicros > 0)
    actions.push(
      proposeAction(
        'Offer the next plan to growing customers',
        '{customers} customers are growing or outgrowing their plan, among them {customer} on {plan} ({nextPlan} next): moving them up brings {monthlyMicros} a month.',
        {
          customers: result.expansion.length,
          customer: largest.customer,
          plan: largest.plan,
          nextPlan: largest.nextPlan,
          monthlyMicros: result.totals.monthlyExpansionMicros,
        },
        result.totals.monthlyExpansionMicros,
        'Expansion',
      ),
    );
  return actions;
}
