import type { Benchmark } from '../types';
import analyze from './analyze';
import clickhouse from './clickhouse';
import compare from './compare';
import importBenchmark from './import';
import read from './read';
import render from './render';
import run from './run';
import simulate from './simulate';
import viewer from './viewer';

/** Every benchmark of `npm run bench -- <name>`, by name. */
export const BENCHMARKS: readonly Benchmark[] = [
  read,
  simulate,
  analyze,
  render,
  run,
  viewer,
  compare,
  clickhouse,
  importBenchmark,
];
