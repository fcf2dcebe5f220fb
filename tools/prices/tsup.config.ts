import { packageBuild } from '../../tsup.base';

// The schema package is bundled from its sources, so generating needs no build of it first.
export default packageBuild({
  entry: ['src/main.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: false,
  tsconfig: 'tsconfig.json',
  external: ['@pydantic/genai-prices', 'prettier'],
  noExternal: [/^@finops\//],
});
