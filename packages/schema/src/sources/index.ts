export * from './container';
export * from './files';
export * from './json-lines';
export * from './parquet';
export * from './read';
