import { commandsOf, fencedBlocks, finopsCommandsIn, runnableBlocks } from '../src/blocks';

describe('runnableBlocks', () => {
  it('finds shell blocks marked runnable, with their line and mode, and leaves the others', () => {
    const markdown = [
      '# Title',
      '',
      '```sh runnable',
      'finops run calls.csv',
      '```',
      '',
      '```sh',
      'npm ci && npm start',
      '```',
      '',
      '```bash runnable serve',
      'node apps/viewer/dist/main.js --dir site',
      '```',
      '',
      '````md',
      '```sh runnable',
      'inside another block',
      '```',
      '````',
      '',
      '```json runnable',
      '{}',
      '```',
    ].join('\n');
    expect(runnableBlocks(markdown, 'doc.md')).toEqual([
      { file: 'doc.md', line: 3, mode: 'run', code: 'finops run calls.csv' },
      { file: 'doc.md', line: 11, mode: 'serve', code: 'node apps/viewer/dist/main.js --dir site' },
    ]);
  });

  it('names the line of a fence that is never closed', () => {
    expect(() => runnableBlocks('text\n\n```sh runnable\nfinops run\n', 'broken.md')).toThrow(
      'broken.md:3: the fenced block opened here is never closed',
    );
  });
});

describe('commandsOf', () => {
  it('drops comments and blank lines and joins continued lines', () => {
    const code = [
      '# a comment',
      'finops simulate --days 3 --out calls.csv   # a small log',
      '',
      'docker run --rm \\',
      '  -v "$PWD:/data" finops',
      'echo done \\',
    ].join('\n');
    expect(commandsOf(code)).toEqual([
      'finops simulate --days 3 --out calls.csv',
      'docker run --rm -v "$PWD:/data" finops',
      'echo done',
    ]);
  });
});

describe('inlineAssignments', () => {
  it('reads the variables set before a command, quoted or not, across continued lines', async () => {
    const { inlineAssignments } = await import('../src/run');
    expect(
      inlineAssignments(
        "FINOPS_VIEWER_USER=ops FINOPS_VIEWER_PASSWORD='a b' \\\n  node main.js --port=8000 X=1",
      ),
    ).toEqual({ FINOPS_VIEWER_USER: 'ops', FINOPS_VIEWER_PASSWORD: 'a b' });
    expect(inlineAssignments('node main.js')).toEqual({});
  });
});

describe('finopsCommandsIn', () => {
  it('finds the subcommands of finops, npx finops and workflow steps, not image or package names', () => {
    const code = [
      'finops run calls.csv',
      'npx finops publish --out site && npx @finops/cli run x.csv',
      '- run: npx finops import spend.json --out calls.csv',
      'docker run --rm -v "$PWD:/data" finops finops run calls.csv',
      'ls finops-reports',
    ].join('\n');
    expect(finopsCommandsIn(code)).toEqual(['run', 'publish', 'import']);
  });
});

describe('fencedBlocks', () => {
  it('returns every block with its language and flags', () => {
    expect(fencedBlocks('~~~yaml\nrun: x\n~~~\n```\nplain\n```', 'f.md')).toEqual([
      { file: 'f.md', line: 1, language: 'yaml', flags: [], code: 'run: x' },
      { file: 'f.md', line: 4, language: '', flags: [], code: 'plain' },
    ]);
  });
});
