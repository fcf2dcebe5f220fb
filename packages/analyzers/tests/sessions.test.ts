/* eslint-disable @typescript-eslint/no-non-null-assertion -- fixtures have known shapes */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CallRecord, checkReportDocument } from '@finops/schema';
import { type AnalysisResults, analyzeCosts } from '../src';
import { featuresDocument, toReportDocument } from '../src/documents';
import { call, csvOf, randomLogV2 } from './fixtures';
import { assertMergeLaws } from './merge-laws';

const bootstrap = join(__dirname, 'worker-bootstrap.cjs');

/** Two customers; the id `s1` used by both is two sessions; one call without a session or trace id. */
function sessionLog(): CallRecord[] {
  return [
    call({ sessionId: 's1', traceId: 't1', customerId: 'cust_a', featureId: 'chat', costMicros: 1_000 }),
    call({ sessionId: 's1', traceId: 't1', customerId: 'cust_a', featureId: 'chat', costMicros: 2_000 }),
    call({ sessionId: 's1', traceId: 't1', customerId: 'cust_a', featureId: 'search', costMicros: 500 }),
    call({ sessionId: 's2', traceId: 't2', customerId: 'cust_b', featureId: 'chat', costMicros: 400 }),
    call({ sessionId: 's1', traceId: 't3', customerId: 'cust_b', featureId: 'chat', costMicros: 100 }),
    call({ sessionId: '', traceId: '', customerId: 'cust_b', featureId: 'chat', costMicros: 50 }),
  ];
}

/** A random log whose sessions and traces span several calls (and a few rows without either). */
function sharedSessions(count: number, seed: number): CallRecord[] {
  return randomLogV2(count, 12, seed).map((record, index) => ({
    ...record,
    sessionId: index % 41 === 0 ? '' : `sess_${index % 37}`,
    traceId: index % 43 === 0 ? '' : `trace_${index % 53}`,
  }));
}

describe('sessions and traces (features.sessions, features.traces, features.perSession)', () => {
  it('gives the costliest sessions and traces and cost per session by feature and customer, by hand', async () => {
    const results = await analyzeCosts(sessionLog(), {
      analyses: ['features'],
      config: { features: { topSessions: 2 } },
    });
    const features = results.features!;
    expect(features.sessions).toEqual([
      { id: 's1', calls: 3, costMicros: 3_500, customer: 'cust_a', features: 2 },
      { id: 's2', calls: 1, costMicros: 400, customer: 'cust_b', features: 1 },
    ]);
    expect(features.traces).toEqual([
      { id: 't1', calls: 3, costMicros: 3_500, customer: 'cust_a' },
      { id: 't2', calls: 1, costMicros: 400, customer: 'cust_b' },
    ]);
    const { perSession } = features;
    expect(perSession.overall).toEqual({
      sessions: 3,
      calls: 5,
      costMicros: 4_000,
      meanCostMicros: 1_333,
      meanCalls: 1.67,
      medianCostMicros: 400,
      p95CostMicros: 3_500,
    });
    expect(perSession.callsWithoutSession).toBe(1);
    expect(perSession.costWithoutSessionMicros).toBe(50);
    expect(perSession.callsWithoutTrace).toBe(1);
    expect(perSession.traces.sessions).toBe(3);
    expect(perSession.byFeature).toEqual([
      {
        feature: 'chat',
        sessions: 3,
        calls: 4,
        costMicros: 3_500,
        meanCostMicros: 1_167,
        meanCalls: 1.33,
        medianCostMicros: 400,
        p95CostMicros: 3_000,
      },
      {
        feature: 'search',
        sessions: 1,
        calls: 1,
        costMicros: 500,
        meanCostMicros: 500,
        meanCalls: 1,
        medianCostMicros: 500,
        p95CostMicros: 500,
      },
    ]);
    expect(
      perSession.byCustomer.map((row) => [
        row.customer,
        row.sessions,
        row.costMicros,
        row.medianCostMicros,
        row.p95CostMicros,
      ]),
    ).toEqual([
      ['cust_a', 1, 3_500, 3_500, 3_500],
      ['cust_b', 2, 500, 100, 400],
    ]);
    expect(checkReportDocument(toReportDocument('features', results))).toEqual([]);
  });

  it('adds up: the sessions by feature and by customer hold every call with a session id', async () => {
    const results = await analyzeCosts(sharedSessions(600, 5), { analyses: ['features'] });
    const { perSession, features } = results.features!;
    const total = features.reduce((sum, row) => sum + row.costMicros, 0);
    expect(perSession.overall.costMicros + perSession.costWithoutSessionMicros).toBe(total);
    for (const rows of [perSession.byFeature, perSession.byCustomer]) {
      expect(rows.reduce((sum, row) => sum + row.costMicros, 0)).toBe(perSession.overall.costMicros);
      expect(rows.reduce((sum, row) => sum + row.calls, 0)).toBe(perSession.overall.calls);
    }
    expect(perSession.byCustomer.reduce((sum, row) => sum + row.sessions, 0)).toBe(
      perSession.overall.sessions,
    );
  });

  it('obeys the merge laws', () => {
    assertMergeLaws(['features'], sharedSessions(400, 8), 10);
  });

  it('reads the same sessions from a file, in one thread or several, as from records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'analyzers-sessions-'));
    try {
      // A plain CSV has no weight column: one call a row.
      const records = sharedSessions(1_200, 6).map((record) => ({ ...record, calls: 1 }));
      const path = join(dir, 'log.csv');
      writeFileSync(path, csvOf(records));
      const comparable = (results: AnalysisResults): unknown =>
        JSON.parse(JSON.stringify({ features: results.features, periods: results.understanding?.periods }));
      const fromRecords = comparable(
        await analyzeCosts(records, { analyses: ['features', 'understanding'] }),
      );
      expect(comparable(await analyzeCosts(path, { analyses: ['features', 'understanding'] }))).toEqual(
        fromRecords,
      );
      for (const workers of [2, 3]) {
        const threaded = await analyzeCosts(path, {
          analyses: ['features', 'understanding'],
          workers,
          workerScript: bootstrap,
        });
        expect(comparable(threaded)).toEqual(fromRecords);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('says what it cannot compute from bucketed rows, and what to log when no call has a session', async () => {
    const bucketed = randomLogV2(300, 10, 2).map((record) =>
      (record.calls ?? 1) > 1 ? { ...record, sessionId: '', traceId: '' } : record,
    );
    const results = await analyzeCosts(bucketed, { analyses: ['features'] });
    const document = featuresDocument(results.features!, results.meta);
    expect(checkReportDocument(document)).toEqual([]);
    const section = JSON.stringify(document.sections.find((entry) => entry.title === 'Sessions and traces'));
    expect(section).toContain('cost per session and per trace: a bucketed row');
    const none = sessionLog().map((record) => ({ ...record, sessionId: '', traceId: '' }));
    const bare = await analyzeCosts(none, { analyses: ['features'] });
    expect(bare.features!.sessions).toEqual([]);
    expect(bare.features!.perSession.callsWithoutSession).toBe(6);
    const page = featuresDocument(bare.features!, bare.meta);
    expect(JSON.stringify(page.sections.find((entry) => entry.title === 'Sessions and traces'))).toContain(
      'session_id',
    );
  });
});
