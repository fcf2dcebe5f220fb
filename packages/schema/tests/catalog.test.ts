import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  BUILTIN_CATALOG,
  BUILTIN_CATALOG_SOURCE,
  CatalogError,
  canonicalProvider,
  defaultCatalog,
  LEGACY_CATALOG,
  loadCatalog,
  loadCatalogSync,
  type ModelPrice,
  modelNameCandidates,
  parseCatalog,
  priceCallMicros,
  priceCallPicos,
  priceTokensMicros,
} from '../src/index';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-catalog-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function issuesOf(attempt: () => unknown): readonly string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof CatalogError) return error.issues;
    throw error;
  }
  throw new Error('no CatalogError was thrown');
}

const at = (text: string): number => Date.parse(text);

describe('the built-in catalog', () => {
  const catalog = defaultCatalog();

  it('lists the providers by their OpenTelemetry ids, with shares adding up to 100 %', () => {
    expect(catalog.providers.map((provider) => provider.name)).toEqual([
      'openai',
      'anthropic',
      'gcp.gemini',
      'gcp.vertex_ai',
      'aws.bedrock',
      'azure.ai.openai',
      'mistral_ai',
      'cohere',
    ]);
    const shares = catalog.providers.reduce((sum, provider) => sum + provider.share, 0);
    expect(shares).toBeCloseTo(1, 10);
    expect(BUILTIN_CATALOG_SOURCE).toMatchObject({ package: '@pydantic/genai-prices' });
    expect(BUILTIN_CATALOG.source).toBe(`@pydantic/genai-prices ${BUILTIN_CATALOG_SOURCE.version}`);
  });

  it('has the models people call, with a class each and every price kind it lists', () => {
    const wanted: [string, string[]][] = [
      [
        'openai',
        ['gpt-5', 'gpt-5-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini'],
      ],
      ['anthropic', ['claude-opus-4-1', 'claude-sonnet-4-5', 'claude-haiku-4-5']],
      ['gcp.gemini', ['gemini-2.5-pro', 'gemini-2.5-flash']],
      ['gcp.vertex_ai', ['gemini-2.5-pro', 'gemini-2.5-flash', 'claude-sonnet-4-5']],
      ['aws.bedrock', ['anthropic.claude-sonnet-4-5', 'anthropic.claude-haiku-4-5', 'amazon.nova-pro']],
      ['azure.ai.openai', ['gpt-5', 'gpt-4.1', 'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini']],
      ['mistral_ai', ['mistral-large', 'mistral-small']],
      ['cohere', ['command-a', 'command-r']],
    ];
    for (const [provider, models] of wanted) {
      for (const model of models)
        expect([provider, model, catalog.get(provider, model)?.model]).toEqual([provider, model, model]);
    }
    for (const price of catalog.models()) {
      expect(['premium', 'standard', 'budget']).toContain(price.class);
      expect(price.latencyFactor).toBeGreaterThan(0);
      expect(price.inputPicosPerToken).toBeGreaterThan(0);
    }
    // Anthropic lists cache reads and writes apart: $3, $0.30 and $3.75 per million tokens.
    expect(catalog.get('anthropic', 'claude-sonnet-4-5')).toMatchObject({
      class: 'standard',
      perMtok: { input: '3', cacheRead: '0.3', cacheWrite: '3.75', output: '15' },
      inputPicosPerToken: 3_000_000,
      cacheReadPicosPerToken: 300_000,
      cacheWritePicosPerToken: 3_750_000,
      outputPicosPerToken: 15_000_000,
      reasoningPicosPerToken: 15_000_000,
    });
  });

  it('resolves dated model ids and provider spellings to one entry', () => {
    const gpt4o = catalog.get('openai', 'gpt-4o');
    expect(catalog.get('openai', 'gpt-4o-2024-08-06')).toBe(gpt4o);
    expect(catalog.get('OpenAI', 'GPT-4o')).toBe(gpt4o);
    expect(catalog.get('openai', 'openai/gpt-4o-2024-11-20')).toBe(gpt4o);
    const sonnet = catalog.get('anthropic', 'claude-sonnet-4-5');
    expect(catalog.get('anthropic', 'claude-sonnet-4-5-20250929')).toBe(sonnet);
    expect(catalog.get('anthropic', 'claude-sonnet-4.5')).toBe(sonnet);
    const azure = catalog.get('azure.ai.openai', 'gpt-4o');
    expect(azure?.provider).toBe('azure.ai.openai');
    for (const spelling of ['azure', 'azure_openai', 'Azure', 'azure.ai.openai'])
      expect(catalog.get(spelling, 'gpt-4o-2024-08-06')).toBe(azure);
    expect(catalog.get('azure', 'gpt-3.5-turbo')?.model).toBe('gpt-35-turbo');
    const bedrock = catalog.get('aws.bedrock', 'anthropic.claude-sonnet-4-5');
    for (const id of [
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ])
      expect(catalog.get('bedrock', id)).toBe(bedrock);
    // The global inference profile is priced apart from the regional ones.
    expect(catalog.get('bedrock', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0')?.perMtok.input).toBe(
      '3',
    );
    expect(bedrock?.perMtok.input).toBe('3.3');
    expect(catalog.get('vertex_ai', 'claude-sonnet-4-5@20250929')?.provider).toBe('gcp.vertex_ai');
    expect(catalog.get('google', 'models/gemini-2.5-flash')?.provider).toBe('gcp.gemini');
    expect(catalog.get('gemini', 'gemini-2.5-flash')).toBe(catalog.get('gcp.gemini', 'gemini-2.5-flash'));
    expect(catalog.get('mistral', 'mistral-large-2411')?.model).toBe('mistral-large');
    expect(catalog.get('openai', 'claude-sonnet-4-5')).toBeUndefined();
    expect(catalog.get('nobody', 'gpt-4o')).toBeUndefined();
    expect(catalog.providerName('AZURE_OPENAI')).toBe('azure.ai.openai');
    expect(catalog.providerName('nobody')).toBeUndefined();
  });

  it('keeps resolving after many unknown spellings (its memory of them is bounded)', () => {
    const fresh = parseCatalog(BUILTIN_CATALOG);
    let found = 0;
    for (let index = 0; index < 10_050; index++) {
      if (fresh.get('azure', `model-${index}`) !== undefined) found++;
      if (fresh.get(`spelling-${index}`, 'gpt-4o') !== undefined) found++;
    }
    expect(found).toBe(0);
    expect(fresh.get('azure', 'gpt-4o-2024-08-06')?.model).toBe('gpt-4o');
  });

  it('prices each call at the prices in force at its time, the boundary belonging to the new price', () => {
    // o3 cost $10 / $40 per million tokens until 2025-06-10, then $2 / $8.
    const before = catalog.resolve('openai', 'o3', at('2025-06-09T23:59:59.999Z'));
    const after = catalog.resolve('openai', 'o3', at('2025-06-10T00:00:00Z'));
    expect(before?.perMtok).toEqual({ input: '10', cacheRead: '0.5', output: '40' });
    expect(after?.perMtok).toEqual({ input: '2', cacheRead: '0.5', output: '8' });
    expect(before?.effectiveFromMs).toBeUndefined();
    expect(before?.effectiveUntilMs).toBe(at('2025-06-10T00:00:00Z'));
    expect(after?.effectiveFromMs).toBe(at('2025-06-10T00:00:00Z'));
    expect(after?.effectiveUntilMs).toBeUndefined();
    expect(catalog.get('openai', 'o3')).toBe(after);
    expect(catalog.resolve('openai', 'o3-2025-04-16', at('2025-01-01T00:00:00Z'))).toBe(before);
    expect(catalog.history('openai', 'o3')).toEqual([before, after]);
    expect(catalog.history('openai', 'nothing')).toEqual([]);
    // 1,000 input and 1,000 output tokens: $0.05 before, $0.01 after.
    const tokens = { inputTokens: 1000, outputTokens: 1000 };
    expect(catalog.costOfCall('openai', 'o3', at('2025-06-09T12:00:00Z'), tokens)).toBe(50_000);
    expect(catalog.costOfCall('openai', 'o3', at('2025-06-10T12:00:00Z'), tokens)).toBe(10_000);
    expect(catalog.costOfCall('openai', 'o5', at('2025-06-10T12:00:00Z'), tokens)).toBeUndefined();
    expect(catalog.resolve('nobody', 'o3', 0)).toBeUndefined();
  });

  it('keeps plan prices: starter $29, pro $99, enterprise $299 a month', () => {
    expect(catalog.tierPriceMicros('pro')).toBe(99_000_000);
    expect(catalog.planPriceMicros('enterprise')).toBe(299_000_000);
    expect(catalog.planPriceMicros('gold')).toBeUndefined();
    expect(catalog.tierPriceMicros('gold')).toBe(0);
    expect(catalog.tierPrices()).toEqual({ starter: 29_000_000, pro: 99_000_000, enterprise: 299_000_000 });
  });

  it('serialises to the form it reads', () => {
    const again = parseCatalog(JSON.parse(JSON.stringify(catalog.toJSON())));
    expect(again.models()).toEqual(catalog.models());
    expect(again.history('openai', 'o3')).toEqual(catalog.history('openai', 'o3'));
  });
});

describe('exact call pricing', () => {
  const catalog = defaultCatalog();
  const sonnet = catalog.get('anthropic', 'claude-sonnet-4-5') as ModelPrice;

  it('prices uncached input, cache reads, cache writes and output each at its own price', () => {
    // 10,000 input = 2,000 uncached × $3 + 6,000 cache reads × $0.30 + 2,000 cache writes × $3.75 (per M);
    // 1,000 output × $15 per M, its 300 reasoning tokens included.
    const tokens = {
      inputTokens: 10_000,
      cachedInputTokens: 6_000,
      cacheWriteInputTokens: 2_000,
      outputTokens: 1_000,
      reasoningTokens: 300,
    };
    expect(priceCallPicos(sonnet, tokens)).toBe(
      6_000_000_000 + 1_800_000_000 + 7_500_000_000 + 15_000_000_000,
    );
    expect(priceCallMicros(sonnet, tokens)).toBe(30_300);
  });

  it('falls back to the input price for cache reads and writes of a model without cache prices', () => {
    const gpt4 = catalog.get('openai', 'gpt-4') as ModelPrice;
    expect(gpt4.perMtok.cacheRead).toBeUndefined();
    const cached = priceCallPicos(gpt4, { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 0 });
    expect(cached).toBe(1000 * 30_000_000);
  });

  it('prices reasoning apart when the model lists a reasoning price', () => {
    const thinking = parseCatalog({
      providers: {
        acme: {
          models: {
            'think-1': { class: 'premium', inputPerMtok: '1', outputPerMtok: '4', reasoningPerMtok: '8' },
          },
        },
      },
    }).get('acme', 'think-1') as ModelPrice;
    // 750 plain output × $4 + 250 reasoning × $8 per million tokens = $0.005.
    expect(priceCallPicos(thinking, { inputTokens: 0, outputTokens: 1000, reasoningTokens: 250 })).toBe(
      5_000_000_000,
    );
  });

  it('rounds half up to the micro-dollar and stays exact past 2^53 pico-dollars', () => {
    const nano = catalog.get('openai', 'gpt-5-nano') as ModelPrice; // $0.05 in, $0.4 out per M
    expect(priceCallMicros(nano, { inputTokens: 10, outputTokens: 0 })).toBe(1); // 0.5 micro-dollars
    expect(priceCallMicros(nano, { inputTokens: 9, outputTokens: 0 })).toBe(0); // 0.45
    const opus = catalog.get('anthropic', 'claude-opus-4-1') as ModelPrice; // $75 per M output
    // 1,000,000,001 output tokens × $75 per M = $75,000.000075.
    expect(priceCallMicros(opus, { inputTokens: 0, outputTokens: 1_000_000_001 })).toBe(75_000_000_075);
    expect(priceCallPicos(opus, { inputTokens: 0, outputTokens: 1_000_000_000 })).toBe(
      75_000_000_000_000_000,
    );
  });

  it('prices every token of a long-context call at its tier', () => {
    // Sonnet 4.5: $3 / $0.30 / $3.75 / $15 per M up to 200,000 input tokens; $6 / $0.60 / $7.50 / $22.50 above.
    expect(sonnet.tiers).toEqual([
      expect.objectContaining({
        aboveInputTokens: 200_000,
        perMtok: { input: '6', cacheRead: '0.6', cacheWrite: '7.5', output: '22.5' },
      }),
    ]);
    expect(priceCallMicros(sonnet, { inputTokens: 200_000, outputTokens: 1000 })).toBe(600_000 + 15_000);
    // 200,001 input of which 100,000 cache reads and 1 cache write; 1,000 output.
    expect(
      priceCallPicos(sonnet, {
        inputTokens: 200_001,
        cachedInputTokens: 100_000,
        cacheWriteInputTokens: 1,
        outputTokens: 1000,
      }),
    ).toBe(100_000 * 6_000_000 + 100_000 * 600_000 + 7_500_000 + 1000 * 22_500_000);
    expect(catalog.costOf('anthropic', 'claude-sonnet-4-5', 300_000, 0)).toBe(1_800_000);
    // Totals of many calls are priced at base prices.
    expect(priceTokensMicros(sonnet, 300_000, 0)).toBe(900_000);
  });

  it('refuses counts that break the token rule', () => {
    expect(() =>
      priceCallPicos(sonnet, {
        inputTokens: 10,
        cachedInputTokens: 8,
        cacheWriteInputTokens: 3,
        outputTokens: 0,
      }),
    ).toThrow('cachedInputTokens (8) + cacheWriteInputTokens (3) exceed inputTokens (10)');
    expect(() => priceCallPicos(sonnet, { inputTokens: 0, outputTokens: 5, reasoningTokens: 6 })).toThrow(
      'reasoningTokens (6) exceed outputTokens (5)',
    );
    expect(() => priceCallPicos(sonnet, { inputTokens: -1, outputTokens: 0 })).toThrow('inputTokens must be');
    expect(() => priceCallPicos(sonnet, { inputTokens: 1.5, outputTokens: 0 })).toThrow(
      'inputTokens must be',
    );
  });

  it('agrees with decimal arithmetic for any token counts', () => {
    const models = catalog.models();
    fc.assert(
      fc.property(
        fc.nat({ max: models.length - 1 }),
        fc.nat({ max: 2_000_000_000 }),
        fc.nat({ max: 2_000_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (index, input, output, cachedShare, writeShare, reasoningShare) => {
          const model = models[index] as ModelPrice;
          const tier = [...model.tiers].reverse().find((entry) => input > entry.aboveInputTokens);
          const price = tier ?? model;
          const cached = Math.floor(input * cachedShare);
          const written = Math.floor((input - cached) * writeShare);
          const reasoning = Math.floor(output * reasoningShare);
          const picos =
            BigInt(input - cached - written) * BigInt(price.inputPicosPerToken) +
            BigInt(cached) * BigInt(price.cacheReadPicosPerToken) +
            BigInt(written) * BigInt(price.cacheWritePicosPerToken) +
            BigInt(output - reasoning) * BigInt(price.outputPicosPerToken) +
            BigInt(reasoning) * BigInt(price.reasoningPicosPerToken);
          const tokens = {
            inputTokens: input,
            cachedInputTokens: cached,
            cacheWriteInputTokens: written,
            outputTokens: output,
            reasoningTokens: reasoning,
          };
          expect(priceCallMicros(model, tokens)).toBe(Number((picos + 500_000n) / 1_000_000n));
          if (cached + written + reasoning === 0)
            expect(catalog.costOf(model.provider, model.model, input, output)).toBe(
              Number((picos + 500_000n) / 1_000_000n),
            );
        },
      ),
    );
  });
});

describe('catalog files', () => {
  it('loads a replacement catalog with dated prices and open plans', async () => {
    const path = join(folder, 'mine.json');
    await writeFile(
      path,
      JSON.stringify({
        providers: {
          acme: {
            share: 1,
            aliases: ['acme-cloud'],
            models: {
              'acme-1': {
                class: 'standard',
                aliases: ['acme-one'],
                prices: [
                  { from: '2026-01-01', inputPerMtok: '2', outputPerMtok: '4' },
                  { from: '2026-07-01T12:00:00Z', inputPerMtok: 1.5, outputPerMtok: '3.000000' },
                ],
              },
            },
          },
        },
        tiers: { pro: 120 },
        plans: { scale: 499.5 },
      }),
    );
    const catalog = await loadCatalog(path);
    expect(catalog.models().map((model) => model.model)).toEqual(['acme-1']);
    expect(catalog.get('acme-cloud', 'acme-one')?.perMtok).toEqual({ input: '1.5', output: '3' });
    // A time before the first period has no price.
    expect(catalog.resolve('acme', 'acme-1', at('2025-12-31T23:59:59Z'))).toBeUndefined();
    expect(catalog.resolve('acme', 'acme-1', at('2026-07-01T11:59:59Z'))?.perMtok.input).toBe('2');
    expect(catalog.resolve('acme', 'acme-1', at('2026-07-01T12:00:00Z'))?.perMtok.input).toBe('1.5');
    expect(catalog.costOf('acme', 'acme-1', 1_000_000, 1_000_000)).toBe(4_500_000);
    expect(catalog.tierPriceMicros('pro')).toBe(120_000_000);
    expect(catalog.tierPriceMicros('starter')).toBe(29_000_000);
    expect(catalog.planPriceMicros('scale')).toBe(499_500_000);
    expect(catalog.get('acme', 'acme-1')?.latencyFactor).toBe(1);
    expect(catalog.providers[0]).toMatchObject({ name: 'acme', share: 1, aliases: ['acme-cloud'] });
    expect(loadCatalogSync(path).models()).toEqual(catalog.models());
  });

  it('extends the built-in catalog with negotiated rates, other spellings and new models', () => {
    const builtin = defaultCatalog();
    const catalog = parseCatalog({
      extends: 'builtin',
      providers: {
        openai: { models: { 'gpt-4o-2024-08-06': { inputPerMtok: '2', outputPerMtok: '8' } } },
        azure: { models: { 'gpt-4o': { class: 'budget' } } },
        newco: {
          share: 0,
          models: {
            nova: { class: 'budget', inputPerMtok: '0.1', outputPerMtok: '0.2', latencyFactor: 0.5 },
          },
        },
      },
      plans: { scale: 499 },
    });
    expect(catalog.models()).toHaveLength(builtin.models().length + 1);
    // The dated id names the built-in gpt-4o: its rate changes, its class and aliases stay.
    expect(catalog.get('openai', 'gpt-4o')).toMatchObject({
      class: 'standard',
      perMtok: { input: '2', output: '8' },
      aliases: expect.arrayContaining(['gpt-4o-2024-08-06']),
    });
    expect(catalog.get('openai', 'gpt-4')?.perMtok.input).toBe('30');
    // The file's spelling becomes the provider's name; the canonical id still finds it.
    expect(catalog.providerName('azure.ai.openai')).toBe('azure');
    expect(catalog.get('azure.ai.openai', 'gpt-4o')).toMatchObject({ provider: 'azure', class: 'budget' });
    expect(catalog.get('azure', 'gpt-4o')?.perMtok.input).toBe('2.5');
    expect(catalog.get('newco', 'nova')?.perMtok).toEqual({ input: '0.1', output: '0.2' });
    expect(catalog.planPriceMicros('scale')).toBe(499_000_000);
    expect(catalog.planPriceMicros('pro')).toBe(99_000_000);
  });

  it('still reads the first file format, in USD per 1,000 tokens', () => {
    const catalog = parseCatalog({
      providers: {
        acme: {
          share: 1,
          models: { old: { input: 0.0025, output: 0.01, class: 'standard', latencyFactor: 0.8 } },
        },
      },
    });
    expect(catalog.get('acme', 'old')).toMatchObject({
      perMtok: { input: '2.5', output: '10' },
      inputPicosPerToken: 2_500_000,
      inputPer1k: 0.0025,
      outputPer1k: 0.01,
    });
    const legacy = parseCatalog(LEGACY_CATALOG);
    expect(legacy.models()).toHaveLength(24);
    // 451 × $0.0025 / 1K + 555 × $0.01 / 1K = $0.0066775 → $0.006678
    expect(legacy.costOf('openai', 'gpt-4o', 451, 555)).toBe(6678);
  });

  it('names every problem of an invalid catalog by its path', () => {
    const issues = issuesOf(() =>
      parseCatalog(
        {
          extends: 'other',
          colour: 'blue',
          description: 5,
          providers: {
            openai: {
              share: 2,
              aliases: [''],
              models: {
                'gpt-4': { input: 'abc', output: -1, class: 'luxury', latencyFactor: 0, speed: 1 },
                dated: {
                  class: 'standard',
                  prices: [
                    { inputPerMtok: '1', outputPerMtok: '2' },
                    { inputPerMtok: '1', outputPerMtok: '2' },
                    { from: '2026-13-01', inputPerMtok: '-1', outputPerMtok: '0.0000001' },
                    { from: '2026-02-01', inputPerMtok: '1', outputPerMtok: '2', extra: 1 },
                    { from: '2026-01-01', outputPerMtok: '2' },
                    'cheap',
                  ],
                },
                twice: {
                  class: 'budget',
                  inputPerMtok: '1',
                  outputPerMtok: '1',
                  input: 0.001,
                  output: 0.001,
                },
                none: { class: 'budget', prices: [] },
                odd: 'x',
              },
            },
            empty: { share: 0.1, models: {} },
            listed: [],
          },
          tiers: { gold: -5 },
          plans: [],
        },
        'mine.json',
      ),
    );
    expect(issues).toEqual([
      'colour: unknown key (expected one of extends, providers, tiers, plans, $schema, description, source)',
      'extends: the only catalog that can be extended is "builtin", got "other"',
      'description: must be a string, got 5',
      'providers.openai.share: must be a number from 0 to 1, got 2',
      'providers.openai.aliases: must be an array of non-empty names, got [""]',
      'providers.openai.models.gpt-4.speed: unknown key (expected one of class, latencyFactor, aliases, prices, input, output, inputPerMtok, outputPerMtok, cacheReadPerMtok, cacheWritePerMtok, reasoningPerMtok, tiers)',
      'providers.openai.models.gpt-4.class: must be one of premium, standard, budget, got "luxury"',
      'providers.openai.models.gpt-4.latencyFactor: must be a positive number, got 0',
      'providers.openai.models.gpt-4.input: must be a non-negative number of USD per 1,000 tokens, got "abc"',
      'providers.openai.models.gpt-4.output: must be a non-negative number of USD per 1,000 tokens, got -1',
      'providers.openai.models.dated.prices[1].from: required after the first period, got nothing',
      'providers.openai.models.dated.prices[2].from: must be a date (YYYY-MM-DD) or an ISO 8601 timestamp, got "2026-13-01"',
      'providers.openai.models.dated.prices[2].inputPerMtok: must be a non-negative decimal of USD per million tokens with at most 6 decimal places, got "-1"',
      'providers.openai.models.dated.prices[2].outputPerMtok: must be a non-negative decimal of USD per million tokens with at most 6 decimal places, got "0.0000001"',
      'providers.openai.models.dated.prices[3].extra: unknown key (expected one of from, inputPerMtok, outputPerMtok, cacheReadPerMtok, cacheWritePerMtok, reasoningPerMtok, tiers)',
      'providers.openai.models.dated.prices[4].from: must be later than the period before it, got "2026-01-01"',
      'providers.openai.models.dated.prices[4].inputPerMtok: required, got nothing',
      'providers.openai.models.dated.prices[5]: must be an object of prices, got "cheap"',
      'providers.openai.models.twice: give its prices one way, not inputPerMtok/outputPerMtok and input/output',
      'providers.openai.models.none.prices: must be a non-empty array of price periods, got []',
      'providers.openai.models.odd: must be an object with class and prices, got "x"',
      'providers.empty.models: must be a non-empty object of models by name, got {}',
      'providers.listed: must be an object with share and models, got []',
      'tiers.gold: must be a non-negative number of USD a month, got -5',
      'plans: must be an object of monthly USD prices by plan name, got []',
    ]);
  });

  it('names the problems of long-context tiers by their path', () => {
    expect(
      issuesOf(() =>
        parseCatalog({
          providers: {
            acme: {
              models: {
                long: {
                  class: 'standard',
                  inputPerMtok: '1',
                  outputPerMtok: '2',
                  tiers: [
                    { aboveInputTokens: 1000, inputPerMtok: '2', outputPerMtok: '4' },
                    { aboveInputTokens: 1000, inputPerMtok: '3', outputPerMtok: 'x', colour: 1 },
                    5,
                  ],
                },
                empty: { class: 'standard', prices: [{ inputPerMtok: '1', outputPerMtok: '2', tiers: [] }] },
              },
            },
          },
        }),
      ),
    ).toEqual([
      'providers.acme.models.long.tiers[1].colour: unknown key (expected one of aboveInputTokens, inputPerMtok, outputPerMtok, cacheReadPerMtok, cacheWritePerMtok, reasoningPerMtok)',
      'providers.acme.models.long.tiers[1].aboveInputTokens: must be a whole number of tokens above the tier before it (1000), got 1000',
      'providers.acme.models.long.tiers[1].outputPerMtok: must be a non-negative decimal of USD per million tokens with at most 6 decimal places, got "x"',
      'providers.acme.models.long.tiers[2]: must be an object with aboveInputTokens and prices, got 5',
      'providers.acme.models.empty.prices[0].tiers: must be a non-empty array of long-context tiers, got []',
    ]);
    const catalog = parseCatalog({
      providers: {
        acme: {
          models: {
            long: {
              class: 'standard',
              inputPerMtok: '1',
              outputPerMtok: '2',
              tiers: [
                { aboveInputTokens: 1000, inputPerMtok: '2', outputPerMtok: '4' },
                { aboveInputTokens: 5000, inputPerMtok: '3', outputPerMtok: '6' },
              ],
            },
          },
        },
      },
    });
    expect(catalog.costOf('acme', 'long', 1000, 0)).toBe(1000);
    expect(catalog.costOf('acme', 'long', 1001, 0)).toBe(2002);
    expect(catalog.costOf('acme', 'long', 5001, 1000)).toBe(15_003 + 6000);
    expect(parseCatalog(catalog.toJSON()).models()).toEqual(catalog.models());
  });

  it('names what a merged catalog lacks: a class, prices, an alias two models claim', () => {
    expect(
      issuesOf(() =>
        parseCatalog({
          extends: 'builtin',
          providers: {
            newco: {
              models: {
                nova: { inputPerMtok: '1', outputPerMtok: '2' },
                lumen: { class: 'budget' },
                orbit: { class: 'budget', aliases: ['nova'], inputPerMtok: '1', outputPerMtok: '2' },
              },
            },
          },
        }),
      ),
    ).toEqual([
      'providers.newco.models.nova.class: required, got nothing',
      'providers.newco.models.lumen.prices: required (prices, or inputPerMtok and outputPerMtok), got nothing',
      'providers.newco.models.orbit.aliases: "nova" already names the model "nova"',
    ]);
  });

  it('reports a file that is not JSON, or not an object', async () => {
    const path = join(folder, 'broken.json');
    await writeFile(path, '{ "providers": ');
    await expect(loadCatalog(path)).rejects.toThrow(/broken\.json:\n {2}- not valid JSON/);
    await expect(loadCatalog(path)).rejects.toMatchObject({ code: 'invalid_catalog', source: path });
    expect(() => parseCatalog([])).toThrow('the catalog must be a JSON object');
    expect(() => parseCatalog({ providers: {} })).toThrow('at least one provider');
  });
});

describe('names', () => {
  it('maps provider spellings to the OpenTelemetry ids', () => {
    expect(canonicalProvider('azure')).toBe('azure.ai.openai');
    expect(canonicalProvider(' Azure_OpenAI ')).toBe('azure.ai.openai');
    expect(canonicalProvider('bedrock')).toBe('aws.bedrock');
    expect(canonicalProvider('vertex_ai')).toBe('gcp.vertex_ai');
    expect(canonicalProvider('google')).toBe('gcp.gemini');
    expect(canonicalProvider('mistral')).toBe('mistral_ai');
    expect(canonicalProvider('Acme')).toBe('acme');
  });

  it('gives the other forms of a model id, most specific first', () => {
    expect(modelNameCandidates('bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual([
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'anthropic.claude-sonnet-4-5-20250929',
      'anthropic.claude-sonnet-4-5',
    ]);
    expect(modelNameCandidates('claude-sonnet-4-5@20250929')).toEqual(['claude-sonnet-4-5']);
    expect(modelNameCandidates('GPT-4o-2024-08-06')).toEqual(['gpt-4o-2024-08-06', 'gpt-4o']);
    expect(modelNameCandidates('command-a-03-2025')).toEqual(['command-a']);
    expect(modelNameCandidates('gpt-4o')).toEqual([]);
  });
});
