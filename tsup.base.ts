import { defineConfig, type Options } from 'tsup';

/**
 * Build settings shared by every package: ESM + CJS + declarations from
 * `src/index.ts`. Declarations use a tsconfig without `composite` and without
 * source path mapping, so sibling packages stay external (their built types).
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: true,
    tsconfig: '../../tsconfig.lib.json',
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    external: [/^@finops\//],
    ...overrides,
  });
}
