import { ENVIRONMENT_COUNT } from '@finops/analyzers/internal';
import type { Aggregate } from './aggregate';
import { numberOf, SUMS_SQL, textOf } from './aggregate';

/**
 * Calls, cost, tokens and cost on premium models per organization × product
 * × feature × environment. Which models are premium is the catalog's word:
 * the groups come per model too, and the model's class decides here.
 */
export const orgProductFeatureEnv: Aggregate = {
  name: 'org-product-feature-env',
  query: (scope) => ({
    sql: `SELECT organization_id, product_id, feature_id, environment, provider, model, ${SUMS_SQL} ${scope.from} GROUP BY organization_id, product_id, feature_id, environment, provider, model`,
    params: scope.params,
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
    const cost = numberOf(row, 'cost');
    cells.add(cell, 'calls', numberOf(row, 'calls'));
    cells.add(cell, 'cost', cost);
    cells.add(cell, 'input', numberOf(row, 'input'));
    cells.add(cell, 'output', numberOf(row, 'output'));
    if (builder.isPremium(textOf(row, 'provider'), textOf(row, 'model')))
      cells.add(cell, 'premiumCost', cost);
  },
};
