/**
 * `@finops/importers`: the AI-usage exports people already have — LiteLLM,
 * Langfuse, OpenTelemetry GenAI spans, OpenAI and Anthropic usage reports,
 * Helicone, FOCUS — read as they are into the toolkit's call log.
 *
 * @packageDocumentation
 */
export * from './columns';
export * from './decimal';
export * from './values';
export * from './attribution';
export * from './providers';
export * from './source';
export * from './tally';
export * from './import';
export * from './write';
export * from './input/json';
export * from './input/json-stream';
export * from './input/csv';
export * from './input/sniff';
export * from './sources';
export { LITELLM_ATTRIBUTION, readSpendLogRow } from './sources/litellm';
export * from './sources/litellm/postgres';
export * from './export/focus';
export { readTraceRequest, type TraceRequestMemory } from './sources/otel';
export * from './collect';
export * from './pull';
