import { ENVIRONMENT_COUNT } from '@finops/analyzers';
import type { Aggregate } from './aggregate';
import { numberOf, SUMS_SQL, textOf } from './aggregate';

/**
 * Calls, cost, tokens and cost on premium models per organization × product
 * × feature × environment. Which models are premium is the catalog's word:
 * the models found so far are classed in JS and bound as a list.
 */
export const orgProductFeatureEnv: Aggregate = {
  name: 'org-product-feature-env',
  query: (scope, builder) => ({
    sql: `SELECT organization_id, product_id, feature_id, environment, ${SUMS_SQL}, sumIf(cost_micros, has(arrayZip({premium_providers:Array(String)}, {premium_models:Array(String)}), tuple(toString(provider), toString(model)))) AS premium_cost ${scope.from} GROUP BY organization_id, product_id, feature_id, environment`,
    params: {
      ...scope.params,
      premium_providers: builder.premiumModels().map(([provider]) => provider),
      premium_models: builder.premiumModels().map(([, model]) => model),
    },
  }),
  fold(builder, row) {
    const orgProduct = builder.orgProduct.cell(
      builder.organizations.id(textOf(row, 'organization_id')),
      builder.products.id(textOf(row, 'product_id')),
    );
    const second =
      builder.features.id(textOf(row, 'feature_id')) * ENVIRONMENT_COUNT +
      builder.environments.id(textOf(row, 'environment'));
    const cells = builder.orgProductFeatureEnv;
    const cell = cells.cell(orgProduct, second);
    cells.add(cell, 'calls', numberOf(row, 'calls'));
    cells.add(cell, 'cost', numberOf(row, 'cost'));
    cells.add(cell, 'input', numberOf(row, 'input'));
    cells.add(cell, 'output', numberOf(row, 'output'));
    cells.add(cell, 'premiumCost', numberOf(row, 'premium_cost'));
  },
};
