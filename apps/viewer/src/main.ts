import { startViewer } from './app';
import { parseViewerArgs } from './config';

async function main(): Promise<void> {
  const parsed = parseViewerArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`viewer: ${parsed.message}\n`);
    process.exitCode = 2;
    return;
  }
  const viewer = await startViewer(parsed.config);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second signal means "now".
      if (stopping) process.exit(1);
      stopping = true;
      process.stderr.write(`viewer: ${signal}, shutting down\n`);
      viewer.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`viewer: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
