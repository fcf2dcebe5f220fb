/**
 * `@finops/simulator`: seeded, realistic AI call logs — a population of
 * customers with stable traits, their daily traffic, and twenty scenarios
 * that reshape it (bursts, churn, migrations, launches, growth …). The same
 * options give byte-identical output on any machine.
 *
 * @packageDocumentation
 */
export * from './options';
export * from './scenarios';
export { ARCHETYPES, FEATURE_ADOPTION, USER_AGENTS, ALL_COHORTS, buildPopulation } from './population';
export type { Archetype, ArchetypeProfile, Cohort, Customer } from './population';
export { SeededRandom, splitmix32, cumulativeWeights } from './random';
export { TrafficGenerator, hourShape, SIMULATED_COLUMNS } from './traffic';
export {
  simulate,
  simulateToFile,
  simulationPopulation,
  type SimulationSummary,
  type SimulationFileSummary,
  type SimulationFileOptions,
} from './simulate';
