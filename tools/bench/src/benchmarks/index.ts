import type { Benchmark } from '../types';
import read from './read';
import render from './render';
import simulate from './simulate';

/** Every benchmark of `npm run bench -- <name>`, by name. */
export const BENCHMARKS: readonly Benchmark[] = [read, simulate, render];
