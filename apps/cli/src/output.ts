/** Where a command writes: results to stdout, messages to stderr, colour only when wanted. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Colours for stderr messages (identity functions when colour is off). */
  color: {
    bold(text: string): string;
    red(text: string): string;
    yellow(text: string): string;
    dim(text: string): string;
  };
  quiet: boolean;
  /** Whether stderr is an interactive terminal (progress bars). */
  interactive: boolean;
}

const identity = (text: string): string => text;

/** Output on the process streams; colour unless NO_COLOR is set or stderr is not a terminal. */
export function processOutput(options: { quiet?: boolean } = {}): Output {
  const interactive = Boolean(process.stderr.isTTY);
  const useColor = interactive && !('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '');
  const wrap = (open: number, close: number) =>
    useColor ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : identity;
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => {
      if (!options.quiet) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    color: { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22) },
    quiet: options.quiet ?? false,
    interactive,
  };
}
