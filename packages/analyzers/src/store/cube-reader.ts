import { FinopsError } from '@finops/schema';
import { ENVIRONMENT_COUNT, MODEL_USAGE_COLUMNS, MODEL_USAGE_WIDTH, TOTALS_WIDTH, type Cube } from '../cube';
import type { PairTable } from '../pair-table';
import { type CellColumns, CellsView, identity, strided } from './cells';
import type { Dimension } from './grouping';
import type { AggregateReader, CustomerPlans, GroupingReader, NamedDimension } from './reader';

const TOTALS_MEASURES = ['calls', 'cost', 'inputTokens', 'outputTokens'] as const;

function pairKeys(
  table: PairTable,
  first: Dimension,
  second: Dimension,
): Partial<Record<Dimension, readonly number[]>> {
  return { [first]: table.first, [second]: table.second };
}

function totalsColumns(values: readonly number[], key: Dimension): CellColumns {
  const size = values.length / TOTALS_WIDTH;
  return {
    size,
    keys: { [key]: identity(size) },
    measures: Object.fromEntries(
      TOTALS_MEASURES.map((name, offset) => [name, strided(values, TOTALS_WIDTH, offset)]),
    ),
  };
}

/** How each grouping the fused loop fills is laid out in the cube, as columns by cell. */
const FUSED_LAYOUTS: Readonly<Record<string, (cube: Cube) => CellColumns>> = {
  customerDay: (cube) => {
    const columns = cube.customerDayBlock.columns();
    return {
      size: cube.customerDay.size,
      keys: pairKeys(cube.customerDay, 'customer', 'day'),
      measures: {
        calls: columns.calls,
        cost: columns.cost,
        inputTokens: columns.input,
        outputTokens: columns.output,
      },
    };
  },
  customerFeature: (cube) => ({
    size: cube.customerFeature.size,
    keys: pairKeys(cube.customerFeature, 'customer', 'feature'),
    measures: cube.customerFeatureBlock.columns(),
  }),
  modelTaskDay: (cube) => {
    const columns = cube.modelTaskDayBlock.columns();
    const table = cube.modelTaskDay;
    return {
      size: table.size,
      keys: {
        model: table.first.map((modelTask) => cube.modelTask.first[modelTask] as number),
        taskType: table.first.map((modelTask) => cube.modelTask.second[modelTask] as number),
        day: table.second,
      },
      measures: {
        calls: columns.calls,
        cost: columns.cost,
        inputTokens: columns.input,
        outputTokens: columns.output,
        latencySum: columns.latency,
        withinSla: columns.underSla,
        timedCalls: columns.timed,
      },
    };
  },
  modelTaskCost: (cube) => ({
    size: cube.modelTask.size,
    keys: pairKeys(cube.modelTask, 'model', 'taskType'),
    histograms: { costPerCall: cube.modelTaskCost },
  }),
  modelLatency: (cube) => ({
    size: cube.modelName.length,
    keys: { model: identity(cube.modelName.length) },
    histograms: { latency: cube.modelLatency },
    bins: { latencyBins: cube.modelLatencyBins },
  }),
  modelUsage: (cube) => ({
    size: cube.modelName.length,
    keys: { model: identity(cube.modelName.length) },
    measures: Object.fromEntries(
      MODEL_USAGE_COLUMNS.map((name, offset) => [name, strided(cube.modelUsage, MODEL_USAGE_WIDTH, offset)]),
    ),
  }),
  planTotals: (cube) => totalsColumns(cube.tierTotals, 'plan'),
  hourTotals: (cube) => totalsColumns(cube.hourTotals, 'hour'),
  weekdayTotals: (cube) => totalsColumns(cube.weekdayTotals, 'weekday'),
  teamFeature: (cube) => {
    const table = cube.orgProductFeatureEnv;
    const columns = cube.orgProductFeatureEnvBlock.columns();
    return {
      size: table.size,
      keys: {
        organization: table.first.map((orgProduct) => cube.orgProduct.first[orgProduct] as number),
        product: table.first.map((orgProduct) => cube.orgProduct.second[orgProduct] as number),
        feature: table.second.map((featureEnvironment) => Math.floor(featureEnvironment / ENVIRONMENT_COUNT)),
        environment: table.second.map((featureEnvironment) => featureEnvironment % ENVIRONMENT_COUNT),
      },
      measures: {
        calls: columns.calls,
        cost: columns.cost,
        inputTokens: columns.input,
        outputTokens: columns.output,
        premiumCost: columns.premiumCost,
      },
    };
  },
  regionProvider: (cube) => {
    const columns = cube.regionProviderBlock.columns();
    return {
      size: cube.regionProvider.size,
      keys: pairKeys(cube.regionProvider, 'region', 'provider'),
      measures: {
        calls: columns.calls,
        cost: columns.cost,
        latencySum: columns.latency,
        timedCalls: columns.timed,
      },
    };
  },
  regionLatency: (cube) => ({
    size: cube.regionLatency.length,
    keys: { region: identity(cube.regionLatency.length) },
    histograms: { latency: cube.regionLatency },
  }),
  errorModel: (cube) => ({
    size: cube.errorModel.size,
    keys: pairKeys(cube.errorModel, 'errorType', 'model'),
    measures: cube.errorModelBlock.columns(),
  }),
  customerError: (cube) => ({
    size: cube.customerError.size,
    keys: pairKeys(cube.customerError, 'customer', 'errorType'),
    measures: cube.customerErrorBlock.columns(),
  }),
};

/** The names of the groupings the fused loop of the cube fills. */
export const FUSED_GROUPING_NAMES: readonly string[] = Object.keys(FUSED_LAYOUTS);

/**
 * The in-process store seen through the read interface: a canonical
 * {@link Cube} (sorted dictionaries, cells in key order), its layout kept
 * behind {@link AggregateReader}.
 */
export class CubeReader implements AggregateReader {
  private readonly views = new Map<string, GroupingReader>();

  constructor(private readonly cube: Cube) {}

  get calls(): number {
    return this.cube.calls;
  }
  get costMicros(): number {
    return this.cube.costMicros;
  }
  get inputTokens(): number {
    return this.cube.inputTokens;
  }
  get outputTokens(): number {
    return this.cube.outputTokens;
  }
  get firstMs(): number {
    return this.cube.firstMs;
  }
  get lastMs(): number {
    return this.cube.lastMs;
  }

  values(dimension: NamedDimension): readonly string[] {
    const cube = this.cube;
    switch (dimension) {
      case 'provider':
        return cube.providers.values;
      case 'model':
        return cube.modelName;
      case 'customer':
        return cube.customers.values;
      case 'organization':
        return cube.organizations.values;
      case 'product':
        return cube.products.values;
      case 'feature':
        return cube.features.values;
      case 'taskType':
        return cube.taskTypes.values;
      case 'plan':
        return cube.plans.values;
      case 'environment':
        return cube.environments.values;
      case 'region':
        return cube.regions.values;
      case 'errorType':
        return cube.errorTypes.values;
      case 'session':
        return cube.sessions.values;
      case 'trace':
        return cube.traces.values;
    }
  }

  days(): readonly number[] {
    return this.cube.days;
  }

  modelProviders(): readonly number[] {
    return this.cube.modelProvider;
  }

  premiumModels(): readonly boolean[] {
    return this.cube.modelPremium.map((flag) => flag === 1);
  }

  customerPlans(): CustomerPlans {
    return {
      latest: this.cube.customerTier,
      lowest: this.cube.customerPlanLow,
      highest: this.cube.customerPlanHigh,
    };
  }

  has(grouping: string): boolean {
    return this.cube.fills(grouping);
  }

  grouping(name: string): GroupingReader {
    let view = this.views.get(name);
    if (view === undefined) {
      if (!this.cube.fills(name))
        throw new FinopsError(
          'grouping_not_filled',
          `the aggregates hold no grouping "${name}": declare it in the groupings of the analysis that reads it`,
        );
      const layout = FUSED_LAYOUTS[name];
      view = new CellsView(name, layout ? layout(this.cube) : this.cube.genericColumns(name));
      this.views.set(name, view);
    }
    return view;
  }
}
