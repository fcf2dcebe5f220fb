/**
 * Every usage API `pull` reads, one module each here, each with a section in
 * docs/importers.md (a test checks that the modules, this list and the page
 * agree).
 */
import type { PullApi } from '../api';
import { anthropic } from './anthropic';
import { litellm } from './litellm';
import { openai } from './openai';

/** The APIs `finops pull` reads. */
export const PULL_APIS: readonly PullApi[] = [litellm, openai, anthropic];

/** The API named `name`, if there is one. */
export function pullApiNamed(name: string): PullApi | undefined {
  return PULL_APIS.find((api) => api.name === name);
}
