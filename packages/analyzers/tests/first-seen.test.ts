import { analyzeCosts, CostAnalyzer } from '../src';
import { call } from './fixtures';

// Enough customer × feature pairs that the merged table grows its storage while cells are added.
describe('feature first use', () => {
  it('keeps the first day of every feature through merges that grow the tables', async () => {
    const records = [];
    for (let customer = 0; customer < 120; customer++) {
      records.push(call({ customerId: `cust_${customer}`, featureId: 'chat', day: 0 }));
      records.push(call({ customerId: `cust_${customer}`, featureId: 'qa', day: 3 + (customer % 5) }));
    }
    records.push(call({ customerId: 'cust_late', featureId: 'ai_assistant', day: 10 }));
    const direct = await analyzeCosts([records]);
    const firstSeen = Object.fromEntries(
      direct.features?.features.map((feature) => [feature.feature, feature.firstSeen]) ?? [],
    );
    expect(firstSeen).toEqual({ chat: '2025-11-03', qa: '2025-11-06', ai_assistant: '2025-11-13' });

    const left = new CostAnalyzer();
    left.addRecords(records.slice(0, 101));
    const right = new CostAnalyzer();
    right.addRecords(records.slice(101));
    const merged = new CostAnalyzer().merge(left.state()).merge(right.state()).finish();
    expect(merged.features?.features).toEqual(direct.features?.features);
  });
});
