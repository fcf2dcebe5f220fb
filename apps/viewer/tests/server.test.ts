import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createViewerServer } from '../src/server';

let base: string;
let server: Server;
let origin: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'finops-viewer-server-'));
  const root = join(base, 'reports');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>index</title>');
  await writeFile(join(root, 'manifest.json'), '{"reports":[]}');
  await writeFile(join(base, 'secret.txt'), 'secret');
  server = createViewerServer({ dir: root });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(base, { recursive: true, force: true });
});

describe('viewer server', () => {
  it('serves the index with security headers and a content type', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toContain('<title>index</title>');
    const manifest = await fetch(`${origin}/manifest.json`);
    expect(manifest.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('answers HEAD and conditional GETs', async () => {
    const head = await fetch(`${origin}/manifest.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('14');
    const etag = head.headers.get('etag') ?? '';
    expect((await fetch(`${origin}/manifest.json`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const lastModified = head.headers.get('last-modified') ?? '';
    expect(
      (await fetch(`${origin}/manifest.json`, { headers: { 'If-Modified-Since': lastModified } })).status,
    ).toBe(304);
  });

  it('never serves a file outside its folder, nor lists folders', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%252e%252e/secret.txt',
      '/..%5csecret.txt',
    ]) {
      const response = await fetch(`${origin}${attempt}`);
      expect([400, 404]).toContain(response.status);
      expect(await response.text()).not.toContain('secret');
    }
    expect((await fetch(`${origin}/assets`)).status).toBe(404);
    expect((await fetch(`${origin}/nothing.html`)).status).toBe(404);
    expect((await fetch(`${origin}/`, { method: 'POST' })).status).toBe(405);
  });
});
