import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import { KIND_LABELS } from './document';
import type { AbuseResult } from './finish';

/**
 * The abuse analysis's candidate action: the flagged customers' traffic a
 * month, counting each customer's costliest flag once (flags of one customer
 * may cover the same calls; different customers' calls never overlap), and
 * the costliest flag with its action.
 */
export function abuseActions(result: AbuseResult): ActionCandidate[] {
  const [costliest] = result.flags;
  const monthlyMicros = result.risk.reduce((sum, customer) => sum + customer.monthlyMicros, 0);
  if (costliest === undefined || monthlyMicros <= 0) return [];
  return [
    proposeAction(
      'Act on the abuse flags',
      '{flags} abuse flags on {customers} customers, the costliest a {kind} of {customer} (action: {action}): the flagged traffic costs {monthlyMicros} a month.',
      {
        flags: result.flags.length,
        customers: result.risk.length,
        kind: KIND_LABELS[costliest.kind].toLowerCase(),
        customer: costliest.customer,
        action: costliest.action,
        monthlyMicros,
      },
      monthlyMicros,
      'Risk by customer',
    ),
  ];
}
