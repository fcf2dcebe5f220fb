import type { CallFilter } from './scope';
import { parseWhere } from './scope';

/** The filter of `--since`, `--until` and `--where column=value` (repeatable). */
export function filterFromFlags(values: { since?: string; until?: string; where?: string[] }): CallFilter {
  const filter: CallFilter = {};
  if (values.since !== undefined) filter.since = values.since;
  if (values.until !== undefined) filter.until = values.until;
  if (values.where !== undefined && values.where.length > 0) filter.where = parseWhere(values.where);
  return filter;
}
