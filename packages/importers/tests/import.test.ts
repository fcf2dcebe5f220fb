import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AttributionMapError,
  checkRow,
  detectExport,
  ExportFileError,
  importToCsv,
  loadAttributionMap,
  parseAttributionMap,
  SOURCES,
  sourceNamed,
  valueAtPath,
  evaluateRule,
} from '../src';
import { fixture, importAll, temporaryFile, temporaryFolder } from './helpers';

describe('detection', () => {
  it('names what it tried when no source recognises a file', async () => {
    const file = temporaryFile('mystery.csv', 'when,who,what\n2026-05-04,me,thing\n');
    await expect(detectExport(file)).rejects.toThrow(
      /could not tell which source this export is from: tried litellm, langfuse, otel, openai-usage, anthropic-usage, helicone, focus, finops on its CSV header \(columns when, who, what\); name it with --from <source>/,
    );
    const json = temporaryFile('mystery.json', '{"rows": [1, 2]}');
    await expect(detectExport(json)).rejects.toThrow(/JSON document \(keys rows\)/);
  });

  it('takes the source named with --from, and refuses a layout it does not read', async () => {
    const detection = await detectExport(fixture('langfuse', 'observations-page.json'), { from: 'langfuse' });
    expect(detection).toMatchObject({ forced: true, format: 'json' });
    await expect(detectExport(fixture('focus', 'ai-costs.csv'), { from: 'otel' })).rejects.toThrow(
      /is a CSV header file; otel reads json, jsonl/,
    );
    await expect(detectExport(fixture('focus', 'ai-costs.csv'), { from: 'nope' })).rejects.toThrow(
      /no source "nope"/,
    );
  });

  it('streams a JSON document over its size limit record by record, with the same rows', async () => {
    const page = fixture('litellm', 'spend-logs-page.json');
    const whole = await importAll(page);
    const streamed = await importAll(page, { maxJsonBytes: 100 });
    expect(streamed.rows).toEqual(whole.rows);
    expect(streamed.tally).toEqual(whole.tally);
    expect(streamed.rejections.map(({ line, record, field }) => ({ line, record, field }))).toEqual([
      { line: 176, record: 'data[6]', field: 'prompt_tokens' },
      { line: 186, record: 'data[7]', field: 'startTime' },
    ]);
    const array = temporaryFile(
      'rows.json',
      JSON.stringify(
        [
          {
            timestamp: '2026-05-04T09:00:00Z',
            provider: 'openai',
            model: 'gpt-4o',
            input_tokens: 1,
            output_tokens: 2,
          },
          {
            timestamp: '2026-05-04T09:00:01Z',
            provider: 'openai',
            model: 'gpt-4o',
            input_tokens: 'x',
            output_tokens: 2,
          },
        ],
        null,
        1,
      ),
    );
    const fromArray = await importAll(array, { maxJsonBytes: 10 });
    expect(fromArray.tally).toMatchObject({ source: 'finops', recordsKept: 1, recordsRejected: 1 });
    expect(fromArray.rejections[0]).toMatchObject({ record: '[1]', line: 9 });
    const usage = await importAll(fixture('openai-usage', 'completions-by-model.json'), { maxJsonBytes: 10 });
    expect(usage.tally).toEqual(
      (await importAll(fixture('openai-usage', 'completions-by-model.json'))).tally,
    );
  });

  it('refuses a large JSON document it cannot stream, and says where JSON breaks', async () => {
    const request = fixture('otel', 'traces.json');
    const error = await detectExport(request, { maxJsonBytes: 100 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExportFileError);
    expect((error as ExportFileError).code).toBe('too_large');
    expect((error as Error).message).toMatch(
      /an object without a "data" array of records; export it as JSON Lines/,
    );
    const cut = temporaryFile(
      'cut.json',
      '[{"timestamp": "2026-05-04T09:00:00Z", "provider": "openai", "model": "m", "input_tokens": 1, "output_tokens": 1}, {"a":',
    );
    await expect(importAll(cut, { maxJsonBytes: 10 })).rejects.toThrow(/ends inside its array/);
    const broken = temporaryFile('broken.json', '{\n  "data": [\n    {"a": 1,}\n  ]\n}');
    await expect(detectExport(broken)).rejects.toThrow(/not valid JSON at line 3/);
    await expect(detectExport(join(temporaryFolder(), 'absent.json'))).rejects.toThrow(/cannot read it/);
  });

  it('reads CSV with a byte-order mark, CRLF and quoted line breaks', async () => {
    const file = temporaryFile(
      'calls.csv',
      '\uFEFFtimestamp,provider,model,input_tokens,output_tokens,user_agent\r\n' +
        '2026-05-04T09:00:00Z,openai,gpt-4o,10,5,"two\r\nlines"\r\n' +
        '2026-05-04T09:00:01Z,openai,gpt-4o,10,5\r\n',
    );
    const { rows, rejections } = await importAll(file);
    expect(rows).toEqual([expect.objectContaining({ user_agent: 'two\r\nlines' })]);
    expect(rejections[0]).toMatchObject({ line: 4, reason: 'malformed_record' });
  });
});

describe('attribution', () => {
  it('overrides a source’s defaults column by column; null clears one', async () => {
    const page = fixture('litellm', 'spend-logs-page.json');
    const { rows } = await importAll(page, {
      attribution: {
        customer_id: 'team_id',
        organization_id: 'metadata.user_api_key_alias',
        feature_id: null,
        task_type: ['metadata.spend_logs_metadata.missing', 'tag:env:'],
      },
    });
    expect(rows[0]).toMatchObject({
      customer_id: 'team_support',
      organization_id: 'support-bot',
      task_type: 'production',
    });
    expect(rows[0]?.feature_id).toBeUndefined();
  });

  it('reads paths through JSON text and keys that contain dots', () => {
    const record = { metadata: '{"attributes": {"user.id": "u1", "a": {"b": 2}}}' };
    expect(valueAtPath(record, 'metadata.attributes.user.id')).toBe('u1');
    expect(valueAtPath(record, '$.metadata.attributes.a.b')).toBe(2);
    expect(valueAtPath(record, 'metadata.none')).toBeUndefined();
    expect(evaluateRule('tag:feature:', { record: {}, tags: ['env:prod', 'feature:search'] })).toBe('search');
  });

  it('loads a map file and says what is wrong with a bad one', async () => {
    const good = temporaryFile(
      'map.json',
      '{"customer_id": "metadata.account", "feature_id": ["tag:feature:", "name"]}',
    );
    expect(await loadAttributionMap(good)).toEqual({
      customer_id: 'metadata.account',
      feature_id: ['tag:feature:', 'name'],
    });
    expect(() => parseAttributionMap({ cost_usd: 'x' }, 'map.json')).toThrow(
      /"cost_usd" is not a column attribution can fill/,
    );
    expect(() => parseAttributionMap({ customer_id: 3 }, 'map.json')).toThrow(AttributionMapError);
    expect(() => parseAttributionMap({ customer_id: [''] }, 'map.json')).toThrow(/is not a source/);
    expect(() => parseAttributionMap([], 'map.json')).toThrow(/a JSON object/);
    await expect(loadAttributionMap(temporaryFile('bad.json', '{'))).rejects.toThrow(/not valid JSON/);
    await expect(loadAttributionMap(join(temporaryFolder(), 'none.json'))).rejects.toThrow(/cannot read it/);
  });
});

describe('row checks', () => {
  it('requires the five columns of every call and consistent token subsets', () => {
    const row = {
      timestamp: '2026-05-04T00:00:00Z',
      provider: 'OpenAI',
      model: 'gpt-4o',
      input_tokens: 10,
      output_tokens: 2,
    };
    expect(checkRow({ ...row })).toBeUndefined();
    expect(checkRow({ ...row, model: '' })).toMatchObject({ field: 'model', reason: 'missing_field' });
    expect(checkRow({ ...row, cached_input_tokens: 8, cache_write_input_tokens: 3 })).toMatchObject({
      reason: 'inconsistent_tokens',
    });
    expect(checkRow({ ...row, calls: 0 })).toMatchObject({ field: 'calls' });
    expect(checkRow({ ...row, latency_ms: 1.5 })).toMatchObject({
      field: 'latency_ms',
      reason: 'invalid_number',
    });
    expect(checkRow({ ...row, customer_id: 'x'.repeat(256) })).toMatchObject({ reason: 'field_too_long' });
    const normalised = { ...row };
    checkRow(normalised);
    expect(normalised.provider).toBe('openai');
  });
});

describe('writing', () => {
  it('writes the import atomically with our header and leaves no temporary file', async () => {
    const folder = temporaryFolder();
    const out = join(folder, 'calls.csv');
    writeFileSync(out, 'previous\n');
    const summary = await importToCsv(fixture('litellm', 'spend-logs-page.json'), out, {
      examplesPerReason: 1,
    });
    expect(summary.tally.recordsKept).toBe(6);
    expect(summary.examples.map((example) => example.reason)).toEqual([
      'invalid_number',
      'invalid_timestamp',
    ]);
    expect(readdirSync(folder)).toEqual(['calls.csv']);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain(',"{""feature"":""ticket-summary"",""env"":""production""}",');
  });

  it('leaves the previous file in place when an import fails', async () => {
    const folder = temporaryFolder();
    const out = join(folder, 'calls.csv');
    writeFileSync(out, 'previous\n');
    await expect(importToCsv(temporaryFile('x.csv', 'a,b\n1,2\n'), out)).rejects.toThrow(ExportFileError);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
  });
});

describe('registry', () => {
  it('has one folder per importer, the list, and a section in docs/importers.md that agree', () => {
    const folders = readdirSync(join(__dirname, '..', 'src', 'sources'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(SOURCES.map((source) => source.name).sort()).toEqual(folders);
    const docs = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'importers.md'), 'utf8');
    const sections = [...docs.matchAll(/^## `([a-z-]+)`/gm)].map((match) => match[1]).sort();
    expect(sections).toEqual(folders);
    for (const source of SOURCES) expect(sourceNamed(source.name)).toBe(source);
  });
});
