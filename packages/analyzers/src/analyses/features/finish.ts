import { allocateMicros, formatUtcDay } from '@finops/schema';
import { type FinishContext, byKey, round } from '../../context';
import { defineDigest } from '../../digest';
import { type Recommendation, recommend } from '../../recommend';
import { median, nearestRanks } from '../../shared/medians';
import { SESSION_CELLS, TRACE_CELLS } from '../../store/builtin-groupings';
import type { AggregateReader } from '../../store/reader';

// Declared with the store's built-in groupings (the fused loop fills them); still exported here.
export { SESSION_CELLS, TRACE_CELLS } from '../../store/builtin-groupings';

/** One of the costliest traces: its id, calls, cost and customer. */
export interface CostlyTrace {
  id: string;
  calls: number;
  costMicros: number;
  customer: string;
}

/** One of the costliest sessions, with the number of features its calls used. */
export interface CostlyEntry extends CostlyTrace {
  features: number;
}

/**
 * The figures of a set of sessions (or traces) as counted, before the
 * finish divides them: how many, their calls and cost, and the nearest-rank
 * values of their costs.
 */
export interface SessionCounts {
  sessions: number;
  calls: number;
  costMicros: number;
  /** The costs' values of nearest rank ⌈0.5 n⌉ and ⌈0.95 n⌉ (JavaScript's `Math.ceil` of the product); 0 for none. */
  medianCostMicros: number;
  p95CostMicros: number;
}

/** Cost per session of a set of sessions: how many, their calls and cost, and the spread of cost per session. */
export interface PerSession extends SessionCounts {
  /** Cost / sessions, and calls / sessions. */
  meanCostMicros: number;
  meanCalls: number;
}

/**
 * Sessions and traces of a log, with the figures of each set of sessions as
 * `Figures`: every session, those of each feature and of each customer,
 * every trace, and the calls without an id.
 */
export interface SessionBreakdown<Figures> {
  /** Every session (a session id within one customer's calls): calls with a session id and their cost. */
  overall: Figures;
  /** Calls (and their cost) without a session id, left out of the session figures; bucketed rows have none. */
  callsWithoutSession: number;
  costWithoutSessionMicros: number;
  /** Per feature used in a session: the sessions that used it and the cost of its calls in each. */
  byFeature: (Figures & { feature: string })[];
  /** Per customer with a session: its sessions. */
  byCustomer: (Figures & { customer: string })[];
  /** Traces: every trace (a trace id within one customer's calls), and calls without a trace id. */
  traces: Figures;
  callsWithoutTrace: number;
}

/** Sessions and traces: cost per session overall, by feature and by customer (costliest first), and of traces. */
export type SessionEconomics = SessionBreakdown<PerSession>;

/** Investment quadrant of a feature: adoption and margin % against their medians. */
export type Quadrant = 'invest' | 'optimize' | 'maintain' | 'sunset';

/** Economics of one feature. */
export interface FeatureEconomics {
  feature: string;
  calls: number;
  costMicros: number;
  adopters: number;
  /** Adopters / all customers, 0–1. */
  adoption: number;
  costPerAdopterMicros: number;
  callsPerAdopter: number;
  /** Customers' revenue split by their cost share per feature. */
  revenueMicros: number;
  marginMicros: number;
  marginPct: number | null;
  /** Margin / cost (`null` when the cost is 0). */
  roi: number | null;
  quadrant: Quadrant;
  /** First day any customer used it, and customers whose first use falls in the last recent days. */
  firstSeen: string;
  recentAdopters: number;
}

/** Result of analysis 8: feature economics. */
export interface FeaturesResult {
  features: FeatureEconomics[];
  medians: { adoption: number; marginPct: number };
  /** The `topSessions` costliest sessions (ties by id, then customer). */
  sessions: CostlyEntry[];
  /** The `topSessions` costliest traces. */
  traces: CostlyTrace[];
  /** Calls and cost per session, by feature and by customer. */
  perSession: SessionEconomics;
  bundles: {
    features: [string, string];
    customers: number;
    support: number;
    confidence: number;
    lift: number;
  }[];
  recommendations: Recommendation[];
}

/**
 * The value of {@link SESSIONS_DIGEST}: what the sessions and traces of the
 * features page are made of, as counted. Lists are in no particular order
 * (the finish sorts them).
 */
export interface SessionsDigest extends SessionBreakdown<SessionCounts> {
  /**
   * The `features.topSessions` costliest sessions and traces, or more: a
   * supplier may give every one as costly as the last (the finish orders
   * them and keeps the first).
   */
  costliestSessions: CostlyEntry[];
  costliestTraces: CostlyTrace[];
}

/** {@link SessionCounts} of a list of session costs (reordered here) with their calls. */
function countsOf(costs: Float64Array, calls: number, cost: number): SessionCounts {
  const sessions = costs.length;
  // Nearest ranks by selection: the same values as sorting, in linear time for millions of sessions.
  const [medianCost, p95Cost] = nearestRanks(costs, [Math.ceil(0.5 * sessions), Math.ceil(0.95 * sessions)]);
  return {
    sessions,
    calls,
    costMicros: cost,
    medianCostMicros: medianCost as number,
    p95CostMicros: p95Cost as number,
  };
}

/** {@link PerSession} of the counted figures: means rounded (cost to a micro-dollar, calls to 2 decimals). */
function perSessionOf(counts: SessionCounts): PerSession {
  const { sessions, calls, costMicros } = counts;
  return {
    sessions,
    calls,
    costMicros,
    meanCostMicros: sessions === 0 ? 0 : Math.round(costMicros / sessions),
    meanCalls: sessions === 0 ? 0 : round(calls / sessions, 2),
    medianCostMicros: counts.medianCostMicros,
    p95CostMicros: counts.p95CostMicros,
  };
}

/**
 * Figures collected per group (a feature or a customer): the cost of each of
 * its sessions. The costs are kept in arrival order in one typed array and
 * sorted into groups only once at the end (a counting sort): an array per
 * group, grown a session at a time, cost more than the walk itself.
 */
class SessionGroups {
  readonly calls: number[];
  readonly cost: number[];
  private readonly groupOf: Int32Array;
  private readonly costOf: Float64Array;
  private count = 0;
  constructor(
    private readonly size: number,
    /** Most sessions the groups are given (one add per session and group). */
    capacity: number,
  ) {
    this.groupOf = new Int32Array(capacity);
    this.costOf = new Float64Array(capacity);
    this.calls = new Array<number>(size).fill(0);
    this.cost = new Array<number>(size).fill(0);
  }
  add(group: number, calls: number, cost: number): void {
    this.groupOf[this.count] = group;
    this.costOf[this.count] = cost;
    this.count++;
    this.calls[group] = (this.calls[group] as number) + calls;
    this.cost[group] = (this.cost[group] as number) + cost;
  }
  /** Each group with sessions, as {@link SessionCounts}. */
  rows(): { group: number; counts: SessionCounts }[] {
    const { size, count, groupOf, costOf } = this;
    // Where each group's costs start in `grouped`, then each one's next free place.
    const starts = new Int32Array(size + 1);
    for (let index = 0; index < count; index++) {
      const after = (groupOf[index] as number) + 1;
      starts[after] = (starts[after] as number) + 1;
    }
    for (let group = 0; group < size; group++)
      starts[group + 1] = (starts[group + 1] as number) + (starts[group] as number);
    const next = starts.slice(0, size);
    const grouped = new Float64Array(count);
    for (let index = 0; index < count; index++) {
      const group = groupOf[index] as number;
      const at = next[group] as number;
      grouped[at] = costOf[index] as number;
      next[group] = at + 1;
    }
    const rows: { group: number; counts: SessionCounts }[] = [];
    for (let group = 0; group < size; group++) {
      const start = starts[group] as number;
      const end = starts[group + 1] as number;
      if (end > start)
        rows.push({
          group,
          counts: countsOf(
            grouped.subarray(start, end),
            this.calls[group] as number,
            this.cost[group] as number,
          ),
        });
    }
    return rows;
  }
}

/**
 * The order of the costliest sessions and traces: costlier first, then by
 * id, then by customer (strings by UTF-16 code unit, as {@link byKey}).
 */
export function costlierFirst(a: CostlyTrace, b: CostlyTrace): number {
  return b.costMicros - a.costMicros || byKey(a.id, b.id) || byKey(a.customer, b.customer);
}

/** The `limit` costliest entries seen, kept in {@link costlierFirst} order. */
class Costliest<Entry extends CostlyTrace> {
  readonly entries: Entry[] = [];
  constructor(private readonly limit: number) {}
  /** Whether an entry would be kept (judged on a probe before the entry is made: most are not). */
  admits(probe: CostlyTrace): boolean {
    if (this.limit === 0) return false;
    const last = this.entries[this.entries.length - 1];
    return this.entries.length < this.limit || last === undefined || costlierFirst(probe, last) < 0;
  }
  offer(entry: Entry): void {
    if (!this.admits(entry)) return;
    let at = this.entries.length;
    while (at > 0 && costlierFirst(entry, this.entries[at - 1] as Entry) < 0) at--;
    this.entries.splice(at, 0, entry);
    if (this.entries.length > this.limit) this.entries.pop();
  }
}

/**
 * Walks the cells of a grouping keyed by (id, customer, …) in key order: one
 * call of `visit` per (id, customer) with its calls, cost and the range of
 * its cells. The id `''` (calls without an id) is handed apart.
 */
function walkSessions(
  aggregates: AggregateReader,
  name: string,
  idDimension: 'session' | 'trace',
  visit: (id: number, customer: number, calls: number, cost: number, start: number, end: number) => void,
  none: (calls: number, cost: number) => void,
): void {
  const table = aggregates.grouping(name);
  const ids = table.keys(idDimension);
  const customers = table.keys('customer');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  // Values are sorted, so the id '' (when some call has none) is 0: compared by id, not by reading each string.
  const noneId = aggregates.values(idDimension)[0] === '' ? 0 : -1;
  // The size once: a grouping may settle its cells each time it is asked.
  const size = table.size;
  let cell = 0;
  while (cell < size) {
    const id = ids[cell] as number;
    const customer = customers[cell] as number;
    const start = cell;
    let calls = 0;
    let cost = 0;
    while (cell < size && ids[cell] === id && customers[cell] === customer) {
      calls += cellCalls[cell] as number;
      cost += cellCost[cell] as number;
      cell++;
    }
    if (id === noneId) none(calls, cost);
    else visit(id, customer, calls, cost, start, cell);
  }
}

/** The sessions' part of {@link SessionsDigest}, from {@link SESSION_CELLS}. */
function sessionCountsOf(
  aggregates: AggregateReader,
  limit: number,
): Omit<SessionsDigest, 'traces' | 'callsWithoutTrace' | 'costliestTraces'> {
  const customerNames = aggregates.values('customer');
  const featureNames = aggregates.values('feature');
  const sessionNames = aggregates.values('session');
  const table = aggregates.grouping(SESSION_CELLS.name);
  const cellFeature = table.keys('feature');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  const costliest = new Costliest<CostlyEntry>(limit);
  const probe: CostlyTrace = { id: '', calls: 0, costMicros: 0, customer: '' };
  // A session (with its customer) has one cell or more: the cells bound every count below.
  const byFeature = new SessionGroups(featureNames.length, table.size);
  const byCustomer = new SessionGroups(customerNames.length, table.size);
  const sessionCosts = new Float64Array(table.size);
  let sessions = 0;
  let calls = 0;
  let cost = 0;
  let callsWithout = 0;
  let costWithout = 0;
  walkSessions(
    aggregates,
    SESSION_CELLS.name,
    'session',
    (id, customer, sessionCalls, sessionCost, start, end) => {
      calls += sessionCalls;
      cost += sessionCost;
      sessionCosts[sessions++] = sessionCost;
      byCustomer.add(customer, sessionCalls, sessionCost);
      // Cells of one session and customer are one per feature.
      for (let index = start; index < end; index++)
        byFeature.add(cellFeature[index] as number, cellCalls[index] as number, cellCost[index] as number);
      probe.id = sessionNames[id] as string;
      probe.costMicros = sessionCost;
      probe.customer = customerNames[customer] as string;
      if (costliest.admits(probe)) costliest.offer({ ...probe, calls: sessionCalls, features: end - start });
    },
    (noneCalls, noneCost) => {
      callsWithout += noneCalls;
      costWithout += noneCost;
    },
  );
  return {
    overall: countsOf(sessionCosts.subarray(0, sessions), calls, cost),
    callsWithoutSession: callsWithout,
    costWithoutSessionMicros: costWithout,
    byFeature: byFeature
      .rows()
      .map(({ group, counts }) => ({ feature: featureNames[group] as string, ...counts })),
    byCustomer: byCustomer
      .rows()
      .map(({ group, counts }) => ({ customer: customerNames[group] as string, ...counts })),
    costliestSessions: costliest.entries,
  };
}

/** The traces' part of {@link SessionsDigest}, from {@link TRACE_CELLS}. */
function traceCountsOf(
  aggregates: AggregateReader,
  limit: number,
): Pick<SessionsDigest, 'traces' | 'callsWithoutTrace' | 'costliestTraces'> {
  const customerNames = aggregates.values('customer');
  const traceNames = aggregates.values('trace');
  const costliest = new Costliest<CostlyTrace>(limit);
  const probe: CostlyTrace = { id: '', calls: 0, costMicros: 0, customer: '' };
  const traceCosts = new Float64Array(aggregates.grouping(TRACE_CELLS.name).size);
  let traces = 0;
  let calls = 0;
  let cost = 0;
  let callsWithout = 0;
  walkSessions(
    aggregates,
    TRACE_CELLS.name,
    'trace',
    (id, customer, traceCalls, traceCost) => {
      calls += traceCalls;
      cost += traceCost;
      traceCosts[traces++] = traceCost;
      probe.id = traceNames[id] as string;
      probe.costMicros = traceCost;
      probe.customer = customerNames[customer] as string;
      if (costliest.admits(probe)) costliest.offer({ ...probe, calls: traceCalls });
    },
    (noneCalls) => (callsWithout += noneCalls),
  );
  return {
    traces: countsOf(traceCosts.subarray(0, traces), calls, cost),
    callsWithoutTrace: callsWithout,
    costliestTraces: costliest.entries,
  };
}

/**
 * The sessions and traces of the features page, as counted: computed here
 * from the cells per session × customer × feature and per trace × customer
 * (about a cell per call), or supplied by an engine that counts them where
 * the calls are. Reads `features.topSessions`.
 */
export const SESSIONS_DIGEST = defineDigest<SessionsDigest>({
  name: 'sessions',
  groupings: [SESSION_CELLS, TRACE_CELLS],
  compute: (aggregates, config) => ({
    ...sessionCountsOf(aggregates, config.features.topSessions),
    ...traceCountsOf(aggregates, config.features.topSessions),
  }),
});

/** The costliest sessions and traces, and cost per session overall, by feature and by customer. */
function sessionsOf(
  digest: SessionsDigest,
  limit: number,
): Pick<FeaturesResult, 'sessions' | 'traces' | 'perSession'> {
  const byCost =
    <T extends { costMicros: number }>(key: (row: T) => string) =>
    (a: T, b: T) =>
      b.costMicros - a.costMicros || byKey(key(a), key(b));
  return {
    sessions: digest.costliestSessions
      .slice()
      .sort(costlierFirst)
      .slice(0, limit)
      .map(({ id, calls, costMicros, customer, features }) => ({
        id,
        calls,
        costMicros,
        customer,
        features,
      })),
    traces: digest.costliestTraces
      .slice()
      .sort(costlierFirst)
      .slice(0, limit)
      .map(({ id, calls, costMicros, customer }) => ({ id, calls, costMicros, customer })),
    perSession: {
      overall: perSessionOf(digest.overall),
      callsWithoutSession: digest.callsWithoutSession,
      costWithoutSessionMicros: digest.costWithoutSessionMicros,
      byFeature: digest.byFeature
        .map((row) => ({ feature: row.feature, ...perSessionOf(row) }))
        .sort(byCost((row) => row.feature)),
      byCustomer: digest.byCustomer
        .map((row) => ({ customer: row.customer, ...perSessionOf(row) }))
        .sort(byCost((row) => row.customer)),
      traces: perSessionOf(digest.traces),
      callsWithoutTrace: digest.callsWithoutTrace,
    },
  };
}

/** Finishes analysis 8. */
export function finishFeatures(context: FinishContext): FeaturesResult {
  const { aggregates, config } = context;
  const settings = config.features;
  const featureCount = aggregates.values('feature').length;
  const customers = aggregates.values('customer').length;
  const calls = new Array<number>(featureCount).fill(0);
  const cost = new Array<number>(featureCount).fill(0);
  const adopters = new Array<number>(featureCount).fill(0);
  const revenue = new Array<number>(featureCount).fill(0);
  const firstSeen = new Array<number>(featureCount).fill(Infinity);
  const recent = new Array<number>(featureCount).fill(0);
  const recentFrom = context.lastDay - settings.recentDays + 1;
  const usedBy: number[][] = Array.from({ length: customers }, () => []);
  const table = aggregates.grouping('customerFeature');
  const cellCustomer = table.keys('customer');
  const cellFeature = table.keys('feature');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  const cellFirstDay = table.measure('firstDay');
  let cell = 0;
  // Cells are in (customer, feature) order: one customer's features are consecutive.
  while (cell < table.size) {
    const customer = cellCustomer[cell] as number;
    const start = cell;
    while (cell < table.size && cellCustomer[cell] === customer) cell++;
    const weights: number[] = [];
    let anyCost = false;
    for (let index = start; index < cell; index++) if ((cellCost[index] as number) > 0) anyCost = true;
    for (let index = start; index < cell; index++)
      weights.push(anyCost ? (cellCost[index] as number) : (cellCalls[index] as number));
    const shares = allocateMicros(context.customerRevenue[customer] as number, weights);
    for (let index = start; index < cell; index++) {
      const feature = cellFeature[index] as number;
      calls[feature] = (calls[feature] as number) + (cellCalls[index] as number);
      cost[feature] = (cost[feature] as number) + (cellCost[index] as number);
      adopters[feature] = (adopters[feature] as number) + 1;
      revenue[feature] = (revenue[feature] as number) + (shares[index - start] as number);
      const first = cellFirstDay[index] as number;
      if (first < (firstSeen[feature] as number)) firstSeen[feature] = first;
      if (first >= recentFrom) recent[feature] = (recent[feature] as number) + 1;
      (usedBy[customer] as number[]).push(feature);
    }
  }
  const rows = aggregates.values('feature').map((feature, index) => {
    const featureCost = cost[index] as number;
    const featureRevenue = revenue[index] as number;
    const featureAdopters = adopters[index] as number;
    const margin = featureRevenue - featureCost;
    return {
      feature,
      calls: calls[index] as number,
      costMicros: featureCost,
      adopters: featureAdopters,
      adoption: customers === 0 ? 0 : round(featureAdopters / customers, 6),
      costPerAdopterMicros: featureAdopters === 0 ? 0 : Math.round(featureCost / featureAdopters),
      callsPerAdopter: featureAdopters === 0 ? 0 : round((calls[index] as number) / featureAdopters, 2),
      revenueMicros: featureRevenue,
      marginMicros: margin,
      marginPct: featureRevenue === 0 ? null : round((margin / featureRevenue) * 100, 2),
      roi: featureCost === 0 ? null : round(margin / featureCost, 4),
      quadrant: 'maintain' as Quadrant,
      firstSeen: Number.isFinite(firstSeen[index] as number) ? formatUtcDay(firstSeen[index] as number) : '',
      recentAdopters: recent[index] as number,
    };
  });
  const medianAdoption = median(rows.map((row) => row.adoption));
  const medianMargin = median(rows.map((row) => row.marginPct ?? 0));
  for (const row of rows) {
    const high = row.adoption >= medianAdoption;
    const profitable = (row.marginPct ?? 0) >= medianMargin;
    row.quadrant = high ? (profitable ? 'invest' : 'optimize') : profitable ? 'maintain' : 'sunset';
  }
  rows.sort((a, b) => b.costMicros - a.costMicros || byKey(a.feature, b.feature));

  const pairCounts = new Map<number, number>();
  for (const features of usedBy) {
    for (let i = 0; i < features.length; i++) {
      for (let j = i + 1; j < features.length; j++) {
        const a = Math.min(features[i] as number, features[j] as number);
        const b = Math.max(features[i] as number, features[j] as number);
        const key = a * featureCount + b;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
      }
    }
  }
  const bundles: FeaturesResult['bundles'] = [];
  for (const [key, both] of pairCounts) {
    const a = Math.floor(key / featureCount);
    const b = key % featureCount;
    const support = both / customers;
    if (support < settings.bundleMinSupport) continue;
    const supportA = (adopters[a] as number) / customers;
    const supportB = (adopters[b] as number) / customers;
    bundles.push({
      features: [aggregates.values('feature')[a] as string, aggregates.values('feature')[b] as string],
      customers: both,
      support: round(support, 6),
      confidence: round(both / Math.min(adopters[a] as number, adopters[b] as number), 6),
      lift: round(support / (supportA * supportB), 4),
    });
  }
  bundles.sort(
    (a, b) => b.lift - a.lift || b.customers - a.customers || byKey(a.features.join(), b.features.join()),
  );
  bundles.splice(settings.bundleCount);

  const recommendations: Recommendation[] = [];
  for (const row of rows.filter((entry) => entry.quadrant === 'optimize' || entry.quadrant === 'sunset')) {
    recommendations.push(
      recommend(
        row.quadrant === 'optimize'
          ? '{feature} is widely used ({adoptionPct} of customers) but earns a {marginPct} margin: cut its cost of {costMicros}.'
          : '{feature} has low adoption ({adoptionPct} of customers) and a {marginPct} margin on {costMicros} of cost: consider retiring it.',
        {
          feature: row.feature,
          adoptionPct: row.adoption * 100,
          marginPct: row.marginPct ?? 0,
          costMicros: row.costMicros,
        },
      ),
    );
  }
  const top = bundles[0];
  if (top) {
    recommendations.push(
      recommend('Bundle {first} with {second}: {customers} customers use both, lift {lift}.', {
        first: top.features[0],
        second: top.features[1],
        customers: top.customers,
        lift: top.lift,
      }),
    );
  }
  return {
    features: rows,
    medians: { adoption: round(medianAdoption, 6), marginPct: round(medianMargin, 2) },
    ...sessionsOf(context.digest(SESSIONS_DIGEST), settings.topSessions),
    bundles,
    recommendations,
  };
}
