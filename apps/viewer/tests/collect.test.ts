import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type RunningCollector, startCollector } from '@finops/importers';
import type { ReportManifest } from '@finops/schema';
import { type RunningViewer, startViewer } from '../src/app';
import { documentBuilder, eventually, tempDir } from './support/fixtures';

/** The importers' test exporter: GenAI spans made and sent by the OpenTelemetry JS SDK's OTLP exporter. */
const importersTests = resolve(__dirname, '..', '..', '..', 'packages', 'importers', 'tests');

/** Exports the calls of the importers' collector tests (three chat spans, each under an agent span). */
async function exportSpans(origin: string, protocol: 'json' | 'protobuf'): Promise<{ code: number }[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', 'esbuild-register', '-e', 'require("./export-spans.ts")'],
    {
      cwd: importersTests,
      env: {
        ...process.env,
        EXPORT_SPANS: JSON.stringify({ url: `${origin}/v1/traces`, protocol, first: 0, count: 3, times: 1 }),
      },
    },
  );
  return JSON.parse(stdout) as { code: number }[];
}

let dir: string;
let viewer: RunningViewer | undefined;
let collector: RunningCollector | undefined;

beforeEach(async () => {
  dir = await tempDir('finops-viewer-collect-');
});
afterEach(async () => {
  await collector?.stop();
  await viewer?.close();
  collector = undefined;
  viewer = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('the viewer following a log that finops collect appends to', () => {
  it.each(['protobuf', 'json'] as const)(
    'shows spans exported over OTLP/HTTP %s within 2 s of their acknowledgement',
    async (protocol) => {
      const logPath = join(dir, 'calls.csv');
      collector = await startCollector({ out: logPath, port: 0 });
      viewer = await startViewer(
        {
          host: '127.0.0.1',
          port: 0,
          dir: join(dir, 'reports'),
          watch: logPath,
          watchDisplay: 'calls.csv',
          // The viewer's default quiet time after a write.
          debounceMs: 200,
          rateLimit: 0,
          rateBurst: 1,
        },
        () => undefined,
        documentBuilder(),
      );
      const origin = viewer.url.replace(/\/$/, '');
      // The viewer has analysed the log as the collector created it (a header, no call yet).
      await eventually(
        async () => {
          const response = await fetch(`${origin}/health`);
          const body = (await response.json()) as { live?: { updates?: number; fullAnalyses?: number } };
          return (body.live?.fullAnalyses ?? 0) >= 1 ? true : undefined;
        },
        10_000,
        'the first analysis',
      );

      expect(await exportSpans(collector.origin, protocol)).toEqual([{ code: 0 }]);
      const manifest = await eventually(
        async () => {
          const response = await fetch(`${origin}/manifest.json`);
          if (!response.ok) return undefined;
          const current = (await response.json()) as ReportManifest;
          return current.data_file.rows_kept === 3 ? current : undefined;
        },
        2000,
        'the collected calls in the manifest',
      );
      expect(manifest.data_file.rows_rejected).toBe(0);
      const pages = await Promise.all(
        manifest.reports.map(async (report) => (await fetch(`${origin}/${report.filename}`)).text()),
      );
      expect(pages.some((page) => page.includes('cust_8841'))).toBe(true);
      expect(pages.some((page) => page.includes('cust_0193'))).toBe(true);
    },
    30_000,
  );
});
