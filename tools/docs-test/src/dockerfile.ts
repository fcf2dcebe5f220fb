/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  /** Upper-case keyword: FROM, RUN, COPY, CMD, HEALTHCHECK, … */
  keyword: string;
  /** The rest of the instruction, as written. */
  args: string;
  /** Line where it starts (1-based). */
  line: number;
}

/** Reads a Dockerfile's instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && !pending)) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending
      ? { text: `${pending.text} ${part}`, line: pending.line }
      : { text: part, line: index + 1 };
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/.exec(pending.text);
    if (match)
      instructions.push({
        keyword: (match[1] ?? '').toUpperCase(),
        args: match[2] ?? '',
        line: pending.line,
      });
    pending = undefined;
  });
  return instructions;
}

/** The command of an exec-form (`["node", "x.js"]`) or shell-form instruction, as words. */
export function commandWords(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as string[];
  return ['sh', '-c', trimmed];
}

/** `KEY=value` pairs of an ENV instruction (the `ENV KEY value` form too). */
export function envPairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  const words = args.trim().split(/\s+/);
  if (words.length === 2 && !words[0]?.includes('=')) {
    pairs[words[0] ?? ''] = words[1] ?? '';
    return pairs;
  }
  for (const word of words) {
    const equals = word.indexOf('=');
    if (equals > 0) pairs[word.slice(0, equals)] = word.slice(equals + 1).replace(/^"(.*)"$/, '$1');
  }
  return pairs;
}

/** The stages of a Dockerfile, each from its FROM to the next. */
export function stagesOf(instructions: readonly DockerInstruction[]): DockerInstruction[][] {
  const stages: DockerInstruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push([instruction]);
    else stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

/**
 * Whether a path (relative, `/`-separated) is left out of the build context
 * by `.dockerignore` patterns: `**` for any folders, `*` within a name, `!`
 * to bring a path back; a pattern also leaves out what is under it.
 */
export function isDockerIgnored(path: string, patterns: readonly string[]): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
    const source = pattern
      .split('/')
      .map((part) =>
        part === '**'
          ? '(?:.*)'
          : part
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
      )
      .join('/')
      .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
    if (new RegExp(`^${source}(?:/.*)?$`).test(path)) ignored = !negated;
  }
  return ignored;
}
