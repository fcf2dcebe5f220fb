/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { BREAKDOWN_DIMENSIONS, analyzeCosts } from '../src';
import { expectNumbersFromFigures, randomLog } from './fixtures';

describe('reconciliation', () => {
  const records = randomLog(3000, 40);
  let results: Awaited<ReturnType<typeof analyzeCosts>>;
  beforeAll(async () => {
    results = await analyzeCosts([records]);
  });

  it('every breakdown adds up to the totals exactly', () => {
    const understanding = results.understanding!;
    const totals = understanding.totals;
    expect(totals.calls).toBe(3000);
    expect(totals.costMicros).toBe(records.reduce((sum, record) => sum + record.costMicros, 0));
    for (const dimension of BREAKDOWN_DIMENSIONS) {
      const rows = understanding.breakdowns[dimension];
      expect(rows.reduce((sum, row) => sum + row.costMicros, 0)).toBe(totals.costMicros);
      expect(rows.reduce((sum, row) => sum + row.calls, 0)).toBe(totals.calls);
      expect(rows.reduce((sum, row) => sum + row.inputTokens, 0)).toBe(totals.inputTokens);
      expect(rows.reduce((sum, row) => sum + row.outputTokens, 0)).toBe(totals.outputTokens);
      for (let index = 1; index < rows.length; index++)
        expect(rows[index - 1]!.costMicros).toBeGreaterThanOrEqual(rows[index]!.costMicros);
    }
    expect(understanding.breakdowns.customer).toHaveLength(totals.customers);
    const daily = understanding.daily;
    expect(daily).toHaveLength(results.meta.window.days);
    expect(daily.reduce((sum, day) => sum + day.costMicros, 0)).toBe(totals.costMicros);
    expect(daily[daily.length - 1]!.cumulativeMicros).toBe(totals.costMicros);
    expect(understanding.byHour.reduce((sum, hour) => sum + hour.costMicros, 0)).toBe(totals.costMicros);
    expect(understanding.byWeekday.reduce((sum, day) => sum + day.calls, 0)).toBe(totals.calls);
    const top = understanding.topCustomers;
    expect(top.top.reduce((sum, row) => sum + row.costMicros, 0) + top.rest.costMicros).toBe(
      totals.costMicros,
    );
  });

  it('invoice lines add up to invoices, invoices to the grand total, in micro-dollars and in cents', () => {
    const alignment = results.alignment!;
    let micros = 0;
    let cents = 0;
    for (const invoice of alignment.invoices) {
      expect(invoice.lines.reduce((sum, line) => sum + line.costMicros, 0)).toBe(invoice.totalMicros);
      expect(invoice.lines.reduce((sum, line) => sum + line.amountCents, 0)).toBe(invoice.totalCents);
      micros += invoice.totalMicros;
      cents += invoice.totalCents;
    }
    expect(micros).toBe(results.understanding!.totals.costMicros);
    expect(cents).toBe(alignment.grandTotalCents);
    expect(alignment.grandTotalCents).toBe(Math.round(alignment.grandTotalMicros / 10_000));
    expect(alignment.showback.reduce((sum, row) => sum + row.costMicros, 0)).toBe(micros);
  });

  it('customers by tier add up to all customers, and margin buckets too', () => {
    const profitability = results.profitability!;
    const customers = results.understanding!.totals.customers;
    expect(profitability.customers).toHaveLength(customers);
    expect(profitability.byTier.reduce((sum, tier) => sum + tier.customers, 0)).toBe(customers);
    expect(profitability.byTier.reduce((sum, tier) => sum + tier.costMicros, 0)).toBe(
      profitability.totals.costMicros,
    );
    expect(profitability.byTier.reduce((sum, tier) => sum + tier.revenueMicros, 0)).toBe(
      profitability.totals.revenueMicros,
    );
    const { high, medium, low, negative } = profitability.distribution;
    expect(high + medium + low + negative).toBe(customers);
    expect(negative).toBe(profitability.unprofitable.count);
    for (const customer of profitability.customers)
      expect(customer.marginMicros).toBe(customer.revenueMicros - customer.costMicros);
  });

  it('feature revenue adds up to customer revenue, and feature cost to the total', () => {
    const features = results.features!.features;
    expect(features.reduce((sum, row) => sum + row.revenueMicros, 0)).toBe(
      results.profitability!.totals.revenueMicros,
    );
    expect(features.reduce((sum, row) => sum + row.costMicros, 0)).toBe(
      results.understanding!.totals.costMicros,
    );
  });

  it('pricing replays keep the cost and the flat model is today’s revenue', () => {
    const flat = results.pricing!.models.find((model) => model.model === 'flat')!;
    expect(flat.revenueMicros).toBe(results.profitability!.totals.revenueMicros);
    for (const model of results.pricing!.models) {
      expect(model.segments.reduce((sum, segment) => sum + segment.revenueMicros, 0)).toBe(
        model.revenueMicros,
      );
      expect(model.segments.reduce((sum, segment) => sum + segment.customers, 0)).toBe(
        results.understanding!.totals.customers,
      );
    }
  });

  it('every number in a recommendation comes from its figures', () => {
    const all = [
      ...results.understanding!.recommendations,
      ...results.performance!.recommendations,
      ...results.realtime!.recommendations,
      ...results.optimization!.recommendations,
      ...results.alignment!.recommendations,
      ...results.profitability!.recommendations,
      ...results.pricing!.recommendations,
      ...results.features!.recommendations,
    ];
    expect(all.length).toBeGreaterThan(5);
    for (const recommendation of all) expectNumbersFromFigures(recommendation);
  });
});
