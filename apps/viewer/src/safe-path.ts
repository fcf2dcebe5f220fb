import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Why a request path was refused: `bad-request` (400) or `not-found` (404). */
export type PathRefusal = 'bad-request' | 'not-found';

/** The file a request path names inside the served folder, or why it was refused. */
export type ResolvedPath = { ok: true; path: string } | { ok: false; refusal: PathRefusal };

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/**
 * Maps the path of a URL (`/reports/a.html`, percent-encoded) to a file
 * inside `root`, refusing anything that could reach outside it: `..`
 * segments (plain, encoded or double-encoded), backslashes, NUL bytes,
 * absolute paths, and symbolic links that lead out of the folder. A path
 * ending in `/` names its `index.html`.
 */
export async function resolveRequestPath(root: string, urlPath: string): Promise<ResolvedPath> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, refusal: 'bad-request' };
  }
  // A second round of decoding must not change anything: `%252e%252e` is an attack, not a name.
  if (
    /%[0-9a-f]{2}/i.test(decoded) ||
    decoded.includes('\\') ||
    decoded.includes('\0') ||
    !decoded.startsWith('/')
  ) {
    return { ok: false, refusal: 'bad-request' };
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.'))
    return { ok: false, refusal: 'bad-request' };
  if (decoded.endsWith('/')) segments.push('index.html');
  const rootReal = await realpath(root);
  const candidate = resolve(rootReal, ...segments);
  if (!inside(rootReal, candidate)) return { ok: false, refusal: 'bad-request' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { ok: false, refusal: 'not-found' };
  }
  if (!inside(rootReal, real)) return { ok: false, refusal: 'not-found' };
  return { ok: true, path: real };
}
