import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCatalog, parseUtcDay, readCallLog, writeCallLog } from '@finops/schema';
import {
  DEFAULT_SCENARIO_PARAMETERS,
  isScenarioChoice,
  resolveSimulationOptions,
  SCENARIO_DESCRIPTIONS,
  SCENARIO_NAMES,
  SIMULATED_COLUMNS,
  simulate,
  simulateToFile,
} from '../src';
import { collect, MONDAY } from './helpers';

describe('resolveSimulationOptions', () => {
  it('applies the specification defaults, starting `days` days before today', () => {
    const now = Date.UTC(2025, 10, 19, 15, 30);
    const resolved = resolveSimulationOptions({}, () => now);
    expect(resolved).toMatchObject({
      customers: 100,
      days: 30,
      seed: 42,
      scenario: 'base',
      targetBytes: undefined,
    });
    expect(resolved.startDay).toBe(parseUtcDay('2025-10-20'));
    expect(resolved.parameters).toEqual(DEFAULT_SCENARIO_PARAMETERS);
    expect(resolved.parameters['model-migration']).toMatchObject({
      fromModel: 'gpt-4',
      toModel: 'claude-sonnet-4',
      startDay: 10,
    });
  });

  it('accepts a start as a date, a timestamp, epoch milliseconds or a Date', () => {
    const day = parseUtcDay('2025-11-03');
    expect(resolveSimulationOptions({ start: '2025-11-03' }).startDay).toBe(day);
    expect(resolveSimulationOptions({ start: '2025-11-03T18:00:00Z' }).startDay).toBe(day);
    expect(resolveSimulationOptions({ start: Date.UTC(2025, 10, 3, 23) }).startDay).toBe(day);
    expect(resolveSimulationOptions({ start: new Date(Date.UTC(2025, 10, 3)) }).startDay).toBe(day);
  });

  it('merges scenario parameter overrides with the defaults', () => {
    const resolved = resolveSimulationOptions({
      start: MONDAY,
      parameters: { burst: { dayShare: 0.5 } },
      sizeMb: 1.5,
    });
    expect(resolved.parameters.burst).toEqual({ ...DEFAULT_SCENARIO_PARAMETERS.burst, dayShare: 0.5 });
    expect(resolved.targetBytes).toBe(1_500_000);
  });

  it.each([
    [{ customers: 1.5 }, /customers/],
    [{ days: 0 }, /days/],
    [{ seed: Number.POSITIVE_INFINITY }, /seed/],
    [{ scenario: 'rainy' as never }, /unknown scenario/],
    [{ sizeMb: -1 }, /sizeMb/],
    [{ start: 'yesterday' }, /start/],
    [{ start: Number.NaN }, /start/],
    [{ start: new Date(Number.NaN) }, /start/],
    [{ parameters: { burst: { minMultiplier: 30 } } }, /burst multiplier/],
    [{ parameters: { burst: { maxHours: 30 } } }, /maxHours/],
    [{ parameters: { decline: { churnShare: 2 } } }, /churnShare/],
    [{ parameters: { 'multi-tenant': { organizations: 0 } } }, /organizations/],
    [{ parameters: { 'model-migration': { toModel: 'gpt-9' } } }, /gpt-9/],
    [{ parameters: { 'model-migration': { durationDays: 0 } } }, /durationDays/],
    [{ parameters: { weekend: { sundayShare: [0.6, 0.2] as const } } }, /sundayShare/],
    [{ parameters: { timezones: { zones: [] } } }, /zones/],
    [{ parameters: { timezones: { peakStartHour: 18 } } }, /peakStartHour/],
    [{ parameters: { 'feature-launch': { feature: '' } } }, /feature/],
    [{ parameters: { 'feature-launch': { spikeFadeDays: 0 } } }, /spikeFadeDays/],
    [{ parameters: { 'cost-optimization': { endDay: 5 } } }, /endDay/],
    [{ parameters: { 'cost-optimization': { simpleTasks: ['poetry'] } } }, /simpleTasks/],
    [{ parameters: { 'viral-spike': { growthDays: -1 } } }, /growthDays/],
    [{ parameters: { 'steady-growth': { minDailyGrowth: 0.1, maxDailyGrowth: 0.01 } } }, /steady-growth/],
    [{ parameters: { seasonal: { hourAmplitude: Number.NaN } } }, /seasonal/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveSimulationOptions(options)).toThrow(message);
  });

  it('names and describes every scenario choice', () => {
    expect(SCENARIO_NAMES).toHaveLength(20);
    for (const name of [...SCENARIO_NAMES, 'base', 'all'] as const) {
      expect(isScenarioChoice(name)).toBe(true);
      expect(SCENARIO_DESCRIPTIONS[name].length).toBeGreaterThan(20);
    }
    expect(isScenarioChoice('rainy')).toBe(false);
  });
});

describe('a custom catalog', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'simulator-catalog-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const catalog = parseCatalog({
    providers: {
      'acme, inc': {
        share: 0.5,
        models: {
          'modèle "grand"': { input: 0.01, output: 0.02, class: 'premium', latencyFactor: 1.2 },
          'petit-modèle': { input: 0.0001, output: 0.0002, class: 'budget', latencyFactor: 0.5 },
        },
      },
      openai: {
        share: 0.5,
        models: { 'gpt-4': { input: 0.03, output: 0.06, class: 'premium', latencyFactor: 1.5 } },
      },
      anthropic: {
        share: 0,
        models: { 'claude-sonnet-4': { input: 0.003, output: 0.015, class: 'standard', latencyFactor: 0.9 } },
      },
    },
  });

  it('prices every call from it, quotes awkward names and counts bytes exactly', async () => {
    const path = join(folder, 'custom.csv');
    const options = {
      customers: 24,
      start: MONDAY,
      catalog,
      scenario: 'all',
      sizeMb: 0.4,
      parameters: { 'feature-launch': { feature: 'assistant, beta', launchDay: 0 } },
    } as const;
    const summary = await simulateToFile(options, path);
    expect(statSync(path).size).toBe(summary.bytes);
    const viaSchema = join(folder, 'custom-schema.csv');
    await writeCallLog(viaSchema, simulate(options), { columns: SIMULATED_COLUMNS });
    expect(readFileSync(viaSchema).equals(readFileSync(path))).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain(',"assistant, beta",');
    expect(readFileSync(path, 'utf8')).toContain('"acme, inc","modèle ""grand"""');
    const providers = new Set<string>();
    let rejected = 0;
    let warned = 0;
    for await (const batch of readCallLog(path, { catalog })) {
      rejected = batch.tally.rowsRejected;
      warned = batch.tally.rowsWarned;
      for (const record of batch.records) providers.add(record.provider);
    }
    expect(rejected).toBe(0);
    expect(warned).toBe(0);
    expect(providers).toEqual(new Set(['acme, inc', 'openai']));
  });

  it('gives a provider without a premium model its most expensive one as the premium choice', async () => {
    const records = await collect({
      customers: 30,
      days: 3,
      start: MONDAY,
      catalog,
      scenario: 'cost-optimization',
    });
    expect(records.some((record) => record.model === 'modèle "grand"')).toBe(true);
  });
});
