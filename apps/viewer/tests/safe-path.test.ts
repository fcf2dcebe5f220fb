import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRequestPath } from '../src/safe-path';

let base: string;
let root: string;
beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'finops-viewer-')));
  root = join(base, 'reports');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), 'index');
  await writeFile(join(root, 'assets', 'report.css'), 'css');
  await writeFile(join(base, 'secret.txt'), 'secret');
  await symlink(join(base, 'secret.txt'), join(root, 'leak.txt'));
  await symlink(join(root, 'index.html'), join(root, 'alias.html'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveRequestPath', () => {
  it('finds files inside the folder', async () => {
    expect(await resolveRequestPath(root, '/')).toEqual({ ok: true, path: join(root, 'index.html') });
    expect(await resolveRequestPath(root, '/assets/report.css')).toEqual({
      ok: true,
      path: join(root, 'assets', 'report.css'),
    });
    expect(await resolveRequestPath(root, '/alias.html')).toEqual({
      ok: true,
      path: join(root, 'index.html'),
    });
    expect(await resolveRequestPath(root, '/missing.html')).toEqual({ ok: false, refusal: 'not-found' });
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/%252e%252e/secret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/index.html%00.png',
    '/%E0%A4%A',
    'secret.txt',
  ])('refuses %s', async (attempt) => {
    const result = await resolveRequestPath(root, attempt);
    expect(result.ok).toBe(false);
  });

  it('does not follow a symbolic link out of the folder', async () => {
    expect(await resolveRequestPath(root, '/leak.txt')).toEqual({ ok: false, refusal: 'not-found' });
  });
});
