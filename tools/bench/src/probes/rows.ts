// A measured process: the file split into CSV rows and fields by the schema's scanner, nothing validated. Prints one JSON line.
import { splitRows } from '../split-rows';

const path = process.argv[2];
if (!path) throw new Error('usage: rows.js <file>');
process.stdout.write(`${JSON.stringify(await splitRows(path))}\n`);
