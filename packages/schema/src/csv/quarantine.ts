import { AtomicFileWriter } from '../atomic';
import type { Rejection } from '../quality';
import { formatCsvLine } from './writer';

/** Columns of a quarantine file: where the row was, why it was rejected, and the row itself untouched. */
export const QUARANTINE_COLUMNS = ['line', 'field', 'reason', 'message', 'raw'] as const;

/**
 * Keeps rejected rows: a CSV file with one line per rejected row — its line
 * number, field, reason and message, and the raw row exactly as it was (as
 * one quoted cell, so that even a row with an open quote survives intact).
 * Written atomically: it appears on {@link commit}.
 */
export class QuarantineWriter {
  private rows = 0;

  private constructor(private readonly writer: AtomicFileWriter) {}

  /** Opens a quarantine file to be written at `path`. */
  static async open(path: string): Promise<QuarantineWriter> {
    const quarantine = new QuarantineWriter(await AtomicFileWriter.open(path));
    await quarantine.writer.write(formatCsvLine(QUARANTINE_COLUMNS));
    return quarantine;
  }

  /** The file that {@link commit} writes. */
  get path(): string {
    return this.writer.path;
  }

  /** Rejected rows written so far. */
  get count(): number {
    return this.rows;
  }

  /** Adds rejected rows. */
  async write(rejections: readonly Rejection[]): Promise<void> {
    if (rejections.length === 0) return;
    let text = '';
    for (const rejection of rejections) {
      text += formatCsvLine([
        rejection.line,
        rejection.field,
        rejection.reason,
        rejection.message,
        rejection.raw,
      ]);
    }
    this.rows += rejections.length;
    await this.writer.write(text);
  }

  /** Completes the file. */
  async commit(): Promise<void> {
    await this.writer.commit();
  }

  /** Drops the file. */
  async abort(): Promise<void> {
    await this.writer.abort();
  }
}
