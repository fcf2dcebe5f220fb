import type { CallWarehouse } from './connection';
import { CALLS_TABLE } from './migrations';

/**
 * Runs `work` with the calls table's background merges paused, on the
 * embedded engine only; they resume afterwards, even when `work` fails.
 *
 * Opening the folder lets the engine start merging the table's parts in
 * this process. A command that reads or loads and then exits never
 * finishes a merge of parts of a million rows or more (the half-written
 * part is dropped at exit), yet the merge takes a core for the command's
 * whole run: about a third of an analysis's time over ten million calls in
 * ten parts, and a tenth of a load's processor time. Merges only change
 * how rows are stored, never what a read gives (see `readMode`); a
 * long-lived process such as the viewer merges between its analyses. While
 * they are paused, a load's rows are exactly the rows it wrote, which its
 * checks for repeated ids count on. A server's merges are the server's:
 * never paused.
 */
export async function withMergesPaused<Result>(
  warehouse: CallWarehouse,
  work: () => Promise<Result>,
): Promise<Result> {
  if (!warehouse.embedded) return work();
  const merges = (action: 'STOP' | 'START'): Promise<void> =>
    warehouse.command({ sql: `SYSTEM ${action} MERGES {database:Identifier}.${CALLS_TABLE}`, params: {} });
  await merges('STOP');
  try {
    return await work();
  } finally {
    await merges('START');
  }
}
