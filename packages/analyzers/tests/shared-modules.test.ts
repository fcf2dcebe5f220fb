import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ANALYSES, QUANTILE_USERS } from '../src';
import { FORECAST_USERS } from '../src/shared/forecast';
import { MEDIAN_USERS } from '../src/shared/medians';
import { MODEL_SWITCH_USERS } from '../src/shared/model-switches';
import { PERIOD_USERS } from '../src/shared/periods';
import { REVENUE_USERS } from '../src/shared/revenue';

const SOURCE = join(__dirname, '..', 'src');

/** The source files a file reaches through its value imports (type-only imports left out), itself included. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gms)) {
    const target = resolve(dirname(file), match[1] as string);
    const candidates = [`${target}.ts`, join(target, 'index.ts')];
    const found = candidates.find((candidate) => {
      try {
        readFileSync(candidate);
        return true;
      } catch {
        return false;
      }
    });
    if (found) reachable(found, seen);
  }
  return seen;
}

/** The analyses whose folder reaches `module` (a path under src, without `.ts`), in registry order. */
function usersOf(module: string): string[] {
  return ANALYSES.filter((name) => {
    const folder = join(SOURCE, 'analyses', name);
    // The document builders share nothing with the finish steps; a finish step's reach is what counts.
    const files = readdirSync(folder).filter((file) => file !== 'document.ts' && file !== 'index.ts');
    return files.some((file) => reachable(join(folder, file)).has(join(SOURCE, `${module}.ts`)));
  });
}

describe('shared computations', () => {
  it('declare the analyses that use them, and no other analysis reaches them', () => {
    expect(usersOf('shared/model-switches')).toEqual(MODEL_SWITCH_USERS);
    expect(usersOf('shared/forecast')).toEqual(FORECAST_USERS);
    expect(usersOf('shared/periods')).toEqual(PERIOD_USERS);
    expect(usersOf('histogram')).toEqual(QUANTILE_USERS);
    expect(usersOf('shared/medians')).toEqual(MEDIAN_USERS);
  });

  it('declare who reads the prorated revenue of the finish context', () => {
    const readers = ANALYSES.filter((name) =>
      /context\.customer(Monthly)?Revenue|customerRevenue\b/.test(
        readFileSync(join(SOURCE, 'analyses', name, 'finish.ts'), 'utf8'),
      ),
    );
    expect(readers).toEqual(REVENUE_USERS);
  });
});
