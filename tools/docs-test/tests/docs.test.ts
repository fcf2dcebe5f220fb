import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  commandsOf,
  fencedBlocks,
  finopsCommandsIn,
  type RunnableBlock,
  runnableBlocks,
} from '../src/blocks';
import { blockEnvironment, runBlock, scratchFolder, serveBlock } from '../src/run';

const workspace = resolve(__dirname, '..', '..', '..');

/** The pages a newcomer reads, each run top to bottom in a scratch folder of its own. */
const PAGES = [
  'README.md',
  'docs/quickstart.md',
  'docs/faq.md',
  'docs/deploy.md',
  'CONTRIBUTING.md',
  'docs/cli.md',
];

/** What a page assumes the reader already has, made before its blocks run: "your own log" of the command reference. */
const SETUP: Readonly<Record<string, string>> = {
  'docs/cli.md': 'finops simulate --days 3 --customers 6 --seed 2 --out calls.csv -q',
};

/** Code blocks whose `finops …` lines must name real commands. */
const COMMAND_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console', 'yaml', 'yml', '']);

/** Pages that must hold runnable commands (the others may have none). */
const MUST_RUN = ['README.md', 'docs/quickstart.md', 'docs/deploy.md'];

const pages = PAGES.map((file) => ({
  file,
  blocks: existsSync(join(workspace, file))
    ? runnableBlocks(readFileSync(join(workspace, file), 'utf8'), file)
    : [],
}));

/** The `finops` commands the built command line offers, from its help. */
async function finopsCommands(): Promise<Set<string>> {
  const { stdout } = await promisify(execFile)(join(workspace, 'node_modules', '.bin', 'finops'), ['--help']);
  const section = stdout.split('Commands:')[1]?.split('Options:')[0] ?? '';
  return new Set([...section.matchAll(/^\s{2}([a-z]+)\s/gm)].map((match) => match[1] ?? ''));
}

describe('the docs', () => {
  it.each(MUST_RUN)('%s has runnable commands', async (file) => {
    expect(existsSync(join(workspace, file))).toBe(true);
    expect(runnableBlocks(await readFile(join(workspace, file), 'utf8'), file).length).toBeGreaterThan(0);
  });

  it('name only finops commands that exist, in every shell and workflow block of every page', async () => {
    const known = await finopsCommands();
    expect(known.has('run')).toBe(true);
    const files = [
      'README.md',
      'CONTRIBUTING.md',
      ...readdirSync(join(workspace, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name}`),
    ];
    const unknown: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const block of fencedBlocks(readFileSync(join(workspace, file), 'utf8'), file)) {
        if (!COMMAND_LANGUAGES.has(block.language)) continue;
        for (const name of finopsCommandsIn(block.code)) {
          checked++;
          if (!known.has(name))
            unknown.push(`${block.file}:${block.line}: "finops ${name}" is not a command`);
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it("runs the GitHub Pages workflow's commands and leaves the site where it uploads it from", async () => {
    const page = 'docs/deploy.md';
    const workflow = fencedBlocks(readFileSync(join(workspace, page), 'utf8'), page).find(
      (block) => block.language === 'yaml' && block.code.includes('actions/deploy-pages'),
    );
    expect(workflow).toBeDefined();
    const code = workflow?.code ?? '';
    const line = workflow?.line ?? 0;
    const steps = [...code.matchAll(/^\s*- run: (.+)$/gm)].map((match) => match[1]?.trim() ?? '');
    const uploaded = /upload-pages-artifact@\S+\s+with:\s+path: (\S+)/.exec(code)?.[1];
    // The install and build are the README's, which the fresh-clone test runs; the rest runs here.
    expect(steps[0]).toBe('npm ci && npm run build');
    const logs = [...steps.join('\n').matchAll(/\bfinops \w+ (\S+\.csv)\b/g)].map((match) => match[1] ?? '');
    expect(logs.length).toBeGreaterThan(0);
    const folder = await scratchFolder(workspace, 'finops-docs-workflow-');
    try {
      const env = blockEnvironment(workspace);
      for (const log of logs) {
        await mkdir(join(folder, log, '..'), { recursive: true });
        const simulate = `finops simulate --days 3 --customers 6 --out ${log} -q`;
        const made = await runBlock({ file: page, line, mode: 'run', code: simulate }, folder, env);
        expect(made.code).toBe(0);
      }
      for (const step of steps.slice(1)) {
        const outcome = await runBlock({ file: page, line, mode: 'run', code: step }, folder, env);
        if (outcome.code !== 0)
          throw new Error(`${page}: "${step}" exited with ${outcome.code}\n${outcome.stderr}`);
      }
      expect(uploaded).toBeDefined();
      expect((await stat(join(folder, uploaded ?? '', 'index.html'))).isFile()).toBe(true);
      expect((await stat(join(folder, uploaded ?? '', '.nojekyll'))).isFile()).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.each(pages.filter((page) => page.blocks.length > 0))(
  'runnable blocks of $file',
  ({ file, blocks }) => {
    let folder: string;
    beforeAll(async () => {
      folder = await scratchFolder(workspace, `finops-docs-${file.replace(/\W+/g, '-')}-`);
      const setup = SETUP[file];
      if (setup !== undefined) {
        const made = await runBlock(
          { file, line: 0, mode: 'run', code: setup },
          folder,
          blockEnvironment(workspace),
        );
        expect(made.code).toBe(0);
      }
    });
    afterAll(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    const label = (block: RunnableBlock): string => `line ${block.line}: ${commandsOf(block.code)[0] ?? ''}`;

    it.each(blocks.map((block) => [label(block), block] as const))(
      '%s',
      async (_label, block) => {
        const env = blockEnvironment(workspace);
        if (block.mode === 'serve') {
          const served = await serveBlock(block, folder, env);
          expect([200, 503]).toContain(served.healthStatus);
          expect(served.indexStatus).toBe(200);
          expect(served.output).toContain('SIGTERM, shutting down');
          return;
        }
        const outcome = await runBlock(block, folder, env);
        if (outcome.code !== 0) {
          throw new Error(
            `${block.file}:${block.line} exited with ${outcome.code}\n--- stdout\n${outcome.stdout}\n--- stderr\n${outcome.stderr}`,
          );
        }
      },
      120_000,
    );
  },
);
