/** Why a row was kept out of every total. */
export const REJECTION_REASONS = [
  'missing_field',
  'invalid_integer',
  'invalid_cost',
  'invalid_timestamp',
  'invalid_tier',
  'invalid_environment',
  'field_too_long',
  'duplicate_call_id',
  'malformed_row',
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
