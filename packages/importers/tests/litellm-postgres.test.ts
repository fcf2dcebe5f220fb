import { readFileSync } from 'node:fs';
import pg from 'pg';
import { displayUrl, importInput, isPostgresUrl, quoteTableName } from '../src';
import { fixture, importAll } from './helpers';
import { startTestPostgres, type TestPostgres } from './postgres-server';

const page = fixture('litellm', 'spend-logs-page.json');

/** The table as LiteLLM's Prisma schema creates it (the columns the importer reads, and others). */
const CREATE_TABLE = `CREATE TABLE "LiteLLM_SpendLogs" (
  request_id TEXT PRIMARY KEY, call_type TEXT NOT NULL, api_key TEXT NOT NULL DEFAULT '',
  spend DOUBLE PRECISION NOT NULL DEFAULT 0.0, total_tokens INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0,
  "startTime" TIMESTAMP(3) NOT NULL, "endTime" TIMESTAMP(3) NOT NULL, request_duration_ms INTEGER,
  "completionStartTime" TIMESTAMP(3), model TEXT NOT NULL DEFAULT '', model_id TEXT DEFAULT '',
  model_group TEXT DEFAULT '', custom_llm_provider TEXT DEFAULT '', api_base TEXT DEFAULT '',
  "user" TEXT DEFAULT '', metadata JSONB DEFAULT '{}', cache_hit TEXT DEFAULT '', cache_key TEXT DEFAULT '',
  request_tags JSONB DEFAULT '[]', team_id TEXT, organization_id TEXT, end_user TEXT,
  requester_ip_address TEXT, session_id TEXT, status TEXT, messages JSONB DEFAULT '{}',
  response JSONB DEFAULT '{}', proxy_server_request JSONB DEFAULT '{}'
)`;

const COLUMNS = [
  'request_id',
  'call_type',
  'api_key',
  'spend',
  'total_tokens',
  'prompt_tokens',
  'completion_tokens',
  'startTime',
  'endTime',
  'request_duration_ms',
  'completionStartTime',
  'model',
  'model_id',
  'model_group',
  'custom_llm_provider',
  'api_base',
  'user',
  'metadata',
  'cache_hit',
  'cache_key',
  'request_tags',
  'team_id',
  'organization_id',
  'end_user',
  'requester_ip_address',
  'session_id',
  'status',
];
const JSON_COLUMNS = new Set(['metadata', 'request_tags']);

let server: TestPostgres | string;
beforeAll(async () => {
  server = startTestPostgres();
  if (typeof server === 'string') return;
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(CREATE_TABLE);
  // The rows of the page that a database can hold: typed columns refuse "many" tokens and a start time of
  // "yesterday", and the primary key refuses the repeated request id.
  const rows = (JSON.parse(readFileSync(page, 'utf8')) as { data: Record<string, unknown>[] }).data.slice(
    0,
    6,
  );
  for (const row of rows) {
    const present = COLUMNS.filter((column) => row[column] !== undefined);
    const values = present.map((column) =>
      JSON_COLUMNS.has(column) ? JSON.stringify(row[column]) : row[column],
    );
    await client.query(
      `INSERT INTO "LiteLLM_SpendLogs" (${present.map((column) => `"${column}"`).join(', ')}) VALUES (${present.map((_, index) => `$${index + 1}`).join(', ')})`,
      values,
    );
  }
  await client.end();
}, 60_000);
afterAll(() => {
  if (typeof server !== 'string') server.stop();
});

async function importDatabase(options: Parameters<typeof importInput>[1] = {}) {
  if (typeof server === 'string') throw new Error(server);
  const rows = [];
  let tally;
  for await (const batch of importInput(server.url, options)) {
    rows.push(...batch.rows);
    tally = batch.tally;
  }
  return { rows, tally };
}

describe('litellm from its PostgreSQL database', () => {
  it('gives the same rows as an export of the same rows, through a cursor', async () => {
    if (typeof server === 'string') return console.warn(`skipped: ${server}`);
    const fromExport = await importAll(page);
    const fromDatabase = await importDatabase({ fetchSize: 2 });
    const byId = (rows: { call_id?: string | number }[]) =>
      [...rows].sort((a, b) => String(a.call_id).localeCompare(String(b.call_id)));
    expect(byId(fromDatabase.rows)).toEqual(byId(fromExport.rows));
    expect(fromDatabase.tally).toMatchObject({
      source: 'litellm',
      format: 'postgres',
      recordsKept: 6,
      reportedCostMicros: fromExport.tally.reportedCostMicros,
    });
  });

  it('reads a time window', async () => {
    if (typeof server === 'string') return console.warn(`skipped: ${server}`);
    const { rows } = await importDatabase({ since: '2026-05-04T10:00:00Z', until: '2026-05-04T12:00:00Z' });
    expect(rows.map((row) => row.call_id)).toEqual(['chatcmpl-BvX81kQz', 'msg_01HqLw3oDd2kQ']);
  });

  it('says what is wrong with a table it cannot read or a server it cannot reach', async () => {
    if (typeof server === 'string') return console.warn(`skipped: ${server}`);
    await expect(importDatabase({ table: 'public.NoSuchTable' })).rejects.toThrow(
      /cannot read the spend logs table/,
    );
    await expect(importDatabase({ since: 'soon' })).rejects.toThrow(/not an ISO 8601 time/);
    const unreachable = importInput('postgresql://nobody:secret@127.0.0.1:1/none');
    await expect(unreachable.next()).rejects.toThrow(
      /postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: cannot connect/,
    );
    expect(() => importInput('postgresql://x@y/z', { from: 'otel' })).toThrow(/read as litellm/);
  });

  it('knows database URLs and quotes table names', () => {
    expect(isPostgresUrl('postgres://a@b/c')).toBe(true);
    expect(isPostgresUrl('spend.json')).toBe(false);
    expect(displayUrl('postgresql://u:pw@h:5432/db')).toBe('postgresql://u:***@h:5432/db');
    expect(quoteTableName('litellm.LiteLLM_SpendLogs')).toBe('"litellm"."LiteLLM_SpendLogs"');
  });
});
