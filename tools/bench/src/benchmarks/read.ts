import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { readCallLog } from '@finops/schema';
import { ensureBenchLog } from '../generate';
import { timed } from '../measure';
import type { Benchmark, BenchCase, BenchContext } from '../types';

const MB = 1024 * 1024;

function readCase(label: string, file: string, sizeMb: number, quoted: boolean): BenchCase {
  return {
    label,
    async prepare(context: BenchContext) {
      context.log(`generating ${file} (${sizeMb} MB${quoted ? ', quoted fields' : ''}) if missing`);
      await ensureBenchLog(join(context.dataDir, file), { bytes: sizeMb * MB, quoted });
    },
    async run(context: BenchContext) {
      const path = join(context.dataDir, file);
      const { size } = await stat(path);
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
        extra: { 'cost ($)': (result.costMicros / 1e6).toFixed(2) },
      };
    },
  };
}

/** Read + validate throughput of the streaming CSV reader (one core). */
const benchmark: Benchmark = {
  name: 'read',
  description: 'Read + validate a generated call log with the streaming reader, one core',
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
    ];
  },
};

export default benchmark;
