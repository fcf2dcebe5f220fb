import { abortOpenWriters } from '@finops/schema';

/** Files written in place (a size-targeted simulation that others may follow), by path. */
const inPlaceOutputs = new Set<string>();

/** Notes a file that grows in place while it is written, so that an interruption can say what it holds. */
export function trackInPlaceOutput(path: string): () => void {
  inPlaceOutputs.add(path);
  return () => inPlaceOutputs.delete(path);
}

/**
 * What to do on Ctrl-C or a kill: drop every file being written atomically
 * (it never appears), and say what became of files written in place (they
 * hold the complete lines written so far). Returns the message to print.
 */
export function interruptOutputs(signal: string): string {
  const dropped = abortOpenWriters();
  const lines = [`finops: stopped (${signal})`];
  lines.push(
    dropped > 0 ? `  ${dropped} unfinished output file(s) removed; earlier versions left as they were` : '',
  );
  for (const path of inPlaceOutputs) {
    lines.push(`  ${path} was being written in place and keeps the complete lines written so far`);
  }
  inPlaceOutputs.clear();
  return lines.filter(Boolean).join('\n');
}

/** What a long-running command (a server) does on the first Ctrl-C or kill, instead of exiting at once. */
let gracefulStop: ((signal: string) => void) | undefined;

/** Makes the next Ctrl-C or kill call `stop` rather than exit; a second one still exits at once. */
export function onGracefulStop(stop: (signal: string) => void): void {
  gracefulStop = stop;
}

/** Hands a signal to the command that asked to stop gracefully; `false` when none did (or it already had one). */
export function stopGracefully(signal: string): boolean {
  const stop = gracefulStop;
  gracefulStop = undefined;
  if (!stop) return false;
  stop(signal);
  return true;
}
