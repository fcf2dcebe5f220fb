import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const builtViewer = resolve(__dirname, '..', 'dist', 'main.js');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-viewer-process-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// The built entry point as people start it: it says where it listens, serves, and stops cleanly on a signal.
describe('the viewer process', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops cleanly on %s',
    async (signal) => {
      const child = spawn(process.execPath, [builtViewer, '--port', '0', '--dir', folder], {
        env: { ...process.env, HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const address = await new Promise<string>((resolvePromise, reject) => {
        const onData = (data: Buffer): void => {
          output += data.toString();
          const match = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (match?.[1]) resolvePromise(match[1]);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('error', reject);
        child.on('close', () => reject(new Error(`viewer exited early: ${output}`)));
      });
      // An empty folder: the server answers, and says it has no reports yet.
      const health = await fetch(`${address}health`);
      const body = (await health.json()) as { reports: number };
      expect(body.reports).toBe(0);
      expect([200, 503]).toContain(health.status);
      const exit = new Promise<number | null>((resolvePromise) =>
        child.on('close', (code) => resolvePromise(code)),
      );
      child.kill(signal);
      expect(await exit).toBe(0);
      await expect(fetch(`${address}health`)).rejects.toThrow();
    },
    30_000,
  );
});
