/**
 * Every importer, in the order detection tries them. Each lives in its own
 * folder here, and docs/importers.md has a section for each (a test checks
 * that the folders, this list and the page agree).
 */
import type { SourceImporter } from '../source';
import { anthropicUsage } from './anthropic-usage';
import { finops } from './finops';
import { focus } from './focus';
import { helicone } from './helicone';
import { langfuse } from './langfuse';
import { litellm } from './litellm';
import { openaiUsage } from './openai-usage';
import { otel } from './otel';

/** The registered importers, in detection order. */
export const SOURCES: readonly SourceImporter[] = [
  litellm,
  langfuse,
  otel,
  openaiUsage,
  anthropicUsage,
  helicone,
  focus,
  finops,
];

/** The importer named `name`, if there is one. */
export function sourceNamed(name: string): SourceImporter | undefined {
  return SOURCES.find((source) => source.name === name);
}
