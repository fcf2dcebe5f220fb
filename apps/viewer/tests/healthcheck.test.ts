import { execFile, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ANALYSES } from '@finops/analyzers';
import { probeHealth } from '../src/health-probe';
import { renderFolder, tempDir, writeLog } from './support/fixtures';

const run = promisify(execFile);
const builtViewer = resolve(__dirname, '..', 'dist', 'main.js');
const builtHealthcheck = resolve(__dirname, '..', 'dist', 'healthcheck.js');
const PASSWORD = 'correct-horse-battery';

let folder: string;
beforeAll(async () => {
  folder = await tempDir('finops-viewer-healthcheck-');
  await writeLog(join(folder, 'calls.csv'), 20);
  await renderFolder(join(folder, 'calls.csv'), join(folder, 'reports'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// The built viewer as a container runs it: every interface, a password, JSON logs, and the health check beside it.
describe('the container health check', () => {
  it('passes with the credentials of the environment, fails without them, and the logs hold no password', async () => {
    const env = {
      ...process.env,
      FINOPS_VIEWER_USER: 'ops',
      FINOPS_VIEWER_PASSWORD: PASSWORD,
      HOST: '0.0.0.0',
    };
    const child = spawn(
      process.execPath,
      [
        builtViewer,
        '--port',
        '0',
        '--dir',
        join(folder, 'reports'),
        '--log-format',
        'json',
        '--log-level',
        'debug',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    try {
      const port = await new Promise<string>((resolvePromise, reject) => {
        const onData = (data: Buffer): void => {
          output += data.toString();
          const match = /"port":(\d+)/.exec(output);
          if (match?.[1]) resolvePromise(match[1]);
        };
        child.stderr.on('data', onData);
        child.on('error', reject);
        child.on('close', () => reject(new Error(`viewer exited early: ${output}`)));
      });
      const passed = await run(process.execPath, [builtHealthcheck], { env: { ...env, PORT: port } });
      expect(passed.stdout).toMatch(new RegExp(`/health: HTTP 200, status ok, ${ANALYSES.length} reports`));

      const failed = run(process.execPath, [builtHealthcheck], {
        env: { ...process.env, PORT: port, FINOPS_VIEWER_USER: '', FINOPS_VIEWER_PASSWORD: '' },
      });
      await expect(failed).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('HTTP 401') });
      expect((await probeHealth({ env: { PORT: port } })).healthy).toBe(false);

      const lines = output.trim().split('\n');
      const entries = lines.map((line) => JSON.parse(line) as { level: string; message: string });
      expect(entries[0]).toMatchObject({ level: 'info', message: expect.stringMatching(/^serving /) });
      expect(
        entries.some((entry) => entry.level === 'warn' && /not a loopback address/.test(entry.message)),
      ).toBe(true);
      expect(
        entries.some((entry) => entry.level === 'debug' && entry.message.startsWith('GET /health 200')),
      ).toBe(true);
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(Buffer.from(`ops:${PASSWORD}`).toString('base64'));
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);

  it('reports a viewer that does not answer', async () => {
    const probe = await probeHealth({ env: { PORT: '1' }, timeoutMs: 2000 });
    expect(probe.healthy).toBe(false);
    expect(probe.message).toMatch(/^http:\/\/127\.0\.0\.1:1\/health: /);
  });
});
