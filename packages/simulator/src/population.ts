import { KNOWN_FEATURES, type PriceCatalog, type SubscriptionTier } from '@finops/schema';
import type { ResolvedSimulationOptions, ScenarioName, TimeZoneShare } from './options';
import { SCENARIO_NAMES } from './options';
import { cumulativeWeights, type SeededRandom } from './random';

/** How much a customer uses AI: sets calls per day, plan mix and token size. */
export type Archetype = 'light' | 'power' | 'heavy';

/** The profile of an archetype. */
export interface ArchetypeProfile {
  name: Archetype;
  /** Share of the population. */
  share: number;
  /** Calls on an ordinary weekday, drawn per customer in [min, max]. */
  minCallsPerDay: number;
  maxCallsPerDay: number;
  /** Probability of each tier: starter, pro, enterprise. */
  tierMix: readonly [number, number, number];
  /** Multiplier of token counts (smaller prompts for light users, larger for heavy ones). */
  tokenScale: number;
}

/** The three archetypes of the specification. */
export const ARCHETYPES: readonly ArchetypeProfile[] = [
  {
    name: 'light',
    share: 0.7,
    minCallsPerDay: 5,
    maxCallsPerDay: 20,
    tierMix: [0.6, 0.35, 0.05],
    tokenScale: 0.75,
  },
  {
    name: 'power',
    share: 0.2,
    minCallsPerDay: 50,
    maxCallsPerDay: 150,
    tierMix: [0.1, 0.7, 0.2],
    tokenScale: 1,
  },
  {
    name: 'heavy',
    share: 0.1,
    minCallsPerDay: 200,
    maxCallsPerDay: 500,
    tierMix: [0, 0.2, 0.8],
    tokenScale: 1.35,
  },
];

/**
 * Probability that a customer uses each feature: chat is nearly universal,
 * analysis a niche, so adoption differs by feature.
 */
export const FEATURE_ADOPTION: Readonly<Record<(typeof KNOWN_FEATURES)[number], number>> = {
  chat: 0.9,
  qa: 0.75,
  summarization: 0.6,
  code_generation: 0.5,
  translation: 0.35,
  analysis: 0.3,
};

/** Client SDK and runtime strings of the `user_agent` column. */
export const USER_AGENTS = [
  'FinOpsSDK/1.2 Node/20',
  'FinOpsSDK/1.2 Python/3.11',
  'FinOpsSDK/1.1 Java/17',
  'openai-python/1.30.1 Python/3.12',
  'anthropic-sdk-typescript/0.24.3 Node/20',
  'langchain/0.2.5 Python/3.11',
] as const;

const TIERS: readonly SubscriptionTier[] = ['starter', 'pro', 'enterprise'];
const PRODUCT_A_SHARE = 0.6;
const PREFERRED_PROVIDER_SHARE = 0.35;

/** The cohort a customer belongs to: the scenario that shapes its traffic, or `base`. */
export type Cohort = 'base' | ScenarioName;

/** One customer, created once and unchanged for the whole file. */
export interface Customer {
  /** Position in the population, 0-based. */
  index: number;
  /** `cust_0001` … */
  id: string;
  archetype: Archetype;
  tier: SubscriptionTier;
  /** `org_001` … */
  organizationId: string;
  /** `product_a` or `product_b`. */
  productId: string;
  /** A provider the customer favours for most calls, if any. */
  preferredProvider: string | undefined;
  /** The customer's features with their relative weights (a subset of the six, weights differ). */
  features: readonly { feature: string; weight: number }[];
  /** Calls on an ordinary weekday before any scenario. */
  callsPerDay: number;
  /** The client the customer mostly calls from. */
  userAgent: string;
  /** The scenario shaping this customer's traffic. */
  cohort: Cohort;
  /** timezones: where the customer lives. */
  timeZone?: TimeZoneShare;
  /** decline: first day (index from day 0) with no calls, for customers that churn. */
  churnDay?: number;
  /** steady-growth and viral-spike: the customer's daily growth rate. */
  dailyGrowth?: number;
  /** feature-launch: true when the customer keeps using the new feature. */
  launchAdopter?: boolean;
  /** multi-tenant: volume multiplier of the customer's organization. */
  organizationVolume?: number;
  /** multi-tenant: the provider the customer's organization prefers. */
  organizationProvider?: string;
}

/** Shares that add up to `count` exactly (largest remainder). */
function quotas(shares: readonly number[], count: number): number[] {
  const raw = shares.map((share) => share * count);
  const result = raw.map((value) => Math.floor(value));
  let missing = count - result.reduce((sum, value) => sum + value, 0);
  const order = raw
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest);
  for (const { index } of order) {
    if (missing <= 0) break;
    result[index] = (result[index] ?? 0) + 1;
    missing--;
  }
  return result;
}

function padded(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Every provider of the catalog in catalog order with the cumulative shares of
 * calls it gets (a provider with share 0 is never drawn, though its models
 * can still be named by a scenario), and the providers that can be preferred.
 */
export function providerShares(catalog: PriceCatalog): {
  names: string[];
  cumulative: Float64Array;
  preferable: string[];
} {
  const providers = catalog.providers;
  const anyShare = providers.some((provider) => provider.share > 0);
  const weights = providers.map((provider) => (anyShare ? provider.share : 1));
  return {
    names: providers.map((provider) => provider.name),
    cumulative: cumulativeWeights(weights),
    preferable: providers.filter((_, index) => (weights[index] ?? 0) > 0).map((provider) => provider.name),
  };
}

function organizationsOf(options: ResolvedSimulationOptions): number {
  const tenantsActive = options.scenario === 'multi-tenant' || options.scenario === 'all';
  return tenantsActive ? options.parameters['multi-tenant'].organizations : 10;
}

/**
 * Creates the population: archetypes in exact 70/20/10 quotas, then for each
 * customer its plan, organization, product, preferred provider, feature mix,
 * rate and client, then the cohorts and each scenario's per-customer traits.
 * Draws come from `random` in a fixed order, so a seed gives one population.
 */
export function buildPopulation(options: ResolvedSimulationOptions, random: SeededRandom): Customer[] {
  const count = options.customers;
  const archetypeQuotas = quotas(
    ARCHETYPES.map((archetype) => archetype.share),
    count,
  );
  const archetypeOrder: ArchetypeProfile[] = [];
  ARCHETYPES.forEach((profile, index) => {
    for (let copy = 0; copy < (archetypeQuotas[index] ?? 0); copy++) archetypeOrder.push(profile);
  });
  random.shuffle(archetypeOrder);

  const organizations = organizationsOf(options);
  const organizationIdWidth = Math.max(3, String(organizations).length);
  const idWidth = Math.max(4, String(count).length);
  const providers = providerShares(options.catalog);
  const customers: Customer[] = [];
  for (let index = 0; index < count; index++) {
    const profile = archetypeOrder[index] as ArchetypeProfile;
    const tier = TIERS[random.pickCumulative(cumulativeWeights([...profile.tierMix]))] as SubscriptionTier;
    const organizationId = `org_${padded(1 + random.below(organizations), organizationIdWidth)}`;
    const productId = random.chance(PRODUCT_A_SHARE) ? 'product_a' : 'product_b';
    const preferredProvider = random.chance(PREFERRED_PROVIDER_SHARE)
      ? providers.names[random.pickCumulative(providers.cumulative)]
      : undefined;
    const features: { feature: string; weight: number }[] = [];
    for (const feature of KNOWN_FEATURES) {
      if (random.chance(FEATURE_ADOPTION[feature]))
        features.push({ feature, weight: random.uniform(0.5, 2) });
    }
    if (features.length === 0) features.push({ feature: 'chat', weight: 1 });
    const callsPerDay = random.uniform(profile.minCallsPerDay, profile.maxCallsPerDay);
    const userAgent = USER_AGENTS[random.below(USER_AGENTS.length)] as string;
    customers.push({
      index,
      id: `cust_${padded(index + 1, idWidth)}`,
      archetype: profile.name,
      tier,
      organizationId,
      productId,
      preferredProvider,
      features,
      callsPerDay,
      userAgent,
      cohort: 'base',
    });
  }
  assignCohorts(customers, options, random);
  assignScenarioTraits(customers, options, random, providers);
  return customers;
}

/** The cohorts of an `all` run: a base cohort, then one per scenario. */
export const ALL_COHORTS: readonly Cohort[] = ['base', ...SCENARIO_NAMES];

function assignCohorts(
  customers: Customer[],
  options: ResolvedSimulationOptions,
  random: SeededRandom,
): void {
  if (options.scenario === 'base') return;
  if (options.scenario !== 'all') {
    for (const customer of customers) customer.cohort = options.scenario;
    return;
  }
  const order = random.shuffle(customers.map((_, index) => index));
  order.forEach((customerIndex, position) => {
    (customers[customerIndex] as Customer).cohort = ALL_COHORTS[position % ALL_COHORTS.length] as Cohort;
  });
}

function membersOf(customers: readonly Customer[], cohort: Cohort): Customer[] {
  return customers.filter((customer) => customer.cohort === cohort);
}

function assignScenarioTraits(
  customers: Customer[],
  options: ResolvedSimulationOptions,
  random: SeededRandom,
  providers: ReturnType<typeof providerShares>,
): void {
  const { parameters } = options;

  const zones = parameters.timezones.zones;
  const zoneWeights = cumulativeWeights(zones.map((zone) => zone.share));
  for (const customer of membersOf(customers, 'timezones')) {
    customer.timeZone = zones[random.pickCumulative(zoneWeights)];
  }

  const decliners = membersOf(customers, 'decline');
  const churners = random
    .shuffle([...decliners])
    .slice(0, Math.round(decliners.length * parameters.decline.churnShare));
  const lastChurnDay = Math.max(1, options.days - 1);
  for (const customer of churners) customer.churnDay = random.integer(1, lastChurnDay);

  const growth = parameters['steady-growth'];
  for (const customer of membersOf(customers, 'steady-growth')) {
    customer.dailyGrowth = random.uniform(growth.minDailyGrowth, growth.maxDailyGrowth);
  }
  const viral = parameters['viral-spike'];
  for (const customer of membersOf(customers, 'viral-spike')) {
    customer.dailyGrowth = random.uniform(viral.minDailyGrowth, viral.maxDailyGrowth);
  }

  const launchers = membersOf(customers, 'feature-launch');
  const adopters = new Set(
    random
      .shuffle([...launchers])
      .slice(0, Math.round(launchers.length * parameters['feature-launch'].adoption)),
  );
  for (const customer of launchers) customer.launchAdopter = adopters.has(customer);

  // The abuse and expansion scenarios plant their marks on a low plan: the plan is part of the mark.
  for (const [cohort, tier] of [
    ['minute-flood', parameters['minute-flood'].tier],
    ['off-hours', parameters['off-hours'].tier],
    ['expansion', parameters.expansion.tier],
  ] as const) {
    for (const customer of membersOf(customers, cohort)) customer.tier = tier;
  }

  const tenants = parameters['multi-tenant'];
  const tenantCustomers = membersOf(customers, 'multi-tenant');
  if (tenantCustomers.length > 0) {
    // A ladder of volumes from 1 to the spread, in random order over the organizations.
    const spread = random.uniform(tenants.minSpread, tenants.maxSpread);
    const providerOffset = random.below(providers.preferable.length);
    const steps = random.shuffle(Array.from({ length: tenants.organizations }, (_, step) => step));
    const organizationIdWidth = Math.max(3, String(tenants.organizations).length);
    const volumes = new Map<string, number>();
    const preferred = new Map<string, string>();
    for (let organization = 0; organization < tenants.organizations; organization++) {
      const id = `org_${padded(organization + 1, organizationIdWidth)}`;
      const step = steps[organization] ?? 0;
      const fraction = tenants.organizations > 1 ? step / (tenants.organizations - 1) : 0;
      volumes.set(id, 1 + fraction * (spread - 1));
      // Preferred providers cycle through the catalog so that neighbouring organizations differ.
      preferred.set(
        id,
        providers.preferable[(organization + providerOffset) % providers.preferable.length] as string,
      );
    }
    for (const customer of tenantCustomers) {
      customer.organizationVolume = volumes.get(customer.organizationId) ?? 1;
      customer.organizationProvider = preferred.get(customer.organizationId);
    }
  }
}
