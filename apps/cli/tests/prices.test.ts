import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_CATALOG_SOURCE, defaultCatalog } from '@finops/schema';
import { runCli } from '../src/cli';
import type { PriceListing } from '../src/commands/prices';
import { captureOutput } from './helpers';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-prices-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function listing(...args: string[]): Promise<PriceListing> {
  const output = captureOutput();
  expect(await runCli(['prices', ...args, '--json'], output)).toBe(0);
  return JSON.parse(output.stdout.join('\n')) as PriceListing;
}

describe('finops prices', () => {
  it('prints every provider and model of the built-in catalog with the prices of each token kind', async () => {
    const output = captureOutput();
    expect(await runCli(['prices'], output)).toBe(0);
    const lines = output.stdout.join('\n').split('\n');
    expect(lines[0]).toBe(
      `Price catalog: built-in, generated ${BUILTIN_CATALOG_SOURCE.generated} (prices from @pydantic/genai-prices ${BUILTIN_CATALOG_SOURCE.version})`,
    );
    for (const provider of defaultCatalog().providers)
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^${provider.name.replace('.', '\\.')} \\(`)),
      );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}model +class +input +cache read +cache write +output +reasoning +in force$/,
      ),
    );
    // Sonnet 4.5 at $3 in, $0.30 cache read, $3.75 cache write, $15 out per million tokens, its dated id an alias.
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}claude-sonnet-4-5 +standard +3 +0\.3 +3\.75 +15 +- +always$/),
    );
    // o3's price cut on 2025-06-10: one row per period.
    const o3 = lines.findIndex((line) => /^ {2}o3 +premium/.test(line));
    expect(lines[o3]).toMatch(/ 10 +0\.5 +- +40 +- +until 2025-06-10$/);
    expect(lines[o3 + 1]).toMatch(/^ {2} +2 +0\.5 +- +8 +- +from 2025-06-10$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2} +6 +0\.6 +7\.5 +22\.5 +- +always, input > 200,000$/),
    );
    expect(lines).toContainEqual('      aliases: claude-4-sonnet, claude-sonnet-4-0');
    expect(lines[lines.length - 1]).toBe('Plans (a month): starter $29, pro $99, enterprise $299');
  });

  it('gives the same catalog as JSON, one provider when asked by any spelling', async () => {
    const all = await listing();
    expect(all.providers.map((provider) => provider.name)).toEqual(
      defaultCatalog().providers.map((provider) => provider.name),
    );
    expect(all.source).toBe(`@pydantic/genai-prices ${BUILTIN_CATALOG_SOURCE.version}`);
    expect(all.plans).toEqual({ starter: 29, pro: 99, enterprise: 299 });
    const azure = await listing('--provider', 'azure_openai');
    expect(azure.providers.map((provider) => provider.name)).toEqual(['azure.ai.openai']);
    const o3 = azure.providers[0]?.models.find((model) => model.model === 'o3');
    expect(o3).toEqual({
      model: 'o3',
      aliases: [],
      class: 'premium',
      latencyFactor: 1.6,
      prices: [
        {
          from: null,
          until: null,
          inputPerMtok: '2',
          cacheReadPerMtok: '0.5',
          cacheWritePerMtok: null,
          outputPerMtok: '8',
          reasoningPerMtok: null,
          tiers: [],
        },
      ],
    });
    // Gemini 2.5 Pro costs more per token for a call of more than 200,000 input tokens.
    const gemini = await listing('--provider', 'google');
    expect(
      gemini.providers[0]?.models.find((model) => model.model === 'gemini-2.5-pro')?.prices[0]?.tiers,
    ).toEqual([
      {
        aboveInputTokens: 200_000,
        inputPerMtok: '2.5',
        cacheReadPerMtok: '0.25',
        cacheWritePerMtok: null,
        outputPerMtok: '15',
        reasoningPerMtok: null,
      },
    ]);
  });

  it('lists a user catalog: negotiated rates over the built-in, dated prices, its own plans', async () => {
    const path = join(folder, 'rates.json');
    await writeFile(
      path,
      JSON.stringify({
        extends: 'builtin',
        providers: {
          openai: {
            models: {
              'gpt-4o': {
                prices: [
                  { inputPerMtok: '2.5', outputPerMtok: '10' },
                  {
                    from: '2026-03-01T08:30:00Z',
                    inputPerMtok: '2',
                    cacheReadPerMtok: '1',
                    outputPerMtok: '8',
                  },
                ],
              },
            },
          },
        },
        plans: { scale: 499 },
      }),
    );
    const openai = await listing('--catalog', path, '--provider', 'openai');
    expect(openai.catalog).toBe(path);
    expect(openai.providers[0]?.models.find((model) => model.model === 'gpt-4o')?.prices).toEqual([
      expect.objectContaining({ from: null, until: '2026-03-01T08:30:00.000Z', inputPerMtok: '2.5' }),
      expect.objectContaining({ from: '2026-03-01T08:30:00.000Z', until: null, cacheReadPerMtok: '1' }),
    ]);
    expect(openai.plans).toEqual({ starter: 29, pro: 99, enterprise: 299, scale: 499 });
  });

  it('shows only the prices in force at a time', async () => {
    const before = await listing('--provider', 'openai', '--at', '2025-06-09T23:59:59Z');
    const after = await listing('--provider', 'openai', '--at', '2025-06-10');
    const o3 = (entry: PriceListing) =>
      entry.providers[0]?.models.find((model) => model.model === 'o3')?.prices;
    expect(o3(before)).toEqual([
      expect.objectContaining({ from: null, until: '2025-06-10', inputPerMtok: '10' }),
    ]);
    expect(o3(after)).toEqual([
      expect.objectContaining({ from: '2025-06-10', until: null, inputPerMtok: '2' }),
    ]);
    expect(after.catalog).toContain('prices in force at 2025-06-10');
    const path = join(folder, 'dated.json');
    await writeFile(
      path,
      JSON.stringify({
        providers: {
          acme: {
            models: {
              late: {
                class: 'budget',
                prices: [{ from: '2026-01-01', inputPerMtok: '1', outputPerMtok: '1' }],
              },
            },
          },
        },
      }),
    );
    // A model without a price in force then is left out.
    expect((await listing('--catalog', path, '--at', '2025-12-31')).providers[0]?.models).toEqual([]);
    const bad = captureOutput();
    expect(await runCli(['prices', '--at', 'yesterday'], bad)).toBe(2);
    expect(bad.stderr.join('')).toContain(
      '--at must be a day (YYYY-MM-DD) or an ISO 8601 time, got "yesterday"',
    );
  });

  it('explains bad usage and bad catalogs', async () => {
    const unknown = captureOutput();
    expect(await runCli(['prices', '--provider', 'acme'], unknown)).toBe(2);
    expect(unknown.stderr.join('')).toContain('no provider "acme" in the catalog; it has openai, anthropic');
    const extra = captureOutput();
    expect(await runCli(['prices', 'calls.csv'], extra)).toBe(2);
    expect(extra.stderr.join('')).toContain('prices takes no file argument');
    const path = join(folder, 'bad.json');
    await writeFile(path, JSON.stringify({ providers: { acme: { models: { x: { class: 'cheap' } } } } }));
    const bad = captureOutput();
    expect(await runCli(['prices', '--catalog', path], bad)).toBe(2);
    expect(bad.stderr.join('')).toContain(
      'providers.acme.models.x.class: must be one of premium, standard, budget',
    );
    const help = captureOutput();
    expect(await runCli(['prices', '--help'], help)).toBe(0);
    expect(help.stdout.join('')).toContain('Usage: finops prices');
  });
});
