import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { readCallLog } from '@finops/schema';
import { BENCH_CONTAINERS, type BenchContainer, containerPath, ensureContainerCopy } from '../containers';
import { ensureBenchLog } from '../generate';
import { timed } from '../measure';
import type { Benchmark, BenchCase, BenchContext } from '../types';

const MB = 1024 * 1024;

function readCase(
  label: string,
  file: string,
  sizeMb: number,
  quoted: boolean,
  container?: BenchContainer,
): BenchCase {
  return {
    label,
    async prepare(context: BenchContext) {
      context.log(`generating ${file} (${sizeMb} MB${quoted ? ', quoted fields' : ''}) if missing`);
      const csvPath = join(context.dataDir, file);
      await ensureBenchLog(csvPath, { bytes: sizeMb * MB, quoted });
      if (container) {
        context.log(`copying it to .${container} if missing`);
        await ensureContainerCopy(csvPath, container);
      }
    },
    async run(context: BenchContext) {
      const csvPath = join(context.dataDir, file);
      const path = container ? containerPath(csvPath, container) : csvPath;
      const { size } = await stat(path);
      const csvSize = container ? (await stat(csvPath)).size : size;
      const { result, wallMs } = await timed(async () => {
        let costMicros = 0;
        let rows = 0;
        for await (const batch of readCallLog(path)) {
          for (const record of batch.records) costMicros += record.costMicros;
          rows = batch.tally.rowsRead;
        }
        return { rows, costMicros };
      });
      return {
        wallMs,
        bytes: size,
        rows: result.rows,
        extra: {
          'cost ($)': (result.costMicros / 1e6).toFixed(2),
          // The same calls as plain CSV bytes per second: the figure to compare containers by.
          'CSV-equivalent MB/s': (csvSize / MB / (wallMs / 1000)).toFixed(1),
        },
      };
    },
  };
}

/** Read + validate throughput of the streaming reader (one core): CSV, then the same log in each other container. */
const benchmark: Benchmark = {
  name: 'read',
  description:
    'Read + validate a generated call log with the streaming reader, one core: CSV (unquoted, quoted), .csv.gz, .jsonl, .jsonl.gz, .parquet',
  cases(context) {
    const sizeMb = Number(context.args['size-mb'] ?? 50);
    return [
      readCase(`read + validate, ${sizeMb} MB unquoted`, `read-${sizeMb}mb.csv`, sizeMb, false),
      readCase(
        `read + validate, ${sizeMb} MB with quoted fields`,
        `read-${sizeMb}mb-quoted.csv`,
        sizeMb,
        true,
      ),
      ...BENCH_CONTAINERS.map((container) =>
        readCase(
          `read + validate, ${sizeMb} MB unquoted as .${container}`,
          `read-${sizeMb}mb.csv`,
          sizeMb,
          false,
          container,
        ),
      ),
    ];
  },
};

export default benchmark;
