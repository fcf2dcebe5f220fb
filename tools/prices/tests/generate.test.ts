import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalog } from '@finops/schema';
import type { ModelInfo, ModelPrice } from '@pydantic/genai-prices';
import {
  buildCatalogData,
  catalogModuleText,
  generatedDateOf,
  installedPriceSource,
  matchedIds,
  OUTPUT_PATH,
  periodsOf,
  type PriceSource,
  providerAliases,
} from '../src/generate';
import { SELECTION } from '../src/selection';

const root = join(__dirname, '..', '..', '..');
const source = installedPriceSource(root);

beforeAll(() => {
  // The generator as `npm run generate` runs it: bundled, in its own Node process.
  execFileSync(process.execPath, [require.resolve('tsup/dist/cli-default.js'), '--silent'], {
    cwd: join(__dirname, '..'),
    stdio: 'ignore',
  });
}, 60_000);

function model(prices: ModelInfo['prices']): ModelInfo {
  return { id: 'm', match: { equals: 'm' }, prices };
}

describe('the generated built-in catalog', () => {
  it('is what the installed price data gives: generating again yields the committed file', () => {
    const committed = readFileSync(join(root, OUTPUT_PATH), 'utf8');
    const date = generatedDateOf(committed);
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const run = (...flags: string[]): string =>
      execFileSync(
        process.execPath,
        [join(__dirname, '..', 'dist', 'main.js'), '--date', date as string, ...flags],
        {
          encoding: 'utf8',
        },
      );
    const first = run('--stdout');
    expect(run('--stdout')).toBe(first);
    expect(first).toBe(committed);
    expect(first).toContain(`@pydantic/genai-prices ${source.version}`);
    expect(run('--check')).toBe('');
  });

  it('is a valid catalog with every selected model, priced from the data', () => {
    const catalog = parseCatalog(buildCatalogData(source));
    const selected = SELECTION.flatMap((provider) =>
      provider.models.map((entry) => [provider.name, entry.name]),
    );
    expect(catalog.models().map((price) => [price.provider, price.model])).toEqual(selected);
    // OpenAI cut o3 from $10 / $40 to $2 / $8 per million tokens on 2025-06-10.
    expect(
      catalog.history('openai', 'o3').map((price) => [price.effectiveFromMs, price.perMtok.input]),
    ).toEqual([
      [undefined, '10'],
      [Date.parse('2025-06-10T00:00:00Z'), '2'],
    ]);
    expect(catalog.get('anthropic', 'claude-sonnet-4-5')?.perMtok).toEqual({
      input: '3',
      cacheRead: '0.3',
      cacheWrite: '3.75',
      output: '15',
    });
  });

  it("prices no id of the data at another model's price: a dated id with a price of its own is listed apart", () => {
    const catalog = parseCatalog(buildCatalogData(source));
    const base = (value: ModelPrice[string]): number | undefined =>
      value === undefined ? undefined : typeof value === 'number' ? value : value.base;
    const mispriced: string[] = [];
    for (const provider of SELECTION) {
      for (const from of new Set(provider.models.map((entry) => entry.from))) {
        for (const info of source.provider(from)?.models ?? []) {
          const prices = Array.isArray(info.prices)
            ? (info.prices[info.prices.length - 1]?.prices ?? {})
            : info.prices;
          for (const id of [info.id, ...matchedIds(info.match)]) {
            const found = catalog.get(provider.name, id);
            const selected = provider.models.find((entry) => entry.name === found?.model);
            if (found === undefined || (selected?.from === from && selected.id === info.id)) continue;
            const input = String(base(prices['input_mtok']));
            const output = String(base(prices['output_mtok']));
            if (input !== found.perMtok.input || output !== found.perMtok.output)
              mispriced.push(
                `${provider.name} ${id} → ${found.model}, but ${from}/${info.id} costs ${input} / ${output}`,
              );
          }
        }
      }
    }
    expect(mispriced).toEqual([]);
  });

  it('names a selected model the data does not have', () => {
    const empty: PriceSource = { version: '9.9.9', provider: () => undefined };
    expect(() => buildCatalogData(empty)).toThrow('openai/gpt-5.5 is not in @pydantic/genai-prices 9.9.9');
    const openai = SELECTION[0] as (typeof SELECTION)[number];
    const duplicated = {
      ...openai,
      models: [openai.models[0], openai.models[0]].filter((entry) => entry !== undefined),
    };
    expect(() => buildCatalogData(source, [duplicated])).toThrow('openai/gpt-5.5 is selected twice');
  });

  it('refuses a date that is not a day', async () => {
    await expect(catalogModuleText(source, { date: 'today', root })).rejects.toThrow('YYYY-MM-DD');
    expect(generatedDateOf('no header')).toBeUndefined();
  });
});

describe('price periods from the data', () => {
  it('takes each kind of price, the base of a tiered price, and the start dates of price changes', () => {
    expect(
      periodsOf(
        model([
          {
            prices: {
              input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
              cache_read_mtok: 0.3,
              cache_write_mtok: 3.75,
              output_mtok: 15,
              output_reasoning_mtok: 20,
              cache_write_1h_mtok: 6,
            },
          },
          // Only a price the catalog does not keep changes: no new period.
          {
            constraint: { type: 'start_date', start_date: '2026-01-01' },
            prices: {
              input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
              cache_read_mtok: 0.3,
              cache_write_mtok: 3.75,
              output_mtok: 15,
              output_reasoning_mtok: 20,
              cache_write_1h_mtok: 7,
            },
          },
          {
            constraint: { type: 'start_date', start_date: '2026-06-01' },
            prices: {
              input_mtok: 2.5,
              output_mtok: {
                base: 12.5,
                tiers: [
                  { start: 100_000, price: 15 },
                  { start: 300_000, price: 20 },
                ],
              },
            },
          },
        ]),
        'p/m',
      ),
    ).toEqual([
      {
        inputPerMtok: '3',
        cacheReadPerMtok: '0.3',
        cacheWritePerMtok: '3.75',
        outputPerMtok: '15',
        reasoningPerMtok: '20',
        tiers: [
          {
            aboveInputTokens: 200_000,
            inputPerMtok: '6',
            cacheReadPerMtok: '0.3',
            cacheWritePerMtok: '3.75',
            outputPerMtok: '15',
            reasoningPerMtok: '20',
          },
        ],
      },
      {
        from: '2026-06-01',
        inputPerMtok: '2.5',
        outputPerMtok: '12.5',
        tiers: [
          { aboveInputTokens: 100_000, inputPerMtok: '2.5', outputPerMtok: '15' },
          { aboveInputTokens: 300_000, inputPerMtok: '2.5', outputPerMtok: '20' },
        ],
      },
    ]);
  });

  it('refuses what the catalog cannot hold', () => {
    expect(() => periodsOf(model({ input_mtok: 1 }), 'p/m')).toThrow(
      'p/m: the price data gives no input and output price',
    );
    expect(() => periodsOf(model({ input_mtok: 0.0000001, output_mtok: 1 }), 'p/m')).toThrow(
      'p/m.input_mtok: 1e-7 is not a decimal with at most 6 places',
    );
    expect(() =>
      periodsOf(
        model([
          { prices: { input_mtok: 1, output_mtok: 1 } },
          {
            constraint: { type: 'time_of_date', start_time: '16:30', end_time: '00:30' },
            prices: { input_mtok: 1, output_mtok: 1 },
          },
        ]),
        'p/m',
      ),
    ).toThrow('p/m.prices[1]: a time_of_date constraint has no place in the catalog');
    expect(() =>
      periodsOf(
        model([
          {
            constraint: { type: 'start_date', start_date: '2026-01-01' },
            prices: { input_mtok: 1, output_mtok: 1 },
          },
        ]),
        'p/m',
      ),
    ).toThrow('p/m.prices[0]: only the first price may have no start date');
  });
});

describe('aliases from match rules', () => {
  it('reads the ids a rule names exactly or as a start', () => {
    expect(
      matchedIds({
        or: [
          { equals: 'gpt-4o' },
          { starts_with: 'gpt-4o-2024' },
          { contains: 'us.gpt-4o' },
          { regex: '^gpt-4o$' },
          { and: [{ starts_with: 'x' }] },
          { ends_with: 'o' },
        ],
      }),
    ).toEqual(['gpt-4o', 'gpt-4o-2024', 'us.gpt-4o']);
  });

  it('keeps the aliases one model alone claims, without the forms its name already resolves', () => {
    const aliases = providerAliases(
      new Map([
        ['gpt-4o', ['gpt-4o-2024-08-06', 'chatgpt-4o', 'shared', 'gpt-4o-mini']],
        ['gpt-4o-mini', ['shared', 'gpt-4o-mini-2024-07-18', 'Mini']],
      ]),
    );
    expect(aliases).toEqual(
      new Map([
        ['gpt-4o', ['chatgpt-4o']],
        ['gpt-4o-mini', ['Mini']],
      ]),
    );
  });
});
