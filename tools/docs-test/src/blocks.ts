/**
 * How a fenced block is run: `run` to completion (exit 0 expected), or
 * `serve`: started, asked for `/health` once it says where it listens, then
 * stopped.
 */
export type BlockMode = 'run' | 'serve';

/** A fenced shell block of a Markdown file marked as runnable. */
export interface RunnableBlock {
  /** The Markdown file, as given. */
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  mode: BlockMode;
  /** The shell text between the fences. */
  code: string;
}

/** Any fenced block of a Markdown file. */
export interface FencedBlock {
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  /** The first word of the info string (`sh`, `yaml`, …), or `''`. */
  language: string;
  /** The other words of the info string. */
  flags: string[];
  code: string;
}

/** The info-string word that marks a block to be run by the docs test. */
export const RUNNABLE = 'runnable';

const SHELLS = new Set(['sh', 'bash', 'shell', 'console']);

/**
 * Every fenced block of `markdown` (backticks or tildes, three or more), with
 * its info string split into a language and flags. A fence inside a longer
 * fence is text. An unclosed fence is an error naming its line.
 */
export function fencedBlocks(markdown: string, file: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: { fence: string; line: number; words: string[]; body: string[] } | undefined;
  markdown.split(/\r?\n/).forEach((text, index) => {
    if (open) {
      const trimmed = text.trim();
      if (trimmed.startsWith(open.fence) && trimmed.replace(/`+|~+/, '') === '') {
        const [language = '', ...flags] = open.words;
        blocks.push({ file, line: open.line, language, flags, code: open.body.join('\n') });
        open = undefined;
      } else {
        open.body.push(text);
      }
      return;
    }
    const fence = /^\s{0,3}(`{3,}|~{3,})\s*(.*)$/.exec(text);
    if (fence) {
      const words = (fence[2] ?? '').trim().split(/\s+/).filter(Boolean);
      open = { fence: fence[1] ?? '```', line: index + 1, words, body: [] };
    }
  });
  if (open) throw new Error(`${file}:${open.line}: the fenced block opened here is never closed`);
  return blocks;
}

/**
 * The blocks of `markdown` whose info string is a shell language followed by
 * `runnable` (and `serve` for a server to start and stop), e.g.
 * ```` ```sh runnable ````. Other blocks are left alone.
 */
export function runnableBlocks(markdown: string, file: string): RunnableBlock[] {
  return fencedBlocks(markdown, file)
    .filter((block) => SHELLS.has(block.language) && block.flags.includes(RUNNABLE))
    .map((block) => ({
      file,
      line: block.line,
      mode: block.flags.includes('serve') ? 'serve' : 'run',
      code: block.code,
    }));
}

/**
 * The `finops` subcommands a piece of shell or workflow text calls
 * (`finops run`, `npx finops publish`, a workflow's `run:` line). Container
 * commands are left out: there `finops` is the image's name.
 */
export function finopsCommandsIn(code: string): string[] {
  const names: string[] = [];
  for (const command of commandsOf(code)) {
    if (/^(?:-\s*run:\s*)?docker\b/.test(command)) continue;
    for (const match of command.matchAll(/(?<![\w@/.-])finops\s+(?=([a-z][a-z-]*))/g)) {
      const name = match[1] ?? '';
      if (name !== 'finops') names.push(name);
    }
  }
  return names;
}

/**
 * The command lines of a block: comments and blank lines dropped, lines
 * ending in `\` joined. For messages and for checks on what the docs ask.
 */
export function commandsOf(code: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const raw of code.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (line.trim() === '' && pending === '') continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    commands.push(`${pending}${line.trim()}`.trim());
    pending = '';
  }
  if (pending.trim() !== '') commands.push(pending.trim());
  return commands.filter((command) => command !== '');
}
