import { request as httpRequest } from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { allowedHostsFor, isHostAllowed, parseAllowedHost, parseHostHeader } from '../src/host-check';
import { createViewerServer, type ViewerServer } from '../src/server';
import { renderFolder, tempDir, writeLog } from './support/fixtures';

describe('parseHostHeader', () => {
  it.each([
    ['localhost:8000', { name: 'localhost', port: 8000 }],
    ['LOCALHOST', { name: 'localhost', port: 80 }],
    ['127.0.0.1:8123', { name: '127.0.0.1', port: 8123 }],
    ['[::1]:8000', { name: '::1', port: 8000 }],
    ['reports.example.com.', { name: 'reports.example.com', port: 80 }],
  ])('reads %s', (header, expected) => {
    expect(parseHostHeader(header)).toEqual(expected);
  });

  it.each([undefined, '', 'a b', 'evil.example:', 'evil.example:70000', '[nothex]:80', 'user@host'])(
    'refuses %j',
    (header) => {
      expect(parseHostHeader(header)).toBeUndefined();
    },
  );
});

describe('the host policy', () => {
  const loopback = allowedHostsFor('127.0.0.1', 8000);

  it('accepts the bound address and localhost on the bound port', () => {
    for (const header of ['127.0.0.1:8000', 'localhost:8000', '[::1]:8000']) {
      expect(isHostAllowed(header, loopback)).toBe(true);
    }
  });

  it('refuses other names, other ports and a missing header', () => {
    for (const header of ['evil.example:8000', 'localhost:9000', 'localhost', '10.0.0.2:8000', undefined]) {
      expect(isHostAllowed(header, loopback)).toBe(false);
    }
  });

  it('accepts names given with --allowed-host, on any port or on the one given', () => {
    const policy = allowedHostsFor('127.0.0.1', 8000, [
      parseAllowedHost('reports.example.com'),
      parseAllowedHost('localhost:8080'),
    ]);
    expect(isHostAllowed('reports.example.com', policy)).toBe(true);
    expect(isHostAllowed('reports.example.com:443', policy)).toBe(true);
    expect(isHostAllowed('localhost:8080', policy)).toBe(true);
    expect(isHostAllowed('localhost:8081', policy)).toBe(false);
    expect(isHostAllowed('other.example.com', policy)).toBe(false);
  });

  it('bound to every interface, accepts any IP address on its port but still no foreign name', () => {
    const policy = allowedHostsFor('0.0.0.0', 8000);
    expect(isHostAllowed('192.168.1.20:8000', policy)).toBe(true);
    expect(isHostAllowed('[fe80::1]:8000', policy)).toBe(true);
    expect(isHostAllowed('192.168.1.20:9000', policy)).toBe(false);
    expect(isHostAllowed('0.0.0.0.nip.example:8000', policy)).toBe(false);
    expect(isHostAllowed('localhost:8000', policy)).toBe(true);
  });

  it('bound to a named address, accepts that name', () => {
    const policy = allowedHostsFor('[::1]', 8000);
    expect(isHostAllowed('[::1]:8000', policy)).toBe(true);
    expect(isHostAllowed('127.0.0.1:8000', policy)).toBe(true);
  });
});

/** A GET with a `Host` header of our choosing, as a page that rebound its DNS name would send it. */
function getWithHost(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { Host: host } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('a viewer on loopback, asked for by a rebound DNS name', () => {
  let base: string;
  let viewer: ViewerServer;
  let port: number;
  const warnings: string[] = [];

  beforeAll(async () => {
    base = await tempDir('finops-viewer-host-');
    await writeLog(join(base, 'calls.csv'), 30);
    await renderFolder(join(base, 'calls.csv'), join(base, 'reports'));
    const { createLogger } = await import('../src/logger');
    viewer = createViewerServer({
      dir: join(base, 'reports'),
      allowedHosts: [parseAllowedHost('finops.internal')],
      logger: createLogger({ level: 'warn', sink: (line) => warnings.push(line) }),
    });
    port = (await viewer.listen(0, '127.0.0.1')).port;
  });
  afterAll(async () => {
    await viewer.close();
    await rm(base, { recursive: true, force: true });
  });

  it.each(['/', '/manifest.json', '/understanding.html', '/health', '/metrics', '/_viewer/events'])(
    'refuses %s for a foreign name',
    async (path) => {
      const answer = await getWithHost(port, path, `attacker.example:${port}`);
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('does not serve the host "attacker.example');
      expect(answer.body).not.toContain('manifest_version');
    },
  );

  it('serves its own address, localhost and the allowed name', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'finops.internal']) {
      const answer = await getWithHost(port, '/manifest.json', host);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('"manifest_version"');
    }
  });

  it('logs a refused name once as a warning', () => {
    const refusals = warnings.filter((line) => line.includes('attacker.example'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/^viewer: warning: refused a request for host "attacker\.example:\d+"/);
  });
});
