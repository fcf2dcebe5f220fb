import { type AnalysisResults, CostAnalyzer } from '@finops/analyzers';
import { readMode, type WarehouseAnalyzeOptions, warehouseState } from './analyze';
import type { CallWarehouse } from './connection';
import { checkSchema, LOADS_TABLE } from './migrations';
import { type LoadRange, type Scope, scopeOf } from './scope';

/**
 * What one look at the calls table did: `initial` read every committed
 * load, `append` only the loads committed since the last look, `reset`
 * everything again because the loads already held changed (one was removed,
 * or one committed late with a number at or below those held).
 */
export type FollowKind = 'initial' | 'append' | 'reset';

/** One look of a {@link WarehouseFollower} that found something to read. */
export interface FollowLook {
  kind: FollowKind;
  /** The loads this look read, by sequence number. */
  range: LoadRange;
  /** The ids of those loads, in load order. */
  loadIds: string[];
  /** Rows those loads wrote to the calls table: what this look's queries read beyond the `load_id` column. */
  rowsRead: number;
  /** The calls relation this look's queries read (the loads' range and the follower's filter). */
  scope: Scope;
  /** Committed loads held after this look. */
  loadsHeld: number;
  /** Rows of the calls table held after this look. */
  rowsHeld: number;
  /** When the newest load held was committed (ms since the epoch), `null` when none is held. */
  newestLoadMs: number | null;
}

/** Loads committed after the ones a follower holds, and how far behind it is. */
export interface FollowBacklog {
  /** Committed loads not yet read. */
  loads: number;
  /** Rows those loads wrote. */
  rows: number;
  /** When the oldest of them was committed (ms since the epoch), `null` when there is none. */
  oldestLoadMs: number | null;
}

/**
 * Lends a follower a connection for one look and takes it back after: the
 * embedded engine locks its folder for the process that holds it open, so
 * a follower of `chdb:` that lets go between looks lets `finops load` in
 * another process write in the meantime.
 */
export type ConnectionSource = () => Promise<{ warehouse: CallWarehouse; release(): Promise<void> }>;

/** One row of the loads table, as a follower reads it. */
interface LoadEntry {
  load_id: string;
  load_seq: string;
  rows: string;
  loaded_ms: string;
}

/**
 * Keeps the analyses of a calls table current as loads arrive, without
 * reading the rows already analysed again. The loads table numbers each
 * committed load (`load_seq`, one more than the highest at its start) and
 * a load's rows become visible only when its row there is written, so a
 * follower holds the state of the loads numbered up to a watermark. Each
 * {@link look} asks for the loads numbered above it, fills the analyses'
 * partial state from their rows alone (the same generated `GROUP BY`
 * queries, restricted to those loads) and merges it into the state held:
 * states of disjoint sets of calls merge exactly (the analyses' merge laws),
 * and a load never writes an id that an earlier load holds, so the merged
 * results equal those of {@link analyzeWarehouse} over the whole table.
 *
 * The loads held are counted on each look: when fewer or more loads sit at
 * or below the watermark than the follower holds (a load removed, or one
 * that started before the last look and committed after it with a lower
 * number), it reads everything again (`reset`).
 *
 * @example
 * ```ts
 * const follower = new WarehouseFollower(await CallWarehouse.open({ target: 'chdb:finops-db' }));
 * await follower.look();                  // every load so far
 * let results = follower.finish();
 * const look = await follower.look();     // only the loads committed since, or undefined
 * if (look) results = follower.finish();
 * ```
 */
export class WarehouseFollower {
  private analyzer: CostAnalyzer | undefined;
  private watermark = 0;
  private loadsHeld = 0;
  private rowsHeld = 0;
  private newestLoadMs: number | null = null;

  private readonly connection: ConnectionSource;

  /** `connection`: an open connection, kept for every look, or a source that lends one per look. */
  constructor(
    connection: CallWarehouse | ConnectionSource,
    /** What to read; no digest is supplied: a look's partial state merges, a digest cannot, so the groupings are filled. */
    readonly options: Omit<WarehouseAnalyzeOptions, 'onAggregate' | 'suppliedDigests'> = {},
  ) {
    this.connection =
      typeof connection === 'function'
        ? connection
        : async () => ({ warehouse: connection, release: async () => undefined });
  }

  /** Runs `work` with a connection of the source, given back afterwards whatever happens. */
  private async withConnection<T>(work: (warehouse: CallWarehouse) => Promise<T>): Promise<T> {
    const lease = await this.connection();
    try {
      return await work(lease.warehouse);
    } finally {
      await lease.release();
    }
  }

  /** The highest load sequence number held (0 before the first look). */
  get heldThrough(): number {
    return this.watermark;
  }

  /**
   * Looks at the loads table and reads the loads committed since the last
   * look (all of them the first time). Resolves with what was read, or
   * `undefined` when no new load was committed.
   *
   * @throws ClickHouseError `clickhouse_missing_table` before anything was loaded, and as the analyses do.
   */
  look(): Promise<FollowLook | undefined> {
    return this.withConnection((warehouse) => this.lookWith(warehouse));
  }

  private async lookWith(warehouse: CallWarehouse): Promise<FollowLook | undefined> {
    let kind: FollowKind = 'append';
    if (this.analyzer === undefined) {
      kind = 'initial';
      // A table of another schema version must stop the first look, even before any load.
      await checkSchema(warehouse);
    } else if ((await this.countThrough(warehouse, this.watermark)) !== this.loadsHeld) kind = 'reset';
    const after = kind === 'append' ? this.watermark : 0;
    const fresh = await this.loadsAfter(warehouse, after);
    const last = fresh[fresh.length - 1];
    if (last === undefined) {
      if (kind === 'append' || kind === 'initial') return undefined;
      // Every load was removed: the state of nothing.
      return this.read(warehouse, kind, { after: 0, through: 0 }, []);
    }
    return this.read(warehouse, kind, { after, through: Number(last.load_seq) }, fresh);
  }

  /** The results over every load held. */
  finish(): AnalysisResults {
    if (this.analyzer === undefined) throw new Error('WarehouseFollower.finish() before the first look');
    return this.analyzer.finish();
  }

  /** The loads committed after those held: how far the results are behind the table. */
  async backlog(): Promise<FollowBacklog> {
    const [row] = await this.withConnection((warehouse) =>
      warehouse.rows<{ loads: string; rows: string; oldest_ms: string }>({
        sql: `SELECT count() AS loads, sum(rows) AS rows, min(toUnixTimestamp64Milli(loaded_at)) AS oldest_ms FROM {database:Identifier}.${LOADS_TABLE} WHERE load_seq > {after:UInt64}`,
        params: { after: this.watermark },
      }),
    );
    const loads = Number(row?.loads ?? 0);
    return {
      loads,
      rows: Number(row?.rows ?? 0),
      oldestLoadMs: loads > 0 ? Number(row?.oldest_ms) : null,
    };
  }

  private async read(
    warehouse: CallWarehouse,
    kind: FollowKind,
    range: LoadRange,
    loads: LoadEntry[],
  ): Promise<FollowLook> {
    const filter = { ...this.options.filter, loads: range };
    const state = await warehouseState(warehouse, { ...this.options, filter });
    const rowsRead = loads.reduce((sum, load) => sum + Number(load.rows), 0);
    if (kind === 'append' && this.analyzer !== undefined) {
      this.analyzer.merge(state);
      this.loadsHeld += loads.length;
      this.rowsHeld += rowsRead;
    } else {
      this.analyzer = CostAnalyzer.fromState(state, {
        analyses: this.options.analyses,
        registry: this.options.registry,
        config: this.options.config,
        catalog: this.options.catalog,
        customers: this.options.customers,
      });
      this.loadsHeld = loads.length;
      this.rowsHeld = rowsRead;
      this.newestLoadMs = null;
    }
    this.watermark = range.through;
    const newest = loads[loads.length - 1];
    if (newest !== undefined) this.newestLoadMs = Number(newest.loaded_ms);
    return {
      kind,
      range,
      loadIds: loads.map((load) => load.load_id),
      rowsRead,
      scope: scopeOf(filter, await readMode(warehouse)),
      loadsHeld: this.loadsHeld,
      rowsHeld: this.rowsHeld,
      newestLoadMs: this.newestLoadMs,
    };
  }

  /** Committed loads numbered at or below `through`. */
  private async countThrough(warehouse: CallWarehouse, through: number): Promise<number> {
    const [row] = await warehouse.rows<{ loads: string }>({
      sql: `SELECT count() AS loads FROM {database:Identifier}.${LOADS_TABLE} WHERE load_seq <= {through:UInt64}`,
      params: { through },
    });
    return Number(row?.loads ?? 0);
  }

  /** Committed loads numbered above `after`, in load order. */
  private async loadsAfter(warehouse: CallWarehouse, after: number): Promise<LoadEntry[]> {
    return warehouse.rows<LoadEntry>({
      sql: `SELECT load_id, load_seq, rows, toUnixTimestamp64Milli(loaded_at) AS loaded_ms FROM {database:Identifier}.${LOADS_TABLE} WHERE load_seq > {after:UInt64} ORDER BY load_seq`,
      params: { after },
    });
  }
}
