import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type RunnableBlock, commandsOf, runnableBlocks } from '../src/blocks';
import { blockEnvironment, runBlock, scratchFolder, serveBlock } from '../src/run';

const workspace = resolve(__dirname, '..', '..', '..');

/** The pages a newcomer reads, each run top to bottom in a scratch folder of its own. */
const PAGES = ['README.md', 'docs/quickstart.md', 'docs/faq.md', 'docs/deploy.md', 'CONTRIBUTING.md'];

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

  it('mark runnable only finops commands that exist', async () => {
    const known = await finopsCommands();
    expect(known.has('run')).toBe(true);
    for (const { blocks } of pages) {
      for (const block of blocks) {
        for (const command of commandsOf(block.code)) {
          for (const match of command.matchAll(/\bfinops\s+([a-z][a-z-]*)/g)) {
            const name = match[1] ?? '';
            if (!known.has(name))
              throw new Error(`${block.file}:${block.line}: "finops ${name}" is not a command`);
          }
        }
      }
    }
  });
});

describe.each(pages.filter((page) => page.blocks.length > 0))(
  'runnable blocks of $file',
  ({ file, blocks }) => {
    let folder: string;
    beforeAll(async () => {
      folder = await scratchFolder(workspace, `finops-docs-${file.replace(/\W+/g, '-')}-`);
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
