import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSES, analyzeCosts, checkSettings } from '@finops/analyzers';
import { runCli } from '../src/cli';
import { applySettingFlags } from '../src/config';
import { parseScenarioParameters } from '../src/commands/simulate';
import { captureOutput } from './helpers';

let folder: string;
let log: string;
// The small log every test here reads: the same options always give the same bytes.
const SIMULATION = [
  'simulate',
  '--customers',
  '12',
  '--days',
  '10',
  '--start',
  '2025-10-01',
  '--seed',
  '7',
  '--scenario',
  'all',
];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-commands-'));
  log = join(folder, 'data', 'calls.csv');
  const output = captureOutput();
  const code = await runCli([...SIMULATION, '--out', log], output);
  expect(code).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('finops simulate', () => {
  it('writes the same bytes for the same options, and a valid log', async () => {
    const again = join(folder, 'again.csv');
    expect(await runCli([...SIMULATION, '--out', again, '-q'], captureOutput())).toBe(0);
    expect(await readFile(again)).toEqual(await readFile(log));
    expect(await runCli(['validate', log], captureOutput())).toBe(0);
    // A harness limit, not a speed check: a simulation and a validation on a shared, busy machine.
  }, 120_000);

  it('takes scenario parameters and checks every flag', async () => {
    expect(
      parseScenarioParameters([
        'burst.dayShare=0.2',
        'weekend.holidays=3,9',
        'model-migration.toModel=gpt-4o',
      ]),
    ).toEqual({
      burst: { dayShare: 0.2 },
      weekend: { holidays: [3, 9] },
      'model-migration': { toModel: 'gpt-4o' },
    });
    const cases: [string[], string][] = [
      [['--scenario', 'tsunami'], '--scenario must be base, all or one of'],
      [['--days', '0'], '--days must be a whole number ≥ 1'],
      [['--size-mb', 'zero'], '--size-mb must be a positive number'],
      [['--start', '1 Nov'], '--start must be a date like 2025-11-01'],
      [['--param', 'burst.color=red'], 'burst has no parameter "color"'],
      [['--param', 'nothing.x=1'], 'unknown scenario "nothing"'],
      [['--param', 'burst.dayShare=lots'], 'takes a number'],
      [['--param', 'burst.dayShare=2'], 'burst.dayShare must be a share from 0 to 1'],
    ];
    for (const [flags, message] of cases) {
      const output = captureOutput();
      expect(await runCli(['simulate', '--out', join(folder, 'bad.csv'), ...flags], output)).toBe(2);
      expect(output.stderr.join('')).toContain(message);
    }
  });
});

describe('finops analyze', () => {
  it('prints results as JSON that match analyzeCosts on the same log', async () => {
    const output = captureOutput();
    expect(await runCli(['analyze', log, '--json', '-q'], output)).toBe(0);
    const printed = JSON.parse(output.stdout.join(''));
    const direct = JSON.parse(JSON.stringify(await analyzeCosts(log)));
    expect(printed).toEqual(direct);
    expect(Object.keys(printed)).toEqual(expect.arrayContaining(['meta', 'understanding', 'features']));
  });

  it('runs only the analyses asked for and writes them to a file', async () => {
    const out = join(folder, 'results', 'only.json');
    expect(
      await runCli(['analyze', log, '--only', 'understanding,pricing', '--out', out], captureOutput()),
    ).toBe(0);
    const results = JSON.parse(await readFile(out, 'utf8'));
    expect(Object.keys(results).sort()).toEqual(['meta', 'pricing', 'summary', 'understanding']);
    const bad = captureOutput();
    expect(await runCli(['analyze', log, '--only', 'astrology'], bad)).toBe(2);
    expect(bad.stderr.join('')).toContain('--only takes analyses among understanding');
  });

  it('reads settings from a config file and names unknown keys', async () => {
    const config = join(folder, 'finops.config.json');
    await writeFile(config, JSON.stringify({ performance: { slaMs: 1 } }));
    const output = captureOutput();
    expect(
      await runCli(['analyze', log, '--json', '--only', 'performance', '--config', config], output),
    ).toBe(0);
    expect(JSON.parse(output.stdout.join('')).performance.overall.slaCompliance).toBe(0);
    await writeFile(
      config,
      JSON.stringify({ performance: { slaMillis: 1 }, pricing: { usagePer1kUsd: 'cheap' } }),
    );
    const bad = captureOutput();
    expect(await runCli(['analyze', log, '--config', config], bad)).toBe(2);
    expect(bad.stderr.join('')).toContain('performance.slaMillis: unknown setting');
    expect(bad.stderr.join('')).toContain('pricing.usagePer1kUsd: must be a number, got "cheap"');
  });

  it('stops at the first bad row with --strict and quarantines rejected rows otherwise', async () => {
    const dirty = join(folder, 'dirty.csv');
    const text = await readFile(log, 'utf8');
    const lines = text.split('\n');
    lines.splice(3, 0, lines[2]?.replace(/^2025/, '20x5') ?? '');
    await writeFile(dirty, lines.join('\n'));
    const strict = captureOutput();
    expect(await runCli(['analyze', dirty, '--strict'], strict)).toBe(1);
    expect(strict.stderr.join('')).toContain(':4: timestamp "20x5');
    const quarantine = join(folder, 'q', 'rejected.csv');
    expect(await runCli(['analyze', dirty, '--quarantine', quarantine, '-q'], captureOutput())).toBe(0);
    expect((await readFile(quarantine, 'utf8')).split('\n')[1]).toContain('invalid_timestamp');
  });

  it('explains a missing file', async () => {
    const output = captureOutput();
    expect(await runCli(['analyze', join(folder, 'missing.csv')], output)).toBe(2);
    expect(output.stderr.join('')).toContain('no such file');
    expect(output.stderr.join('')).toContain('finops simulate');
  });
});

describe('finops render and run', () => {
  it('renders pages from saved results', async () => {
    const results = join(folder, 'results.json');
    expect(await runCli(['analyze', log, '--out', results, '-q'], captureOutput())).toBe(0);
    const reports = join(folder, 'rendered');
    expect(await runCli(['render', results, '--out', reports, '--data', log], captureOutput())).toBe(0);
    const files = await readdir(reports);
    expect(files).toEqual(
      expect.arrayContaining(['index.html', 'manifest.json', 'understanding.html', 'features.html']),
    );
    const manifest = JSON.parse(await readFile(join(reports, 'manifest.json'), 'utf8'));
    expect(manifest.reports).toHaveLength(ANALYSES.length);
    const notResults = captureOutput();
    expect(await runCli(['render', log], notResults)).toBe(2);
    expect(notResults.stderr.join('')).toContain('is not valid JSON');
  });

  it('runs the whole job on a log and prints where the reports are', async () => {
    const reports = join(folder, 'run-reports');
    const output = captureOutput();
    expect(await runCli(['run', log, '--reports', reports, '-q'], output)).toBe(0);
    const summary = output.stdout.join('\n');
    expect(summary).toMatch(/Analysed .*calls\.csv: [\d,]+ calls, \$[\d,.]+ of AI cost/);
    expect(summary).toContain('Rejected rows: 0');
    expect(summary).toContain(join(reports, 'index.html'));
    const files = (await readdir(reports)).filter((name) => name.endsWith('.html'));
    // A page per analysis and the index.
    expect(files).toHaveLength(ANALYSES.length + 1);
  });

  it('simulates the showcase when no log is given', async () => {
    const data = join(folder, 'showcase', 'calls.csv');
    const reports = join(folder, 'showcase', 'reports');
    const output = captureOutput();
    expect(await runCli(['run', '--size-mb', '0.3', '--data', data, '--reports', reports], output)).toBe(0);
    expect(output.stderr.join('\n')).toMatch(/simulated [\d,]+ calls \(0\.3 MB\)/);
    const manifest = JSON.parse(await readFile(join(reports, 'manifest.json'), 'utf8'));
    expect(manifest.reports.map((report: { id: string }) => report.id)).toEqual([
      'understanding',
      'performance',
      'realtime',
      'optimization',
      'alignment',
      'overview',
      'geography',
      'tokens',
      'profitability',
      'pricing',
      'features',
      'churn',
      'abuse',
    ]);
  }, 60_000);
});

describe('config checking', () => {
  it("gives the analyses' own messages for a wrong setting, in a file and in --set alike", () => {
    const [problem] = checkSettings({ performance: { slaMs: -1 } }, 'config');
    expect(problem).toBe('config.performance.slaMs: must be a number ≥ 0, got -1');
    expect(() => applySettingFlags({}, ['performance.slaMs=-1'])).toThrow(
      'performance.slaMs: must be a number ≥ 0, got -1',
    );
  });
});
