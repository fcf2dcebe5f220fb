/**
 * What the abuse analysis's minute profiles cost when the engine builds them,
 * against filling the customer × minute × model grouping they are otherwise
 * built from (as `warehouseState` fills it), side by side in one process on
 * one loaded table, alternating for a number of rounds. Prints each
 * round's times and rows, then the medians.
 *
 * Usage (from the repository root, after `npm run bench -- clickhouse --sizes=200 --rounds=1`):
 *
 *     npx esbuild packages/clickhouse/tests/tools/minute-profile-cost.ts --bundle --platform=node \
 *       --format=esm --outfile=tmp/minute-profile-cost.mjs --external:chdb --external:@clickhouse/client \
 *       --alias:@finops/analyzers=./packages/analyzers/src/index.ts \
 *       --alias:@finops/analyzers/internal=./packages/analyzers/src/internal.ts \
 *       --alias:@finops/schema=./packages/schema/src/index.ts
 *     node tmp/minute-profile-cost.mjs chdb:tmp/bench/clickhouse-200mb 3
 */
import { type AbuseConfig, ABUSE_MINUTE_MODEL, resolveConfig } from '@finops/analyzers';
import { defaultCatalog } from '@finops/schema';
import { CallWarehouse, CubeBuilder, GeneratedGrouping, readMode, scopeOf, type Scope } from '../../src';
import { minuteProfilesFromSql } from '../../src/digests/minute-profiles';

/** Fills the grouping as `warehouseState` does (generic cells); its time and the rows the engine returned. */
async function fillGrouping(warehouse: CallWarehouse, scope: Scope): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const builder = new CubeBuilder(defaultCatalog(), { slaMs: 2000, latencyBinMs: 250, latencyBinCount: 40 });
  const grouping = new GeneratedGrouping(ABUSE_MINUTE_MODEL, {});
  let rows = 0;
  await grouping.fill(warehouse, scope, builder, (count) => (rows += count));
  grouping.toData();
  return { ms: performance.now() - started, rows };
}

/** Builds the profiles in the engine; its time and the rows the engine returned. */
async function buildProfiles(
  warehouse: CallWarehouse,
  scope: Scope,
  settings: AbuseConfig,
): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const profiles = await minuteProfilesFromSql(warehouse, scope, settings);
  const ms = performance.now() - started;
  // The rows the engine sent: a customer's models, then its profile's rows (an hour of day with quiet calls each).
  let rows = 0;
  for (const profile of profiles.customers)
    rows +=
      1 +
      profile.quietMinutes.length +
      profile.minutes.length +
      profile.quietHours.length +
      profile.quietHourCalls.filter((calls) => calls > 0).length +
      profile.hours.length;
  return { ms, rows };
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

async function main(): Promise<void> {
  const [target = 'chdb:tmp/bench/clickhouse-200mb', roundsText = '3'] = process.argv.slice(2);
  const settings = (resolveConfig() as unknown as { abuse: AbuseConfig }).abuse;
  const warehouse = await CallWarehouse.open({ target });
  try {
    const scope = scopeOf({}, await readMode(warehouse));
    const grouping: number[] = [];
    const profiles: number[] = [];
    for (let round = 1; round <= Number(roundsText); round++) {
      // Alternate which goes first, so that neither always finds the engine's caches warm.
      const first = round % 2 === 1;
      const filled = first ? await fillGrouping(warehouse, scope) : undefined;
      const built = await buildProfiles(warehouse, scope, settings);
      const fill = filled ?? (await fillGrouping(warehouse, scope));
      grouping.push(fill.ms);
      profiles.push(built.ms);
      process.stdout.write(
        `round ${round}: grouping ${fill.ms.toFixed(0)} ms, ${fill.rows} rows · profiles ${built.ms.toFixed(0)} ms, ${built.rows} rows\n`,
      );
    }
    const ratio = medianOf(grouping) / medianOf(profiles);
    process.stdout.write(
      `medians: grouping ${medianOf(grouping).toFixed(0)} ms · profiles ${medianOf(profiles).toFixed(0)} ms · ×${ratio.toFixed(2)}\n`,
    );
  } finally {
    await warehouse.close();
  }
}

await main();
