/** The running count of an import: what was read, kept, rejected and skipped, and the totals of what was kept. */
import type { ImportRejectionReason, InputFormat } from './source';

/** Reasons a record is rejected by the import itself, beyond an importer's own. */
export type RejectionCode = ImportRejectionReason;

/** A source record kept out of the output, with where it is and why. */
export interface ImportRejection {
  file: string;
  /** Line of the record (JSON Lines, CSV) or of its JSON value. */
  line?: number;
  /** Path of the record inside its JSON value, such as `data[3]`. */
  record?: string;
  /** The source field at fault, or our column when the mapping found it missing. */
  field: string;
  reason: RejectionCode;
  /** The whole message: location, field and reason. */
  message: string;
}

/** Counts and totals of one import. */
export interface ImportTally {
  file: string;
  /** The source's `--from` name. */
  source: string;
  format: InputFormat;
  /** Source records met: kept + rejected + skipped. */
  recordsRead: number;
  recordsKept: number;
  recordsRejected: number;
  recordsSkipped: number;
  rejectedByReason: Partial<Record<RejectionCode, number>>;
  /** Records that are not calls (agent spans, tax lines, repeats of an id), by reason code. */
  skippedByReason: Record<string, number>;
  /** Kept rows whose cost the source reported (the others are priced from the catalog when read). */
  withReportedCost: number;
  /** Calls the kept rows stand for (Σ `calls`, 1 a row unless the source buckets calls). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Σ reported cost, each row rounded half up to whole micro-dollars. */
  reportedCostMicros: number;
}

/** A tally with nothing counted yet. */
export function emptyImportTally(file: string, source: string, format: InputFormat): ImportTally {
  return {
    file,
    source,
    format,
    recordsRead: 0,
    recordsKept: 0,
    recordsRejected: 0,
    recordsSkipped: 0,
    rejectedByReason: {},
    skippedByReason: {},
    withReportedCost: 0,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    reportedCostMicros: 0,
  };
}
