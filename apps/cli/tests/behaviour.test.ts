import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../src/cli';
import { applySettingFlags } from '../src/config';
import { parseScenarioParameters } from '../src/commands/simulate';
import { processOutput } from '../src/output';
import { formatCount, formatRate, ProgressReporter } from '../src/progress';
import { captureOutput } from './helpers';

const builtCli = resolve(__dirname, '..', 'dist', 'main.js');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'finops-cli-behaviour-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('help', () => {
  it.each([
    ['run', 'Usage: finops run [log.csv]'],
    ['simulate', 'Usage: finops simulate'],
    ['analyze', 'Usage: finops analyze <log.csv>'],
    ['render', 'Usage: finops render <results.json>'],
    ['validate', 'Usage: finops validate <log.csv>'],
  ])('finops %s --help shows usage and examples', async (command, usage) => {
    const output = captureOutput();
    expect(await runCli([command, '--help'], output)).toBe(0);
    const text = output.stdout.join('\n');
    expect(text).toContain(usage);
    expect(text).toContain('Examples:');
  });
});

describe('progress and colour', () => {
  it('groups counts by thousands as en-US does, signs and rounding included', () => {
    for (const value of [0, 7, 999, 1000, 12_345, 999_999.6, 1_234_567, -1234.4, -999, 9_007_199_254_740_991])
      expect(formatCount(value)).toBe(Math.round(value).toLocaleString('en-US'));
  });

  it('prints a plain line at each tenth when not on a terminal, and nothing when quiet', () => {
    const output = captureOutput();
    const progress = new ProgressReporter(output, 'analyze');
    for (let done = 0; done <= 100; done += 5)
      progress.update({ done, total: 100, detail: `${done} of 100` });
    expect(output.stderr).toEqual([
      'analyze 0% 0 of 100',
      'analyze 10% 10 of 100',
      'analyze 20% 20 of 100',
      'analyze 30% 30 of 100',
      'analyze 40% 40 of 100',
      'analyze 50% 50 of 100',
      'analyze 60% 60 of 100',
      'analyze 70% 70 of 100',
      'analyze 80% 80 of 100',
      'analyze 90% 90 of 100',
      'analyze 100% 100 of 100',
    ]);
    const quiet = { ...captureOutput(), quiet: true };
    new ProgressReporter(quiet, 'analyze').update({ done: 1, total: 2, detail: 'x' });
    expect(quiet.stderr).toEqual([]);
    expect(formatRate(512_000, 'calls')).toBe('512K calls/s');
    expect(formatRate(2_500_000, 'calls')).toBe('2.5M calls/s');
    expect(formatRate(12, 'MB')).toBe('12 MB/s');
  });

  it('draws a bar in place on a terminal', () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
    try {
      const output = { ...captureOutput(), interactive: true };
      let now = 0;
      const progress = new ProgressReporter(output, 'simulate', () => now);
      progress.update({ done: 1, total: 4, detail: 'a' });
      now = 50;
      progress.update({ done: 2, total: 4, detail: 'b' }); // too soon: skipped
      now = 200;
      progress.update({ done: 4, total: 4, detail: 'c' });
      progress.finish();
    } finally {
      process.stderr.write = original;
    }
    expect(written).toEqual([
      '\r\u001b[2Ksimulate [######------------------]  25% a',
      '\r\u001b[2Ksimulate [########################] 100% c',
      '\n',
    ]);
  });

  it('colours only a terminal, and never with NO_COLOR', () => {
    const saved = { tty: process.stderr.isTTY, noColor: process.env['NO_COLOR'] };
    try {
      Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
      delete process.env['NO_COLOR'];
      expect(processOutput().color.red('x')).toBe('\u001b[31mx\u001b[39m');
      process.env['NO_COLOR'] = '1';
      expect(processOutput().color.red('x')).toBe('x');
      Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
      delete process.env['NO_COLOR'];
      expect(processOutput().color.red('x')).toBe('x');
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: saved.tty, configurable: true });
      if (saved.noColor === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved.noColor;
    }
  });

  it('shows a stack trace only with --debug', async () => {
    const plain = captureOutput();
    expect(await runCli(['render', join(folder, 'none.json')], plain)).toBe(2);
    expect(plain.stderr.join('')).not.toMatch(/\n\s+at /);
    const debug = captureOutput();
    expect(await runCli(['render', join(folder, 'none.json'), '--debug'], debug)).toBe(2);
    expect(debug.stderr.join('')).toMatch(/UsageError: cannot read .*none\.json: no such file\n\s+at /);
  });
});

describe('settings from flags', () => {
  it('lays --set values over the config file, typed and checked', () => {
    expect(
      applySettingFlags({ realtime: { spikeMultiple: 6 } }, [
        'realtime.spikeMultiple=4',
        'understanding.monthlyBudgetUsd=5000',
        'optimization.commitmentLevels=[0.5,0.8]',
      ]),
    ).toEqual({
      realtime: { spikeMultiple: 4 },
      understanding: { monthlyBudgetUsd: 5000 },
      optimization: { commitmentLevels: [0.5, 0.8] },
    });
    expect(applySettingFlags({}, ['understanding.monthlyBudgetUsd=null'])).toEqual({
      understanding: { monthlyBudgetUsd: null },
    });
    expect(() => applySettingFlags({}, ['realtime.spikeMultiple=high'])).toThrow(
      'realtime.spikeMultiple: must be a number, got "high"',
    );
    expect(() => applySettingFlags({}, ['realtime.spikes=4'])).toThrow('realtime.spikes: unknown setting');
    expect(() => applySettingFlags({}, ['spikes=4'])).toThrow('--set takes section.setting=value');
  });

  it('takes JSON for scenario parameters that are lists of objects', () => {
    const zones = [{ name: 'Europe', utcOffsetHours: 1, share: 1 }];
    expect(parseScenarioParameters([`timezones.zones=${JSON.stringify(zones)}`])).toEqual({
      timezones: { zones },
    });
    expect(() => parseScenarioParameters(['timezones.zones=Europe'])).toThrow(
      '--param timezones.zones takes JSON here',
    );
  });
});

describe('interruption', () => {
  // The built command, stopped with SIGINT while it writes: nothing half-written is left behind.
  function runUntilSignal(
    args: string[],
    cwd: string,
    waitFor: (text: string) => boolean,
  ): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [builtCli, ...args], {
        cwd,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      let signalled = false;
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        if (!signalled && waitFor(stderr)) {
          signalled = true;
          child.kill('SIGINT');
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code, stderr }));
    });
  }

  it('leaves no partial showcase log when finops run is stopped', async () => {
    const cwd = join(folder, 'stopped-run');
    await runCli(
      ['simulate', '--days', '1', '--customers', '2', '--out', join(cwd, 'finops-data', 'calls.csv'), '-q'],
      captureOutput(),
    );
    const before = await readFile(join(cwd, 'finops-data', 'calls.csv'));
    const { code, stderr } = await runUntilSignal(['run', '--size-mb', '400'], cwd, (text) =>
      /simulate [1-9]\d*%/.test(text),
    );
    expect(code).toBe(130);
    expect(stderr).toContain('finops: stopped (SIGINT)');
    expect(stderr).toContain('1 unfinished output file(s) removed');
    expect(await readdir(join(cwd, 'finops-data'))).toEqual(['calls.csv']);
    expect(await readFile(join(cwd, 'finops-data', 'calls.csv'))).toEqual(before);
    expect(existsSync(join(cwd, 'finops-reports'))).toBe(false);
  }, 60_000);

  it('says that a log written in place keeps its complete lines', async () => {
    const cwd = join(folder, 'stopped-simulate');
    await mkdir(cwd, { recursive: true });
    const out = join(cwd, 'live.csv');
    const { code, stderr } = await runUntilSignal(
      ['simulate', '--size-mb', '400', '--out', out],
      cwd,
      (text) => /simulate [1-9]\d*%/.test(text),
    );
    expect(code).toBe(130);
    expect(stderr).toContain(`${out} was being written in place and keeps the complete lines written so far`);
    const text = await readFile(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect((await stat(out)).size).toBeLessThan(400_000_000);
    expect(await runCli(['validate', out], captureOutput())).toBe(0);
  }, 60_000);
});
