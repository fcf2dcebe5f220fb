import { probeHealth } from './health-probe';

// `node dist/healthcheck.js`: exit 0 when the viewer on this machine is healthy, 1 otherwise.
probeHealth().then(
  (probe) => {
    process.stdout.write(`${probe.message}\n`);
    process.exitCode = probe.healthy ? 0 : 1;
  },
  (error: unknown) => {
    process.stderr.write(`healthcheck: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
