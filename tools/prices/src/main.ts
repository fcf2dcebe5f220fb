import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@finops/schema';
import { catalogModuleText, installedPriceSource, OUTPUT_PATH } from './generate';

const USAGE = `Usage: npm run generate -w tools/prices -- [--date YYYY-MM-DD] [--check]

Writes ${OUTPUT_PATH}, the built-in price catalog, from the price data of the
installed @pydantic/genai-prices and the selection in tools/prices/src/selection.ts.

  --date <day>   the generation date written in the header (today, UTC, by default)
  --check        write nothing; exit 1 when the file differs from what would be written
  --stdout       print the module instead of writing it
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string' },
      check: { type: 'boolean' },
      stdout: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const path = join(root, OUTPUT_PATH);
  const source = installedPriceSource(root);
  const current = await readFile(path, 'utf8').catch(() => '');
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  const text = await catalogModuleText(source, { date, root });
  if (values.check) {
    if (current === text) return 0;
    process.stderr.write(
      `${OUTPUT_PATH} is not what ${source.version} gives: run npm run generate -w tools/prices\n`,
    );
    return 1;
  }
  if (values.stdout) {
    process.stdout.write(text);
    return 0;
  }
  await writeFileAtomic(path, text);
  process.stdout.write(`wrote ${OUTPUT_PATH} from @pydantic/genai-prices ${source.version}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
