import { credentialsFromEnv } from './security';

/** What {@link probeHealth} found. */
export interface HealthProbe {
  /** Whether the viewer answered `/health` with 200. */
  healthy: boolean;
  /** One line saying what was found. */
  message: string;
}

/** Options of {@link probeHealth}. */
export interface HealthProbeOptions {
  /** `PORT` (default 8000), `FINOPS_VIEWER_USER` and `FINOPS_VIEWER_PASSWORD` are read from here. */
  env?: NodeJS.ProcessEnv;
  /** The address to ask; 127.0.0.1 by default (the container's own viewer). */
  host?: string;
  /** Give up after this long; 5 s by default. */
  timeoutMs?: number;
}

/**
 * Asks a viewer on this machine for `/health`, with the basic-authentication
 * credentials of the environment when they are set: what a container's
 * `HEALTHCHECK` runs. Healthy means a 200 answer (the reports are there).
 */
export async function probeHealth(options: HealthProbeOptions = {}): Promise<HealthProbe> {
  const env = options.env ?? process.env;
  const port = env['PORT'] ?? '8000';
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/health`;
  const headers: Record<string, string> = {};
  const auth = credentialsFromEnv(env);
  if (auth)
    headers['Authorization'] = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    const body = (await response.json().catch(() => ({}))) as { status?: string; reports?: number };
    const what = `${url}: HTTP ${response.status}, status ${body.status ?? 'unknown'}, ${body.reports ?? 0} reports`;
    return { healthy: response.status === 200, message: what };
  } catch (error) {
    return { healthy: false, message: `${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
