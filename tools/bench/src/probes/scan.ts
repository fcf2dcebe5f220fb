// A measured process: a plain byte scan of the file (the floor of any reader). Prints one JSON line.
import { scanBytes } from '../byte-scan';

const path = process.argv[2];
if (!path) throw new Error('usage: scan.js <file>');
process.stdout.write(`${JSON.stringify(await scanBytes(path))}\n`);
