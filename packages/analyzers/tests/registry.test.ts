import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANALYSES,
  ANALYSIS_REGISTRY,
  DEFAULT_CONFIG,
  SettingsError,
  checkSettings,
  resolveConfig,
  settingsTableRows,
  standardReports,
  analyzeCosts,
} from '../src';
import { randomLogV2 } from './fixtures';

const ANALYSES_FOLDER = join(__dirname, '..', 'src', 'analyses');
const DOCS = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'analyses.md'), 'utf8');

function tableRowsOf(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  return (end < 0 ? rest : rest.slice(0, end))
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.replace(/ +\|/g, ' |').replace(/\| +/g, '| ').trimEnd());
}

describe('the analysis registry', () => {
  it('has one folder per analysis and one analysis per folder, in the order of the list', () => {
    const folders = readdirSync(ANALYSES_FOLDER)
      .filter((entry) => statSync(join(ANALYSES_FOLDER, entry)).isDirectory())
      .sort();
    expect(folders).toEqual([...ANALYSES].sort());
    for (const name of folders) {
      const files = readdirSync(join(ANALYSES_FOLDER, name)).sort();
      const definition = ANALYSIS_REGISTRY.find((entry) => entry.name === name);
      // The optional summary step is its folder's actions.ts, and declared exactly when that file exists.
      const optional = definition?.actions === undefined ? [] : ['actions.ts'];
      const required = ['about.ts', 'document.ts', 'finish.ts', 'index.ts', 'settings.ts'];
      // Any other file is a part of the finish step, which imports it.
      const finish = readFileSync(join(ANALYSES_FOLDER, name, 'finish.ts'), 'utf8');
      const parts = files.filter(
        (file) =>
          ![...required, ...optional].includes(file) &&
          finish.includes(`from './${file.replace(/\.ts$/, '')}';`),
      );
      expect(files).toEqual([...optional, ...parts, ...required].sort());
    }
  });

  it('is what the docs number and describe, section by section', () => {
    const sections = [...DOCS.matchAll(/^## (\d+)\. .*\(`([a-z]+)`\)$/gm)].map((match) => [
      Number(match[1]),
      match[2],
    ]);
    expect(sections).toEqual(ANALYSIS_REGISTRY.map((definition, index) => [index + 1, definition.name]));
  });

  it('is what the settings table of the docs lists, setting by setting', () => {
    expect(tableRowsOf(DOCS, '## Settings')).toEqual(settingsTableRows(ANALYSIS_REGISTRY));
  });

  it('gives the reports: one per analysis, titled and filed under a category', () => {
    expect(standardReports()).toEqual(
      ANALYSIS_REGISTRY.map((definition) => ({
        id: definition.name,
        title: definition.title,
        category: definition.category,
      })),
    );
    expect(standardReports().filter((report) => report.category === 'finops')).toHaveLength(8);
    for (const definition of ANALYSIS_REGISTRY) expect(definition.purpose.length).toBeGreaterThan(20);
  });

  it('gives the defaults of every setting from the definitions', () => {
    expect(Object.keys(DEFAULT_CONFIG)).toEqual([...ANALYSES, 'summary']);
    expect(DEFAULT_CONFIG.performance.slaMs).toBe(2000);
    expect(resolveConfig({ performance: { slaMs: 1500 } }).performance).toEqual({
      ...DEFAULT_CONFIG.performance,
      slaMs: 1500,
    });
  });
});

describe('settings rules', () => {
  it('names the path of every problem: unknown keys, wrong types, values out of range', () => {
    expect(
      checkSettings({
        performance: { slaMs: 'fast', speedWeight: 2, minCalls: 1.5 },
        understanding: { monthlyBudgetUsd: 'no', topCustomers: 0 },
        optimization: { volumeTiers: [{ minMonthlyUsd: 1, rebate: 0.1 }], simpleTasks: 'qa' },
        pricing: { tiered: { starter: { baseFeeUsd: -1 } } },
        nonsense: {},
      }),
    ).toEqual([
      'config.performance.slaMs: must be a number, got "fast"',
      'config.performance.speedWeight: must be a number from 0 to 1, got 2',
      'config.performance.minCalls: must be a whole number ≥ 0, got 1.5',
      'config.understanding.monthlyBudgetUsd: must be a number or null, got "no"',
      'config.understanding.topCustomers: must be a whole number ≥ 1, got 0',
      'config.optimization.volumeTiers[0].rebate: unknown setting (known here: minMonthlyUsd, discount)',
      'config.optimization.simpleTasks: must be an array, got "qa"',
      'config.pricing.tiered.starter.baseFeeUsd: must be a number ≥ 0, got -1',
      `config.nonsense: unknown setting (known here: ${[...ANALYSES, 'summary'].join(', ')})`,
    ]);
    expect(checkSettings([])).toEqual(['config: must be an object, got []']);
    expect(checkSettings({ alignment: 3 })).toEqual(['config.alignment: must be an object, got 3']);
    expect(checkSettings({ understanding: { monthlyBudgetUsd: null, forecastConfidence: 0.9 } })).toEqual([]);
  });

  it('makes the library refuse what the CLI refuses, with a stable code', () => {
    expect(() => resolveConfig({ realtime: { trendDays: 0 } })).toThrow(SettingsError);
    try {
      resolveConfig({ realtime: { trendDays: 0 } });
    } catch (error) {
      expect((error as SettingsError).code).toBe('invalid_settings');
      expect((error as SettingsError).issues).toEqual([
        'config.realtime.trendDays: must be a whole number ≥ 1, got 0',
      ]);
    }
  });
});

describe('a run of some analyses', () => {
  it('fills only their groupings and gives each the figures of a run of all', async () => {
    const records = randomLogV2(1200, 12, 4);
    const all = await analyzeCosts(records);
    for (const name of ANALYSES) {
      const alone = await analyzeCosts(records, { analyses: [name] });
      expect(alone.meta.analyses).toEqual([name]);
      expect(alone[name]).toEqual(all[name]);
    }
    const pair = await analyzeCosts(records, { analyses: ['features', 'realtime'] });
    expect(Object.keys(pair).sort()).toEqual(['features', 'meta', 'realtime', 'summary']);
  });
});
