import { packageBuild } from '../../tsup.base';

// Split into chunks: each command's module is imported when it runs, so start-up loads only what it needs.
export default packageBuild({ entry: ['src/main.ts'], format: ['esm'], dts: false, splitting: true });
