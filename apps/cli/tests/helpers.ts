import type { Output } from '../src/output';

/** An Output that records what a command printed. */
export function captureOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const identity = (text: string): string => text;
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    color: { bold: identity, red: identity, yellow: identity, dim: identity },
    quiet: false,
    interactive: false,
  };
}
