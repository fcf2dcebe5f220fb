// A measured process: writes a log of given rows and bytes from a fixed row template. Prints one JSON line.
import { readFile } from 'node:fs/promises';
import { type TrivialLogShape, writeTrivialLog } from '../trivial-writer';

const [out, shapeFile] = process.argv.slice(2);
if (!out || !shapeFile) throw new Error('usage: trivial-writer.js <out> <shape.json>');
const shape = JSON.parse(await readFile(shapeFile, 'utf8')) as TrivialLogShape;
process.stdout.write(`${JSON.stringify(await writeTrivialLog(out, shape))}\n`);
