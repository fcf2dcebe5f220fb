/**
 * `@finops/schema`: the call record of AI usage logs and everything that
 * reads, writes, validates and prices it.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './record';
export * from './time';
export * from './money';
export * from './catalog';
export * from './quality';
export * from './validate';
export * from './call-id-set';
export * from './atomic';
export * from './csv/scanner';
export * from './csv/parser';
export * from './csv/reader';
export * from './csv/writer';
export * from './csv/quarantine';
export * from './sources/index';
export * from './report-document';
export * from './summary';
export * from './intern';
export * from './columns';
export * from './customers';
