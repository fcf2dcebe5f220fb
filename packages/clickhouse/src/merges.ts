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
  // Counted per warehouse: when two pauses overlap (an analysis beside a load), the first to end must
  // not resume the merges the other still needs paused.
  const pausing = pauses.get(warehouse) ?? 0;
  pauses.set(warehouse, pausing + 1);
  try {
    if (pausing === 0) await merges('STOP');
  } catch (error) {
    pauses.set(warehouse, pausing);
    throw error;
  }
  let result: Result;
  try {
    result = await work();
  } catch (error) {
    // The work's own error is what the caller acts on (a load falls back on it): a failure to resume
    // merges must not replace it.
    await resume(warehouse, merges).catch(() => undefined);
    throw error;
  }
  await resume(warehouse, merges);
  return result;
}

/** Pauses in progress per warehouse (see {@link withMergesPaused}). */
const pauses = new WeakMap<CallWarehouse, number>();

/** Ends one pause of `warehouse`; the last one resumes the merges. */
async function resume(warehouse: CallWarehouse, merges: (action: 'START') => Promise<void>): Promise<void> {
  const left = (pauses.get(warehouse) ?? 1) - 1;
  pauses.set(warehouse, left);
  if (left === 0) await merges('START');
}
