/** Live collection: an OTLP/HTTP trace receiver that appends GenAI calls to a call log. */
export * from './options';
export * from './wire';
export * from './call-log';
export * from './collector';
