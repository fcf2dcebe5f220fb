#!/usr/bin/env node
// The `finops` command as npm links it. It lives outside dist/ so that npm
// links it at install time, before anything is built, and it says what to do
// when the build is missing instead of failing with a module error.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main.js', import.meta.url);

if (existsSync(fileURLToPath(entry))) {
  await import(entry.href);
} else {
  process.stderr.write(
    `finops: the command is not built yet (no ${fileURLToPath(entry)}).\n` +
      '  In a clone of the repository, run `npm run build` first (or `npm start` for the showcase).\n',
  );
  process.exitCode = 2;
}
