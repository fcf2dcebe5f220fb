/** Why a row was kept out of every total. */
export const REJECTION_REASONS = [
  'missing_field',
  'invalid_integer',
  'invalid_cost',
  'invalid_timestamp',
  'field_too_long',
  'duplicate_call_id',
  'malformed_row',
  'invalid_subset',
  'invalid_weight',
  'invalid_status',
  'invalid_tags',
] as const;
/** A reason a row is rejected. */
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** What made a kept row unusual. */
export const WARNING_KINDS = [
  'tokens_out_of_range',
  'cost_out_of_range',
  'latency_out_of_range',
  'unknown_model',
  'cost_mismatch',
  'cost_precision',
  'unpriced_model',
  'unpriced_plan',
] as const;
/** A kind of warning on a kept row. */
export type WarningKind = (typeof WARNING_KINDS)[number];

/** One rejected row: where, which field, what value and why. */
export interface Rejection {
  /** 1-based line of the row in the file (the header is line 1); the first line of a multi-line row. */
  line: number;
  /** The CSV column at fault (`''` for a row that cannot be split into fields). */
  field: string;
  /** The offending value (cut to 100 characters). */
  value: string;
  reason: RejectionReason;
  /** A sentence for people: `line 12: input_tokens "-5" is not a non-negative integer`. */
  message: string;
  /** The row exactly as it was in the file, without its line ending. */
  raw: string;
}

/** Running counts of a read: every data row is read and either kept or rejected. */
export interface ReadTally {
  /** Data rows read (the header and blank lines are not rows). */
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  /** Kept rows that carry at least one warning. */
  rowsWarned: number;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
  warningsByKind: Partial<Record<WarningKind, number>>;
  /** Blank lines skipped. */
  blankLines: number;
  /** Bytes consumed from the source (complete lines only). */
  bytesRead: number;
  /** What the kept rows give and lack: where costs come from, ids and latencies missing. */
  coverage: ReadCoverage;
}

/** Counts of kept rows by what they give (see {@link ReadTally.coverage}). */
export interface ReadCoverage {
  /** Rows whose cost the log reports. */
  rowsReported: number;
  /** Rows without a cost, priced from the catalog. */
  rowsPriced: number;
  /** Rows without a cost whose model the catalog does not know: counted at 0. */
  rowsUnpriced: number;
  /** Input plus output tokens of the unpriced rows. */
  unpricedTokens: number;
  /** Rows without a call id: duplicates among them cannot be detected. */
  rowsWithoutCallId: number;
  /** Rows without a latency. */
  rowsWithoutLatency: number;
  /** Sum of the reported costs of rows whose model the catalog prices, in micro-dollars. */
  reportedCostMicros: number;
  /** The catalog's list price of those same rows, in micro-dollars (compare with {@link reportedCostMicros}). */
  reportedListMicros: number;
}

/** A coverage with every count at zero. */
export function emptyCoverage(): ReadCoverage {
  return {
    rowsReported: 0,
    rowsPriced: 0,
    rowsUnpriced: 0,
    unpricedTokens: 0,
    rowsWithoutCallId: 0,
    rowsWithoutLatency: 0,
    reportedCostMicros: 0,
    reportedListMicros: 0,
  };
}

/** A tally with every count at zero. */
export function emptyTally(): ReadTally {
  return {
    rowsRead: 0,
    rowsKept: 0,
    rowsRejected: 0,
    rowsWarned: 0,
    rejectedByReason: {},
    warningsByKind: {},
    blankLines: 0,
    bytesRead: 0,
    coverage: emptyCoverage(),
  };
}

/** Adds `other` into `target` (tallies of parts of a file merge into the tally of the whole). */
export function mergeTally(target: ReadTally, other: ReadTally): ReadTally {
  target.rowsRead += other.rowsRead;
  target.rowsKept += other.rowsKept;
  target.rowsRejected += other.rowsRejected;
  target.rowsWarned += other.rowsWarned;
  target.blankLines += other.blankLines;
  target.bytesRead += other.bytesRead;
  const coverage = target.coverage;
  for (const key of Object.keys(coverage) as (keyof ReadCoverage)[]) coverage[key] += other.coverage[key];
  for (const [reason, count] of Object.entries(other.rejectedByReason) as [RejectionReason, number][]) {
    target.rejectedByReason[reason] = (target.rejectedByReason[reason] ?? 0) + count;
  }
  for (const [kind, count] of Object.entries(other.warningsByKind) as [WarningKind, number][]) {
    target.warningsByKind[kind] = (target.warningsByKind[kind] ?? 0) + count;
  }
  return target;
}

/** A deep copy of a tally. */
export function copyTally(tally: ReadTally): ReadTally {
  return mergeTally(emptyTally(), tally);
}
