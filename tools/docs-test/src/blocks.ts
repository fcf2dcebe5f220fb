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

/** The info-string word that marks a block to be run by the docs test. */
export const RUNNABLE = 'runnable';

const SHELLS = new Set(['sh', 'bash', 'shell', 'console']);

/**
 * The blocks of `markdown` whose info string is a shell language followed by
 * `runnable` (and `serve` for a server to start and stop), e.g.
 * ```` ```sh runnable ````. Other blocks are left alone. An unclosed fence is
 * an error naming its line.
 */
export function runnableBlocks(markdown: string, file: string): RunnableBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: RunnableBlock[] = [];
  let open: { fence: string; line: number; words: string[]; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open) {
      if (text.trim().startsWith(open.fence) && text.trim().replace(/`+|~+/, '') === '') {
        const [language, ...flags] = open.words;
        if (language !== undefined && SHELLS.has(language) && flags.includes(RUNNABLE)) {
          blocks.push({
            file,
            line: open.line,
            mode: flags.includes('serve') ? 'serve' : 'run',
            code: open.body.join('\n'),
          });
        }
        open = undefined;
      } else {
        open.body.push(text);
      }
      return;
    }
    const fence = /^\s{0,3}(`{3,}|~{3,})\s*(.*)$/.exec(text);
    if (fence) {
      open = {
        fence: fence[1] ?? '```',
        line: index + 1,
        words: (fence[2] ?? '').trim().split(/\s+/),
        body: [],
      };
    }
  });
  if (open) throw new Error(`${file}:${open.line}: the fenced block opened here is never closed`);
  return blocks;
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
