import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createViewerServer } from './server';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: process.env['HOST'] ?? '127.0.0.1' },
    port: { type: 'string', default: process.env['PORT'] ?? '8000' },
    dir: { type: 'string', default: 'finops-reports' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`viewer: --port must be a number from 0 to 65535, got "${values.port}"\n`);
  process.exit(2);
}
const dir = resolve(values.dir);
const server = createViewerServer({ dir });
server.listen(port, values.host, () => {
  const address = server.address();
  const shownPort = typeof address === 'object' && address ? address.port : port;
  process.stderr.write(`viewer: serving ${dir} at http://${values.host}:${shownPort}/\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
