import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisResults } from '@finops/analyzers';
import { runCli } from '../src/cli';
import { captureOutput } from './helpers';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-v2-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function analyzeJson(args: string[]): Promise<AnalysisResults> {
  const output = captureOutput();
  const code = await runCli(['analyze', ...args, '--json', '-q'], output);
  expect({ code, errors: output.stderr.filter((line) => !line.startsWith('analyze ')) }).toEqual({
    code: 0,
    errors: [],
  });
  return JSON.parse(output.stdout.join('')) as AnalysisResults;
}

describe('a log of the required columns, cache reads and customers only', () => {
  // Built-in prices per million tokens: gpt-4o $2.50 input, $1.25 cache read, $10 output;
  // claude-sonnet-4-5 $3 input, $0.30 cache read, $15 output.
  const lines = [
    'timestamp,provider,model,input_tokens,output_tokens,cached_input_tokens,customer_id',
    // (10,000 − 4,000) × 2.50 + 4,000 × 1.25 + 2,000 × 10 = 15,000 + 5,000 + 20,000 µ$ = $0.04
    '2026-03-02T09:00:00Z,openai,gpt-4o,10000,2000,4000,acme',
    // (200,000 − 150,000) × 3 + 150,000 × 0.30 + 1,000 × 15 = 150,000 + 45,000 + 15,000 µ$ = $0.21
    '2026-03-02T10:00:00Z,anthropic,claude-sonnet-4-5,200000,1000,150000,acme',
    // a dated id and another spelling of the provider resolve to gpt-4o: 1,000 × 2.50 + 100 × 10 = 3,500 µ$
    '2026-03-03T11:00:00Z,azure,gpt-4o-2024-08-06,1000,100,,',
    // a model no catalog knows: cost 0, reported as unpriced
    '2026-03-03T12:00:00Z,acme-ai,house-model-7,5000,500,,globex',
  ];

  it('prices every call exactly, reports the unpriced one and shows "(unattributed)"', async () => {
    const log = join(folder, 'minimal.csv');
    await writeFile(log, lines.join('\n') + '\n');
    const results = await analyzeJson([log]);
    expect(results.meta.coverage).toMatchObject({
      rowsReported: 0,
      rowsPriced: 3,
      rowsUnpriced: 1,
      unpricedTokens: 5500,
      rowsWithoutCallId: 4,
      rowsWithoutLatency: 4,
    });
    expect(results.meta.warningsByKind.unpriced_model).toBe(1);
    expect(results.understanding?.totals.costMicros).toBe(40_000 + 210_000 + 3_500);
    const customers = results.understanding?.breakdowns.customer.map((row) => [row.key, row.costMicros]);
    expect(customers).toEqual([
      ['acme', 250_000],
      ['(unattributed)', 3_500],
      ['globex', 0],
    ]);
    expect(results.understanding?.usage.caching).toMatchObject({
      cachedInputTokens: 154_000,
      // 4,000 × (2.50 − 1.25) + 150,000 × (3 − 0.30) = 5,000 + 405,000 µ$
      savedMicros: 410_000,
    });
    expect(results.performance?.overall.callsWithoutLatency).toBe(4);
  });

  it('renders every page from it', async () => {
    const log = join(folder, 'minimal.csv');
    const reports = join(folder, 'minimal-reports');
    const output = captureOutput();
    expect(await runCli(['run', log, '--reports', reports, '-q'], output)).toBe(0);
    const pages = (await readdir(reports)).filter((name) => name.endsWith('.html')).sort();
    expect(pages).toEqual(
      [
        'abuse',
        'alignment',
        'churn',
        'features',
        'geography',
        'index',
        'optimization',
        'overview',
        'performance',
        'pricing',
        'profitability',
        'realtime',
        'tokens',
        'understanding',
      ].map((name) => `${name}.html`),
    );
    const index = await readFile(join(reports, 'index.html'), 'utf8');
    expect(index).toContain('Unpriced rows');
    expect(index).toContain('Rows without a call id');
    const understanding = await readFile(join(reports, 'understanding.html'), 'utf8');
    expect(understanding).toContain('(unattributed)');
    expect(understanding).toContain('Prompt caching');
  }, 30_000);
});

describe('open plans, a customers file and a column mapping', () => {
  it('prices plans from the config file and revenue from the customers file', async () => {
    const log = join(folder, 'gateway.csv');
    await writeFile(
      log,
      [
        'startTime,provider,model,prompt_tokens,completion_tokens,spend,end_user,plan',
        '2026-03-01T09:00:00Z,openai,gpt-4o,1000,100,2.000000,acme,gold',
        '2026-03-30T09:00:00Z,openai,gpt-4o,1000,100,1.000000,globex,team',
        '2026-03-30T10:00:00Z,openai,gpt-4o,1000,100,1.000000,initech,mystery',
      ].join('\n') + '\n',
    );
    const config = join(folder, 'finops.config.json');
    await writeFile(
      config,
      JSON.stringify({
        plans: { gold: 49, team: 10 },
        map: { timestamp: 'startTime', input_tokens: 'prompt_tokens', output_tokens: 'completion_tokens' },
      }),
    );
    const customers = join(folder, 'customers.csv');
    await writeFile(customers, 'customer_id,monthly_revenue_usd,plan\nglobex,300,enterprise\n');
    const results = await analyzeJson([
      log,
      '--config',
      config,
      '--map',
      'cost_usd=spend,customer_id=end_user,subscription_tier=plan',
      '--customers',
      customers,
    ]);
    const profit = new Map(results.profitability?.customers.map((entry) => [entry.customer, entry]));
    // 30 days: gold's $49 a month; globex's own $300 a month; no price for "mystery".
    expect(profit.get('acme')).toMatchObject({
      tier: 'gold',
      revenueMicros: 49_000_000,
      costMicros: 2_000_000,
    });
    expect(profit.get('globex')).toMatchObject({ tier: 'enterprise', revenueMicros: 300_000_000 });
    expect(profit.get('initech')).toMatchObject({ tier: 'mystery', status: 'revenue_unknown' });
    expect(results.meta.warningsByKind.unpriced_plan).toBe(1);
  });

  it('names a bad mapping and a missing customers file', async () => {
    const log = join(folder, 'gateway.csv');
    const bad = captureOutput();
    expect(await runCli(['analyze', log, '--map', 'customer=end_user', '-q'], bad)).toBe(2);
    expect(bad.stderr.join('\n')).toContain('customer is not a column of the record');
    const missing = captureOutput();
    expect(await runCli(['analyze', log, '--customers', join(folder, 'nope.csv'), '-q'], missing)).toBe(2);
    expect(missing.stderr.join('\n')).toContain('no such file');
  });
});

describe('finops validate on the open record', () => {
  it('says what the kept rows give and lack, and reads a mapped log', async () => {
    const log = join(folder, 'mapped.csv');
    await writeFile(
      log,
      'when,provider,model,input_tokens,output_tokens\n2026-03-02T09:00:00Z,openai,gpt-4o,10,5\n2026-03-02T09:01:00Z,acme-ai,x-1,10,5\n',
    );
    const output = captureOutput();
    expect(await runCli(['validate', log, '--map', 'timestamp=when'], output)).toBe(0);
    const text = output.stdout.join('\n');
    expect(text).toMatch(/cost from the catalog\s+1/);
    expect(text).toMatch(/unpriced \(cost 0\)\s+1 — 15 tokens of models the catalog does not know/);
    expect(text).toMatch(/without a call id\s+2 — duplicates among them cannot be detected/);
  });
});
