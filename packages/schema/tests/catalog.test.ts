import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  BUILTIN_CATALOG,
  CatalogError,
  defaultCatalog,
  loadCatalog,
  loadCatalogSync,
  parseCatalog,
} from '../src/index';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-catalog-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the built-in catalog', () => {
  const catalog = defaultCatalog();

  it('has the 24 models of 7 providers with shares adding up to 100 %', () => {
    expect(catalog.models()).toHaveLength(24);
    expect(catalog.providers.map((provider) => provider.name)).toEqual([
      'openai',
      'anthropic',
      'google',
      'bedrock',
      'azure',
      'mistral',
      'cohere',
    ]);
    const shares = catalog.providers.reduce((sum, provider) => sum + provider.share, 0);
    expect(shares).toBeCloseTo(1, 10);
    expect(catalog.get('anthropic', 'claude-opus-4')).toMatchObject({ class: 'premium', latencyFactor: 1.4 });
    expect(catalog.get('openai', 'claude-opus-4')).toBeUndefined();
  });

  it('prices calls exactly, rounded half up to the micro-dollar', () => {
    // 451 × 0.0025 / 1000 + 555 × 0.01 / 1000 = 0.0011275 + 0.00555 = 0.0066775 → 0.006678
    expect(catalog.costOf('openai', 'gpt-4o', 451, 555)).toBe(6678);
    // 1000 × 0.000075 / 1000 = 0.000075 exactly
    expect(catalog.costOf('google', 'gemini-1.5-flash', 1000, 0)).toBe(75);
    // 1 × 0.00015 / 1000 + 1 × 0.0006 / 1000 = 0.00000075 → 0.000001
    expect(catalog.costOf('openai', 'gpt-4o-mini', 1, 1)).toBe(1);
    expect(catalog.costOf('openai', 'gpt-5', 1, 1)).toBeUndefined();
    expect(catalog.tierPriceMicros('pro')).toBe(99_000_000);
    expect(catalog.tierPrices()).toEqual({ starter: 29_000_000, pro: 99_000_000, enterprise: 299_000_000 });
  });

  it('agrees with decimal arithmetic for any token counts', () => {
    const models = catalog.models();
    fc.assert(
      fc.property(
        fc.nat({ max: models.length - 1 }),
        fc.nat({ max: 100_000_000 }),
        fc.nat({ max: 100_000_000 }),
        (index, input, output) => {
          const model = models[index];
          if (!model) return;
          const picos =
            BigInt(input) * BigInt(model.inputPicosPerToken) +
            BigInt(output) * BigInt(model.outputPicosPerToken);
          const expected = Number((picos + 500_000n) / 1_000_000n);
          expect(catalog.costOf(model.provider, model.model, input, output)).toBe(expected);
        },
      ),
    );
  });

  it('serialises to the form it reads', () => {
    expect(parseCatalog(JSON.parse(JSON.stringify(catalog.toJSON()))).models()).toEqual(catalog.models());
  });
});

describe('catalog files', () => {
  it('loads a replacement catalog', async () => {
    const path = join(folder, 'mine.json');
    await writeFile(
      path,
      JSON.stringify({
        providers: {
          acme: {
            share: 1,
            models: { 'acme-1': { input: 0.002, output: 0.004, class: 'standard', latencyFactor: 1 } },
          },
        },
        tiers: { pro: 120 },
      }),
    );
    const catalog = await loadCatalog(path);
    expect(catalog.models().map((model) => model.model)).toEqual(['acme-1']);
    expect(catalog.costOf('acme', 'acme-1', 1000, 1000)).toBe(6000);
    expect(catalog.tierPriceMicros('pro')).toBe(120_000_000);
    expect(catalog.tierPriceMicros('starter')).toBe(29_000_000);
    expect(loadCatalogSync(path).models()).toEqual(catalog.models());
  });

  it('extends the built-in catalog with negotiated rates and new models', () => {
    const catalog = parseCatalog({
      extends: 'builtin',
      providers: {
        openai: {
          share: 0.4,
          models: { 'gpt-4o': { input: 0.002, output: 0.008, class: 'standard', latencyFactor: 0.8 } },
        },
        newco: {
          share: 0,
          models: { nova: { input: 0.0001, output: 0.0002, class: 'budget', latencyFactor: 0.5 } },
        },
      },
    });
    expect(catalog.models()).toHaveLength(25);
    expect(catalog.get('openai', 'gpt-4o')?.inputPer1k).toBe(0.002);
    expect(catalog.get('openai', 'gpt-4')?.inputPer1k).toBe(0.03);
    expect(catalog.get('newco', 'nova')).toBeDefined();
  });

  it('names every problem of an invalid catalog by its path', () => {
    const attempt = (): unknown =>
      parseCatalog(
        {
          extends: 'other',
          colour: 'blue',
          providers: {
            openai: {
              share: 2,
              models: { 'gpt-4': { input: 'abc', output: -1, class: 'luxury', latencyFactor: 0, speed: 1 } },
            },
            empty: { share: 0.1, models: {} },
          },
          tiers: { gold: 5, pro: -1 },
        },
        'mine.json',
      );
    expect(attempt).toThrow(CatalogError);
    const issues = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as CatalogError).issues;
      }
      return [];
    })();
    expect(issues).toEqual([
      'colour: unknown key (expected one of extends, providers, tiers, $schema, description)',
      'extends: the only catalog that can be extended is "builtin", got "other"',
      'providers.openai.share: must be a number from 0 to 1, got 2',
      'providers.openai.models.gpt-4.speed: unknown key (expected one of input, output, class, latencyFactor)',
      'providers.openai.models.gpt-4.input: must be a non-negative number of USD per 1,000 tokens, got "abc"',
      'providers.openai.models.gpt-4.output: must be a non-negative number of USD per 1,000 tokens, got -1',
      'providers.openai.models.gpt-4.class: must be one of premium, standard, budget, got "luxury"',
      'providers.openai.models.gpt-4.latencyFactor: must be a positive number, got 0',
      'providers.empty.models: must be a non-empty object of models by name, got {}',
      'tiers.gold: unknown key (expected one of starter, pro, enterprise)',
      'tiers.pro: must be a non-negative number of USD a month, got -1',
    ]);
  });

  it('reports a file that is not JSON, or not an object', async () => {
    const path = join(folder, 'broken.json');
    await writeFile(path, '{ "providers": ');
    await expect(loadCatalog(path)).rejects.toThrow(/broken\.json:\n {2}- not valid JSON/);
    expect(() => parseCatalog([])).toThrow('the catalog must be a JSON object');
    expect(() => parseCatalog({ providers: {} })).toThrow('at least one provider');
    expect(BUILTIN_CATALOG.tiers).toEqual({ starter: 29, pro: 99, enterprise: 299 });
  });
});
