import { resolve } from 'node:path';
import { isLoopback, parseViewerArgs, USAGE } from '../src/config';
import { checkBasicAuth, credentialsFromEnv, RateLimiter } from '../src/security';

describe('parseViewerArgs', () => {
  it('serves finops-reports on 127.0.0.1:8000 by default', () => {
    expect(parseViewerArgs([], {}, '/work')).toEqual({
      kind: 'run',
      config: {
        host: '127.0.0.1',
        port: 8000,
        dir: resolve('/work', 'finops-reports'),
        debounceMs: 200,
        rateLimit: 200,
        rateBurst: 1000,
        auth: undefined,
        allowedHosts: [],
        logLevel: 'info',
        logFormat: 'text',
      },
    });
  });

  it('takes allowed hosts from flags and FINOPS_VIEWER_ALLOWED_HOSTS, and the log level and format', () => {
    const parsed = parseViewerArgs(
      ['--allowed-host', 'Reports.Example.com', '--allowed-host=localhost:8080', '--log-level', 'debug'],
      { FINOPS_VIEWER_ALLOWED_HOSTS: 'finops.internal, [::1]:9000', FINOPS_VIEWER_LOG_FORMAT: 'json' },
      '/w',
    );
    expect(parsed).toMatchObject({
      kind: 'run',
      config: {
        allowedHosts: [
          { name: 'reports.example.com' },
          { name: 'localhost', port: 8080 },
          { name: 'finops.internal' },
          { name: '::1', port: 9000 },
        ],
        logLevel: 'debug',
        logFormat: 'json',
      },
    });
  });

  it.each([
    [['--log-level', 'loud'], /--log-level must be one of debug, info, warn, error, got "loud"/],
    [['--log-format', 'xml'], /--log-format must be text or json, got "xml"/],
    [['--allowed-host', 'evil.example/path'], /--allowed-host takes a host name or address/],
    [['--allowed-host', 'a.example:99999'], /--allowed-host takes a host name or address/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseViewerArgs(argv, {}, '/w');
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' ? parsed.message : '').toMatch(message);
  });

  it('takes flags over HOST and PORT, and paths from where the command was run', () => {
    const parsed = parseViewerArgs(
      ['--port=8123', '--dir', 'out', '--watch', 'logs/calls.csv', '--target-mb', '2.5', '--rate-limit=0'],
      { HOST: '::1', PORT: '9000', INIT_CWD: '/home/ana/project' },
      '/work/apps/viewer',
    );
    expect(parsed).toMatchObject({
      kind: 'run',
      config: {
        host: '::1',
        port: 8123,
        dir: '/home/ana/project/out',
        watch: '/home/ana/project/logs/calls.csv',
        watchDisplay: 'logs/calls.csv',
        targetBytes: 2_500_000,
        rateLimit: 0,
      },
    });
    expect(parseViewerArgs([], { PORT: '9000' }, '/w')).toMatchObject({ config: { port: 9000 } });
  });

  it('reads the credentials from the environment', () => {
    const parsed = parseViewerArgs([], { FINOPS_VIEWER_USER: 'ana', FINOPS_VIEWER_PASSWORD: 'pw' }, '/w');
    expect(parsed).toMatchObject({ config: { auth: { user: 'ana', password: 'pw' } } });
  });

  it.each([
    [['--port', 'http'], /--port must be a whole number/],
    [['--port', '70000'], /--port/],
    [['--port', ''], /--port/],
    [['--target-mb=-1'], /--target-mb must be a positive number/],
    [['--watch', ''], /--watch needs/],
    [['--host', ' '], /--host cannot be empty/],
    [['--unknown'], /Unknown option/],
    [['stray'], /positional/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseViewerArgs(argv, {}, '/w');
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });

  it('refuses half of the credentials', () => {
    expect(parseViewerArgs([], { FINOPS_VIEWER_USER: 'ana' }, '/w')).toMatchObject({ kind: 'error' });
  });

  it('prints its usage on --help', () => {
    expect(parseViewerArgs(['--help'], {}, '/w')).toEqual({ kind: 'help', text: USAGE });
    expect(USAGE).toContain('--watch');
  });
});

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  it.each(['0.0.0.0', '192.168.1.4', '::', 'example.com'])('%s is not', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});

describe('credentials', () => {
  it('are off without the variables and refuse a user name with a colon', () => {
    expect(credentialsFromEnv({})).toBeUndefined();
    expect(() => credentialsFromEnv({ FINOPS_VIEWER_PASSWORD: 'x' })).toThrow(/both/);
    expect(() => credentialsFromEnv({ FINOPS_VIEWER_USER: 'a:b', FINOPS_VIEWER_PASSWORD: 'x' })).toThrow(
      /":"/,
    );
  });

  it('match only the exact user and password', () => {
    const expected = { user: 'ana', password: 'pa:ss wörd' };
    const header = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
    expect(checkBasicAuth(header('ana:pa:ss wörd'), expected)).toBe(true);
    expect(checkBasicAuth(`basic  ${Buffer.from('ana:pa:ss wörd').toString('base64')}`, expected)).toBe(true);
    for (const wrong of ['ana:pa:ss word', 'ana:', ':pa:ss wörd', 'anna:pa:ss wörd', 'ana', ''])
      expect(checkBasicAuth(header(wrong), expected)).toBe(false);
    expect(checkBasicAuth(undefined, expected)).toBe(false);
    expect(checkBasicAuth('Digest abc', expected)).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('lets a client burst, then refills at the average rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 1]);
    expect(limiter.take('b')).toBe(0);
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    now += 10_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 1]);
  });

  it('is off at 0 requests per second and forgets the idlest clients', () => {
    const off = new RateLimiter({ perSecond: 0, burst: 1 });
    expect(off.enabled).toBe(false);
    expect([1, 2, 3].map(() => off.take('a'))).toEqual([0, 0, 0]);
    const small = new RateLimiter({ perSecond: 1, burst: 1, maxClients: 2 });
    small.take('a');
    small.take('b');
    small.take('c');
    expect(small.clients).toBe(2);
    expect(small.take('a')).toBe(0);
  });
});
