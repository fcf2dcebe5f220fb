import { createLogger, redact } from '../src/logger';

function capture(options: Partial<Parameters<typeof createLogger>[0]> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ sink: (line) => lines.push(line), now: () => new Date(0), ...options });
  return { lines, logger };
}

describe('the logger', () => {
  it('writes readable lines at info and above by default', () => {
    const { lines, logger } = capture();
    logger.debug('a request');
    logger.info('serving');
    logger.warn('not loopback');
    logger.error('update failed');
    expect(lines).toEqual([
      'viewer: serving',
      'viewer: warning: not loopback',
      'viewer: error: update failed',
    ]);
  });

  it('honours the level', () => {
    const debug = capture({ level: 'debug' });
    debug.logger.debug('GET / 200');
    expect(debug.lines).toEqual(['viewer: debug: GET / 200']);
    expect(debug.logger.enabled('debug')).toBe(true);
    const errors = capture({ level: 'error' });
    errors.logger.info('serving');
    errors.logger.warn('careful');
    errors.logger.error('broken');
    expect(errors.lines).toEqual(['viewer: error: broken']);
    expect(errors.logger.enabled('warn')).toBe(false);
  });

  it('writes one JSON object per line with time, level, message and fields', () => {
    const { lines, logger } = capture({ format: 'json' });
    logger.info('serving', { url: 'http://127.0.0.1:8000/', port: 8000, skipped: undefined });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        time: '1970-01-01T00:00:00.000Z',
        level: 'info',
        message: 'serving',
        url: 'http://127.0.0.1:8000/',
        port: 8000,
      },
    ]);
  });

  it('never prints a credential', () => {
    const { lines, logger } = capture({ format: 'json', secrets: ['hunter2-long'] });
    logger.warn('login with hunter2-long failed', {
      password: 'anything',
      authorization: 'Basic YW5hOmh1bnRlcjI=',
      note: 'sent Bearer abc.def-ghi and http://ana:hunter2-long@example.com/x',
    });
    const text = lines.join('\n');
    expect(text).not.toContain('hunter2-long');
    expect(text).not.toContain('anything');
    expect(text).not.toContain('YW5hOmh1bnRlcjI=');
    expect(text).not.toContain('abc.def-ghi');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      message: 'login with [redacted] failed',
      password: '[redacted]',
      authorization: '[redacted]',
      note: 'sent Bearer [redacted] and http://[redacted]@example.com/x',
    });
    const text2 = capture({ secrets: ['s3cret-pass'] });
    text2.logger.info('password s3cret-pass');
    expect(text2.lines).toEqual(['viewer: password [redacted]']);
  });

  it('redacts URL credentials and authorization values in any text', () => {
    expect(redact('https://u:p@host/path and Basic dTpw')).toBe(
      'https://[redacted]@host/path and Basic [redacted]',
    );
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });
});
