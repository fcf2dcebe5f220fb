import { packageBuild } from '../../tsup.base';

export default packageBuild({
  // The probes are the processes measured whole: each loads only what its stage needs.
  entry: {
    main: 'src/main.ts',
    'probes/scan': 'src/probes/scan.ts',
    'probes/rows': 'src/probes/rows.ts',
    'probes/parse': 'src/probes/parse.ts',
    'probes/read': 'src/probes/read.ts',
    'probes/analysis': 'src/probes/analysis.ts',
    'probes/duckdb-query': 'src/probes/duckdb-query.ts',
    'probes/trivial-writer': 'src/probes/trivial-writer.ts',
  },
  format: ['esm'],
  dts: false,
  // DuckDB is a native addon: loaded from node_modules, never bundled.
  external: [/^@finops\//, '@duckdb/node-api'],
});
